//! The timeline against a real SQLite file with real imported evidence: merge and order, zones,
//! validation, links, and links that go when their item goes.

use std::fs;

use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::case::CaseField;
use crate::error::{CoreError, FieldProblem};
use crate::home::DataHome;
use crate::ladder::{self, Channel, ReplyOutcome, StepInput, StepKind};
use crate::locker::{self, ImportOutcome, vault};

fn now() -> DateTime<Utc> {
    // 23:30 UTC is already the next day in Berlin.
    Utc.with_ymd_and_hms(2026, 11, 21, 23, 30, 0).unwrap()
}

const EMAIL: &str = "From: Lucky Support <support@lucky.example>\r\n\
To: player@example.org\r\n\
Subject: Your withdrawal request W-2291\r\n\
Date: Mon, 02 Nov 2026 23:15:00 +0000\r\n\
Message-ID: <w2291@lucky.example>\r\n\
\r\n\
Your withdrawal is under review.\r\n";

const CHAT: &str = "[2026-11-03 10:01] Agent: Your withdrawal is with our finance team.\n\
[2026-11-04 09:00] Me: Any news?\n\
[2026-11-04 09:05] Agent: Not yet.\n";

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    case_id: i64,
    email: i64,
    chat: i64,
}

fn added(outcomes: &[ImportOutcome]) -> Vec<i64> {
    outcomes
        .iter()
        .filter_map(|o| match o {
            ImportOutcome::Added { item, .. } => Some(item.id),
            _ => None,
        })
        .collect()
}

/// A case in Berlin with two ladder steps, an email and a chat transcript in its locker.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let home = DataHome::at(dir.path().join("data"));
    let key = vault::create_with_passphrase(&home, "correct horse battery", now()).unwrap();
    let mut store = Store::open_home(&home, &key.database_key()).unwrap();
    let mut input = crate::demo::demo_input(now());
    input.account_opened = "2026-09-01".into();
    input.first_deposit = "2026-09-02".into();
    input.withdrawal_requested = "2026-10-30".into();
    let case_id = store.create_case(&input, now()).unwrap().id;
    let step = |on: &str, kind, outcome| StepInput {
        recipient_id: "casino-support".into(),
        kind,
        channel: Some(Channel::Email),
        on: on.into(),
        reference: "TKT-1".into(),
        summary: "Formal complaint".into(),
        outcome,
        milestone: None,
        evidence: Vec::new(),
    };
    ladder::record_step(&mut store, case_id, &step("2026-11-05", StepKind::Sent, None), now(), "en").unwrap();
    ladder::record_step(
        &mut store,
        case_id,
        &step("2026-11-10", StepKind::Reply, Some(ReplyOutcome::FinalResponse)),
        now(),
        "en",
    )
    .unwrap();
    let email = dir.path().join("refusal.eml");
    fs::write(&email, EMAIL).unwrap();
    let chat = dir.path().join("chat.txt");
    fs::write(&chat, CHAT).unwrap();
    let ids = added(&locker::import_files(&mut store, &home, &key, case_id, &[email, chat], now()).unwrap());
    assert_eq!(ids.len(), 2);
    Fixture { _dir: dir, store, case_id, email: ids[0], chat: ids[1] }
}

fn entry(date: &str, kind: &str, title: &str) -> EventInput {
    EventInput { date: date.into(), kind: kind.into(), title: title.into(), ..EventInput::default() }
}

fn keys(timeline: &Timeline) -> Vec<String> {
    timeline.events.iter().map(|e| format!("{} {}", e.date, e.key)).collect()
}

