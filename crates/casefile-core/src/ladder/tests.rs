//! Table tests of the ladder and its clocks with a fixed "today".

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate, TimeZone, Utc};

use super::engine::LadderInputs;
use super::*;
use crate::case::{Case, CaseInput, ProblemCategory};
use crate::storage::Store;
use crate::triage::Answer;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn case_with(regulator: &str, country: &str, named_adr: &str) -> Case {
    let input = CaseInput {
        title: "Withdrawal stuck".into(),
        casino_name: "Lucky Lagoon".into(),
        amount: "2350".into(),
        currency: "GBP".into(),
        category: Some(ProblemCategory::Withdrawal),
        regulator: regulator.into(),
        player_country: country.into(),
        named_adr: named_adr.into(),
        withdrawal_requested: "2026-03-01".into(),
        first_deposit: "2026-02-20".into(),
        ..CaseInput::default()
    };
    let mut store = Store::open_in_memory().unwrap();
    store.create_case(&input, Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()).unwrap()
}

struct Scenario {
    case: Case,
    answers: BTreeMap<String, Answer>,
    steps: Vec<StepRecord>,
    skips: BTreeMap<String, String>,
}

impl Scenario {
    fn new(regulator: &str, country: &str, named_adr: &str) -> Scenario {
        Scenario {
            case: case_with(regulator, country, named_adr),
            answers: BTreeMap::new(),
            steps: Vec::new(),
            skips: BTreeMap::new(),
        }
    }

    fn deposit_by(mut self, method: &str) -> Scenario {
        self.answers.insert("fu-deposit-method".into(), Answer::Choice(method.into()));
        self
    }

    fn step(
        mut self,
        recipient: &str,
        kind: StepKind,
        on: &str,
        channel: Option<Channel>,
        outcome: Option<ReplyOutcome>,
    ) -> Scenario {
        let id = self.steps.len() as i64 + 1;
        self.steps.push(StepRecord {
            id,
            recipient_id: recipient.into(),
            kind,
            channel,
            on: date(on),
            reference: String::new(),
            summary: String::new(),
            outcome,
            milestone: None,
            evidence: Vec::new(),
        });
        self
    }

    fn sent(self, recipient: &str, on: &str) -> Scenario {
        self.step(recipient, StepKind::Sent, on, Some(Channel::Email), None)
    }

    fn reply(self, recipient: &str, on: &str, outcome: ReplyOutcome) -> Scenario {
        self.step(recipient, StepKind::Reply, on, Some(Channel::Email), Some(outcome))
    }

    fn milestone(mut self, milestone: &str, on: &str) -> Scenario {
        self = self.step("casino-support", StepKind::Milestone, on, None, None);
        self.steps.last_mut().unwrap().milestone = Some(milestone.into());
        self
    }

    fn on(&self, today: &str) -> LadderView {
        let inputs = LadderInputs {
            case: &self.case,
            answers: &self.answers,
            steps: &self.steps,
            skips: &self.skips,
            today: date(today),
        };
        evaluate(shipped_directory(), shipped_clocks(), crate::text::shipped("en"), &inputs)
    }
}

fn rung<'a>(view: &'a LadderView, id: &str) -> &'a Rung {
    view.rungs.iter().find(|r| r.recipient_id == id).unwrap_or_else(|| {
        panic!("no rung {id}; rungs: {:?}", view.rungs.iter().map(|r| &r.recipient_id).collect::<Vec<_>>())
    })
}

fn clock<'a>(view: &'a LadderView, id: &str) -> Option<&'a ClockView> {
    view.clocks.iter().chain(view.rungs.iter().flat_map(|r| &r.clocks)).find(|c| c.id == id)
}

#[test]
fn every_rule_of_section_6_is_in_the_clock_file() {
    let rules: BTreeSet<u8> = shipped_clocks().clocks.iter().map(|c| c.rule).collect();
    for rule in 1..=28 {
        assert!(rules.contains(&rule), "rule {rule} of domain-facts §6 has no clock");
    }
    assert!(rules.contains(&0), "document 002's clocks");
}

