//! Triage: what happened, in the player's answers. The questions, ideas, checks and weak points
//! are data (`knowledge/triage.toml`); this module validates answers and evaluates that data
//! against a case, so the app and the CLI show the same next question, ideas and findings.

mod engine;
pub mod rules;
mod store;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::case::Case;
use crate::error::{CoreError, CoreResult};
use crate::money::{self, Money};
use crate::text;

pub use engine::evaluate;
pub use rules::{QuestionKind, Severity, TriageRules};
pub use store::{CaseClosing, answer, answer_all, resolve_by_self_help, view};

const TRIAGE_TOML: &str = include_str!("../../../../knowledge/triage.toml");

/// The shipped triage rules, validated against the English text.
pub fn shipped_rules() -> &'static TriageRules {
    static RULES: OnceLock<TriageRules> = OnceLock::new();
    RULES.get_or_init(|| {
        TriageRules::parse(TRIAGE_TOML, text::shipped("en"))
            .unwrap_or_else(|error| panic!("shipped triage knowledge is invalid: {error}"))
    })
}

/// A stored answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    Date(NaiveDate),
    Amount(Money),
    Choice(String),
    Choices(Vec<String>),
    Text(String),
}

/// An answer as the player gave it, before it is checked against its question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum AnswerInput {
    Yes,
    No,
    /// YYYY-MM-DD
    Date(String),
    /// As typed, in the case's currency.
    Amount(String),
    Choice(String),
    Choices(Vec<String>),
    Text(String),
}

const TEXT_ANSWER_LIMIT: usize = 5_000;

/// Today's date where the player lives (UTC when the case has no time zone): a date answered
/// late in the evening in Toronto is not "in the future".
pub fn case_today(case: &Case, now: DateTime<Utc>) -> NaiveDate {
    case.player_time_zone
        .as_deref()
        .and_then(|zone| zone.parse::<chrono_tz::Tz>().ok())
        .map_or_else(|| now.date_naive(), |zone| now.with_timezone(&zone).date_naive())
}

/// What an answer to `question` must look like, in words, for error messages.
fn expected_answer(question: &rules::QuestionRule) -> String {
    let options = || question.options.iter().map(|o| o.id.as_str()).collect::<Vec<_>>().join(", ");
    match question.kind {
        QuestionKind::YesNo => "yes or no".to_owned(),
        QuestionKind::Date => "a date as YYYY-MM-DD".to_owned(),
        QuestionKind::Amount => "an amount such as 150.00".to_owned(),
        QuestionKind::Choice => format!("one of: {}", options()),
        QuestionKind::MultiChoice => format!("one or more of: {}", options()),
        QuestionKind::Text => "some text".to_owned(),
        QuestionKind::Route => "no answer (it is not asked)".to_owned(),
    }
}

/// Checks an answer against its question: the kind must match, dates must be real and not in the
/// future, amounts are read in the case's currency, options must exist.
pub fn validate_answer(
    rules: &TriageRules,
    case: &Case,
    question_id: &str,
    input: AnswerInput,
    today: NaiveDate,
) -> CoreResult<Answer> {
    let question =
        rules.questions.get(question_id).ok_or_else(|| CoreError::UnknownQuestion(question_id.into()))?;
    let wrong_kind =
        || CoreError::AnswerDoesNotFit { question: question_id.into(), expected: expected_answer(question) };
    let known_option = |id: &str| question.options.iter().any(|option| option.id == id);
    let rejected = |message: String| CoreError::AnswerRejected { question: question_id.into(), message };
    match (question.kind, input) {
        (QuestionKind::YesNo, AnswerInput::Yes) => Ok(Answer::Yes),
        (QuestionKind::YesNo, AnswerInput::No) => Ok(Answer::No),
        (QuestionKind::Date, AnswerInput::Date(text)) => {
            let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                rejected(format!(
                    "\"{}\" is not a date. Write it as year-month-day, e.g. 2026-05-31.",
                    text.trim()
                ))
            })?;
            if date > today {
                return Err(rejected(format!("{date} is in the future. Check the year and month.")));
            }
            Ok(Answer::Date(date))
        }
        (QuestionKind::Amount, AnswerInput::Amount(text)) => {
            let currency = money::parse_currency(&case.disputed.currency).map_err(|p| rejected(p.message))?;
            let understood = money::parse_amount(&text, currency).map_err(|p| rejected(p.message))?;
            Ok(Answer::Amount(understood.money))
        }
        (QuestionKind::Choice, AnswerInput::Choice(option)) if known_option(&option) => {
            Ok(Answer::Choice(option))
        }
        (QuestionKind::MultiChoice, AnswerInput::Choices(options))
            if !options.is_empty() && options.iter().all(|o| known_option(o)) =>
        {
            // Keep the knowledge file's order, without repeats.
            let chosen: BTreeSet<&String> = options.iter().collect();
            Ok(Answer::Choices(
                question.options.iter().filter(|o| chosen.contains(&o.id)).map(|o| o.id.clone()).collect(),
            ))
        }
        (QuestionKind::Text, AnswerInput::Text(text)) => {
            let text = text.trim().to_owned();
            if text.is_empty() {
                return Err(rejected("Type an answer, or go back.".into()));
            }
            if text.chars().count() > TEXT_ANSWER_LIMIT {
                return Err(rejected(format!("Keep it under {TEXT_ANSWER_LIMIT} characters.")));
            }
            Ok(Answer::Text(text))
        }
        _ => Err(wrong_kind()),
    }
}

