//! The player's own words about an item (title, description, tags) and deleting an item: both are
//! locker operations, so each writes a custody entry and `verify` can tell a logged delete from a
//! row that silently vanished.

use std::collections::BTreeSet;
use std::fs;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::Deserialize;
use ts_rs::TS;

use super::{CustodyEntryInput, EvidenceItem, VerifyProblem, blob, blobs_dir};
use crate::error::{CoreError, CoreResult};
use crate::home::DataHome;
use crate::storage::Store;

/// The custody action of a delete; `verify` reads it to know an item was removed on purpose.
pub(super) const DELETE_ACTION: &str = "delete";

/// The tag that marks an identity document (passport, ID card, driving licence): recipient
/// profiles in `knowledge/redaction.toml` leave such items out of public complaints.
pub const ID_DOCUMENT_TAG: &str = "id-document";

const MAX_TITLE_CHARS: usize = 200;
const MAX_DESCRIPTION_CHARS: usize = 5_000;
const MAX_TAG_CHARS: usize = 40;
const MAX_TAGS: usize = 30;

/// What to change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
pub struct ItemEdit {
    pub title: Option<String>,
    pub description: Option<String>,
    pub tags: Option<Vec<String>>,
}

/// Tags as stored (a JSON array of strings); anything unreadable counts as no tags.
pub(super) fn parse_tags(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// Tags trimmed, lower-cased, without duplicates, in the order given.
fn clean_tags(tags: &[String]) -> CoreResult<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for tag in tags {
        let tag = tag.trim().to_lowercase();
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > MAX_TAG_CHARS || tag.chars().any(char::is_control) {
            return Err(CoreError::Refused(format!(
                "The tag '{tag}' is too long or holds control characters; keep tags to {MAX_TAG_CHARS} plain characters."
            )));
        }
        if seen.insert(tag.clone()) {
            out.push(tag);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(CoreError::Refused(format!("An item can have at most {MAX_TAGS} tags.")));
    }
    Ok(out)
}

fn clean_text(value: &str, what: &str, max: usize, required: bool) -> CoreResult<String> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(CoreError::Refused(format!("The {what} cannot be empty; give the item a short name.")));
    }
    if value.chars().count() > max {
        return Err(CoreError::Refused(format!("The {what} is too long: keep it to {max} characters.")));
    }
    Ok(value.to_owned())
}

/// Changes an item's title, description and tags. Writes one custody entry ("edit") naming the
/// fields that changed; an edit that changes nothing writes nothing.
pub fn edit_item(
    store: &Store,
    case_id: i64,
    item_id: i64,
    edit: &ItemEdit,
    now: DateTime<Utc>,
) -> CoreResult<EvidenceItem> {
    let item = store.evidence_item(case_id, item_id)?;
    let title = match &edit.title {
        Some(title) => clean_text(title, "title", MAX_TITLE_CHARS, true)?,
        None => item.title.clone(),
    };
    let description = match &edit.description {
        Some(description) => clean_text(description, "description", MAX_DESCRIPTION_CHARS, false)?,
        None => item.description.clone(),
    };
    let tags = match &edit.tags {
        Some(tags) => clean_tags(tags)?,
        None => item.tags.clone(),
    };
    let changed: Vec<&str> = [
        (title != item.title, "title"),
        (description != item.description, "description"),
        (tags != item.tags, "tags"),
    ]
    .into_iter()
    .filter_map(|(changed, name)| changed.then_some(name))
    .collect();
    if changed.is_empty() {
        return Ok(item);
    }
    let tx = store.conn.unchecked_transaction()?;
    tx.execute(
        "UPDATE evidence_items SET title = ?3, description = ?4, tags = ?5 WHERE case_id = ?1 AND id = ?2",
        params![case_id, item_id, title, description, serde_json::to_string(&tags).unwrap_or_default()],
    )?;
    store.append_custody(&CustodyEntryInput {
        case_id,
        at: now,
        action: "edit",
        item_id: Some(item_id),
        item_sha256: Some(&item.sha256),
        detail: &format!("changed {}", changed.join(", ")),
    })?;
    tx.commit()?;
    store.evidence_item(case_id, item_id)
}

/// Removes an item from the locker: its row, its redaction boxes, and its encrypted blob when no
/// other item (of any case) shares it. Items lifted out of it (an email's attachments) stay, as
/// items of their own. The custody entry "delete" keeps the item's hash, so the log still proves
/// what was there. The row goes first: a crash before the blob is removed leaves a harmless orphan.
pub fn delete_item(
    store: &Store,
    home: &DataHome,
    case_id: i64,
    item_id: i64,
    now: DateTime<Utc>,
) -> CoreResult<()> {
    let item = store.evidence_item(case_id, item_id)?;
    let blob_name: String =
        store
            .conn
            .query_row("SELECT blob_name FROM evidence_items WHERE id = ?1", [item_id], |row| row.get(0))?;
    let tx = store.conn.unchecked_transaction()?;
    tx.execute("UPDATE evidence_items SET parent_id = NULL WHERE parent_id = ?1", [item_id])?;
    tx.execute("DELETE FROM evidence_items WHERE case_id = ?1 AND id = ?2", params![case_id, item_id])?;
    store.append_custody(&CustodyEntryInput {
        case_id,
        at: now,
        action: DELETE_ACTION,
        item_id: Some(item_id),
        item_sha256: Some(&item.sha256),
        detail: &item.original_name,
    })?;
    tx.commit()?;
    let shared = store
        .conn
        .query_row("SELECT 1 FROM evidence_items WHERE blob_name = ?1 LIMIT 1", [&blob_name], |_| Ok(()))
        .optional()?
        .is_some();
    if !shared {
        let path = blob::blob_path(&blobs_dir(home), &blob_name);
        if let Err(error) = fs::remove_file(&path)
            && error.kind() != std::io::ErrorKind::NotFound
        {
            return Err(CoreError::io(
                "The item was deleted, but its encrypted file could not be removed",
                error,
            ));
        }
    }
    Ok(())
}

/// Items whose import is logged but which are gone without a logged delete: someone removed the
/// row behind the locker's back.
pub(super) fn vanished_items(
    items: &[(i64, String, String)],
    imports: &BTreeSet<(Option<i64>, Option<String>)>,
    deletes: &BTreeSet<Option<i64>>,
) -> Vec<VerifyProblem> {
    let present: BTreeSet<i64> = items.iter().map(|(id, _, _)| *id).collect();
    let mut gone: Vec<i64> = imports
        .iter()
        .filter_map(|(id, _)| *id)
        .filter(|id| !present.contains(id) && !deletes.contains(&Some(*id)))
        .collect();
    gone.dedup();
    gone.into_iter()
        .map(|id| VerifyProblem {
            item_id: Some(id),
            what: format!("item {id}: it was imported but is gone from the locker, and no delete is logged"),
        })
        .collect()
}
