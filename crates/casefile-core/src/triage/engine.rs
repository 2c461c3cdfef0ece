//! Evaluates the triage rules against one case and its answers. Pure: the same case, answers and
//! `today` give the same view, so an edited answer recomputes everything after it.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::rules::{self, AutoCheck, Condition, END, FactSource, QuestionKind, QuestionRule, TriageRules};
use super::{
    Answer, AnswerKind, CaseFact, Completeness, EligibilityFinding, EvidenceItem, IdeaView, LetterFact,
    OptionView, QuestionView, SourceView, TriageInputs, TriagePhase, TriageStep, TriageView, WeakPoint,
};
use crate::case::Case;
use crate::text::TextTable;

/// Below this many words a description is too thin to act on, unless the prompts were answered.
const THIN_DESCRIPTION_WORDS: usize = 25;
const DAYS_IN_A_YEAR: i64 = 365;

pub fn evaluate(rules: &TriageRules, text: &TextTable, inputs: &TriageInputs<'_>) -> TriageView {
    let mut walk =
        Walk { rules, text, inputs, steps: Vec::new(), current: None, phase: TriagePhase::Category };
    walk.category_questions();
    if walk.current.is_none() {
        walk.phase = TriagePhase::FollowUp;
        walk.followup_questions();
    }
    if walk.current.is_none() {
        walk.phase = TriagePhase::Eligibility;
        walk.eligibility_questions();
    }
    if walk.current.is_none() {
        walk.phase = TriagePhase::Done;
    }
    let ideas = unique_ideas(&walk.steps);
    TriageView {
        case_id: inputs.case.id,
        phase: walk.phase,
        eligibility: walk.findings(),
        facts: walk.facts(),
        weak_points: walk.weak_points(),
        completeness: walk.completeness(),
        resolved_by_self_help: inputs
            .case
            .closure
            .as_ref()
            .is_some_and(|closure| closure.label == crate::case::SELF_HELP_LABEL),
        current: walk.current.clone(),
        steps: walk.steps,
        ideas,
    }
}

struct Walk<'a> {
    rules: &'a TriageRules,
    text: &'a TextTable,
    inputs: &'a TriageInputs<'a>,
    steps: Vec<TriageStep>,
    current: Option<QuestionView>,
    phase: TriagePhase,
}