#[test]
fn every_dated_clock_counts_its_length_from_its_start() {
    let start = date("2026-01-31");
    for rule in shipped_clocks().clocks.iter().filter(|c| c.kind != ClockKind::Rule) {
        let end = rule.length.after(start).unwrap_or_else(|| panic!("{} overflows", rule.id));
        assert!(end > start, "{} must end after it starts", rule.id);
    }
}

#[test]
fn the_ladder_starts_with_the_casino_in_writing() {
    let view = Scenario::new("ukgc", "GB", "").on("2026-03-02");
    assert_eq!(view.rungs[0].recipient_id, "casino-support");
    assert_eq!(view.rungs[0].status, RungStatus::Ready);
    assert_eq!(view.next.as_ref().unwrap().recipient_id.as_deref(), Some("casino-support"));
    let regulator = rung(&view, "ukgc");
    assert_eq!(regulator.status, RungStatus::NotStarted);
    assert!(regulator.why.iter().any(|w| w.contains("in writing")), "{:?}", regulator.why);
    assert!(regulator.optional, "the UKGC does not settle disputes: a report beside the main route");
}

#[test]
fn a_ukgc_case_reaches_adr_on_day_56_not_day_55() {
    let scenario = Scenario::new("ukgc", "GB", "IBAS").sent("casino-support", "2026-03-02");
    let day_55 = scenario.on("2026-04-26");
    let ibas = rung(&day_55, "ibas");
    assert_eq!(ibas.status, RungStatus::NotStarted);
    assert_eq!(ibas.blocked_until, Some(date("2026-04-27")));
    assert!(ibas.why.iter().any(|w| w.contains("not before 27 April 2026")), "{:?}", ibas.why);
    let day_56 = scenario.on("2026-04-27");
    assert_eq!(rung(&day_56, "ibas").status, RungStatus::Ready);
    let next = day_56.next.as_ref().unwrap();
    assert_eq!(next.recipient_id.as_deref(), Some("ibas"));
    assert_eq!(
        next.text,
        "Lucky Lagoon has not answered since 9 March 2026: go to Independent Betting Adjudication Service (IBAS)."
    );
}

#[test]
fn a_deadlock_letter_opens_adr_before_8_weeks() {
    let view = Scenario::new("ukgc", "GB", "IBAS")
        .sent("casino-support", "2026-03-02")
        .reply("casino-support", "2026-03-10", ReplyOutcome::FinalResponse)
        .on("2026-03-11");
    assert_eq!(rung(&view, "casino-support").status, RungStatus::Closed);
    assert_eq!(rung(&view, "ibas").status, RungStatus::Ready);
    assert_eq!(clock(&view, "ukgc-adr-after-8-weeks").unwrap().state, ClockState::EndedEarly);
    let ecogra_deadline = view.clocks.iter().find(|c| c.id == "ecogra-within-1-year").unwrap();
    assert_eq!(ecogra_deadline.date, Some(date("2027-03-10")));
}

#[test]
fn a_curacao_case_gets_the_4_week_rule_and_8_with_an_extension() {
    let scenario = Scenario::new("curacao-cga", "DE", "").sent("casino-support", "2026-03-02");
    let view = scenario.on("2026-03-29");
    let wait = clock(&view, "curacao-adr-after-4-weeks").unwrap();
    assert_eq!(wait.date, Some(date("2026-03-30")));
    assert_eq!(wait.state, ClockState::Running);
    assert_eq!(clock(&view, "curacao-acknowledge-7-days").unwrap().date, Some(date("2026-03-09")));
    assert!(
        view.clocks
            .iter()
            .any(|c| c.id == "curacao-complain-within-6-months" && c.date == Some(date("2026-09-01")))
    );

    let extended = scenario.milestone("operator-extension-notice", "2026-03-20").on("2026-04-01");
    assert_eq!(clock(&extended, "curacao-adr-after-4-weeks").unwrap().state, ClockState::EndedEarly);
    assert_eq!(clock(&extended, "curacao-adr-after-extension").unwrap().date, Some(date("2026-04-17")));
}

