//! Table tests of the triage rules as shipped, and of what a broken knowledge file does.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::case::{CaseInput, ProblemCategory};
use crate::storage::Store;
use crate::text;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap()
}

const LONG_DESCRIPTION: &str = "I asked for a withdrawal of 2,350 euro on 1 November. The casino said three to five \
days, then asked for a new proof of address which I sent the same day, and since then live chat only says \
finance is checking it. I want the money paid to my bank account.";

fn case(category: ProblemCategory, description: &str) -> Case {
    let input = CaseInput {
        title: "Test".into(),
        casino_name: "Lucky Lagoon".into(),
        amount: "2350".into(),
        currency: "EUR".into(),
        category: Some(category),
        description: description.into(),
        ..CaseInput::default()
    };
    let mut store = Store::open_in_memory().unwrap();
    store.create_case(&input, now()).unwrap()
}

fn yes_no(value: bool) -> Answer {
    if value { Answer::Yes } else { Answer::No }
}

struct Run {
    case: Case,
    answers: BTreeMap<String, Answer>,
    checked: BTreeSet<String>,
    covered_by: BTreeMap<String, Vec<super::CoveringItem>>,
    similar: Vec<SimilarCase>,
}

impl Run {
    fn new(category: ProblemCategory) -> Run {
        Run::with_description(category, LONG_DESCRIPTION)
    }

    fn with_description(category: ProblemCategory, description: &str) -> Run {
        Run {
            case: case(category, description),
            answers: BTreeMap::new(),
            checked: BTreeSet::new(),
            covered_by: BTreeMap::new(),
            similar: Vec::new(),
        }
    }

    fn answer(mut self, question: &str, answer: Answer) -> Run {
        self.answers.insert(question.into(), answer);
        self
    }

    fn yes(self, question: &str) -> Run {
        self.answer(question, yes_no(true))
    }

    fn no(self, question: &str) -> Run {
        self.answer(question, yes_no(false))
    }

    fn choice(self, question: &str, option: &str) -> Run {
        self.answer(question, Answer::Choice(option.into()))
    }

    fn view(&self) -> TriageView {
        let inputs = TriageInputs {
            case: &self.case,
            answers: &self.answers,
            checked_evidence: &self.checked,
            covered_by: &self.covered_by,
            similar_cases: &self.similar,
            today: today(),
        };
        evaluate(shipped_rules(), text::shipped("en"), &inputs)
    }
}

fn current(view: &TriageView) -> &str {
    view.current.as_ref().map_or("(done)", |q| q.id.as_str())
}

fn idea_ids(view: &TriageView) -> Vec<&str> {
    view.ideas.iter().map(|idea| idea.id.as_str()).collect()
}

fn finding_ids(view: &TriageView) -> Vec<&str> {
    view.eligibility.iter().map(|f| f.id.as_str()).collect()
}

/// Answers every eligibility question "no".
fn no_to_eligibility(mut run: Run) -> Run {
    for rule in &shipped_rules().eligibility {
        if let Some(question) = &rule.ask {
            run = run.no(question);
        }
    }
    run
}

#[test]
fn the_nine_yes_no_questions_and_twelve_reasons_of_document_002_are_present() {
    let rules = shipped_rules();
    for id in [
        "deposit-credited",
        "bonus-played",
        "free-bonus",
        "previous-deposit",
        "withdrawn-before",
        "has-account",
        "can-log-in",
        "casino-communicates",
        "software-problems",
    ] {
        assert_eq!(rules.questions[id].kind, QuestionKind::YesNo, "{id}");
    }
    let reasons: BTreeSet<u8> = rules.eligibility.iter().map(|rule| rule.reason).collect();
    assert_eq!(reasons, (1..=12).collect());
    let step3: Vec<&str> = rules.followup_sets.iter().map(|set| set.id.as_str()).collect();
    for id in [
        "delayed-payment",
        "verification",
        "multiple-accounts",
        "bonus-terms",
        "irregular-play",
        "account-closed",
        "confiscated-winnings",
        "self-exclusion",
        "technical-error",
        "restricted-territory",
        "payment-method-other-name",
    ] {
        assert!(step3.contains(&id), "follow-up set {id}");
    }
    let weak: Vec<&str> = rules.weak_points.iter().map(|w| w.id.as_str()).collect();
    for id in [
        "verification",
        "bonus-terms",
        "multiple-accounts",
        "irregular-play",
        "self-exclusion",
        "payment-method",
        "technical-error",
        "restricted-territory",
    ] {
        assert!(weak.contains(&id), "weak point {id} (domain-facts §7)");
    }
}

