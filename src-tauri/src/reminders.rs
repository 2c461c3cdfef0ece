//! Desktop notifications for what is due, while the app runs: once at start and then every hour,
//! each item at most once a day. What is due is the core's `due_items`; this only delivers it.

use std::collections::BTreeSet;
use std::time::Duration;

use casefile_core::{DataHome, Store, ladder};
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

use crate::clock;

const CHECK_EVERY: Duration = Duration::from_secs(60 * 60);

pub fn start(app: AppHandle, home: DataHome) {
    std::thread::spawn(move || {
        let mut told = BTreeSet::new();
        loop {
            notify_due(&app, &home, &mut told);
            std::thread::sleep(CHECK_EVERY);
        }
    });
}

fn notify_due(app: &AppHandle, home: &DataHome, told: &mut BTreeSet<(i64, String)>) {
    // A second connection: SQLite's WAL lets it read while the window writes.
    let Ok(store) = Store::open_home(home) else { return };
    let now = clock::now();
    let Ok(items) = ladder::due_items(&store, now, "en") else { return };
    let today = now.date_naive();
    for item in
        items.into_iter().filter(|item| item.action.overdue || item.action.due.is_some_and(|d| d <= today))
    {
        let key = (item.case_id, format!("{today} {}", item.action.text));
        if told.insert(key) {
            let _ = app.notification().builder().title(&item.case_title).body(&item.action.text).show();
        }
    }
}