impl Walk<'_> {
    /// Follows the category's branches from its start until an unanswered question or the end.
    fn category_questions(&mut self) {
        let Some(category) = self.rules.category(self.inputs.case.category) else {
            return;
        };
        let mut id = category.start.clone();
        // Validation rules out cycles; the bound only guards against a knowledge bug.
        for _ in 0..=self.rules.questions.len() {
            if id == END {
                return;
            }
            let question = &self.rules.questions[&id];
            if question.kind == QuestionKind::Route {
                id = self.route(question);
                continue;
            }
            match self.answer_to(question) {
                Some((answer, from_case)) => {
                    let next = self.next_after(question, &answer);
                    self.record(question, answer, from_case, None);
                    id = next;
                }
                None => {
                    self.current = Some(self.question_view(question, None));
                    return;
                }
            }
        }
    }

    /// The active follow-up sets' questions, in file order; a question in two sets is asked once.
    fn followup_questions(&mut self) {
        for set in &self.rules.followup_sets {
            if !self.any_holds(&set.when) {
                continue;
            }
            let group = self.text.get(&format!("followup_set.{}.title", set.id));
            if !self.ask_each(&set.questions, &group) {
                return;
            }
        }
    }

    fn eligibility_questions(&mut self) {
        let group = self.text.get("triage.group.eligibility");
        let asked: Vec<String> = self.rules.eligibility.iter().filter_map(|rule| rule.ask.clone()).collect();
        if !self.ask_each(&asked, &group) {
            return;
        }
        if self.description_is_thin() {
            for rule in &self.rules.eligibility {
                if rule.auto == Some(AutoCheck::DescriptionTooThin) {
                    let group = self.text.get(&format!("eligibility.{}.title", rule.id));
                    if !self.ask_each(&rule.prompts, &group) {
                        return;
                    }
                }
            }
        }
    }

    /// Records answered questions; stops at the first unanswered one. False when it stopped.
    fn ask_each(&mut self, ids: &[String], group: &str) -> bool {
        for id in ids {
            if self.steps.iter().any(|step| &step.question.id == id) {
                continue;
            }
            let question = &self.rules.questions[id];
            match self.answer_to(question) {
                Some((answer, from_case)) => self.record(question, answer, from_case, Some(group)),
                None => {
                    self.current = Some(self.question_view(question, Some(group)));
                    return false;
                }
            }
        }
        true
    }

    fn answer_to(&self, question: &QuestionRule) -> Option<(Answer, bool)> {
        if let Some(answer) = self.inputs.answers.get(&question.id) {
            return Some((answer.clone(), false));
        }
        let field = question.case_field.as_deref()?;
        case_field_answer(self.inputs.case, field).map(|answer| (answer, true))
    }

    fn route(&self, question: &QuestionRule) -> String {
        question
            .routes
            .iter()
            .find(|route| self.holds(&route.when))
            .map(|route| route.next.clone())
            .or_else(|| question.otherwise.clone())
            .unwrap_or_else(|| END.to_owned())
    }

    fn next_after(&self, question: &QuestionRule, answer: &Answer) -> String {
        let (next, _) = branch_for(question, answer);
        next.unwrap_or_else(|| END.to_owned())
    }

    fn record(&mut self, question: &QuestionRule, answer: Answer, from_case: bool, group: Option<&str>) {
        let (_, idea_ids) = branch_for(question, &answer);
        let ideas = idea_ids.iter().map(|id| self.idea_view(id)).collect();
        let answer_text = self.answer_text(question, &answer);
        self.steps.push(TriageStep {
            question: self.question_view(question, group),
            answer,
            answer_text,
            from_case,
            ideas,
        });
    }

    fn answer_on_path(&self, question: &str) -> Option<&Answer> {
        self.steps.iter().find(|step| step.question.id == question).map(|step| &step.answer)
    }

    fn holds(&self, condition: &str) -> bool {
        match rules::parse_condition(condition) {
            Some(Condition::Category(category)) => category == self.inputs.case.category,
            Some(Condition::Answer { question, value }) => match self.answer_on_path(&question) {
                Some(Answer::Yes) => value == "yes",
                Some(Answer::No) => value == "no",
                Some(Answer::Choice(chosen)) => *chosen == value,
                Some(Answer::Choices(chosen)) => chosen.contains(&value),
                _ => false,
            },
            None => false,
        }
    }

    fn any_holds(&self, conditions: &[String]) -> bool {
        conditions.iter().any(|condition| self.holds(condition))
    }

    fn description_is_thin(&self) -> bool {
        self.inputs.case.description.split_whitespace().count() < THIN_DESCRIPTION_WORDS
    }

    fn source_view(&self, id: &str) -> SourceView {
        let source = self.rules.source(id);
        SourceView {
            id: id.to_owned(),
            title: source.map_or_else(|| id.to_owned(), |s| s.title.clone()),
            url: source.map_or_else(|| "unknown".to_owned(), |s| s.url.clone()),
        }
    }

    fn question_view(&self, question: &QuestionRule, group: Option<&str>) -> QuestionView {
        let id = &question.id;
        QuestionView {
            id: id.clone(),
            kind: answer_kind(question.kind),
            text: self.text.get(&format!("question.{id}.text")),
            help: self.text.optional(&format!("question.{id}.help")),
            options: question
                .options
                .iter()
                .map(|option| OptionView {
                    id: option.id.clone(),
                    label: self.text.get(&format!("question.{id}.option.{}", option.id)),
                })
                .collect(),
            group: group.map(str::to_owned),
            source: self.source_view(&question.source),
        }
    }

    fn idea_view(&self, id: &str) -> IdeaView {
        IdeaView {
            id: id.to_owned(),
            title: self.text.get(&format!("idea.{id}.title")),
            explanation: self.text.get(&format!("idea.{id}.explanation")),
            actions: self.text.list(&format!("idea.{id}.actions")),
            source: self.source_view(&self.rules.ideas[id].source),
        }
    }

    fn answer_text(&self, question: &QuestionRule, answer: &Answer) -> String {
        let option_label = |option: &str| self.text.get(&format!("question.{}.option.{option}", question.id));
        match answer {
            Answer::Yes => self.text.get("triage.answer.yes"),
            Answer::No => self.text.get("triage.answer.no"),
            Answer::Date(date) => date.to_string(),
            Answer::Amount(money) => money.display(),
            Answer::Choice(option) => option_label(option),
            Answer::Choices(options) => {
                options.iter().map(|o| option_label(o)).collect::<Vec<_>>().join("; ")
            }
            Answer::Text(text) => text.clone(),
        }
    }

    fn findings(&self) -> Vec<EligibilityFinding> {
        let mut findings = Vec::new();
        for rule in &self.rules.eligibility {
            let (applies, detail, related) = match (&rule.ask, rule.auto) {
                // The checks are asked whatever the path, so any saved answer counts.
                (Some(question), _) => {
                    (matches!(self.inputs.answers.get(question), Some(Answer::Yes)), None, Vec::new())
                }
                (None, Some(AutoCheck::IncidentOlderThanAYear)) => match self.incident_date() {
                    Some(date) if (self.inputs.today - date).num_days() > DAYS_IN_A_YEAR => {
                        let days = (self.inputs.today - date).num_days().to_string();
                        let detail = self
                            .text
                            .get("eligibility.older-than-a-year.detail")
                            .replace("{date}", &self.text.date(date))
                            .replace("{days}", &days);
                        (true, Some(detail), Vec::new())
                    }
                    _ => (false, None, Vec::new()),
                },
                (None, Some(AutoCheck::SameCasinoAndProblem)) => {
                    (!self.inputs.similar_cases.is_empty(), None, self.inputs.similar_cases.to_vec())
                }
                (None, Some(AutoCheck::DescriptionTooThin)) => {
                    let prompts_answered = rule.prompts.iter().all(|id| self.inputs.answers.contains_key(id));
                    (self.description_is_thin() && !prompts_answered, None, Vec::new())
                }
                (None, None) => (false, None, Vec::new()),
            };
            if applies {
                findings.push(EligibilityFinding {
                    id: rule.id.clone(),
                    reason: rule.reason,
                    severity: rule.severity,
                    title: self.text.get(&format!("eligibility.{}.title", rule.id)),
                    consequence: self.text.get(&format!("eligibility.{}.consequence", rule.id)),
                    better_route: self.text.get(&format!("eligibility.{}.better_route", rule.id)),
                    detail,
                    related_cases: related,
                    source: self.source_view(&rule.source),
                });
            }
        }
        findings
    }

    /// The date the trouble started: the withdrawal request or deposit, from triage or the case.
    fn incident_date(&self) -> Option<NaiveDate> {
        ["fu-withdrawal-date", "deposit-date"]
            .iter()
            .find_map(|id| match self.answer_on_path(id) {
                Some(Answer::Date(date)) => Some(*date),
                _ => None,
            })
            .or(self.inputs.case.key_dates.withdrawal_requested)
            .or(self.inputs.case.key_dates.first_deposit)
    }

    fn facts(&self) -> Vec<CaseFact> {
        self.steps
            .iter()
            .map(|step| CaseFact {
                question_id: step.question.id.clone(),
                label: step.question.text.clone(),
                value: step.answer_text.clone(),
            })
            .collect()
    }

    fn weak_points(&self) -> Vec<WeakPoint> {
        self.rules
            .weak_points
            .iter()
            .filter(|rule| self.any_holds(&rule.when))
            .map(|rule| WeakPoint {
                id: rule.id.clone(),
                title: self.text.get(&format!("weak_point.{}.title", rule.id)),
                rule: self.text.get(&format!("weak_point.{}.rule", rule.id)),
                evidence: rule
                    .evidence
                    .iter()
                    .map(|id| {
                        let covered_by = self.inputs.covered_by.get(id).cloned().unwrap_or_default();
                        EvidenceItem {
                            id: id.clone(),
                            title: self.text.get(&format!("evidence.{id}.title")),
                            covered: self.inputs.checked_evidence.contains(id) || !covered_by.is_empty(),
                            covered_by,
                        }
                    })
                    .collect(),
                source: self.source_view(&rule.source),
            })
            .collect()
    }

    fn completeness(&self) -> Completeness {
        let facts: Vec<LetterFact> = self
            .rules
            .letter_facts
            .iter()
            .map(|rule| LetterFact {
                id: rule.id.clone(),
                title: self.text.get(&format!("letter_fact.{}.title", rule.id)),
                present: rule.satisfied_by.iter().any(|source| match rules::parse_fact_source(source) {
                    Some(FactSource::CaseField(field)) => case_field_present(self.inputs.case, &field),
                    Some(FactSource::Answer(question)) => self.answer_on_path(&question).is_some(),
                    None => false,
                }),
            })
            .collect();
        let present = facts.iter().filter(|fact| fact.present).count();
        let percent = if facts.is_empty() { 100 } else { present * 100 / facts.len() };
        Completeness { percent: u8::try_from(percent).unwrap_or(100), facts }
    }
}

