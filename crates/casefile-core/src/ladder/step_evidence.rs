//! Evidence items linked to the ladder's recorded steps: the email that carried the complaint, the
//! screenshot of the form as sent, the casino's reply. The ladder shows each step's items, an
//! item's detail the steps it backs, and the timeline lists them as the step's evidence (so the
//! package's timeline names them by exhibit number).

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use ts_rs::TS;

use super::StepRecord;
use crate::error::{CoreError, CoreResult};
use crate::storage::Store;
use crate::timeline::LinkedItem;

/// A recorded step as an evidence item's detail shows it: the step, whom it was with, and whether
/// this item is linked to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ItemStep {
    pub step: StepRecord,
    /// The casino's own name for its support, otherwise the directory's name of the body.
    pub recipient_name: String,
    pub linked: bool,
}

/// Every recorded step of the item's case, oldest first, each saying whether the item backs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ItemSteps {
    pub item_id: i64,
    pub steps: Vec<ItemStep>,
}

impl Store {
    /// The items linked to each step of a case, by step id, oldest item first.
    pub(crate) fn step_evidence(&self, case_id: i64) -> CoreResult<BTreeMap<i64, Vec<LinkedItem>>> {
        LinkedItem::by_owner(
            self,
            "SELECT l.step_id, i.id, i.title, i.kind FROM ladder_step_evidence AS l
             JOIN ladder_steps AS s ON s.id = l.step_id
             JOIN evidence_items AS i ON i.id = l.item_id
             WHERE s.case_id = ?1 ORDER BY i.id",
            case_id,
        )
    }

    /// Whether the evidence item belongs to the case.
    pub(crate) fn evidence_in_case(&self, case_id: i64, item_id: i64) -> CoreResult<bool> {
        let found = self
            .conn
            .query_row(
                "SELECT 1 FROM evidence_items WHERE case_id = ?1 AND id = ?2",
                params![case_id, item_id],
                |_| Ok(()),
            )
            .optional()?;
        Ok(found.is_some())
    }
}

/// Refuses a step or an item that is not the case's: a link never crosses cases.
fn check_both(store: &Store, case_id: i64, step_id: i64, item_id: i64) -> CoreResult<()> {
    store.get_case(case_id)?;
    let step = store
        .conn
        .query_row(
            "SELECT 1 FROM ladder_steps WHERE case_id = ?1 AND id = ?2",
            params![case_id, step_id],
            |_| Ok(()),
        )
        .optional()?;
    if step.is_none() {
        return Err(CoreError::Refused(format!(
            "Case {case_id} has no ladder step {step_id}. `casefile ladder {case_id}` shows the steps with their numbers."
        )));
    }
    if !store.evidence_in_case(case_id, item_id)? {
        return Err(CoreError::EvidenceNotFound(item_id));
    }
    Ok(())
}

/// Links an evidence item of the case to one of its recorded steps (linking twice changes nothing).
pub fn link_step_evidence(store: &mut Store, case_id: i64, step_id: i64, item_id: i64) -> CoreResult<()> {
    check_both(store, case_id, step_id, item_id)?;
    store.conn.execute(
        "INSERT OR IGNORE INTO ladder_step_evidence (step_id, item_id) VALUES (?1, ?2)",
        params![step_id, item_id],
    )?;
    Ok(())
}

/// Removes an item's link to a step (nothing happens when there was none).
pub fn unlink_step_evidence(store: &mut Store, case_id: i64, step_id: i64, item_id: i64) -> CoreResult<()> {
    check_both(store, case_id, step_id, item_id)?;
    store.conn.execute(
        "DELETE FROM ladder_step_evidence WHERE step_id = ?1 AND item_id = ?2",
        params![step_id, item_id],
    )?;
    Ok(())
}

/// The case's recorded steps as the item's detail lists them: those it backs, and those it could.
pub fn item_steps(store: &Store, case_id: i64, item_id: i64) -> CoreResult<ItemSteps> {
    let case = store.get_case(case_id)?;
    if !store.evidence_in_case(case_id, item_id)? {
        return Err(CoreError::EvidenceNotFound(item_id));
    }
    let steps = store
        .ladder_steps(case_id)?
        .into_iter()
        .map(|step| ItemStep {
            recipient_name: super::recipient_name(&step.recipient_id, &case.casino.name).to_owned(),
            linked: step.evidence.iter().any(|item| item.id == item_id),
            step,
        })
        .collect();
    Ok(ItemSteps { item_id, steps })
}
