//! Desktop notifications for what is due, while the app runs: once at start and then every hour,
//! each item at most once a day. What is due is the core's `due_items`; this only delivers it.

use std::collections::BTreeSet;
use std::time::Duration;

use casefile_core::ladder;
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

use crate::clock;

const CHECK_EVERY: Duration = Duration::from_secs(60 * 60);
const RETRY_WHILE_LOCKED: Duration = Duration::from_secs(60);

pub fn start(app: AppHandle) {
    std::thread::spawn(move || {
        let mut told = BTreeSet::new();
        loop {
            // Until the person unlocks the folder there is nothing to read: look again soon.
            let checked = notify_due(&app, &mut told);
            std::thread::sleep(if checked { CHECK_EVERY } else { RETRY_WHILE_LOCKED });
        }
    });
}

/// False when the folder could not be read (still locked).
fn notify_due(app: &AppHandle, told: &mut BTreeSet<(i64, String)>) -> bool {
    let now = clock::now();
    // The window's own connection: the database opens only once the vault is unlocked, and a
    // locked folder simply has nothing to tell yet.
    let state = app.state::<crate::commands::AppState>();
    let Ok(items) = state.with_store(|store, _| ladder::due_items(store, now, "en")) else { return false };
    let today = now.date_naive();
    for item in
        items.into_iter().filter(|item| item.action.overdue || item.action.due.is_some_and(|d| d <= today))
    {
        let key = (item.case_id, format!("{today} {}", item.action.text));
        if told.insert(key) {
            let _ = app.notification().builder().title(&item.case_title).body(&item.action.text).show();
        }
    }
    true
}
