//! Evidence linked to ladder steps, against a real encrypted SQLite file with real imported items:
//! recording with evidence, link and unlink, refusals across cases, what the ladder, the item's
//! detail and the timeline show, and links that go with their step or item.

use std::fs;

use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::error::CoreError;
use crate::home::DataHome;
use crate::locker::{self, ImportOutcome, VaultKey, vault};
use crate::storage::Store;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 20, 12, 0, 0).unwrap()
}

struct Fixture {
    dir: tempfile::TempDir,
    home: DataHome,
    key: VaultKey,
    store: Store,
    case_id: i64,
    email: i64,
    screenshot: i64,
}

fn import(f: &mut Fixture, case_id: i64, name: &str, bytes: &[u8]) -> i64 {
    let path = f.dir.path().join(name);
    fs::write(&path, bytes).unwrap();
    match &locker::import_files(&mut f.store, &f.home, &f.key, case_id, &[path], now()).unwrap()[..] {
        [ImportOutcome::Added { item, .. }] => item.id,
        other => panic!("{name} was not added: {other:?}"),
    }
}

/// The demo case with two items in its locker: an email and a (text) screenshot note.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let home = DataHome::at(dir.path().join("data"));
    let key = vault::create_with_passphrase(&home, "correct horse battery", now()).unwrap();
    let mut store = Store::open_home(&home, &key.database_key()).unwrap();
    let case_id = store.create_case(&crate::demo::demo_input(now()), now()).unwrap().id;
    let mut f = Fixture { dir, home, key, store, case_id, email: 0, screenshot: 0 };
    f.email = import(
        &mut f,
        case_id,
        "complaint.eml",
        b"From: me@example.org\r\nTo: support@lucky.example\r\nSubject: Formal complaint\r\n\r\nPay me.\r\n",
    );
    f.screenshot = import(&mut f, case_id, "form.txt", b"Complaint form sent, reference TKT-9");
    f
}

fn sent(on: &str, evidence: Vec<i64>) -> StepInput {
    StepInput {
        recipient_id: "casino-support".into(),
        kind: StepKind::Sent,
        channel: Some(Channel::Email),
        on: on.into(),
        reference: "TKT-9".into(),
        summary: "Formal complaint".into(),
        outcome: None,
        milestone: None,
        evidence,
    }
}

fn ids(step: &StepRecord) -> Vec<i64> {
    step.evidence.iter().map(|item| item.id).collect()
}

#[test]
fn a_step_recorded_with_evidence_shows_it_on_the_ladder_the_item_and_the_timeline() {
    let mut f = fixture();
    let view = record_step(&mut f.store, f.case_id, &sent("2026-03-18", vec![f.email]), now(), "en").unwrap();
    let step = &view.history[0];
    assert_eq!(ids(step), [f.email]);
    assert_eq!(step.evidence[0].title, "complaint.eml");
    assert_eq!(step.evidence[0].kind, locker::EvidenceKind::Email);
    let rung = view.rungs.iter().find(|r| r.recipient_id == "casino-support").unwrap();
    assert_eq!(ids(&rung.history[0]), [f.email], "the rung's own history carries the link too");

    let detail = item_steps(&f.store, f.case_id, f.email).unwrap();
    assert_eq!(detail.steps.len(), 1);
    let shown = &detail.steps[0];
    assert!(shown.linked);
    assert_eq!(shown.recipient_name, "Lucky Lagoon Casino (demo)", "the casino goes by its name");
    assert_eq!(
        (shown.step.id, shown.step.kind, shown.step.on.to_string()),
        (step.id, StepKind::Sent, "2026-03-18".into())
    );
    let other = item_steps(&f.store, f.case_id, f.screenshot).unwrap();
    assert!(!other.steps[0].linked, "an item not linked is offered, unticked");

    let timeline = crate::timeline::case_timeline(&f.store, f.case_id, now(), "en").unwrap();
    let event = timeline.events.iter().find(|e| e.key == format!("ladder-{}", step.id)).unwrap();
    assert_eq!(event.evidence.iter().map(|i| i.id).collect::<Vec<_>>(), [f.email]);
    let row = timeline.rows().into_iter().find(|r| r.what.starts_with("Wrote to")).unwrap();
    assert_eq!(row.exhibits, [f.email], "the package's timeline names the email's exhibit");
}

