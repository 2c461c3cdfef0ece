//! The complaint package's commands. Building runs off the window's thread and reports progress as
//! `package-progress` events. Opening a package in the file manager is done here, by id of a
//! recorded package: the webview has no opener permission and cannot name a path to open.

use std::path::{Path, PathBuf};

use casefile_core::locker::ExhibitOverride;
use casefile_core::package::BuildOptions;
use casefile_core::package::preview::{
    self, PackageBuilt, PackagePreview, PackageProgress, PackageRecipients,
};
use casefile_core::package::record::BuiltPackage;
use casefile_core::{ApiError, CoreError};
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_opener::OpenerExt;

use crate::clock;
use crate::commands::AppState;

type Reply<T> = Result<T, ApiError>;

/// The ladder's rungs the player can build a package for, the next one preselected.
#[tauri::command]
pub fn package_recipients(
    state: State<'_, AppState>,
    case_id: i64,
    language: Option<String>,
) -> Reply<PackageRecipients> {
    let language = language.unwrap_or_else(|| "en".to_owned());
    state.with_store(|store, _| preview::recipients(store, case_id, clock::now(), &language))
}

/// The completeness check, the exhibits and a default folder name for one recipient.
#[tauri::command]
pub fn package_check(
    state: State<'_, AppState>,
    case_id: i64,
    recipient_id: String,
) -> Reply<PackagePreview> {
    state.with_store(|store, _| preview::preview(store, case_id, &recipient_id, clock::now()))
}

/// Builds and records the package in `folder` (which must not exist yet). The work runs on a
/// blocking thread so the window stays responsive; the locker must be unlocked.
#[tauri::command]
pub async fn build_package(
    app: AppHandle,
    case_id: i64,
    recipient_id: String,
    folder: String,
    draft: bool,
    zip: bool,
    exhibits: Vec<ExhibitOverride>,
) -> Reply<PackageBuilt> {
    let options = BuildOptions { draft, zip, exhibits, ..BuildOptions::new(clock::now()) };
    let work = tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let mut progress = |p: PackageProgress| {
            let _ = app.emit("package-progress", p);
        };
        state.with_unlocked(|store, home, key| {
            preview::build(
                store,
                home,
                key,
                case_id,
                &recipient_id,
                Path::new(&folder),
                &options,
                &mut progress,
            )
        })
    });
    work.await.map_err(|e| {
        ApiError::from(CoreError::io("The package build stopped unexpectedly", std::io::Error::other(e)))
    })?
}

/// The case's packages, newest first.
#[tauri::command]
pub fn list_packages(state: State<'_, AppState>, case_id: i64) -> Reply<Vec<BuiltPackage>> {
    state.with_store(|store, _| store.packages(case_id))
}

/// The native save dialog for the package's folder; `None` when the player cancels. Debug builds
/// answer with `CASEFILE_TEST_SAVE_AS` when it is set, so tests can walk the same path.
#[tauri::command]
pub async fn choose_package_folder(default_name: String) -> Reply<Option<String>> {
    if cfg!(debug_assertions)
        && let Some(path) = std::env::var_os("CASEFILE_TEST_SAVE_AS")
    {
        return Ok(Some(path.to_string_lossy().into_owned()));
    }
    let mut dialog = rfd::AsyncFileDialog::new().set_title("Save the package as").set_file_name(default_name);
    if let Some(documents) = documents_dir() {
        dialog = dialog.set_directory(documents);
    }
    let chosen = dialog.save_file().await;
    Ok(chosen.map(|file| file.path().to_string_lossy().into_owned()))
}

fn documents_dir() -> Option<PathBuf> {
    let home = std::env::var_os(if cfg!(windows) { "USERPROFILE" } else { "HOME" })?;
    let documents = PathBuf::from(home).join("Documents");
    documents.is_dir().then_some(documents)
}

/// Opens a recorded package in the system's file manager: its folder, or its ZIP selected in the
/// folder that holds it. Debug builds write the path to `CASEFILE_TEST_OPENED` instead when set.
#[tauri::command]
pub fn reveal_package(
    app: AppHandle,
    state: State<'_, AppState>,
    case_id: i64,
    package_id: i64,
) -> Reply<()> {
    let path = state.with_store(|store, _| preview::location(store, case_id, package_id))?;
    open_for_player(&app, &path, "the file manager", |opener, path| {
        if path.is_dir() {
            opener.open_path(path.to_string_lossy(), None::<&str>)
        } else {
            opener.reveal_item_in_dir(path)
        }
    })
}

/// Opens a recorded package's letter.pdf in the player's PDF viewer (same test hook as above).
#[tauri::command]
pub fn open_package_letter(
    app: AppHandle,
    state: State<'_, AppState>,
    case_id: i64,
    package_id: i64,
) -> Reply<()> {
    let letter = state.with_store(|store, _| preview::letter_location(store, case_id, package_id))?;
    open_for_player(&app, &letter, "a PDF viewer", |opener, path| {
        opener.open_path(path.to_string_lossy(), None::<&str>)
    })
}

/// Hands a path the core found to the system (`open`), or, in debug builds with
/// `CASEFILE_TEST_OPENED` set, writes it there so tests can see what would have opened.
fn open_for_player(
    app: &AppHandle,
    path: &Path,
    with: &str,
    open: impl FnOnce(&tauri_plugin_opener::Opener<tauri::Wry>, &Path) -> Result<(), tauri_plugin_opener::Error>,
) -> Reply<()> {
    if cfg!(debug_assertions)
        && let Some(record) = std::env::var_os("CASEFILE_TEST_OPENED")
    {
        return std::fs::write(&record, path.to_string_lossy().as_bytes())
            .map_err(|e| CoreError::io("Could not note the opened path", e).into());
    }
    open(app.opener(), path).map_err(|e| {
        CoreError::io(
            format!("Could not open {} in {with}; open it yourself", path.display()),
            std::io::Error::other(e.to_string()),
        )
        .into()
    })
}
