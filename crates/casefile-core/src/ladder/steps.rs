//! The ladder's rows in the case database: recorded steps and skipped rungs, and the views built
//! from them (one case's ladder, the home screen's stage and next date, the due list).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Row, params};

use super::engine::LadderInputs;
use super::{
    Channel, DueItem, LadderView, ReplyOutcome, StepInput, StepKind, StepRecord, shipped_clocks,
    shipped_directory,
};
use crate::case::CaseSummary;
use crate::error::{CoreError, CoreResult};
use crate::storage::{CaseFilter, Store};
use crate::{text, triage};

const TEXT_LIMIT: usize = 5_000;

fn rejected(message: impl Into<String>) -> CoreError {
    CoreError::Refused(format!("The step was not recorded: {}", message.into()))
}

/// Checks a step as entered: a known recipient, a real date not in the player's future, a channel
/// for a message sent, an outcome for a reply, a known milestone.
fn validate_step(input: &StepInput, latest_allowed: NaiveDate) -> CoreResult<StepRecord> {
    let recipient = shipped_directory().get(&input.recipient_id).ok_or_else(|| {
        rejected(format!(
            "'{}' is not in the directory. `casefile recipients` lists the ids.",
            input.recipient_id
        ))
    })?;
    let on = NaiveDate::parse_from_str(input.on.trim(), "%Y-%m-%d").map_err(|_| {
        rejected(format!(
            "\"{}\" is not a date. Write it as year-month-day, e.g. 2026-05-31.",
            input.on.trim()
        ))
    })?;
    if on > latest_allowed {
        return Err(rejected(format!("{on} is in the future. Record a step once it has happened.")));
    }
    if input.reference.chars().count() > 200 || input.summary.chars().count() > TEXT_LIMIT {
        return Err(rejected(format!(
            "Keep the reference under 200 and the summary under {TEXT_LIMIT} characters."
        )));
    }
    let (channel, outcome, milestone) = match input.kind {
        StepKind::Sent => {
            let channel = input.channel.ok_or_else(|| {
                rejected("Say how it was sent: live chat, email, phone, form, post or portal.")
            })?;
            (Some(channel), None, None)
        }
        StepKind::Reply => {
            let outcome = input.outcome.ok_or_else(|| rejected("Say what the reply said: acknowledged, asked for more, final response, refused, paid, partly paid or other."))?;
            (input.channel, Some(outcome), None)
        }
        StepKind::Milestone => {
            let milestone =
                input.milestone.clone().filter(|m| shipped_clocks().milestone(m).is_some()).ok_or_else(
                    || {
                        let known: Vec<&str> =
                            shipped_clocks().milestones.iter().map(|m| m.id.as_str()).collect();
                        rejected(format!("A milestone must be one of: {}.", known.join(", ")))
                    },
                )?;
            (None, None, Some(milestone))
        }
    };
    Ok(StepRecord {
        id: 0,
        recipient_id: recipient.id.clone(),
        kind: input.kind,
        channel,
        on,
        reference: input.reference.trim().to_owned(),
        summary: input.summary.trim().to_owned(),
        outcome,
        milestone,
        evidence: Vec::new(),
    })
}

fn enum_text<T: serde::Serialize>(value: &T) -> Option<String> {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned))
}

fn enum_from<T: serde::de::DeserializeOwned>(text: Option<String>) -> Option<T> {
    text.and_then(|t| serde_json::from_value(serde_json::Value::String(t)).ok())
}

fn step_from_row(row: &Row<'_>) -> rusqlite::Result<StepRecord> {
    let kind: String = row.get("kind")?;
    Ok(StepRecord {
        id: row.get("id")?,
        recipient_id: row.get("recipient_id")?,
        kind: enum_from(Some(kind)).unwrap_or(StepKind::Sent),
        channel: enum_from::<Channel>(row.get("channel")?),
        on: row.get("happened_on")?,
        reference: row.get("reference")?,
        summary: row.get("summary")?,
        outcome: enum_from::<ReplyOutcome>(row.get("outcome")?),
        milestone: row.get("milestone")?,
        evidence: Vec::new(),
    })
}

impl Store {
    /// A case's recorded steps, oldest first, each with its linked evidence items.
    pub fn ladder_steps(&self, case_id: i64) -> CoreResult<Vec<StepRecord>> {
        let mut statement = self.conn.prepare(
            "SELECT id, recipient_id, kind, channel, happened_on, reference, summary, outcome, milestone
             FROM ladder_steps WHERE case_id = ?1 ORDER BY happened_on, id",
        )?;
        let rows = statement.query_map([case_id], step_from_row)?;
        let mut steps: Vec<StepRecord> = rows.collect::<Result<_, _>>()?;
        let mut links = self.step_evidence(case_id)?;
        for step in &mut steps {
            step.evidence = links.remove(&step.id).unwrap_or_default();
        }
        Ok(steps)
    }

