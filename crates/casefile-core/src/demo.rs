//! The demo case a newcomer can open on first launch: a withdrawal delayed for weeks at a fictional
//! Curaçao-licensed casino, so every screen has something real to show.

use chrono::{DateTime, Days, Utc};

use crate::case::{Case, CaseInput, ProblemCategory};
use crate::error::{CoreError, CoreResult};
use crate::ladder::{self, Channel, StepInput, StepKind};
use crate::storage::Store;
use crate::timeline::{self, EventInput};
use crate::triage::{self, AnswerInput};

const DEMO_OFFERED_KEY: &str = "demo_offered";

/// The demo's form, with dates counted back from `now` so its clocks are always running.
pub fn demo_input(now: DateTime<Utc>) -> CaseInput {
    let today = now.date_naive();
    let days_ago = |days| today.checked_sub_days(Days::new(days)).unwrap_or(today).to_string();
    CaseInput {
        title: "Withdrawal of €2,350 pending for three weeks".into(),
        // Fictional: the .example domain can never belong to a real casino.
        casino_name: "Lucky Lagoon Casino (demo)".into(),
        casino_website: "luckylagoon.example".into(),
        licensee: "Lagoon Digital N.V. (fictional)".into(),
        regulator: "curacao-cga".into(),
        licence_number: "DEMO-0000".into(),
        named_adr: String::new(),
        account_id: "player-48213".into(),
        player_country: "DE".into(),
        player_time_zone: "Europe/Berlin".into(),
        amount: "2350.00".into(),
        currency: "EUR".into(),
        category: Some(ProblemCategory::Withdrawal),
        account_opened: days_ago(120),
        first_deposit: days_ago(118),
        withdrawal_requested: days_ago(21),
        description: "I requested a withdrawal of €2,350 by bank transfer. The casino first said it would \
take 3–5 business days. After a week support asked for a new proof of address, which I sent the same day. \
Since then live chat only says the payment is \"with the finance team\". My account was verified when I \
deposited and nobody has said anything is wrong with it. I want the €2,350 paid to my bank account."
            .into(),
    }
}

/// The demo's completed triage: a pending first withdrawal held up by a repeated document request.
pub(crate) fn demo_answers(now: DateTime<Utc>) -> Vec<(String, AnswerInput)> {
    let days_ago =
        |days| now.date_naive().checked_sub_days(Days::new(days)).unwrap_or(now.date_naive()).to_string();
    let yes_no = |yes: bool| if yes { AnswerInput::Yes } else { AnswerInput::No };
    let mut answers = vec![
        ("has-account", yes_no(true)),
        ("can-log-in", yes_no(true)),
        ("withdrawal-status", AnswerInput::Choice("pending".into())),
        ("bonus-played", yes_no(false)),
        ("previous-deposit", yes_no(true)),
        ("withdrawn-before", yes_no(false)),
        ("casino-communicates", yes_no(true)),
        ("casino-reason", AnswerInput::Choices(vec!["verification".into()])),
        ("fu-account-verified", yes_no(true)),
        ("fu-payment-method", AnswerInput::Choice("bank-transfer".into())),
        ("fu-deposit-method", AnswerInput::Choice("bank-transfer".into())),
        ("fu-all-documents-sent", yes_no(true)),
        ("fu-documents-visible", yes_no(true)),
        ("fu-verification-first-asked", AnswerInput::Date(days_ago(14))),
        ("fu-documents-asked-again", yes_no(true)),
    ];
    for question in [
        "elig-sports-betting",
        "elig-offensive-language",
        "elig-land-based-or-social",
        "elig-third-party",
        "elig-cybercrime",
        "elig-affiliate-deal",
        "elig-provider-complaint",
        "elig-about-complaint-service",
        "elig-banned-from-portal",
    ] {
        answers.push((question, yes_no(false)));
    }
    answers.into_iter().map(|(question, answer)| (question.to_owned(), answer)).collect()
}

