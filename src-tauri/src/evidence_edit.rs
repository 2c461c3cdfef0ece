//! The locker's editing commands: the player's title, description and tags, deleting an item,
//! hiding areas of an image, and what each kind of recipient would get.

use casefile_core::ApiError;
use casefile_core::ladder::RecipientKind;
use casefile_core::locker::{self, EvidenceItem, ExhibitOverride, ItemEdit, PlannedExhibit, RedactionBox};
use tauri::State;

use crate::clock;
use crate::commands::AppState;

type Reply<T> = Result<T, ApiError>;

/// The longer side of the preview the player draws hidden areas on.
const DRAWING_PREVIEW_EDGE: u32 = 1600;

#[tauri::command]
pub fn edit_evidence(
    state: State<'_, AppState>,
    case_id: i64,
    item_id: i64,
    edit: ItemEdit,
) -> Reply<EvidenceItem> {
    state.with_store(|store, _| locker::edit_item(store, case_id, item_id, &edit, clock::now()))
}

#[tauri::command]
pub fn delete_evidence(state: State<'_, AppState>, case_id: i64, item_id: i64) -> Reply<()> {
    state.with_store(|store, home| locker::delete_item(store, home, case_id, item_id, clock::now()))
}

#[tauri::command]
pub fn evidence_redactions(
    state: State<'_, AppState>,
    case_id: i64,
    item_id: i64,
) -> Reply<Vec<RedactionBox>> {
    state.with_store(|store, _| locker::redaction_boxes(store, case_id, item_id))
}

#[tauri::command]
pub fn set_evidence_redactions(
    state: State<'_, AppState>,
    case_id: i64,
    item_id: i64,
    boxes: Vec<RedactionBox>,
) -> Reply<Vec<RedactionBox>> {
    state.with_store(|store, _| locker::set_redactions(store, case_id, item_id, &boxes, clock::now()))
}

/// A large preview to draw hidden areas on, as a `data:` URL (nothing is written to disk).
#[tauri::command]
pub fn evidence_preview(state: State<'_, AppState>, case_id: i64, item_id: i64) -> Reply<String> {
    state.with_unlocked(|store, home, key| {
        locker::thumbnail_data_url(store, home, key, case_id, item_id, DRAWING_PREVIEW_EDGE)
    })
}

#[tauri::command]
pub fn plan_exhibits(
    state: State<'_, AppState>,
    case_id: i64,
    recipient_kind: RecipientKind,
    overrides: Vec<ExhibitOverride>,
) -> Reply<Vec<PlannedExhibit>> {
    state.with_store(|store, _| locker::plan_exhibits(store, case_id, recipient_kind, &overrides))
}