#[test]
fn derived_and_player_events_merge_in_date_order_with_their_sources() {
    let mut f = fixture();
    let mut docs = entry("2026-11-03", "documents_sent", "Sent passport and utility bill");
    docs.time = "08:30".into();
    docs.evidence = vec![f.email];
    let docs_id = add_event(&mut f.store, f.case_id, &docs, now()).unwrap();
    add_event(&mut f.store, f.case_id, &entry("2026-11-03", "other", "Called the bank"), now()).unwrap();

    let timeline = case_timeline(&f.store, f.case_id, now(), "en").unwrap();
    assert_eq!(
        keys(&timeline),
        [
            "2026-09-01 case-account-opened",
            "2026-09-02 case-first-deposit",
            "2026-10-30 case-withdrawal-requested",
            // 23:15 UTC on 2 November is 00:15 on 3 November in Berlin.
            format!("2026-11-03 player-{}", docs_id + 1).as_str(),
            format!("2026-11-03 locker-{}", f.email).as_str(),
            format!("2026-11-03 player-{docs_id}").as_str(),
            format!("2026-11-03 locker-{}", f.chat).as_str(),
            "2026-11-05 ladder-1",
            "2026-11-10 ladder-2",
        ]
    );
    let by_key = |key: &str| timeline.events.iter().find(|e| e.key == key).unwrap();
    let email = by_key(&format!("locker-{}", f.email));
    assert_eq!((email.source, email.kind), (EventSource::Locker, EventKind::Email));
    assert_eq!(email.title, "Email: Your withdrawal request W-2291");
    assert_eq!(email.time.unwrap().to_string(), "00:15:00");
    assert_eq!(email.time_basis, Some(TimeBasis::PlayerZone));
    assert_eq!(email.evidence.iter().map(|i| i.id).collect::<Vec<_>>(), [f.email]);

    let chat = by_key(&format!("locker-{}", f.chat));
    assert_eq!(chat.title, "Chat transcript: chat.txt (3 messages)");
    assert_eq!(
        (chat.time.unwrap().to_string().as_str(), chat.until),
        ("10:01:00", NaiveDate::from_ymd_opt(2026, 11, 4))
    );
    assert_eq!(chat.time_basis, Some(TimeBasis::AsWritten));

    let sent = by_key("ladder-1");
    assert_eq!((sent.source, sent.kind, sent.entry_id), (EventSource::Ladder, EventKind::Complaint, None));
    assert_eq!(sent.title, "Wrote to Lucky Lagoon Casino (demo) (email)");
    assert_eq!(sent.detail, "TKT-1 — Formal complaint");
    assert_eq!(by_key("ladder-2").title, "Reply from Lucky Lagoon Casino (demo): final response");
    assert_eq!(by_key("case-withdrawal-requested").title, "Withdrawal of EUR 2,350.00 requested");

    let mine = by_key(&format!("player-{docs_id}"));
    assert_eq!(
        (mine.source, mine.kind, mine.entry_id),
        (EventSource::Player, EventKind::DocumentsSent, Some(docs_id))
    );
    assert_eq!(mine.evidence[0].title, "refusal.eml");
    assert_eq!((timeline.time_zone.as_str(), timeline.zone_known), ("Europe/Berlin", true));
    assert_eq!(timeline.today.to_string(), "2026-11-22");

    let rows = timeline.rows();
    assert_eq!(rows[3].what, "Called the bank");
    assert_eq!(rows[5].what, "08:30 Sent passport and utility bill");
    assert_eq!(rows[5].exhibits, [f.email]);
}

#[test]
fn without_a_zone_instants_are_shown_in_utc_and_say_so() {
    let f = fixture();
    f.store.conn.execute("UPDATE cases SET player_time_zone = NULL", []).unwrap();
    let timeline = case_timeline(&f.store, f.case_id, now(), "en").unwrap();
    let email = timeline.events.iter().find(|e| e.key == format!("locker-{}", f.email)).unwrap();
    assert_eq!(
        (email.date.to_string().as_str(), email.time.unwrap().to_string().as_str()),
        ("2026-11-02", "23:15:00")
    );
    assert_eq!((timeline.time_zone.as_str(), timeline.zone_known), ("UTC", false));
}