#[test]
fn link_and_unlink_change_only_that_link_and_linking_twice_is_harmless() {
    let mut f = fixture();
    let view = record_step(&mut f.store, f.case_id, &sent("2026-03-18", vec![]), now(), "en").unwrap();
    let step_id = view.history[0].id;
    assert!(view.history[0].evidence.is_empty());

    link_step_evidence(&mut f.store, f.case_id, step_id, f.screenshot).unwrap();
    link_step_evidence(&mut f.store, f.case_id, step_id, f.email).unwrap();
    link_step_evidence(&mut f.store, f.case_id, step_id, f.email).unwrap();
    let steps = f.store.ladder_steps(f.case_id).unwrap();
    assert_eq!(ids(&steps[0]), [f.email, f.screenshot], "each item once, in item order");

    unlink_step_evidence(&mut f.store, f.case_id, step_id, f.email).unwrap();
    assert_eq!(ids(&f.store.ladder_steps(f.case_id).unwrap()[0]), [f.screenshot]);
    // Unlinking what is not linked changes nothing.
    unlink_step_evidence(&mut f.store, f.case_id, step_id, f.email).unwrap();
    assert_eq!(ids(&f.store.ladder_steps(f.case_id).unwrap()[0]), [f.screenshot]);
    assert!(!item_steps(&f.store, f.case_id, f.email).unwrap().steps[0].linked);
    assert!(item_steps(&f.store, f.case_id, f.screenshot).unwrap().steps[0].linked);
}

#[test]
fn a_step_or_an_item_of_another_case_is_refused_and_nothing_is_written() {
    let mut f = fixture();
    let other_case = f.store.create_case(&crate::demo::demo_input(now()), now()).unwrap().id;
    let foreign_item = import(&mut f, other_case, "other.txt", b"Another case's note");
    let foreign_step =
        record_step(&mut f.store, other_case, &sent("2026-03-17", vec![]), now(), "en").unwrap().history[0]
            .id;
    let step_id =
        record_step(&mut f.store, f.case_id, &sent("2026-03-18", vec![]), now(), "en").unwrap().history[0].id;

    let error = link_step_evidence(&mut f.store, f.case_id, foreign_step, f.email).unwrap_err();
    assert!(
        matches!(&error, CoreError::Refused(m) if m.contains(&format!("has no ladder step {foreign_step}"))),
        "{error}"
    );
    let error = link_step_evidence(&mut f.store, f.case_id, 999, f.email).unwrap_err();
    assert!(error.to_string().contains("has no ladder step 999"), "{error}");
    let error = link_step_evidence(&mut f.store, f.case_id, step_id, foreign_item).unwrap_err();
    assert!(matches!(error, CoreError::EvidenceNotFound(id) if id == foreign_item), "{error}");
    let error = unlink_step_evidence(&mut f.store, f.case_id, step_id, 999).unwrap_err();
    assert!(matches!(error, CoreError::EvidenceNotFound(999)), "{error}");
    assert!(matches!(
        link_step_evidence(&mut f.store, 4242, step_id, f.email).unwrap_err(),
        CoreError::CaseNotFound(4242)
    ));
    assert!(matches!(
        item_steps(&f.store, f.case_id, foreign_item).unwrap_err(),
        CoreError::EvidenceNotFound(_)
    ));

    // Recording with an item of another case refuses the whole step.
    let before = f.store.ladder_steps(f.case_id).unwrap().len();
    let error =
        record_step(&mut f.store, f.case_id, &sent("2026-03-19", vec![f.email, foreign_item]), now(), "en")
            .unwrap_err();
    assert!(error.to_string().contains(&format!("no evidence item {foreign_item}")), "{error}");
    assert_eq!(f.store.ladder_steps(f.case_id).unwrap().len(), before, "the refused step was written");
    assert!(f.store.ladder_steps(f.case_id).unwrap().iter().all(|s| s.evidence.is_empty()));
}

#[test]
fn links_go_with_their_step_or_their_item() {
    let mut f = fixture();
    let both = vec![f.email, f.screenshot];
    let first = record_step(&mut f.store, f.case_id, &sent("2026-03-10", both.clone()), now(), "en").unwrap();
    let first_id = first.history[0].id;
    let second = record_step(&mut f.store, f.case_id, &sent("2026-03-18", both), now(), "en").unwrap();
    assert_eq!(second.history.len(), 2);

    f.store.delete_ladder_step(f.case_id, first_id).unwrap();
    let detail = item_steps(&f.store, f.case_id, f.email).unwrap();
    assert_eq!(detail.steps.len(), 1, "the deleted step is gone from the item's detail");
    assert!(detail.steps[0].linked);

    locker::delete_item(&f.store, &f.home, f.case_id, f.email, now()).unwrap();
    let steps = f.store.ladder_steps(f.case_id).unwrap();
    assert_eq!(ids(&steps[0]), [f.screenshot], "the deleted item is gone from the step");
    let left: i64 =
        f.store.conn.query_row("SELECT COUNT(*) FROM ladder_step_evidence", [], |r| r.get(0)).unwrap();
    assert_eq!(left, 1);
}