#[test]
fn a_crypto_deposit_never_gets_a_chargeback_step() {
    let view = Scenario::new("curacao-cga", "DE", "")
        .deposit_by("crypto")
        .sent("casino-support", "2026-03-02")
        .on("2026-06-01");
    for payment in view.rungs.iter().filter(|r| r.kind == RecipientKind::Payment) {
        assert_eq!(payment.status, RungStatus::NotApplicable, "{}", payment.recipient_id);
        assert!(payment.why.iter().any(|w| w.contains("no chargeback")), "{:?}", payment.why);
    }
    assert!(view.next.unwrap().recipient_id.as_deref() != Some("crypto"));
}

#[test]
fn a_card_deposit_offers_chargebacks_last_with_their_warning() {
    let view = Scenario::new("curacao-cga", "DE", "")
        .deposit_by("card")
        .sent("casino-support", "2026-03-02")
        .on("2026-04-15");
    let visa = rung(&view, "visa-chargeback");
    assert_eq!(visa.status, RungStatus::NotStarted, "ADR or a portal comes first");
    assert!(visa.why.iter().any(|w| w.contains("freeze")), "{:?}", visa.why);
    assert!(visa.why.iter().any(|w| w.contains("unavailable or has finished")), "{:?}", visa.why);
    let deadline = clock(&view, "visa-13-1-within-120-days").unwrap();
    assert_eq!(deadline.date, Some(date("2026-06-20")));
}

#[test]
fn one_adr_body_or_portal_at_a_time() {
    let view = Scenario::new("curacao-cga", "DE", "")
        .sent("casino-support", "2026-03-02")
        .sent("casino-guru", "2026-04-05")
        .on("2026-04-10");
    assert_eq!(rung(&view, "casino-guru").status, RungStatus::AwaitingReply);
    let other = rung(&view, "thepogg");
    assert_eq!(other.status, RungStatus::NotStarted);
    assert!(other.why.iter().any(|w| w.contains("one ADR body or portal at a time")), "{:?}", other.why);
}

#[test]
fn a_silent_casino_gets_a_reminder_after_7_days() {
    let scenario = Scenario::new("mga", "MT", "").sent("casino-support", "2026-03-02");
    let on_time = scenario.on("2026-03-09");
    assert!(!on_time.next.as_ref().unwrap().overdue);
    let late = scenario.on("2026-03-10");
    let next = late.next.unwrap();
    assert!(next.overdue);
    assert!(next.text.contains("has not answered by 9 March 2026"), "{}", next.text);
}

#[test]
fn the_named_adr_replaces_the_candidates_and_a_defunct_one_is_marked() {
    let named = Scenario::new("mga", "MT", "eCOGRA").sent("casino-support", "2026-03-02").on("2026-03-03");
    assert!(rung(&named, "ecogra").why.iter().any(|w| w.contains("terms name this body")));
    let odr = Scenario::new("mga", "MT", "EU ODR platform (ec.europa.eu/consumers/odr)").on("2026-03-03");
    let eu = rung(&odr, "eu-odr");
    assert_eq!(eu.status, RungStatus::NotApplicable);
    assert!(eu.why.iter().any(|w| w.contains("closed on 20 July 2025")), "{:?}", eu.why);
}

#[test]
fn an_unknown_licence_or_deposit_method_is_a_notice_not_a_guess() {
    let view = Scenario::new("", "DE", "").on("2026-03-03");
    assert!(view.notices.iter().any(|n| n.contains("licence is not recorded")));
    assert!(view.notices.iter().any(|n| n.contains("How you deposited is not recorded")));
    assert!(!view.rungs.iter().any(|r| r.kind == RecipientKind::Regulator));
}