    pub fn ladder_skips(&self, case_id: i64) -> CoreResult<BTreeMap<String, String>> {
        let mut statement =
            self.conn.prepare("SELECT recipient_id, reason FROM ladder_skips WHERE case_id = ?1")?;
        let rows = statement.query_map([case_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Deletes a recorded step (a mistake); the ladder is recomputed without it.
    pub fn delete_ladder_step(&mut self, case_id: i64, step_id: i64) -> CoreResult<()> {
        let changed = self
            .conn
            .execute("DELETE FROM ladder_steps WHERE case_id = ?1 AND id = ?2", params![case_id, step_id])?;
        if changed == 0 {
            return Err(rejected(format!("Case {case_id} has no step {step_id}.")));
        }
        Ok(())
    }
}

fn inputs_today(
    store: &Store,
    case_id: i64,
    now: DateTime<Utc>,
) -> CoreResult<(crate::case::Case, NaiveDate)> {
    let case = store.get_case(case_id)?;
    let today = triage::case_today(&case, now);
    Ok((case, today))
}

/// The ladder of a case as it stands today.
pub fn ladder_view(
    store: &Store,
    case_id: i64,
    now: DateTime<Utc>,
    language: &str,
) -> CoreResult<LadderView> {
    let (case, today) = inputs_today(store, case_id, now)?;
    let answers = store.triage_answers(case_id)?;
    let steps = store.ladder_steps(case_id)?;
    let skips = store.ladder_skips(case_id)?;
    let inputs = LadderInputs { case: &case, answers: &answers, steps: &steps, skips: &skips, today };
    Ok(super::evaluate(shipped_directory(), shipped_clocks(), text::shipped(language), &inputs))
}

/// Records a step, with the evidence items it names linked to it, and returns the recomputed ladder.
pub fn record_step(
    store: &mut Store,
    case_id: i64,
    input: &StepInput,
    now: DateTime<Utc>,
    language: &str,
) -> CoreResult<LadderView> {
    let (_, today) = inputs_today(store, case_id, now)?;
    let step = validate_step(input, today)?;
    let evidence: BTreeSet<i64> = input.evidence.iter().copied().collect();
    if let Some(missing) = evidence.iter().find(|id| !store.evidence_in_case(case_id, **id).unwrap_or(false))
    {
        return Err(rejected(format!(
            "this case has no evidence item {missing}. `casefile evidence list {case_id}` shows them."
        )));
    }
    let tx = store.conn.unchecked_transaction()?;
    store.conn.execute(
        "INSERT INTO ladder_steps (case_id, recipient_id, kind, channel, happened_on, reference, summary, outcome, milestone, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            case_id,
            step.recipient_id,
            enum_text(&step.kind),
            step.channel.as_ref().and_then(enum_text),
            step.on,
            step.reference,
            step.summary,
            step.outcome.as_ref().and_then(enum_text),
            step.milestone,
            now,
        ],
    )?;
    let step_id = store.conn.last_insert_rowid();
    for item in &evidence {
        store.conn.execute(
            "INSERT INTO ladder_step_evidence (step_id, item_id) VALUES (?1, ?2)",
            params![step_id, item],
        )?;
    }
    if step.kind == StepKind::Sent {
        store.link_package_to_step(case_id, &step.recipient_id, step_id)?;
    }
    tx.commit()?;
    ladder_view(store, case_id, now, language)
}

/// Skips a rung with the player's reason (it stays visible, marked skipped).
pub fn skip_rung(
    store: &mut Store,
    case_id: i64,
    recipient_id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> CoreResult<()> {
    store.get_case(case_id)?;
    if shipped_directory().get(recipient_id).is_none() {
        return Err(rejected(format!("'{recipient_id}' is not in the directory.")));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(rejected("Say in a few words why you skip this step; it helps if you come back later."));
    }
    store.conn.execute(
        "INSERT INTO ladder_skips (case_id, recipient_id, reason, skipped_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (case_id, recipient_id) DO UPDATE SET reason = excluded.reason, skipped_at = excluded.skipped_at",
        params![case_id, recipient_id, reason, now],
    )?;
    Ok(())
}

pub fn unskip_rung(store: &mut Store, case_id: i64, recipient_id: &str) -> CoreResult<()> {
    store.conn.execute(
        "DELETE FROM ladder_skips WHERE case_id = ?1 AND recipient_id = ?2",
        params![case_id, recipient_id],
    )?;
    Ok(())
}

/// The stage name and next date of each listed case, for the home screen.
pub fn summaries_with_ladder(
    store: &Store,
    filter: CaseFilter,
    now: DateTime<Utc>,
    language: &str,
) -> CoreResult<Vec<CaseSummary>> {
    let mut summaries = store.list_cases(filter)?;
    for summary in summaries.iter_mut().filter(|s| s.outcome.is_none()) {
        let view = ladder_view(store, summary.id, now, language)?;
        summary.stage = current_stage(&view);
        summary.next_action_due = view.next.as_ref().and_then(|next| next.due);
    }
    Ok(summaries)
}

fn current_stage(view: &LadderView) -> Option<String> {
    let recipient = view.next.as_ref()?.recipient_id.as_ref()?;
    view.rungs.iter().find(|rung| &rung.recipient_id == recipient).map(|rung| rung.name.clone())
}

/// What is due across all open cases, soonest first.
pub fn due_items(store: &Store, now: DateTime<Utc>, language: &str) -> CoreResult<Vec<DueItem>> {
    let mut items = Vec::new();
    for summary in store.list_cases(CaseFilter::default())? {
        if summary.outcome.is_some() {
            continue;
        }
        let view = ladder_view(store, summary.id, now, language)?;
        let stage = current_stage(&view);
        if let Some(action) = view.next {
            items.push(DueItem { case_id: summary.id, case_title: summary.title, action, stage });
        }
    }
    items.sort_by_key(|item| (item.action.due.is_none(), item.action.due));
    Ok(items)
}
