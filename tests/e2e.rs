//! End-to-end tests of the real Casefile window: tauri-driver + WebKitWebDriver drive
//! `target/debug/casefile-app` under a private X display, each test on its own fresh data folder,
//! and the real `casefile` CLI checks what reached the database.
//!
//! They need a display, WebKitWebDriver and tauri-driver, so they are ignored by a plain
//! `cargo test`. Run them with:
//!
//! ```text
//! cd ui && npm install && npm run build && cd ..     # the app embeds ui/dist when it compiles
//! cargo install tauri-driver --version '^2' --locked  # once
//! scripts/with-display cargo test -p casefile-scenarios --test e2e -- --ignored --test-threads=1
//! ```
//!
//! Screenshots of every main screen land in `tests/artifacts/screens/`, driver and app output in
//! `tests/artifacts/logs/`.

#![cfg(target_os = "linux")]

#[path = "e2e/harness.rs"]
mod harness;

use casefile_test_support::TempHome;
use harness::App;
use serde_json::{Value, json};

const TITLE: &str = "Withdrawal refused at Northwind";
const CASINO: &str = "Northwind Casino";

/// The home screen's empty-folder welcome, then the blank new-case form.
async fn open_new_case_form(app: &App) {
    app.wait_visible("[data-testid=welcome]", "the welcome panel on an empty folder").await;
    app.click("[data-testid=welcome] [data-testid=new-case]", "the welcome panel's New case button").await;
    app.wait_visible("[data-testid=save-case]", "the case form's Save button").await;
    app.wait_visible("[name=title]", "the title field").await;
}

/// The case page's header shows `title`, `casino` and an amount containing `amount`.
async fn expect_case_page(app: &App, title: &str, casino: &str, amount: &str) {
    app.wait_text("[data-testid=case-title]", title, "the case page's title").await;
    app.wait_text("[data-testid=case-casino]", casino, "the case page's casino").await;
    app.wait_text("[data-testid=case-amount]", amount, "the case page's amount").await;
}

