//! The timeline's commands: the merged timeline, the player's own entries, and which evidence item
//! covers which weak-points checklist entry. Thin like the others: one core call each.

use casefile_core::ApiError;
use casefile_core::timeline::{self, EventInput, ItemCoverage, Timeline};
use tauri::State;

use crate::clock;
use crate::commands::AppState;

type Reply<T> = Result<T, ApiError>;

#[tauri::command]
pub fn case_timeline(state: State<'_, AppState>, case_id: i64, language: String) -> Reply<Timeline> {
    state.with_store(|store, _| timeline::case_timeline(store, case_id, clock::now(), &language))
}

/// Returns the new entry's id.
#[tauri::command]
pub fn add_timeline_event(state: State<'_, AppState>, case_id: i64, event: EventInput) -> Reply<i64> {
    state.with_store(|store, _| timeline::add_event(store, case_id, &event, clock::now()))
}

#[tauri::command]
pub fn update_timeline_event(
    state: State<'_, AppState>,
    case_id: i64,
    event_id: i64,
    event: EventInput,
) -> Reply<()> {
    state.with_store(|store, _| timeline::update_event(store, case_id, event_id, &event, clock::now()))
}

#[tauri::command]
pub fn delete_timeline_event(state: State<'_, AppState>, case_id: i64, event_id: i64) -> Reply<()> {
    state.with_store(|store, _| timeline::delete_event(store, case_id, event_id))
}

#[tauri::command]
pub fn evidence_coverage(
    state: State<'_, AppState>,
    case_id: i64,
    item_id: i64,
    language: String,
) -> Reply<ItemCoverage> {
    state.with_store(|store, _| timeline::item_coverage(store, case_id, item_id, clock::now(), &language))
}

/// Records (or removes) that an evidence item covers a weak-points checklist entry.
#[tauri::command]
pub fn set_evidence_covers(
    state: State<'_, AppState>,
    case_id: i64,
    item_id: i64,
    checklist_id: String,
    covers: bool,
) -> Reply<()> {
    state.with_store(|store, _| {
        if covers {
            timeline::cover_checklist_entry(store, case_id, item_id, &checklist_id, clock::now())
        } else {
            timeline::uncover_checklist_entry(store, case_id, item_id, &checklist_id)
        }
    })
}
