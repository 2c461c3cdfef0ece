//! The vault's and the evidence locker's commands. The unlocked vault key lives only in this
//! process's memory (`AppState`), never on disk; with a keyring it is fetched at start.

use std::path::PathBuf;

use casefile_core::locker::{
    self, EvidenceContent, EvidenceItem, ImportOutcome, ImportProgress, LockerState, RecoveryKey, VaultKey,
    VerifyReport, vault,
};
use casefile_core::{ApiError, CoreError};
use tauri::ipc::{InvokeBody, Request};
use tauri::{AppHandle, Emitter, EventTarget, State, Webview};

use crate::clock;
use crate::commands::AppState;

type Reply<T> = Result<T, ApiError>;

/// Whether the data folder has a vault, and whether it is open. Asked first by the app: the
/// answer decides between the first-run setup, the unlock screen and the case list.
#[tauri::command]
pub fn locker_state(state: State<'_, AppState>) -> Reply<LockerState> {
    let set_up = state.with_home(vault::status)?;
    Ok(LockerState { set_up, unlocked: state.is_unlocked() })
}

/// First run: protects the data folder (keyring, or a passphrase when given), creates its
/// encrypted database and opens it. Returns the recovery key, shown once.
#[tauri::command]
pub fn set_up_vault(state: State<'_, AppState>, passphrase: Option<String>) -> Reply<RecoveryKey> {
    let key = state.with_home(|home| match passphrase.as_deref() {
        Some(passphrase) => vault::create_with_passphrase(home, passphrase, clock::now()),
        None => vault::create_with_keyring(home, clock::now()),
    })?;
    let text = key.recovery_text().to_string();
    state.unlock_with(key)?;
    Ok(RecoveryKey { text })
}

#[tauri::command]
pub fn unlock_vault(
    state: State<'_, AppState>,
    passphrase: Option<String>,
    recovery_key: Option<String>,
) -> Reply<()> {
    let key = state.with_home(|home| match (passphrase.as_deref(), recovery_key.as_deref()) {
        (_, Some(recovery)) => vault::unlock_with_recovery(home, recovery),
        (passphrase, None) => vault::unlock(home, passphrase),
    })?;
    state.unlock_with(key)
}

#[tauri::command]
pub fn list_evidence(state: State<'_, AppState>, case_id: i64) -> Reply<Vec<EvidenceItem>> {
    state.with_store(|store, _| {
        store.get_case(case_id)?;
        store.evidence_items(case_id)
    })
}

/// Files imported per hold of the database: large enough for the core's worker threads to seal
/// ahead, small enough that other commands (a preview) wait little.
const FILES_PER_HOLD: usize = 16;

/// Imports files, sending `evidence-progress` after each, so a long batch shows a progress bar and
/// one bad file never stops the rest; then starts the batch's thumbnails.
#[tauri::command]
pub async fn import_evidence(
    app: AppHandle,
    state: State<'_, AppState>,
    case_id: i64,
    paths: Vec<String>,
) -> Reply<Vec<ImportOutcome>> {
    let key = state.with_unlocked(|_, _, key| Ok(key.clone()))?;
    let total = paths.len();
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    let mut outcomes = Vec::with_capacity(total);
    for (hold, chunk) in paths.chunks(FILES_PER_HOLD).enumerate() {
        let before = hold * FILES_PER_HOLD;
        let batch = state.with_store(|store, home| {
            locker::import_files_with_progress(store, home, &key, case_id, chunk, clock::now(), |p| {
                let progress = ImportProgress { done: before + p.done, total, file: p.file };
                let _ = app.emit("evidence-progress", progress);
            })
        })?;
        outcomes.extend(batch);
    }
    start_thumbnails(&app, &state, &key, case_id, &outcomes);
    Ok(outcomes)
}

/// Makes the batch's thumbnails on a background thread once its items are committed, sending
/// `evidence-thumbnails` after each so the grid fills in; the grid shows a placeholder until then.
fn start_thumbnails(
    app: &AppHandle,
    state: &AppState,
    key: &VaultKey,
    case_id: i64,
    outcomes: &[ImportOutcome],
) {
    let ids = locker::added_ids(outcomes);
    let Ok(jobs) = state.with_store(|store, home| locker::plan_thumbnails(store, home, key, case_id, &ids))
    else {
        return; // Only a cache: each thumbnail is then made when it is first shown.
    };
    if jobs.is_empty() {
        return;
    }
    let app = app.clone();
    std::thread::spawn(move || {
        jobs.run(|progress| {
            let _ = app.emit("evidence-thumbnails", progress);
        });
    });
}