fn problems(error: CoreError) -> Vec<(CaseField, FieldProblem)> {
    match error {
        CoreError::Invalid(fields) => fields.into_iter().map(|f| (f.field, f.problem)).collect(),
        other => panic!("expected field errors, got {other}"),
    }
}

#[test]
fn entries_are_checked_field_by_field_and_nothing_is_written_when_one_is_wrong() {
    let mut f = fixture();
    let empty = add_event(&mut f.store, f.case_id, &EventInput::default(), now()).unwrap_err();
    assert_eq!(
        problems(empty),
        [
            (CaseField::EventDate, FieldProblem::Required),
            (CaseField::EventKind, FieldProblem::KindUnknown),
            (CaseField::EventTitle, FieldProblem::Required)
        ]
    );
    // Today in Berlin is 22 November although it is still the 21st in UTC; the 23rd is the future.
    let future = add_event(&mut f.store, f.case_id, &entry("2026-11-23", "deposit", "x"), now()).unwrap_err();
    assert_eq!(problems(future), [(CaseField::EventDate, FieldProblem::DateInFuture)]);
    add_event(&mut f.store, f.case_id, &entry("2026-11-22", "deposit", "Deposit of €50"), now()).unwrap();
    let mut later_today = entry("2026-11-22", "deposit", "x");
    later_today.time = "09:00".into();
    assert_eq!(
        problems(add_event(&mut f.store, f.case_id, &later_today, now()).unwrap_err()),
        [(CaseField::EventTime, FieldProblem::DateInFuture)]
    );
    let mut bad = entry("31.12.2025", "payout", "ok");
    bad.time = "25:99".into();
    bad.evidence = vec![9999];
    assert_eq!(
        problems(add_event(&mut f.store, f.case_id, &bad, now()).unwrap_err()),
        [
            (CaseField::EventDate, FieldProblem::DateUnreadable),
            (CaseField::EventTime, FieldProblem::TimeUnreadable),
            (CaseField::EventKind, FieldProblem::KindUnknown),
            (CaseField::EventEvidence, FieldProblem::EvidenceUnknown)
        ]
    );
    let players = |f: &Fixture| {
        case_timeline(&f.store, f.case_id, now(), "en")
            .unwrap()
            .events
            .into_iter()
            .filter(|e| e.entry_id.is_some())
            .count()
    };
    assert_eq!(players(&f), 1, "only the valid entry was written");
    assert!(matches!(
        add_event(&mut f.store, 999, &entry("2026-11-01", "deposit", "x"), now()),
        Err(CoreError::CaseNotFound(999))
    ));
}

#[test]
fn an_entry_is_edited_relinked_and_deleted() {
    let mut f = fixture();
    let mut input = entry("2026-11-01", "withdrawal-request", "Asked for €2,350");
    input.evidence = vec![f.email];
    let id = add_event(&mut f.store, f.case_id, &input, now()).unwrap();
    let mine = |f: &Fixture| {
        case_timeline(&f.store, f.case_id, now(), "en")
            .unwrap()
            .events
            .into_iter()
            .find(|e| e.entry_id == Some(id))
    };
    assert_eq!(mine(&f).unwrap().kind, EventKind::WithdrawalRequest, "a dash is read as an underscore");

    let mut edited = entry("2026-11-02", "complaint", "Complained by email");
    edited.note = "  Asked for a final answer in 7 days.  ".into();
    edited.evidence = vec![f.chat];
    update_event(&mut f.store, f.case_id, id, &edited, now()).unwrap();
    let event = mine(&f).unwrap();
    assert_eq!(
        (event.date.to_string().as_str(), event.kind, event.title.as_str()),
        ("2026-11-02", EventKind::Complaint, "Complained by email")
    );
    assert_eq!(event.detail, "Asked for a final answer in 7 days.");
    assert_eq!(event.evidence.iter().map(|i| i.id).collect::<Vec<_>>(), [f.chat]);

    link_event_evidence(&mut f.store, f.case_id, id, f.email).unwrap();
    link_event_evidence(&mut f.store, f.case_id, id, f.email).unwrap();
    assert_eq!(mine(&f).unwrap().evidence.iter().map(|i| i.id).collect::<Vec<_>>(), [f.email, f.chat]);
    unlink_event_evidence(&mut f.store, f.case_id, id, f.chat).unwrap();
    assert_eq!(mine(&f).unwrap().evidence.iter().map(|i| i.id).collect::<Vec<_>>(), [f.email]);
    assert!(matches!(
        link_event_evidence(&mut f.store, f.case_id, id, 4242),
        Err(CoreError::EvidenceNotFound(4242))
    ));

    delete_event(&mut f.store, f.case_id, id).unwrap();
    assert!(mine(&f).is_none());
    let again = delete_event(&mut f.store, f.case_id, id).unwrap_err().to_string();
    assert!(again.contains(&format!("no timeline entry {id}")), "{again}");
}