#[test]
fn a_skipped_rung_keeps_the_players_reason() {
    let mut scenario = Scenario::new("curacao-cga", "DE", "").sent("casino-support", "2026-03-02");
    scenario.skips.insert("casino-guru".into(), "I prefer not to go public".into());
    let view = scenario.on("2026-04-10");
    let skipped = rung(&view, "casino-guru");
    assert_eq!(skipped.status, RungStatus::Skipped);
    assert_eq!(skipped.skip_reason.as_deref(), Some("I prefer not to go public"));
}

#[test]
fn today_follows_the_players_time_zone_across_a_dst_change() {
    // 29 March 2026, 23:30 UTC: already 30 March in Berlin (summer time began that night).
    let now = Utc.with_ymd_and_hms(2026, 3, 29, 23, 30, 0).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let input = CaseInput {
        title: "t".into(),
        casino_name: "c".into(),
        amount: "10".into(),
        currency: "EUR".into(),
        category: Some(ProblemCategory::Withdrawal),
        regulator: "curacao-cga".into(),
        player_time_zone: "Europe/Berlin".into(),
        ..CaseInput::default()
    };
    let case = store.create_case(&input, now).unwrap();
    let step = StepInput {
        recipient_id: "casino-support".into(),
        kind: StepKind::Sent,
        channel: Some(Channel::Email),
        on: "2026-03-02".into(),
        reference: String::new(),
        summary: String::new(),
        outcome: None,
        milestone: None,
        evidence: Vec::new(),
    };
    let view = record_step(&mut store, case.id, &step, now, "en").unwrap();
    assert_eq!(view.today, date("2026-03-30"));
    let wait = clock(&view, "curacao-adr-after-4-weeks").unwrap();
    // The waiting date is the first day ADR is open: in Berlin that day has begun.
    assert_eq!((wait.date, wait.state), (Some(date("2026-03-30")), ClockState::Passed));
    assert_eq!(wait.days_left, Some(0));
}

#[test]
fn steps_are_checked_before_they_are_recorded() {
    let now = Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let case = store.create_case(&crate::demo::demo_input(now), now).unwrap();
    let base = StepInput {
        recipient_id: "casino-support".into(),
        kind: StepKind::Sent,
        channel: Some(Channel::LiveChat),
        on: "2026-03-09".into(),
        reference: "T-123".into(),
        summary: "Asked why the withdrawal is pending".into(),
        outcome: None,
        milestone: None,
        evidence: Vec::new(),
    };
    let cases = [
        (StepInput { recipient_id: "nobody".into(), ..base.clone() }, "not in the directory"),
        (StepInput { on: "2026-03-11".into(), ..base.clone() }, "in the future"),
        (StepInput { on: "10/03/2026".into(), ..base.clone() }, "not a date"),
        (StepInput { channel: None, ..base.clone() }, "how it was sent"),
        (StepInput { kind: StepKind::Reply, ..base.clone() }, "what the reply said"),
        (
            StepInput { kind: StepKind::Milestone, milestone: Some("birthday".into()), ..base.clone() },
            "milestone must be one of",
        ),
    ];
    for (input, expected) in cases {
        let error = record_step(&mut store, case.id, &input, now, "en").unwrap_err().to_string();
        assert!(error.contains(expected), "{expected}: {error}");
    }
    assert!(store.ladder_steps(case.id).unwrap().is_empty(), "nothing rejected was written");
    let view = record_step(&mut store, case.id, &base, now, "en").unwrap();
    assert_eq!(rung(&view, "casino-support").status, RungStatus::AwaitingReply);
    assert_eq!(view.history[0].reference, "T-123");
}