fn branch_for<'a>(question: &'a QuestionRule, answer: &Answer) -> (Option<String>, Vec<&'a String>) {
    match (question.kind, answer) {
        (QuestionKind::YesNo, Answer::Yes | Answer::No) => {
            let branch = if matches!(answer, Answer::Yes) { &question.yes } else { &question.no };
            branch.as_ref().map_or((None, Vec::new()), |b| (b.next.clone(), b.ideas.iter().collect()))
        }
        (QuestionKind::Choice, Answer::Choice(chosen)) => question
            .options
            .iter()
            .find(|option| &option.id == chosen)
            .map_or((question.next.clone(), Vec::new()), |option| {
                (option.next.clone().or_else(|| question.next.clone()), option.ideas.iter().collect())
            }),
        (QuestionKind::MultiChoice, Answer::Choices(chosen)) => (
            question.next.clone(),
            question.options.iter().filter(|o| chosen.contains(&o.id)).flat_map(|o| &o.ideas).collect(),
        ),
        _ => (question.next.clone(), Vec::new()),
    }
}

fn unique_ideas(steps: &[TriageStep]) -> Vec<IdeaView> {
    let mut seen = BTreeSet::new();
    steps.iter().flat_map(|step| &step.ideas).filter(|idea| seen.insert(idea.id.clone())).cloned().collect()
}