#[test]
fn deposit_not_credited_and_not_taken_shows_the_four_reasons_of_the_source() {
    let view = Run::new(ProblemCategory::Deposit).no("deposit-credited").no("deposit-taken").view();
    assert_eq!(view.steps.len(), 2);
    assert_eq!(
        view.steps[1].ideas.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
        ["card-not-accepted", "transaction-blocked", "insufficient-funds", "limit-reached"]
    );
    assert!(view.steps[1].ideas.iter().all(|i| !i.actions.is_empty() && !i.explanation.is_empty()));
    assert_eq!(current(&view), "casino-communicates");
    assert_eq!(view.phase, TriagePhase::Category);
}

#[test]
fn deposit_taken_but_not_credited_asks_for_the_date_and_suggests_a_trace() {
    let view = Run::new(ProblemCategory::Deposit).no("deposit-credited").yes("deposit-taken").view();
    assert_eq!(idea_ids(&view), ["deposit-pending-with-casino", "deposit-ask-bank-trace"]);
    assert_eq!(current(&view), "deposit-date");
}

#[test]
fn a_full_withdrawal_triage_reaches_the_end_with_facts_and_weak_points() {
    let mut run = Run::new(ProblemCategory::Withdrawal)
        .yes("has-account")
        .yes("can-log-in")
        .choice("withdrawal-status", "pending")
        .no("bonus-played")
        .yes("previous-deposit")
        .no("withdrawn-before")
        .yes("casino-communicates");
    assert_eq!(current(&run.view()), "casino-reason");
    run = run.answer("casino-reason", Answer::Choices(vec!["verification".into()]));
    let view = run.view();
    assert_eq!(view.phase, TriagePhase::FollowUp);
    assert_eq!(current(&view), "fu-withdrawal-date");
    assert_eq!(view.current.as_ref().unwrap().group.as_deref(), Some("A delayed payment"));

    run = run
        .answer("fu-withdrawal-date", Answer::Date(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()))
        .no("fu-account-verified")
        .choice("fu-payment-method", "bank-transfer")
        .choice("fu-deposit-method", "card");
    assert_eq!(current(&run.view()), "fu-all-documents-sent", "verification set follows");
    run = run.yes("fu-all-documents-sent").no("fu-documents-visible");
    run = run
        .answer("fu-verification-first-asked", Answer::Date(NaiveDate::from_ymd_opt(2026, 11, 5).unwrap()));
    run = run.yes("fu-documents-asked-again");
    assert_eq!(run.view().phase, TriagePhase::Eligibility);
    run = no_to_eligibility(run);

    let view = run.view();
    assert_eq!(view.phase, TriagePhase::Done);
    assert!(view.current.is_none());
    assert!(view.eligibility.is_empty(), "{:?}", finding_ids(&view));
    assert!(idea_ids(&view).contains(&"check-processing-time"));
    assert!(idea_ids(&view).contains(&"first-withdrawal-checks"));
    assert!(idea_ids(&view).contains(&"send-documents-once"));
    let weak: Vec<&str> = view.weak_points.iter().map(|w| w.id.as_str()).collect();
    assert_eq!(weak, ["verification"]);
    assert!(view.weak_points[0].evidence.iter().all(|e| !e.covered));
    let reason = view.facts.iter().find(|f| f.question_id == "casino-reason").unwrap();
    assert_eq!(reason.value, "Verification, documents or source of funds");
    let method = view.facts.iter().find(|f| f.question_id == "fu-payment-method").unwrap();
    assert_eq!(method.value, "Bank transfer");
}