#[test]
fn removing_an_evidence_item_removes_its_links_and_coverage() {
    let mut f = fixture();
    let mut input = entry("2026-11-01", "reply", "Casino answered");
    input.evidence = vec![f.email, f.chat];
    let id = add_event(&mut f.store, f.case_id, &input, now()).unwrap();
    cover_checklist_entry(&mut f.store, f.case_id, f.email, "documents-sent-receipts", now()).unwrap();
    // Items have no delete command yet; the schema must still clean up after one.
    f.store.conn.execute("DELETE FROM evidence_items WHERE id = ?1", [f.email]).unwrap();
    let timeline = case_timeline(&f.store, f.case_id, now(), "en").unwrap();
    let event = timeline.events.iter().find(|e| e.entry_id == Some(id)).unwrap();
    assert_eq!(event.evidence.iter().map(|i| i.id).collect::<Vec<_>>(), [f.chat]);
    assert!(f.store.checklist_coverage(f.case_id).unwrap().is_empty());
}

#[test]
fn an_item_covering_a_checklist_entry_ticks_the_weak_point() {
    let mut f = fixture();
    // The demo's triage: a pending withdrawal held up by verification.
    crate::triage::answer_all(&mut f.store, f.case_id, crate::demo::demo_answers(now()), now(), "en")
        .unwrap();
    let before = item_coverage(&f.store, f.case_id, f.email, now(), "en").unwrap();
    let option = before.options.iter().find(|o| o.checklist_id == "verification-request-date").unwrap();
    assert!(!option.covered_by_this);
    assert!(!option.weak_point.is_empty());

    cover_checklist_entry(&mut f.store, f.case_id, f.email, "verification-request-date", now()).unwrap();
    let view = crate::triage::view(&f.store, f.case_id, now(), "en").unwrap();
    let entry = view
        .weak_points
        .iter()
        .flat_map(|w| &w.evidence)
        .find(|e| e.id == "verification-request-date")
        .unwrap();
    assert!(entry.covered);
    assert_eq!(entry.covered_by.iter().map(|c| c.title.as_str()).collect::<Vec<_>>(), ["refusal.eml"]);
    let after = item_coverage(&f.store, f.case_id, f.email, now(), "en").unwrap();
    assert!(after.options.iter().any(|o| o.checklist_id == "verification-request-date" && o.covered_by_this));

    let unknown = cover_checklist_entry(&mut f.store, f.case_id, f.email, "a-selfie", now()).unwrap_err();
    assert!(unknown.to_string().contains("not an entry of the weak-points checklist"), "{unknown}");
    uncover_checklist_entry(&mut f.store, f.case_id, f.email, "verification-request-date").unwrap();
    let view = crate::triage::view(&f.store, f.case_id, now(), "en").unwrap();
    let entry = view
        .weak_points
        .iter()
        .flat_map(|w| &w.evidence)
        .find(|e| e.id == "verification-request-date")
        .unwrap();
    assert!(!entry.covered && entry.covered_by.is_empty());
}