fn cli_json(home: &TempHome, args: &[&str]) -> Value {
    home.casefile(args).json()
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn create_quit_relaunch_and_find_the_case() {
    let home = TempHome::new();
    let app = App::launch(&home, "create").await;

    open_new_case_form(&app).await;
    app.screenshot("form-empty").await;

    app.type_into("title", TITLE).await;
    app.type_into("casino_name", CASINO).await;
    app.choose("category", "withdrawal").await;
    app.type_into("amount", "2 350,00").await;
    app.select("currency", "EUR").await;
    app.select("regulator", "curacao-cga").await;
    app.set_date("withdrawal_requested", "2025-10-01").await;
    let echo = app.wait_text("[data-testid=amount-understood]", "2,350.00", "the amount echo").await;
    app.scroll_to_middle(&echo).await.expect("scrolling to the amount echo");
    app.screenshot("form-filled").await;

    app.click("[data-testid=save-case]", "Save").await;
    expect_case_page(&app, TITLE, CASINO, "2,350.00").await;
    app.wait_text("[data-testid=case-amount]", "EUR", "the amount's currency").await;
    app.wait_text("#tab-panel", "Curaçao Gaming Authority", "the regulator in the overview").await;
    app.screenshot("case-overview").await;

    app.click("[data-testid=tab-triage]", "the Triage tab").await;
    app.wait_visible("[data-testid=placeholder-triage]", "the Triage tab's placeholder").await;
    app.wait_visible("[data-testid=tab-triage][aria-selected=true]", "the Triage tab marked selected").await;
    app.screenshot("case-tab-triage").await;

    app.click("[data-testid=back-home]", "Back to cases").await;
    let row = app.wait_text("[data-testid=case-row]", TITLE, "the new case in the home list").await;
    let id = row.attr("data-case-id").await.ok().flatten().expect("the case row has data-case-id");
    app.screenshot("home-list").await;
    app.quit().await;

    // A fresh window on the same folder finds the case where it was left.
    let app = App::launch(&home, "create").await;
    app.wait_text("[data-testid=case-row]", TITLE, "the saved case after relaunch").await;
    assert!(
        app.find_now("[data-testid=welcome]").await.is_none(),
        "the welcome panel shows although a case exists"
    );
    app.open_row(TITLE).await;
    expect_case_page(&app, TITLE, CASINO, "2,350.00").await;
    app.wait_text("#tab-panel", "Curaçao Gaming Authority", "the regulator in the overview after relaunch")
        .await;
    // The date is written out in the window's locale ("October 1, 2025" in en-US).
    app.wait_until("the withdrawal request date in the overview", async || {
        let text = app.page_text().await;
        Ok((text.contains("October 1, 2025") || text.contains("1 October 2025")).then_some(()))
    })
    .await;
    app.quit().await;

    // What the window saved is what the CLI reads from the same database.
    let case = cli_json(&home, &["case", "show", &id, "--json"]);
    assert_eq!(case["id"].to_string(), id, "{case:#}");
    assert_eq!(case["title"], TITLE, "{case:#}");
    assert_eq!(case["casino"]["name"], CASINO, "{case:#}");
    assert_eq!(case["casino"]["regulator"], "curacao-cga", "{case:#}");
    assert_eq!(case["disputed"], json!({ "minor_units": 235000, "currency": "EUR" }), "{case:#}");
    assert_eq!(case["category"], "withdrawal", "{case:#}");
    assert_eq!(case["key_dates"]["withdrawal_requested"], "2025-10-01", "{case:#}");
    assert_eq!(case["is_demo"], false, "{case:#}");
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn a_bad_amount_shows_its_error_and_saves_nothing() {
    let home = TempHome::new();
    let app = App::launch(&home, "bad-amount").await;
    open_new_case_form(&app).await;

    app.type_into("casino_name", CASINO).await;
    app.type_into("amount", "abc").await;
    app.select("currency", "EUR").await;
    app.click("[data-testid=save-case]", "Save").await;

    let amount_error = app.wait_visible("[data-testid=error-amount]", "the amount's error").await;
    let message = amount_error.text().await.expect("the amount error's text");
    assert!(
        ["number", "digits"].iter().any(|word| message.contains(word)),
        "the amount error does not say what is wrong: {message:?}"
    );
    assert!(message.contains("abc"), "the amount error does not quote what was typed: {message:?}");
    let title_error = app.wait_visible("[data-testid=error-title]", "the title's error").await;
    assert!(!title_error.text().await.expect("text").trim().is_empty(), "the title error is empty");
    assert!(
        app.find_now("[data-testid=error-casino_name]").await.is_none(),
        "the casino name was typed but is reported missing"
    );
    app.wait_visible("[data-testid=form-summary]", "the error summary").await;
    app.screenshot("form-errors").await;

    // The form keeps what was typed.
    assert_eq!(app.value_of("amount").await, "abc");
    assert_eq!(app.value_of("casino_name").await, CASINO);
    assert_eq!(app.value_of("currency").await, "EUR");
    assert_eq!(app.value_of("title").await, "");
    assert!(app.find_now("[data-testid=case-title]").await.is_none(), "left the form after a refused save");

    // Fixing the amount clears its error as soon as it is edited.
    app.type_into("amount", "12.50").await;
    app.wait_gone("[data-testid=error-amount]", "the amount's error after editing the amount").await;
    app.wait_text("[data-testid=amount-understood]", "12.50", "the amount echo for the fixed amount").await;
    app.quit().await;

    assert_eq!(
        cli_json(&home, &["case", "list", "--all", "--json"]),
        json!([]),
        "a refused form wrote a case"
    );
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn demo_case_edit_archive_and_delete_with_confirmation() {
    const DEMO_TITLE: &str = "Withdrawal of €2,350 pending for three weeks";
    const NEW_TITLE: &str = "Lucky Lagoon still has not paid";

    let home = TempHome::new();
    let app = App::launch(&home, "demo").await;
    app.wait_visible("[data-testid=welcome]", "the welcome panel on an empty folder").await;
    app.wait_visible("[data-testid=open-demo]", "the demo offer").await;
    app.screenshot("welcome").await;

    app.click("[data-testid=open-demo]", "Explore a demo case").await;
    expect_case_page(&app, DEMO_TITLE, "Lucky Lagoon Casino (demo)", "2,350.00").await;
    app.screenshot("case-demo").await;

    // Edit the title.
    app.click("[data-testid=edit-case]", "Edit").await;
    app.wait_value("title", DEMO_TITLE).await;
    app.wait_value("casino_name", "Lucky Lagoon Casino (demo)").await;
    app.screenshot("form-edit").await;
    app.type_into("title", NEW_TITLE).await;
    app.click("[data-testid=save-case]", "Save").await;
    expect_case_page(&app, NEW_TITLE, "Lucky Lagoon Casino (demo)", "2,350.00").await;

    // Archive: hidden from the list until "Show archived" is ticked.
    app.click("[data-testid=archive-case]", "Archive").await;
    app.wait_visible("[data-testid=archived-notice]", "the archived notice").await;
    app.click("[data-testid=back-home]", "Back to cases").await;
    let show_archived = app.wait_visible("[data-testid=show-archived]", "the Show archived checkbox").await;
    if show_archived.is_selected().await.expect("checkbox state") {
        app.click("[data-testid=show-archived]", "Show archived (to untick it)").await;
    }
    app.wait_until("the archived case to leave the home list", async || {
        let rows = app.try_find_all("[data-testid=case-row]").await?;
        Ok((rows.is_empty() && !app.page_text().await.contains(NEW_TITLE)).then_some(()))
    })
    .await;
    app.screenshot("home-all-archived").await;
    app.click("[data-testid=show-archived]", "Show archived").await;
    app.wait_text("[data-testid=case-row]", NEW_TITLE, "the archived case under Show archived").await;
    app.screenshot("home-show-archived").await;
    let listed = cli_json(&home, &["case", "list", "--json"]);
    assert_eq!(listed, json!([]), "the CLI still lists the archived case by default");

    // Delete asks first; confirming removes the case for good.
    app.open_row(NEW_TITLE).await;
    app.wait_text("[data-testid=case-title]", NEW_TITLE, "the archived case's page").await;
    app.click("[data-testid=delete-case]", "Delete").await;
    app.wait_visible("[data-testid=confirm-delete]", "the delete confirmation").await;
    app.wait_text("[data-testid=delete-dialog-body]", NEW_TITLE, "the dialog naming the case").await;
    app.screenshot("confirm-delete").await;
    app.click("[data-testid=confirm-delete]", "the confirmation's Delete button").await;
    app.wait_gone("[data-testid=confirm-delete]", "the delete confirmation").await;
    app.wait_until("the home screen without the deleted case", async || {
        let home_shown = app.try_find("[data-testid=welcome]").await?.is_some()
            || app.try_find("[data-testid=show-archived]").await?.is_some();
        Ok((home_shown && app.try_find_all("[data-testid=case-row]").await?.is_empty()).then_some(()))
    })
    .await;
    app.screenshot("home-after-delete").await;
    app.quit().await;

    assert_eq!(
        cli_json(&home, &["case", "list", "--all", "--json"]),
        json!([]),
        "the deleted case is still stored"
    );
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn declining_the_demo_is_remembered() {
    let home = TempHome::new();
    let app = App::launch(&home, "decline-demo").await;
    app.wait_visible("[data-testid=welcome]", "the welcome panel on an empty folder").await;
    app.click("[data-testid=decline-demo]", "No thanks").await;
    app.wait_gone("[data-testid=open-demo]", "the demo offer after declining").await;
    app.wait_visible("[data-testid=welcome] [data-testid=new-case]", "New case on the welcome panel").await;
    app.quit().await;

    let app = App::launch(&home, "decline-demo").await;
    app.wait_visible("[data-testid=welcome] [data-testid=new-case]", "the welcome panel after relaunch")
        .await;
    assert!(
        app.find_now("[data-testid=open-demo]").await.is_none(),
        "the demo is offered again after it was declined"
    );
    app.quit().await;
    assert_eq!(cli_json(&home, &["case", "list", "--all", "--json"]), json!([]));
}
