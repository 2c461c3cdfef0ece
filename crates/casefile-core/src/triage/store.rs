//! Triage's rows in the case database: each answer saved as it is given, the evidence checklist,
//! and closing a case that self-help solved.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{Answer, AnswerInput, SimilarCase, TriageInputs, TriageView};
use crate::case::SELF_HELP_LABEL;
use crate::error::{CoreError, CoreResult};
use crate::storage::Store;
use crate::{knowledge, money, text};

impl Store {
    /// The saved answers of a case, by question id.
    pub fn triage_answers(&self, case_id: i64) -> CoreResult<BTreeMap<String, Answer>> {
        let mut statement =
            self.conn.prepare("SELECT question_id, answer FROM triage_answers WHERE case_id = ?1")?;
        let rows =
            statement.query_map([case_id], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?;
        let mut answers = BTreeMap::new();
        for row in rows {
            let (question, json) = row?;
            // An answer this build cannot read (written by a later version) is skipped, not fatal.
            if let Ok(answer) = serde_json::from_str(&json) {
                answers.insert(question, answer);
            }
        }
        Ok(answers)
    }

    fn save_triage_answer(
        &self,
        case_id: i64,
        question: &str,
        answer: &Answer,
        now: DateTime<Utc>,
    ) -> CoreResult<()> {
        let json = serde_json::to_string(answer)
            .map_err(|e| CoreError::io("Could not encode the answer", e.into()))?;
        self.conn.execute(
            "INSERT INTO triage_answers (case_id, question_id, answer, answered_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (case_id, question_id) DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at",
            params![case_id, question, json, now],
        )?;
        Ok(())
    }

    /// Forgets one answer, so the question is asked again.
    pub fn clear_triage_answer(&mut self, case_id: i64, question: &str) -> CoreResult<()> {
        self.get_case(case_id)?;
        self.conn.execute(
            "DELETE FROM triage_answers WHERE case_id = ?1 AND question_id = ?2",
            params![case_id, question],
        )?;
        Ok(())
    }

    pub fn checked_evidence(&self, case_id: i64) -> CoreResult<BTreeSet<String>> {
        let mut statement =
            self.conn.prepare("SELECT evidence_id FROM evidence_checklist WHERE case_id = ?1")?;
        let ids =
            statement.query_map([case_id], |row| row.get(0))?.collect::<Result<BTreeSet<String>, _>>()?;
        Ok(ids)
    }

    /// Marks an evidence item of the weak-points check as in hand (or not).
    pub fn set_evidence_checked(
        &mut self,
        case_id: i64,
        evidence_id: &str,
        checked: bool,
        now: DateTime<Utc>,
    ) -> CoreResult<()> {
        self.get_case(case_id)?;
        if checked {
            self.conn.execute(
                "INSERT OR IGNORE INTO evidence_checklist (case_id, evidence_id, checked_at) VALUES (?1, ?2, ?3)",
                params![case_id, evidence_id, now],
            )?;
        } else {
            self.conn.execute(
                "DELETE FROM evidence_checklist WHERE case_id = ?1 AND evidence_id = ?2",
                params![case_id, evidence_id],
            )?;
        }
        Ok(())
    }

    /// Other cases about the same casino (ignoring case and spaces) and the same problem.
    pub fn similar_cases(&self, case_id: i64) -> CoreResult<Vec<SimilarCase>> {
        let mut statement = self.conn.prepare(
            "SELECT other.id, other.title, other.archived_at IS NOT NULL FROM cases AS this
             JOIN cases AS other ON other.id != this.id
                AND lower(trim(other.casino_name)) = lower(trim(this.casino_name))
                AND other.category = this.category
             WHERE this.id = ?1 ORDER BY other.id",
        )?;
        let rows = statement.query_map([case_id], |row| {
            Ok(SimilarCase { id: row.get(0)?, title: row.get(1)?, archived: row.get(2)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Closes a case with an outcome class and label of `knowledge/outcomes.toml`, a note, and
    /// what was recovered (as typed, in the case's currency).
    pub fn close_case(
        &mut self,
        case_id: i64,
        closing: &CaseClosing,
        now: DateTime<Utc>,
    ) -> CoreResult<crate::case::Case> {
        let (outcome, label) = (closing.outcome.as_str(), closing.label.as_str());
        if !knowledge::shipped().outcome_label_exists(outcome, label) {
            return Err(CoreError::UnknownOutcome { outcome: outcome.into(), label: label.into() });
        }
        let case = self.get_case(case_id)?;
        let recovered = match closing.amount_recovered.trim() {
            "" => None,
            typed => {
                let currency = money::parse_currency(&case.disputed.currency)
                    .map_err(|p| CoreError::Invalid(vec![p]))?;
                Some(
                    money::parse_amount(typed, currency)
                        .map_err(|p| CoreError::Invalid(vec![p]))?
                        .money
                        .minor_units,
                )
            }
        };
        if closing.note.chars().count() > 5_000 {
            return Err(CoreError::Refused(
                "The case was not closed: keep the closing note under 5,000 characters.".into(),
            ));
        }
        self.conn.execute(
            "UPDATE cases SET closed_at = ?2, outcome = ?3, outcome_label = ?4, closing_note = ?5,
                amount_recovered_minor = ?6, updated_at = ?2 WHERE id = ?1",
            params![case_id, now, outcome, label, closing.note.trim(), recovered],
        )?;
        self.get_case(case_id)
    }

    /// Opens a closed case again (its history stays).
    pub fn reopen_case(&mut self, case_id: i64, now: DateTime<Utc>) -> CoreResult<()> {
        let changed = self.conn.execute(
            "UPDATE cases SET closed_at = NULL, outcome = NULL, outcome_label = NULL, closing_note = '',
                amount_recovered_minor = NULL, updated_at = ?2 WHERE id = ?1",
            params![case_id, now],
        )?;
        if changed == 0 {
            return Err(CoreError::CaseNotFound(case_id));
        }
        Ok(())
    }
}

/// The triage of a case as it stands, in `language` (English when not shipped).
pub fn view(store: &Store, case_id: i64, now: DateTime<Utc>, language: &str) -> CoreResult<TriageView> {
    let case = store.get_case(case_id)?;
    let answers = store.triage_answers(case_id)?;
    let checked = store.checked_evidence(case_id)?;
    let covered_by = store.checklist_coverage(case_id)?;
    let similar = store.similar_cases(case_id)?;
    let inputs = TriageInputs {
        today: super::case_today(&case, now),
        case: &case,
        answers: &answers,
        checked_evidence: &checked,
        covered_by: &covered_by,
        similar_cases: &similar,
    };
    Ok(super::evaluate(super::shipped_rules(), text::shipped(language), &inputs))
}

/// Checks and saves one answer, then returns the recomputed view.
pub fn answer(
    store: &mut Store,
    case_id: i64,
    question: &str,
    input: AnswerInput,
    now: DateTime<Utc>,
    language: &str,
) -> CoreResult<TriageView> {
    let case = store.get_case(case_id)?;
    let answer = super::validate_answer(
        super::shipped_rules(),
        &case,
        question,
        input,
        super::case_today(&case, now),
    )?;
    store.save_triage_answer(case_id, question, &answer, now)?;
    view(store, case_id, now, language)
}

/// Applies many answers at once (the CLI's answers file): all are checked first, then saved in one
/// transaction, so a bad answer leaves the case as it was.
pub fn answer_all(
    store: &mut Store,
    case_id: i64,
    inputs: Vec<(String, AnswerInput)>,
    now: DateTime<Utc>,
    language: &str,
) -> CoreResult<TriageView> {
    let case = store.get_case(case_id)?;
    let today = super::case_today(&case, now);
    let checked = inputs
        .into_iter()
        .map(|(question, input)| {
            super::validate_answer(super::shipped_rules(), &case, &question, input, today)
                .map(|answer| (question, answer))
        })
        .collect::<CoreResult<Vec<_>>>()?;
    let tx = store.conn.unchecked_transaction()?;
    for (question, answer) in &checked {
        store.save_triage_answer(case_id, question, answer, now)?;
    }
    tx.commit()?;
    view(store, case_id, now, language)
}

/// "This solved it": closes the case as resolved without contacting the casino.
pub fn resolve_by_self_help(
    store: &mut Store,
    case_id: i64,
    note: &str,
    now: DateTime<Utc>,
) -> CoreResult<()> {
    let closing = CaseClosing {
        outcome: "resolved".into(),
        label: SELF_HELP_LABEL.into(),
        note: note.into(),
        amount_recovered: String::new(),
    };
    store.close_case(case_id, &closing, now).map(|_| ())
}

/// How the player closes a case: an outcome class and label, a note, and what came back (as typed).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct CaseClosing {
    pub outcome: String,
    pub label: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub amount_recovered: String,
}