/// Another case about the same casino and problem (for the duplicate check).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SimilarCase {
    pub id: i64,
    pub title: String,
    pub archived: bool,
}

/// What the engine needs besides the rules and text.
pub struct TriageInputs<'a> {
    pub case: &'a Case,
    pub answers: &'a BTreeMap<String, Answer>,
    pub checked_evidence: &'a BTreeSet<String>,
    /// Locker items the player linked to checklist entries (by entry id).
    pub covered_by: &'a BTreeMap<String, Vec<CoveringItem>>,
    pub similar_cases: &'a [SimilarCase],
    pub today: NaiveDate,
}

/// Where a cited fact comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SourceView {
    pub id: String,
    pub title: String,
    /// "unknown" when the source has no public address.
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OptionView {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AnswerKind {
    YesNo,
    Date,
    Amount,
    Choice,
    MultiChoice,
    Text,
}

/// A question as the player sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct QuestionView {
    pub id: String,
    pub kind: AnswerKind,
    pub text: String,
    pub help: String,
    pub options: Vec<OptionView>,
    /// The follow-up set or check that asks it; `None` for the category's own questions.
    pub group: Option<String>,
    pub source: SourceView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IdeaView {
    pub id: String,
    pub title: String,
    pub explanation: String,
    pub actions: Vec<String>,
    pub source: SourceView,
}

/// One answered question on the current path, with the ideas its answer brought up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TriageStep {
    pub question: QuestionView,
    pub answer: Answer,
    /// The answer in words, e.g. "Yes" or the option's label.
    pub answer_text: String,
    /// True when the answer came from the case form rather than from triage.
    pub from_case: bool,
    pub ideas: Vec<IdeaView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EligibilityFinding {
    pub id: String,
    /// The reason's number in document 002, step 2.
    pub reason: u8,
    pub severity: Severity,
    pub title: String,
    pub consequence: String,
    pub better_route: String,
    /// Specifics, e.g. which earlier case is about the same casino.
    pub detail: Option<String>,
    pub related_cases: Vec<SimilarCase>,
    pub source: SourceView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EvidenceItem {
    pub id: String,
    pub title: String,
    /// Ticked by the player, or covered by a locker item.
    pub covered: bool,
    /// The locker items linked to this entry (empty when only ticked by hand, or not at all).
    pub covered_by: Vec<CoveringItem>,
}

/// A locker item that covers a checklist entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CoveringItem {
    pub item_id: i64,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WeakPoint {
    pub id: String,
    pub title: String,
    pub rule: String,
    pub evidence: Vec<EvidenceItem>,
    pub source: SourceView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LetterFact {
    pub id: String,
    pub title: String,
    pub present: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Completeness {
    pub percent: u8,
    pub facts: Vec<LetterFact>,
}

/// A recorded fact: a question and its answer, in words, for the ladder and letters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CaseFact {
    pub question_id: String,
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TriagePhase {
    Category,
    FollowUp,
    Eligibility,
    Done,
}

/// Everything triage shows for a case, recomputed from the answers each time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TriageView {
    pub case_id: i64,
    pub phase: TriagePhase,
    pub steps: Vec<TriageStep>,
    pub current: Option<QuestionView>,
    pub ideas: Vec<IdeaView>,
    pub eligibility: Vec<EligibilityFinding>,
    pub facts: Vec<CaseFact>,
    pub weak_points: Vec<WeakPoint>,
    pub completeness: Completeness,
    /// The case was closed as solved by the ideas, without escalation.
    pub resolved_by_self_help: bool,
}

/// Parses the CLI's answers file: `{"question-id": "yes" | "2026-05-01" | "1500" | "option" | ["a", "b"] | "text"}`.
pub fn answers_from_json(
    rules: &TriageRules,
    json: &serde_json::Value,
) -> CoreResult<Vec<(String, AnswerInput)>> {
    let object = json.as_object().ok_or_else(|| {
        CoreError::AnswersFile("the file must hold one JSON object: {\"question-id\": answer, …}".into())
    })?;
    let mut out = Vec::new();
    for (id, value) in object {
        let question = rules.questions.get(id).ok_or_else(|| CoreError::UnknownQuestion(id.clone()))?;
        let text = || value.as_str().map(str::to_owned);
        let input = match (question.kind, value) {
            (QuestionKind::YesNo, _) => match text().as_deref().map(str::to_ascii_lowercase).as_deref() {
                Some("yes") => Some(AnswerInput::Yes),
                Some("no") => Some(AnswerInput::No),
                _ => None,
            },
            (QuestionKind::Date, _) => text().map(AnswerInput::Date),
            (QuestionKind::Amount, serde_json::Value::Number(n)) => Some(AnswerInput::Amount(n.to_string())),
            (QuestionKind::Amount, _) => text().map(AnswerInput::Amount),
            (QuestionKind::Choice, _) => text().map(AnswerInput::Choice),
            (QuestionKind::MultiChoice, serde_json::Value::Array(items)) => items
                .iter()
                .map(|i| i.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(AnswerInput::Choices),
            (QuestionKind::MultiChoice, _) => text().map(|one| AnswerInput::Choices(vec![one])),
            (QuestionKind::Text, _) => text().map(AnswerInput::Text),
            (QuestionKind::Route, _) => None,
        };
        let input = input.ok_or_else(|| CoreError::AnswerDoesNotFit {
            question: id.clone(),
            expected: expected_answer(question),
        })?;
        out.push((id.clone(), input));
    }
    Ok(out)
}
