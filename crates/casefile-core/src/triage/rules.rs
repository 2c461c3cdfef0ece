//! The triage knowledge (`knowledge/triage.toml`) as typed data, and the checks that make a broken
//! file fail at load with the file and entry named: unknown ids, cycles, dead ends, unreachable
//! entries and missing text.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::case::ProblemCategory;
use crate::error::{CoreError, CoreResult};
use crate::text::TextTable;

const FILE: &str = "triage.toml";
/// The `next` value that ends a category's questions.
pub const END: &str = "end";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub url: String,
    pub location: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRule {
    pub id: String,
    pub start: String,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    YesNo,
    Date,
    Amount,
    Choice,
    MultiChoice,
    Text,
    /// Never shown: sends the flow on by a condition.
    Route,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    pub next: Option<String>,
    #[serde(default)]
    pub ideas: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub id: String,
    pub next: Option<String>,
    #[serde(default)]
    pub ideas: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    pub when: String,
    pub next: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionRule {
    pub id: String,
    pub kind: QuestionKind,
    pub source: String,
    pub yes: Option<Branch>,
    pub no: Option<Branch>,
    #[serde(default)]
    pub options: Vec<ChoiceOption>,
    /// For date, amount, text and multi-choice questions inside a category's flow.
    pub next: Option<String>,
    #[serde(default)]
    pub routes: Vec<Route>,
    pub otherwise: Option<String>,
    /// A case field whose value answers this question when the player has not.
    pub case_field: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowupSet {
    pub id: String,
    pub source: String,
    pub when: Vec<String>,
    pub questions: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AutoCheck {
    IncidentOlderThanAYear,
    SameCasinoAndProblem,
    DescriptionTooThin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Another route fits better; the finding says which.
    Redirect,
    /// The case can go on, with care.
    Warning,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EligibilityRule {
    pub id: String,
    /// The number of the reason in document 002, step 2.
    pub reason: u8,
    pub ask: Option<String>,
    pub auto: Option<AutoCheck>,
    #[serde(default)]
    pub prompts: Vec<String>,
    pub severity: Severity,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdeaRule {
    pub id: String,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeakPointRule {
    pub id: String,
    pub when: Vec<String>,
    pub evidence: Vec<String>,
    pub source: String,
    pub confidence: crate::knowledge::Confidence,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterFactRule {
    pub id: String,
    pub satisfied_by: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TriageFile {
    source: Vec<Source>,
    category: Vec<CategoryRule>,
    question: Vec<QuestionRule>,
    followup_set: Vec<FollowupSet>,
    eligibility: Vec<EligibilityRule>,
    idea: Vec<IdeaRule>,
    weak_point: Vec<WeakPointRule>,
    letter_fact: Vec<LetterFactRule>,
}

/// A parsed condition of a `when` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    Category(ProblemCategory),
    Answer { question: String, value: String },
}

/// A parsed `satisfied_by` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactSource {
    CaseField(String),
    Answer(String),
}

/// Sentences the engine itself uses, besides those of the entries.
const ENGINE_TEXT_KEYS: &[&str] = &[
    "triage.answer.yes",
    "triage.answer.no",
    "triage.group.eligibility",
    "eligibility.older-than-a-year.detail",
];

/// Case fields a rule may name; `triage::engine` reads them from a `Case`.
pub const CASE_FIELDS: &[&str] = &[
    "casino_name",
    "amount",
    "account_id",
    "withdrawal_requested",
    "first_deposit",
    "description",
    "regulator",
    "player_country",
];

/// The whole triage knowledge, validated.
#[derive(Debug, Clone)]
pub struct TriageRules {
    pub sources: Vec<Source>,
    pub categories: Vec<CategoryRule>,
    pub questions: BTreeMap<String, QuestionRule>,
    pub followup_sets: Vec<FollowupSet>,
    pub eligibility: Vec<EligibilityRule>,
    pub ideas: BTreeMap<String, IdeaRule>,
    pub weak_points: Vec<WeakPointRule>,
    pub letter_facts: Vec<LetterFactRule>,
}

fn problem(entry: &str, text: impl Into<String>) -> CoreError {
    CoreError::Knowledge { file: FILE.to_owned(), entry: entry.to_owned(), problem: text.into() }
}

impl TriageRules {
    /// Parses and validates the file against the English text table.
    pub fn parse(toml_text: &str, english: &TextTable) -> CoreResult<TriageRules> {
        let file: TriageFile = toml::from_str(toml_text).map_err(|error| {
            problem(
                &error.span().map_or_else(|| "?".to_owned(), |span| format!("byte {}", span.start)),
                error.message(),
            )
        })?;
        let mut questions = BTreeMap::new();
        for question in file.question {
            let id = question.id.clone();
            if questions.insert(id.clone(), question).is_some() {
                return Err(problem(&id, "question listed twice"));
            }
        }
        let mut ideas = BTreeMap::new();
        for idea in file.idea {
            let id = idea.id.clone();
            if ideas.insert(id.clone(), idea).is_some() {
                return Err(problem(&id, "idea listed twice"));
            }
        }
        let rules = TriageRules {
            sources: file.source,
            categories: file.category,
            questions,
            followup_sets: file.followup_set,
            eligibility: file.eligibility,
            ideas,
            weak_points: file.weak_point,
            letter_facts: file.letter_fact,
        };
        rules.validate(english)?;
        Ok(rules)
    }

    pub fn category(&self, category: ProblemCategory) -> Option<&CategoryRule> {
        self.categories.iter().find(|c| c.id == category.as_str())
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    fn validate(&self, english: &TextTable) -> CoreResult<()> {
        for key in ENGINE_TEXT_KEYS {
            self.require_text(english, "(engine)", key)?;
        }
        self.validate_sources()?;
        self.validate_categories()?;
        for question in self.questions.values() {
            self.validate_question(question, english)?;
        }
        for set in &self.followup_sets {
            self.require_text(english, &set.id, &format!("followup_set.{}.title", set.id))?;
            self.require_source(&set.id, &set.source)?;
            self.validate_conditions(&set.id, &set.when)?;
            for id in &set.questions {
                self.require_question(&set.id, id)?;
            }
        }
        for rule in &self.eligibility {
            self.validate_eligibility(rule, english)?;
        }
        for idea in self.ideas.values() {
            self.require_source(&idea.id, &idea.source)?;
            for part in ["title", "explanation", "actions"] {
                self.require_text(english, &idea.id, &format!("idea.{}.{part}", idea.id))?;
            }
        }
        for weak_point in &self.weak_points {
            self.require_source(&weak_point.id, &weak_point.source)?;
            self.validate_conditions(&weak_point.id, &weak_point.when)?;
            for part in ["title", "rule"] {
                self.require_text(english, &weak_point.id, &format!("weak_point.{}.{part}", weak_point.id))?;
            }
            for evidence in &weak_point.evidence {
                self.require_text(english, &weak_point.id, &format!("evidence.{evidence}.title"))?;
            }
        }
        for fact in &self.letter_facts {
            self.require_source(&fact.id, &fact.source)?;
            self.require_text(english, &fact.id, &format!("letter_fact.{}.title", fact.id))?;
            for source in &fact.satisfied_by {
                match parse_fact_source(source) {
                    Some(FactSource::CaseField(field)) if CASE_FIELDS.contains(&field.as_str()) => {}
                    Some(FactSource::Answer(question)) => {
                        self.require_question(&fact.id, &question)?;
                    }
                    _ => {
                        return Err(problem(
                            &fact.id,
                            format!("'{source}' is not case:<field> or answer:<question>"),
                        ));
                    }
                }
            }
        }
        self.validate_flows()?;
        self.validate_every_entry_is_used()
    }

    fn validate_sources(&self) -> CoreResult<()> {
        let mut seen = BTreeSet::new();
        for source in &self.sources {
            if !seen.insert(&source.id) {
                return Err(problem(&source.id, "source listed twice"));
            }
            let url_ok = source.url == "unknown" || crate::knowledge::is_well_formed_https_url(&source.url);
            if !url_ok {
                return Err(problem(&source.id, "url must be an https:// address or \"unknown\""));
            }
        }
        Ok(())
    }

    fn validate_categories(&self) -> CoreResult<()> {
        for category in ProblemCategory::ALL {
            if self.category(category).is_none() {
                return Err(problem(category.as_str(), "every problem category needs a [[category]] entry"));
            }
        }
        for category in &self.categories {
            if ProblemCategory::from_name(&category.id).is_none() {
                return Err(problem(&category.id, "not one of deposit, withdrawal, account, software"));
            }
            self.require_source(&category.id, &category.source)?;
            self.require_question(&category.id, &category.start)?;
        }
        Ok(())
    }

    fn validate_question(&self, question: &QuestionRule, english: &TextTable) -> CoreResult<()> {
        let id = &question.id;
        self.require_source(id, &question.source)?;
        if question.kind != QuestionKind::Route {
            self.require_text(english, id, &format!("question.{id}.text"))?;
        }
        let branch_targets = self.branches(question);
        for (next, ideas) in &branch_targets {
            if let Some(next) = next
                && *next != END
            {
                self.require_question(id, next)?;
            }
            for idea in *ideas {
                if !self.ideas.contains_key(idea) {
                    return Err(problem(id, format!("unknown idea '{idea}'")));
                }
            }
        }
        match question.kind {
            QuestionKind::Choice | QuestionKind::MultiChoice => {
                if question.options.is_empty() {
                    return Err(problem(id, "a choice question needs options"));
                }
                for option in &question.options {
                    self.require_text(english, id, &format!("question.{id}.option.{}", option.id))?;
                }
            }
            QuestionKind::Route => {
                if question.otherwise.is_none() {
                    return Err(problem(id, "a route needs `otherwise`"));
                }
                for route in &question.routes {
                    self.validate_conditions(id, std::slice::from_ref(&route.when))?;
                }
            }
            _ => {}
        }
        if let Some(field) = &question.case_field
            && !CASE_FIELDS.contains(&field.as_str())
        {
            return Err(problem(id, format!("unknown case_field '{field}'")));
        }
        Ok(())
    }

    fn validate_eligibility(&self, rule: &EligibilityRule, english: &TextTable) -> CoreResult<()> {
        self.require_source(&rule.id, &rule.source)?;
        if rule.ask.is_some() == rule.auto.is_some() {
            return Err(problem(&rule.id, "an eligibility check has exactly one of `ask` and `auto`"));
        }
        if let Some(question) = &rule.ask {
            self.require_question(&rule.id, question)?;
        }
        for prompt in &rule.prompts {
            self.require_question(&rule.id, prompt)?;
        }
        for part in ["title", "consequence", "better_route"] {
            self.require_text(english, &rule.id, &format!("eligibility.{}.{part}", rule.id))?;
        }
        Ok(())
    }

    /// Every (next, ideas) pair a question can lead to.
    pub fn branches<'a>(&self, question: &'a QuestionRule) -> Vec<(Option<&'a String>, &'a [String])> {
        let mut out = Vec::new();
        for branch in [&question.yes, &question.no].into_iter().flatten() {
            out.push((branch.next.as_ref(), branch.ideas.as_slice()));
        }
        for option in &question.options {
            out.push((option.next.as_ref().or(question.next.as_ref()), option.ideas.as_slice()));
        }
        if question.options.is_empty() && question.next.is_some() {
            out.push((question.next.as_ref(), &[]));
        }
        for route in &question.routes {
            out.push((Some(&route.next), &[]));
        }
        if let Some(otherwise) = &question.otherwise {
            out.push((Some(otherwise), &[]));
        }
        out
    }

    /// From each category's start, every path must reach "end" without a cycle, and every question
    /// on a path must say where each answer leads.
    fn validate_flows(&self) -> CoreResult<()> {
        for category in &self.categories {
            let mut on_path = Vec::new();
            self.walk(&category.start, &mut on_path, &mut BTreeSet::new())?;
        }
        Ok(())
    }

    fn walk(&self, id: &str, on_path: &mut Vec<String>, done: &mut BTreeSet<String>) -> CoreResult<()> {
        if done.contains(id) {
            return Ok(());
        }
        if on_path.iter().any(|seen| seen == id) {
            on_path.push(id.to_owned());
            return Err(problem(id, format!("the questions loop: {}", on_path.join(" → "))));
        }
        let question = &self.questions[id];
        let branches = self.branches(question);
        let expected = match question.kind {
            QuestionKind::YesNo => 2,
            _ => 1,
        };
        if branches.len() < expected || branches.iter().any(|(next, _)| next.is_none()) {
            return Err(problem(
                id,
                "inside a category's flow, every answer needs a `next` (a question or \"end\")",
            ));
        }
        on_path.push(id.to_owned());
        for (next, _) in branches {
            if let Some(next) = next
                && next != END
            {
                self.walk(next, on_path, done)?;
            }
        }
        on_path.pop();
        done.insert(id.to_owned());
        Ok(())
    }

    /// Every question and idea must be reachable from a category, a follow-up set or a check.
    fn validate_every_entry_is_used(&self) -> CoreResult<()> {
        let mut reachable_questions = BTreeSet::new();
        let mut reachable_ideas = BTreeSet::new();
        let mut stack: Vec<&String> = self.categories.iter().map(|c| &c.start).collect();
        stack.extend(self.followup_sets.iter().flat_map(|s| &s.questions));
        stack.extend(self.eligibility.iter().filter_map(|e| e.ask.as_ref()));
        stack.extend(self.eligibility.iter().flat_map(|e| &e.prompts));
        while let Some(id) = stack.pop() {
            if !reachable_questions.insert(id.clone()) {
                continue;
            }
            for (next, ideas) in self.branches(&self.questions[id]) {
                reachable_ideas.extend(ideas.iter().cloned());
                if let Some(next) = next
                    && next != END
                {
                    stack.push(next);
                }
            }
        }
        if let Some(unused) = self.questions.keys().find(|id| !reachable_questions.contains(*id)) {
            return Err(problem(unused, "no category, follow-up set or check ever asks this question"));
        }
        if let Some(unused) = self.ideas.keys().find(|id| !reachable_ideas.contains(*id)) {
            return Err(problem(unused, "no answer ever shows this idea"));
        }
        Ok(())
    }

    fn validate_conditions(&self, entry: &str, conditions: &[String]) -> CoreResult<()> {
        for text in conditions {
            match parse_condition(text) {
                Some(Condition::Category(_)) => {}
                Some(Condition::Answer { question, value }) => {
                    let rule = self.require_question(entry, &question)?;
                    let value_ok = match rule.kind {
                        QuestionKind::YesNo => value == "yes" || value == "no",
                        QuestionKind::Choice | QuestionKind::MultiChoice => {
                            rule.options.iter().any(|option| option.id == value)
                        }
                        _ => false,
                    };
                    if !value_ok {
                        return Err(problem(
                            entry,
                            format!("'{text}': '{value}' is not an answer of '{question}'"),
                        ));
                    }
                }
                None => {
                    return Err(problem(
                        entry,
                        format!("'{text}' is not category:<id> or answer:<question>=<value>"),
                    ));
                }
            }
        }
        Ok(())
    }

    fn require_question(&self, entry: &str, id: &str) -> CoreResult<&QuestionRule> {
        self.questions.get(id).ok_or_else(|| problem(entry, format!("unknown question '{id}'")))
    }

    fn require_source(&self, entry: &str, id: &str) -> CoreResult<()> {
        self.source(id).map(|_| ()).ok_or_else(|| problem(entry, format!("unknown source '{id}'")))
    }

    fn require_text(&self, english: &TextTable, entry: &str, key: &str) -> CoreResult<()> {
        if english.has(key) {
            Ok(())
        } else {
            Err(problem(entry, format!("no text for '{key}' in knowledge/text/en/")))
        }
    }
}

pub fn parse_condition(text: &str) -> Option<Condition> {
    if let Some(category) = text.strip_prefix("category:") {
        return ProblemCategory::from_name(category).map(Condition::Category);
    }
    let (question, value) = text.strip_prefix("answer:")?.split_once('=')?;
    Some(Condition::Answer { question: question.to_owned(), value: value.to_owned() })
}

pub fn parse_fact_source(text: &str) -> Option<FactSource> {
    if let Some(field) = text.strip_prefix("case:") {
        return Some(FactSource::CaseField(field.to_owned()));
    }
    text.strip_prefix("answer:").map(|question| FactSource::Answer(question.to_owned()))
}