#[test]
fn a_date_in_the_case_form_answers_the_follow_up_question() {
    let mut run = Run::new(ProblemCategory::Withdrawal);
    run.case.key_dates.withdrawal_requested = NaiveDate::from_ymd_opt(2026, 10, 31);
    let run = run
        .yes("has-account")
        .yes("can-log-in")
        .choice("withdrawal-status", "refused")
        .no("bonus-played")
        .yes("previous-deposit")
        .yes("withdrawn-before")
        .no("casino-communicates")
        .answer("casino-reason", Answer::Choices(vec!["none-given".into()]));
    let view = run.view();
    let from_case = view.steps.iter().find(|s| s.question.id == "fu-withdrawal-date").unwrap();
    assert!(from_case.from_case);
    assert_eq!(from_case.answer_text, "2026-10-31");
    assert_eq!(current(&view), "fu-account-verified");
}

#[test]
fn changing_an_earlier_answer_recomputes_the_path() {
    let run = Run::new(ProblemCategory::Withdrawal)
        .yes("has-account")
        .yes("can-log-in")
        .choice("withdrawal-status", "pending")
        .no("bonus-played");
    let before = run.view();
    assert!(before.facts.iter().any(|f| f.question_id == "withdrawal-status"));
    let after = run.no("can-log-in").view();
    assert_eq!(current(&after), "account-state");
    assert!(
        !after.facts.iter().any(|f| f.question_id == "withdrawal-status"),
        "off-path answers are not facts"
    );
    assert_eq!(idea_ids(&after), ["reset-password-first"]);
}

#[test]
fn account_and_software_categories_take_their_own_routes() {
    let account = Run::new(ProblemCategory::Account).yes("has-account").yes("can-log-in").view();
    assert_eq!(current(&account), "account-state");
    let closed = Run::new(ProblemCategory::Account)
        .yes("has-account")
        .yes("can-log-in")
        .choice("account-state", "closed")
        .view();
    assert_eq!(current(&closed), "balance-in-account");
    let software = Run::new(ProblemCategory::Software).no("software-problems").view();
    assert_eq!(idea_ids(&software), ["choose-another-category"]);
    // No follow-up set applies, so the eligibility questions come next.
    assert_eq!(software.phase, TriagePhase::Eligibility);
    assert_eq!(current(&software), "elig-sports-betting");
}

#[test]
fn each_asked_eligibility_check_yields_its_finding_and_a_better_route() {
    for rule in &shipped_rules().eligibility {
        let Some(question) = &rule.ask else { continue };
        let view = Run::new(ProblemCategory::Withdrawal).yes(question).view();
        let finding = view.eligibility.iter().find(|f| f.id == rule.id);
        let finding = finding.unwrap_or_else(|| panic!("{} gives no finding", rule.id));
        assert!(!finding.better_route.is_empty() && !finding.consequence.is_empty(), "{}", rule.id);
        let view = Run::new(ProblemCategory::Withdrawal).no(question).view();
        assert!(!finding_ids(&view).contains(&rule.id.as_str()), "{} with a no", rule.id);
    }
}

#[test]
fn a_problem_older_than_a_year_is_flagged_at_366_days_not_365() {
    let mut run = Run::new(ProblemCategory::Withdrawal);
    run.case.key_dates.withdrawal_requested = today().checked_sub_days(chrono::Days::new(365));
    assert!(!finding_ids(&run.view()).contains(&"older-than-a-year"));
    run.case.key_dates.withdrawal_requested = today().checked_sub_days(chrono::Days::new(366));
    let view = run.view();
    let finding = view.eligibility.iter().find(|f| f.id == "older-than-a-year").unwrap();
    assert_eq!(finding.detail.as_deref(), Some("The date you gave, 20 November 2025, was 366 days ago."));
}