#[test]
fn due_items_list_open_cases_soonest_first() {
    let now = Utc.with_ymd_and_hms(2026, 3, 20, 12, 0, 0).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let quiet = store.create_case(&crate::demo::demo_input(now), now).unwrap();
    let busy = store.create_case(&crate::demo::demo_input(now), now).unwrap();
    let sent = StepInput {
        recipient_id: "casino-support".into(),
        kind: StepKind::Sent,
        channel: Some(Channel::Email),
        on: now.date_naive().checked_sub_days(Days::new(10)).unwrap().to_string(),
        reference: String::new(),
        summary: String::new(),
        outcome: None,
        milestone: None,
        evidence: Vec::new(),
    };
    record_step(&mut store, busy.id, &sent, now, "en").unwrap();
    let due = due_items(&store, now, "en").unwrap();
    assert_eq!(due.len(), 2);
    assert_eq!(due[0].case_id, busy.id, "the overdue reply comes first");
    assert!(due[0].action.overdue);
    assert_eq!(due[1].case_id, quiet.id);
}

#[test]
fn the_directory_holds_every_body_the_issue_names() {
    let directory = shipped_directory();
    for id in [
        "casino-support",
        "ukgc",
        "mga",
        "curacao-cga",
        "curacao-egaming",
        "antillephone",
        "gibraltar",
        "iom-gsc",
        "kahnawake",
        "spelinspektionen",
        "arn",
        "agco",
        "igo",
        "spillemyndigheden",
        "ksa",
        "anjouan",
        "agcc",
        "emta",
        "ecogra",
        "ibas",
        "adr-group",
        "cedr",
        "eadr",
        "pardee",
        "casinoreviews",
        "casino-guru",
        "askgamblers",
        "thepogg",
        "visa-chargeback",
        "mastercard-chargeback",
        "paypal",
        "skrill",
        "neteller",
        "bank-transfer",
        "crypto",
        "ew-small-claims",
        "lawyer",
        "eu-odr",
    ] {
        assert!(directory.get(id).is_some(), "{id} missing from knowledge/recipients.toml");
    }
    for regulator in &crate::knowledge::shipped().regulators {
        assert!(
            directory.recipients.iter().any(|r| r.regulator_id.as_deref() == Some(regulator.id.as_str())),
            "regulator {} has no directory entry",
            regulator.id
        );
    }
    let odr = directory.get("eu-odr").unwrap();
    assert_eq!(
        (odr.status, odr.defunct_since.as_deref()),
        (directory::RecipientStatus::Defunct, Some("2025-07-20"))
    );
}

#[test]
fn a_directory_entry_without_a_source_or_with_a_bad_url_is_named() {
    let original = include_str!("../../../../knowledge/recipients.toml");
    let english = crate::text::shipped("en");
    let first_source = original.lines().find(|l| l.starts_with("source = \"https://")).unwrap();
    let broken = original.replacen(first_source, "source = \"casino.example\"", 1);
    let error = Directory::parse(&broken, english).unwrap_err().to_string();
    assert!(error.starts_with("knowledge/recipients.toml, entry 'casino-support'"), "{error}");
    let unknown_regulator = original.replacen("regulator_id = \"ukgc\"", "regulator_id = \"moon\"", 1);
    let error = Directory::parse(&unknown_regulator, english).unwrap_err().to_string();
    assert!(error.contains("'moon' is not in regulators.toml"), "{error}");
    // The package check names languages in words, so a code without an English name is refused.
    let unnamed_language = original.replacen("languages = [\"sv\"]", "languages = [\"xx\"]", 1);
    let error = Directory::parse(&unnamed_language, english).unwrap_err().to_string();
    assert!(error.contains("'arn'") && error.contains("no name for language 'xx'"), "{error}");
}