/// The demo's ladder so far: a live chat, then a formal complaint by email still waiting for its
/// answer, so the reply window and the Curaçao 4-week wait are running.
fn demo_steps(now: DateTime<Utc>) -> Vec<StepInput> {
    let days_ago =
        |days| now.date_naive().checked_sub_days(Days::new(days)).unwrap_or(now.date_naive()).to_string();
    let sent = |days, channel, reference: &str, summary: &str| StepInput {
        recipient_id: "casino-support".into(),
        kind: StepKind::Sent,
        channel: Some(channel),
        on: days_ago(days),
        reference: reference.into(),
        summary: summary.into(),
        outcome: None,
        milestone: None,
    };
    vec![
        sent(
            12,
            Channel::LiveChat,
            "chat 55812",
            "Asked why the withdrawal is still pending; told finance is checking.",
        ),
        sent(
            5,
            Channel::Email,
            "TKT-20931",
            "Formal written complaint: asked for payment within 7 days or a final response.",
        ),
    ]
}

/// The player's own timeline entries: what they did around the withdrawal, in their words.
fn demo_events(now: DateTime<Utc>) -> Vec<EventInput> {
    let days_ago =
        |days| now.date_naive().checked_sub_days(Days::new(days)).unwrap_or(now.date_naive()).to_string();
    let event = |days, time: &str, kind: &str, title: &str, note: &str| EventInput {
        date: days_ago(days),
        time: time.into(),
        kind: kind.into(),
        title: title.into(),
        note: note.into(),
        evidence: Vec::new(),
    };
    vec![
        event(
            30,
            "",
            "deposit",
            "Deposited €200 by bank transfer",
            "Reference LL-DEP-7781 on my bank statement.",
        ),
        event(
            21,
            "19:42",
            "withdrawal_request",
            "Asked to withdraw €2,350 to my bank account",
            "The cashier said bank transfers take 3–5 business days.",
        ),
        event(
            14,
            "10:05",
            "documents_sent",
            "Sent a new proof of address by email",
            "Utility bill from September, as support asked. Sent the same day they asked.",
        ),
    ]
}

/// Creates the demo case with its triage answered, and remembers that it was offered.
pub fn create_demo_case(store: &mut Store, now: DateTime<Utc>) -> CoreResult<Case> {
    let valid = demo_input(now).validate(now.date_naive()).map_err(CoreError::Invalid)?;
    let case = store.insert_case(&valid, true, now)?;
    triage::answer_all(store, case.id, demo_answers(now), now, "en")?;
    store.set_evidence_checked(case.id, "documents-sent-receipts", true, now)?;
    for step in demo_steps(now) {
        ladder::record_step(store, case.id, &step, now, "en")?;
    }
    for event in demo_events(now) {
        timeline::add_event(store, case.id, &event, now)?;
    }
    store.set_meta(DEMO_OFFERED_KEY, "created")?;
    Ok(case)
}

/// Whether the first-launch screen should offer the demo: the folder has no cases and the person has
/// not already taken or declined it.
pub fn should_offer_demo(store: &Store) -> CoreResult<bool> {
    Ok(store.count_cases()? == 0 && store.meta(DEMO_OFFERED_KEY)?.is_none())
}

/// Records that the person chose to start without the demo.
pub fn decline_demo(store: &mut Store) -> CoreResult<()> {
    store.set_meta(DEMO_OFFERED_KEY, "declined")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn demo_is_offered_once_and_is_valid() {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        assert!(should_offer_demo(&store).unwrap());
        let case = create_demo_case(&mut store, now).unwrap();
        assert!(case.is_demo);
        assert_eq!(case.casino.regulator.as_deref(), Some("curacao-cga"));
        assert_eq!(case.disputed.display(), "EUR 2,350.00");
        assert_eq!(case.key_dates.withdrawal_requested.unwrap().to_string(), "2026-10-31");
        let timeline = timeline::case_timeline(&store, case.id, now, "en").unwrap();
        let mine: Vec<&str> =
            timeline.events.iter().filter(|e| e.entry_id.is_some()).map(|e| e.title.as_str()).collect();
        assert_eq!(
            mine,
            [
                "Deposited €200 by bank transfer",
                "Asked to withdraw €2,350 to my bank account",
                "Sent a new proof of address by email"
            ]
        );
        store.delete_case(case.id).unwrap();
        assert!(!should_offer_demo(&store).unwrap(), "not offered again after it was taken");
    }

    #[test]
    fn declining_hides_the_offer() {
        let mut store = Store::open_in_memory().unwrap();
        decline_demo(&mut store).unwrap();
        assert!(!should_offer_demo(&store).unwrap());
    }
}