/// Imports pasted content (a screenshot or copied text) sent as the raw request body, with the
/// case in the `Casefile-Case` header and the percent-encoded name in `Casefile-Name`. The bytes
/// stay in memory: no plaintext file is written.
#[tauri::command]
pub async fn paste_evidence(
    app: AppHandle,
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Reply<Vec<ImportOutcome>> {
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let refused = |what: &str| ApiError::from(CoreError::Refused(what.to_owned()));
    let case_id: i64 = header("casefile-case").parse().map_err(|_| refused("The paste named no case."))?;
    let name = percent_decode(header("casefile-name"));
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(refused("The pasted content did not arrive as bytes."));
    };
    let key = state.with_unlocked(|_, _, key| Ok(key.clone()))?;
    let outcomes = state.with_store(|store, home| {
        locker::import_bytes(store, home, &key, case_id, &name, bytes, clock::now())
    })?;
    start_thumbnails(&app, &state, &key, case_id, &outcomes);
    Ok(outcomes)
}

/// `encodeURIComponent` undone; what is not valid UTF-8 afterwards is replaced.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes.get(index + 1..index + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[index], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Debug builds only: sends the calling window the same drag-and-drop events the system sends
/// for a real drop of the files in `CASEFILE_TEST_DROP` (`enter`, `over`, `drop` or `leave`), so
/// tests run the window's real drop handler; WebDriver cannot drop files from the system.
#[tauri::command]
pub fn test_drag_files(webview: Webview, stage: String) -> Reply<()> {
    let refused = |what: &str| ApiError::from(CoreError::Refused(what.to_owned()));
    let paths = std::env::var_os("CASEFILE_TEST_DROP").filter(|_| cfg!(debug_assertions));
    let Some(paths) = paths else {
        return Err(refused("Simulated drops exist only in test builds."));
    };
    let paths: Vec<PathBuf> = std::env::split_paths(&paths).collect();
    let position = serde_json::json!({ "x": 200.0, "y": 200.0 });
    let (event, payload) = match stage.as_str() {
        "enter" => ("tauri://drag-enter", serde_json::json!({ "paths": paths, "position": position })),
        "over" => ("tauri://drag-over", serde_json::json!({ "position": position })),
        "drop" => ("tauri://drag-drop", serde_json::json!({ "paths": paths, "position": position })),
        "leave" => ("tauri://drag-leave", serde_json::Value::Null),
        _ => return Err(refused("The stage is one of enter, over, drop, leave.")),
    };
    let label = webview.label().to_owned();
    webview
        .emit_filter(event, payload, |target| match target {
            EventTarget::Webview { label: l } | EventTarget::WebviewWindow { label: l } => *l == label,
            _ => false,
        })
        .map_err(|e| refused(&format!("The drop could not be sent ({e}).")))
}

/// Opens the native file dialog and returns the chosen paths. Debug builds take the answer from
/// `CASEFILE_TEST_PICK` (paths separated by the platform's path separator) so tests can walk the
/// same path without a person to click.
#[tauri::command]
pub async fn pick_evidence_files() -> Reply<Vec<String>> {
    if cfg!(debug_assertions)
        && let Some(paths) = std::env::var_os("CASEFILE_TEST_PICK")
    {
        return Ok(std::env::split_paths(&paths).map(|p| p.to_string_lossy().into_owned()).collect());
    }
    let picked = rfd::AsyncFileDialog::new().set_title("Add evidence").pick_files().await.unwrap_or_default();
    Ok(picked.into_iter().map(|file| file.path().to_string_lossy().into_owned()).collect())
}

/// A small PNG preview of an image item as a `data:` URL (allowed by the CSP; nothing is written to
/// disk in plaintext).
#[tauri::command]
pub fn evidence_thumbnail(state: State<'_, AppState>, case_id: i64, item_id: i64) -> Reply<String> {
    state
        .with_unlocked(|store, home, key| locker::thumbnail_data_url(store, home, key, case_id, item_id, 320))
}

#[tauri::command]
pub fn verify_evidence(state: State<'_, AppState>, case_id: i64) -> Reply<VerifyReport> {
    state.with_unlocked(|store, home, key| locker::verify(store, home, key, case_id))
}

#[tauri::command]
pub fn evidence_content(state: State<'_, AppState>, case_id: i64, item_id: i64) -> Reply<EvidenceContent> {
    state.with_unlocked(|store, home, key| locker::evidence_content(store, home, key, case_id, item_id))
}