/// Every dated clock, from one start date (a Friday at the end of January, so month ends, leap
/// years and weekends all come into play). Expected dates were worked out by hand from each rule.
#[test]
fn each_dated_rule_lands_on_its_date() {
    let start = date("2026-01-30");
    let table = [
        ("casino-reply-7-days", "2026-02-06"),
        ("casino-reply-after-reminder", "2026-02-06"),
        ("casino-fair-chance", "2026-02-13"),
        ("ukgc-complain-within-6-months", "2026-07-30"),
        ("ukgc-acknowledge-24-hours", "2026-01-31"),
        ("ukgc-adr-after-8-weeks", "2026-03-27"),
        ("curacao-complain-within-6-months", "2026-07-30"),
        ("curacao-acknowledge-7-days", "2026-02-06"),
        ("curacao-adr-after-4-weeks", "2026-02-27"),
        ("curacao-adr-after-extension", "2026-02-27"),
        ("curacao-rg-complaint-5-business-days", "2026-02-06"),
        ("curacao-adr-decision-90-days", "2026-04-30"),
        ("anjouan-adr-after-30-days", "2026-03-01"),
        ("denmark-notify-after-14-days", "2026-02-13"),
        ("ontario-igo-after-90-days", "2026-04-30"),
        ("ecogra-within-1-year", "2027-01-30"),
        ("ibas-within-1-year", "2027-01-30"),
        ("ibas-decision-12-weeks", "2026-04-24"),
        ("gibraltar-within-2-years", "2028-01-30"),
        ("kahnawake-not-before-7-days", "2026-02-06"),
        ("kahnawake-within-6-months", "2026-07-30"),
        ("regulator-check-back-3-months", "2026-04-30"),
        ("portal-answer-within-7-days", "2026-02-06"),
        ("visa-13-1-wait-15-days", "2026-02-14"),
        ("visa-13-1-within-120-days", "2026-05-30"),
        ("visa-13-6-within-120-days-of-credit", "2026-05-30"),
        ("visa-540-day-cap", "2027-07-24"),
        ("mastercard-4853-wait-30-days", "2026-03-01"),
        ("mastercard-4853-within-120-days", "2026-05-30"),
        ("us-fcba-60-days-after-statement", "2026-03-31"),
        ("paypal-within-180-days", "2026-07-29"),
        ("uk-payment-firm-15-business-days", "2026-02-20"),
        ("uk-fos-within-6-months", "2026-07-30"),
        ("ew-letter-before-action-14-days", "2026-02-13"),
        ("ew-limitation-6-years", "2032-01-30"),
    ];
    let dated: Vec<&str> =
        shipped_clocks().clocks.iter().filter(|c| c.kind != ClockKind::Rule).map(|c| c.id.as_str()).collect();
    assert_eq!(table.len(), dated.len(), "every dated clock is in the table");
    for (id, expected) in table {
        let rule =
            shipped_clocks().clocks.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no clock {id}"));
        assert_eq!(rule.length.after(start), Some(date(expected)), "{id}");
    }
}

/// The rules without a date reach the ladder of a case they apply to, and only that one.
#[test]
fn each_undated_rule_shows_where_it_applies() {
    let table = [
        ("ukgc", "ukgc-approved-free-adr"),
        ("anjouan", "anjouan-site-seal-form"),
        ("mga", "mga-adr-for-disputes"),
        ("spelinspektionen", "sweden-arn-web-form"),
        ("ksa", "netherlands-melding"),
        ("agcc", "alderney-reg-238"),
        ("curacao-egaming", "curacao-egaming-forfeits-court"),
    ];
    let rule_ids = |view: &LadderView| view.rules.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    let elsewhere = rule_ids(&Scenario::new("kahnawake", "DE", "").on("2026-03-03"));
    for (licence, clock_id) in table {
        let here = rule_ids(&Scenario::new(licence, "DE", "").on("2026-03-03"));
        assert!(here.iter().any(|id| id == clock_id), "{clock_id} missing for licence {licence}: {here:?}");
        assert!(!elsewhere.iter().any(|id| id == clock_id), "{clock_id} shows for another licence");
    }
    // The rules every case has, whatever the licence.
    for always in
        ["written-complaint-first", "one-forum-at-a-time", "eu-odr-defunct", "chargeback-freezes-account"]
    {
        assert!(elsewhere.iter().any(|id| id == always), "{always}: {elsewhere:?}");
    }
    let crypto = rule_ids(&Scenario::new("kahnawake", "DE", "").deposit_by("crypto").on("2026-03-03"));
    assert!(crypto.iter().any(|id| id == "no-chargeback-crypto-or-transfer"));
}