#[test]
fn a_case_about_the_same_casino_and_problem_offers_the_earlier_one() {
    let mut run = Run::new(ProblemCategory::Withdrawal);
    run.similar = vec![SimilarCase { id: 7, title: "Earlier".into(), archived: true }];
    let view = run.view();
    let finding = view.eligibility.iter().find(|f| f.id == "duplicate-case").unwrap();
    assert_eq!(finding.related_cases[0].id, 7);
}

#[test]
fn a_thin_description_asks_the_four_prompts_until_answered() {
    let mut run = no_to_eligibility(
        Run::with_description(ProblemCategory::Software, "Help me")
            .yes("software-problems")
            .no("round-affected")
            .no("has-account"),
    );
    let view = run.view();
    assert!(finding_ids(&view).contains(&"too-thin"));
    assert_eq!(current(&view), "desc-what");
    for prompt in ["desc-what", "desc-when", "desc-how-much", "desc-want"] {
        run = run.answer(prompt, Answer::Text("something specific".into()));
    }
    let view = run.view();
    assert!(!finding_ids(&view).contains(&"too-thin"));
    assert_eq!(view.phase, TriagePhase::Done);
    assert!(view.completeness.facts.iter().find(|f| f.id == "what-happened").unwrap().present);
}

#[test]
fn completeness_counts_the_facts_a_letter_needs() {
    let view = Run::new(ProblemCategory::Withdrawal).view();
    let missing: Vec<&str> =
        view.completeness.facts.iter().filter(|f| !f.present).map(|f| f.id.as_str()).collect();
    assert_eq!(missing, ["account-id", "incident-date", "casino-reason", "licence", "player-country"]);
    assert_eq!(view.completeness.percent, 37);
}

#[test]
fn checked_evidence_covers_weak_point_items() {
    let mut run = Run::new(ProblemCategory::Withdrawal)
        .yes("has-account")
        .yes("can-log-in")
        .choice("withdrawal-status", "pending")
        .yes("bonus-played");
    run.checked.insert("bet-history".into());
    let view = run.view();
    let bonus = view.weak_points.iter().find(|w| w.id == "bonus-terms").unwrap();
    let covered: Vec<&str> = bonus.evidence.iter().filter(|e| e.covered).map(|e| e.id.as_str()).collect();
    assert_eq!(covered, ["bet-history"]);
}

#[test]
fn a_locker_item_linked_to_an_entry_ticks_it_and_names_itself() {
    let mut run = Run::new(ProblemCategory::Withdrawal)
        .yes("has-account")
        .yes("can-log-in")
        .choice("withdrawal-status", "pending")
        .yes("bonus-played");
    let item = super::CoveringItem { item_id: 7, title: "bets-march.pdf".into() };
    run.covered_by.insert("bonus-opt-in-proof".into(), vec![item.clone()]);
    run.checked.insert("bet-history".into());
    let view = run.view();
    let bonus = view.weak_points.iter().find(|w| w.id == "bonus-terms").unwrap();
    let entry = |id: &str| bonus.evidence.iter().find(|e| e.id == id).unwrap();
    assert!(entry("bonus-opt-in-proof").covered, "a linked item ticks the entry");
    assert_eq!(entry("bonus-opt-in-proof").covered_by, [item]);
    assert!(
        entry("bet-history").covered && entry("bet-history").covered_by.is_empty(),
        "ticking by hand still works"
    );
    assert!(!entry("terms-snapshot-when-claimed").covered);
}