fn answer_kind(kind: QuestionKind) -> AnswerKind {
    match kind {
        QuestionKind::YesNo | QuestionKind::Route => AnswerKind::YesNo,
        QuestionKind::Date => AnswerKind::Date,
        QuestionKind::Amount => AnswerKind::Amount,
        QuestionKind::Choice => AnswerKind::Choice,
        QuestionKind::MultiChoice => AnswerKind::MultiChoice,
        QuestionKind::Text => AnswerKind::Text,
    }
}

fn case_field_answer(case: &Case, field: &str) -> Option<Answer> {
    match field {
        "withdrawal_requested" => case.key_dates.withdrawal_requested.map(Answer::Date),
        "first_deposit" => case.key_dates.first_deposit.map(Answer::Date),
        _ => None,
    }
}

fn case_field_present(case: &Case, field: &str) -> bool {
    match field {
        "casino_name" => !case.casino.name.is_empty(),
        "amount" => case.disputed.minor_units > 0,
        "account_id" => case.account_id.is_some(),
        "withdrawal_requested" => case.key_dates.withdrawal_requested.is_some(),
        "first_deposit" => case.key_dates.first_deposit.is_some(),
        "description" => case.description.split_whitespace().count() >= THIN_DESCRIPTION_WORDS,
        "regulator" => case.casino.regulator.is_some(),
        "player_country" => case.player_country.is_some(),
        _ => false,
    }
}
