//! Casefile's desktop window. This crate only adapts: each command parses its input, calls one
//! function of `casefile-core`, and maps the error to `{code, message, fields}`.

// Keep a release build on Windows from opening a console window next to the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod clock;
mod commands;
mod evidence;
mod evidence_edit;
mod packages;
mod reminders;
mod timeline;

use casefile_core::DataHome;

use crate::commands::AppState;

/// Debug and test builds use their own identifier, so their WebKit data and single-instance name
/// never mix with an installed release (the data folder is kept apart by `DataHome` likewise).
const DEV_IDENTIFIER: &str = "app.casefile.desktop.dev";

fn main() {
    let state = AppState::open(DataHome::resolve(None));
    let mut context = tauri::generate_context!();
    if cfg!(debug_assertions) {
        context.config_mut().identifier = DEV_IDENTIFIER.to_owned();
    }
    let mut builder = tauri::Builder::default();
    // Release builds: a second launch focuses the first window instead of opening the database twice.
    // Debug and test builds rely on the data folder's lock alone, so tests may run side by side.
    if !cfg!(debug_assertions) {
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            use tauri::Manager;
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }));
    }
    builder
        .plugin(tauri_plugin_notification::init())
        // Used from Rust only (reveal_package, open_package_letter); no opener permission is
        // granted to the webview, and links in the page are not handed to the system.
        .plugin(tauri_plugin_opener::Builder::new().open_js_links_on_click(false).build())
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::list_cases,
            commands::get_case,
            commands::get_case_input,
            commands::create_case,
            commands::update_case,
            commands::set_case_archived,
            commands::delete_case,
            commands::understand_amount,
            commands::welcome,
            commands::create_demo_case,
            commands::decline_demo,
            commands::list_regulators,
            commands::list_currencies,
            commands::app_info,
            commands::triage_view,
            commands::answer_triage,
            commands::forget_triage_answer,
            commands::set_evidence_in_hand,
            commands::resolve_by_self_help,
            commands::reopen_case,
            commands::ladder_view,
            commands::record_step,
            commands::delete_step,
            commands::link_step_evidence,
            commands::unlink_step_evidence,
            commands::evidence_steps,
            commands::skip_rung,
            commands::unskip_rung,
            commands::due_items,
            commands::list_recipients,
            commands::list_outcomes,
            commands::close_case,
            evidence::locker_state,
            evidence::set_up_vault,
            evidence::unlock_vault,
            evidence::list_evidence,
            evidence::import_evidence,
            evidence::pick_evidence_files,
            evidence::evidence_thumbnail,
            evidence::verify_evidence,
            evidence::evidence_content,
            packages::package_recipients,
            packages::package_check,
            packages::build_package,
            packages::list_packages,
            packages::choose_package_folder,
            packages::reveal_package,
            packages::open_package_letter,
            evidence_edit::edit_evidence,
            evidence_edit::delete_evidence,
            evidence_edit::evidence_redactions,
            evidence_edit::set_evidence_redactions,
            evidence_edit::evidence_preview,
            evidence_edit::plan_exhibits,
            timeline::case_timeline,
            timeline::add_timeline_event,
            timeline::update_timeline_event,
            timeline::delete_timeline_event,
            timeline::evidence_coverage,
            timeline::set_evidence_covers,
            evidence::paste_evidence,
            evidence::test_drag_files,
        ])
        .setup(|app| {
            use tauri::Manager;
            if app.state::<AppState>().home().is_some() {
                reminders::start(app.handle().clone());
            }
            Ok(())
        })
        .run(context)
        .unwrap_or_else(|error| {
            eprintln!("Casefile could not start its window: {error}");
            std::process::exit(1);
        });
}