#[test]
fn answers_are_checked_against_their_question() {
    let rules = shipped_rules();
    let case = case(ProblemCategory::Withdrawal, "");
    let check = |question: &str, input: AnswerInput| validate_answer(rules, &case, question, input, today());
    assert_eq!(check("has-account", AnswerInput::Yes).unwrap(), Answer::Yes);
    let wrong = check("has-account", AnswerInput::Date("2026-01-01".into())).unwrap_err().to_string();
    assert!(wrong.contains("yes or no"), "{wrong}");
    let future = check("deposit-date", AnswerInput::Date("2026-11-22".into())).unwrap_err().to_string();
    assert!(future.contains("in the future"), "{future}");
    let unknown = check("withdrawal-status", AnswerInput::Choice("lost".into())).unwrap_err().to_string();
    assert!(unknown.contains("one of: pending"), "{unknown}");
    assert_eq!(
        check("balance-in-account", AnswerInput::Amount("1 200,50".into())).unwrap(),
        Answer::Amount(crate::money::Money { minor_units: 120_050, currency: "EUR".into() })
    );
    let reasons = check(
        "casino-reason",
        AnswerInput::Choices(vec!["bonus-terms".into(), "verification".into(), "bonus-terms".into()]),
    );
    assert_eq!(reasons.unwrap(), Answer::Choices(vec!["verification".into(), "bonus-terms".into()]));
    assert!(matches!(check("no-such-question", AnswerInput::Yes), Err(CoreError::UnknownQuestion(_))));
    assert!(check("desc-what", AnswerInput::Text("   ".into())).is_err());
}

#[test]
fn today_is_the_players_date() {
    let mut case = case(ProblemCategory::Withdrawal, "");
    let late_evening_in_toronto = Utc.with_ymd_and_hms(2026, 11, 22, 3, 0, 0).unwrap();
    case.player_time_zone = Some("America/Toronto".into());
    assert_eq!(case_today(&case, late_evening_in_toronto), today());
    case.player_time_zone = None;
    assert_eq!(case_today(&case, late_evening_in_toronto), today().succ_opt().unwrap());
}

// ----- a broken knowledge file fails with the file and entry named --------------------------------

fn parse_modified(from: &str, to: &str) -> String {
    let original = include_str!("../../../../knowledge/triage.toml");
    assert!(original.contains(from), "test setup: '{from}' not in triage.toml");
    TriageRules::parse(&original.replacen(from, to, 1), text::shipped("en")).unwrap_err().to_string()
}

#[test]
fn an_unknown_question_id_is_named() {
    let error = parse_modified(
        "yes = { next = \"deposit-amount-right\" }",
        "yes = { next = \"deposit-amount-rihgt\" }",
    );
    assert!(error.starts_with("knowledge/triage.toml, entry 'deposit-credited'"), "{error}");
    assert!(error.contains("unknown question 'deposit-amount-rihgt'"), "{error}");
}

#[test]
fn a_cycle_is_named_with_its_path() {
    let error = parse_modified(
        "no = { next = \"casino-reason\", ideas = [\"write-formal-complaint\"] }",
        "no = { next = \"has-account\", ideas = [\"write-formal-complaint\"] }",
    );
    assert!(error.contains("the questions loop"), "{error}");
    assert!(error.contains("casino-communicates → has-account"), "{error}");
}

#[test]
fn missing_text_is_named() {
    let english = include_str!("../../../../knowledge/text/en/triage.toml");
    let broken = english.replacen("[idea.limit-reached]\ntitle", "[idea.limit-reached]\ntitel", 1);
    assert_ne!(broken, english, "test setup");
    let outcomes = include_str!("../../../../knowledge/text/en/outcomes.toml");
    let table =
        text::TextTable::parse_files("en", &[("triage.toml", &broken), ("outcomes.toml", outcomes)]).unwrap();
    let error = TriageRules::parse(include_str!("../../../../knowledge/triage.toml"), &table)
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "knowledge/triage.toml, entry 'limit-reached': no text for 'idea.limit-reached.title' in knowledge/text/en/"
    );
}

#[test]
fn an_unreachable_question_is_named() {
    let original = include_str!("../../../../knowledge/triage.toml");
    let orphan =
        format!("{original}\n[[question]]\nid = \"has-account\"\nkind = \"yes_no\"\nsource = \"doc-002\"\n");
    let error = TriageRules::parse(&orphan, text::shipped("en")).unwrap_err().to_string();
    assert!(error.contains("question listed twice"), "{error}");
    let unused =
        format!("{original}\n[[question]]\nid = \"orphan\"\nkind = \"text\"\nsource = \"doc-002\"\n");
    let mut english = text::shipped("en").clone();
    english = text::TextTable::parse(
        "en",
        &format!(
            "{}\n[question.orphan]\ntext = \"x\"\n",
            include_str!("../../../../knowledge/text/en/triage.toml")
        ),
    )
    .unwrap_or(english);
    let error = TriageRules::parse(&unused, &english).unwrap_err().to_string();
    assert!(error.contains("'orphan'") && error.contains("ever asks this question"), "{error}");
}

#[test]
fn a_dead_end_inside_a_flow_is_named() {
    let error = parse_modified("no = { next = \"withdrawn-before\" }", "no = { ideas = [] }");
    assert!(error.contains("'previous-deposit'") && error.contains("needs a `next`"), "{error}");
}

// ----- the answers live in the case database --------------------------------------------------------

#[test]
fn answers_are_saved_as_given_and_survive_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("casefile.db");
    let key = crate::locker::VaultKey::random().database_key();
    let id = {
        let mut store = Store::open_encrypted(&path, &key).unwrap();
        let case = store
            .create_case(
                &CaseInput { description: LONG_DESCRIPTION.into(), ..crate::demo::demo_input(now()) },
                now(),
            )
            .unwrap();
        answer(&mut store, case.id, "has-account", AnswerInput::Yes, now(), "en").unwrap();
        case.id
    };
    let store = Store::open_encrypted(&path, &key).unwrap();
    let view = view(&store, id, now(), "en").unwrap();
    assert_eq!(view.steps.len(), 1);
    assert_eq!(current(&view), "can-log-in");
}

#[test]
fn a_batch_with_one_bad_answer_saves_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let case = store.create_case(&crate::demo::demo_input(now()), now()).unwrap();
    let batch = vec![
        ("has-account".to_owned(), AnswerInput::Yes),
        ("can-log-in".to_owned(), AnswerInput::Choice("maybe".into())),
    ];
    assert!(answer_all(&mut store, case.id, batch, now(), "en").is_err());
    assert!(store.triage_answers(case.id).unwrap().is_empty());
}

#[test]
fn this_solved_it_closes_the_case_as_resolved() {
    let mut store = Store::open_in_memory().unwrap();
    let case = store.create_case(&crate::demo::demo_input(now()), now()).unwrap();
    resolve_by_self_help(&mut store, case.id, "The bank had blocked it.", now()).unwrap();
    let closed = store.get_case(case.id).unwrap();
    let closure = closed.closure.unwrap();
    assert_eq!((closure.outcome.as_str(), closure.label.as_str()), ("resolved", "resolved-without-casino"));
    assert_eq!(closure.label_text, "Resolved without contacting the casino (self-help)");
    assert!(view(&store, case.id, now(), "en").unwrap().resolved_by_self_help);
    store.reopen_case(case.id, now()).unwrap();
    assert!(store.get_case(case.id).unwrap().closure.is_none());
    let made_up =
        CaseClosing { outcome: "resolved".into(), label: "made-up".into(), ..CaseClosing::default() };
    assert!(store.close_case(case.id, &made_up, now()).is_err());
    let partly = CaseClosing {
        outcome: "unresolved".into(),
        label: "justified-complaint".into(),
        note: "Paid part".into(),
        amount_recovered: "1.000,00".into(),
    };
    let closed = store.close_case(case.id, &partly, now()).unwrap();
    assert_eq!(closed.closure.unwrap().amount_recovered.unwrap().minor_units, 100_000);
}

#[test]
fn similar_cases_match_casino_names_loosely() {
    let mut store = Store::open_in_memory().unwrap();
    let first = store.create_case(&crate::demo::demo_input(now()), now()).unwrap();
    let mut input = crate::demo::demo_input(now());
    input.casino_name = "  lucky lagoon casino (DEMO) ".into();
    let second = store.create_case(&input, now()).unwrap();
    input.category = Some(ProblemCategory::Deposit);
    store.create_case(&input, now()).unwrap();
    let similar = store.similar_cases(second.id).unwrap();
    assert_eq!(similar.iter().map(|c| c.id).collect::<Vec<_>>(), [first.id]);
}
