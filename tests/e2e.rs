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

// ----- triage ------------------------------------------------------------------------------------

/// Waits until the question card asks `question`.
async fn expect_question(app: &App, question: &str) {
    app.wait_visible(
        &format!("[data-testid=triage-question][data-question-id=\"{question}\"]"),
        &format!("the question {question}"),
    )
    .await;
}

/// Answers the yes/no question `question` (once it is the one asked).
async fn answer_yes_no(app: &App, question: &str, yes: bool) {
    expect_question(app, question).await;
    let (button, what) =
        if yes { ("[data-testid=answer-yes]", "Yes") } else { ("[data-testid=answer-no]", "No") };
    app.click(
        &format!("[data-testid=triage-question][data-question-id=\"{question}\"] {button}"),
        &format!("{what} to {question}"),
    )
    .await;
}

/// Ticks `options` of the choice or multiple-choice question `question`, then Continue.
async fn answer_options(app: &App, question: &str, options: &[&str]) {
    expect_question(app, question).await;
    for option in options {
        app.click(
            &format!("[data-testid=\"answer-option-{option}\"]"),
            &format!("the answer {option} to {question}"),
        )
        .await;
    }
    app.click("[data-testid=answer-continue]", "Continue").await;
}

/// The stored answer to `question` in the CLI's `triage --json`, if the question is on the path.
fn stored_answer<'a>(triage: &'a Value, question: &str) -> Option<&'a Value> {
    triage["steps"]
        .as_array()?
        .iter()
        .find(|step| step["question"]["id"] == question)
        .map(|step| &step["answer"])
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
    expect_question(&app, "has-account").await;
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
    // The date is written out in the UI language's format (day month year for English), whatever
    // the locale of the environment the window was started in.
    app.wait_text("#tab-panel", "1 October 2025", "the withdrawal request date in the overview").await;
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
    app.wait_text(
        "[data-testid=case-count]",
        "No active cases · 1 archived",
        "the count beside the all-archived notice",
    )
    .await;
    app.screenshot("home-all-archived").await;
    app.click("[data-testid=show-archived]", "Show archived").await;
    app.wait_text("[data-testid=case-row]", NEW_TITLE, "the archived case under Show archived").await;
    app.wait_text(
        "[data-testid=case-count]",
        "No active cases · 1 archived",
        "the count with Show archived ticked",
    )
    .await;
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

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn triage_answers_are_saved_as_given_and_survive_a_relaunch() {
    const TRIAGE_TITLE: &str = "Withdrawal pending at Northwind";
    let home = TempHome::new();
    let id = home
        .casefile(&[
            "case",
            "new",
            "--title",
            TRIAGE_TITLE,
            "--casino",
            CASINO,
            "--amount",
            "2 350,00",
            "--currency",
            "EUR",
            "--category",
            "withdrawal",
            "--withdrawal-requested",
            "2025-10-01",
        ])
        .ok()
        .trim()
        .to_owned();

    let app = App::launch(&home, "triage").await;
    app.open_row(TRIAGE_TITLE).await;
    app.wait_text("[data-testid=case-title]", TRIAGE_TITLE, "the case page").await;
    app.wait_text(
        "[data-testid=overview-triage-status]",
        "Not started",
        "the overview's triage status before any answer",
    )
    .await;
    app.click("[data-testid=tab-triage]", "the Triage tab").await;
    expect_question(&app, "has-account").await;
    app.wait_visible("[data-testid=triage-phase][data-phase=category]", "the stepper on the first phase")
        .await;
    app.screenshot("triage-first-question").await;

    answer_yes_no(&app, "has-account", true).await;
    answer_yes_no(&app, "can-log-in", true).await;
    answer_options(&app, "withdrawal-status", &["pending"]).await;
    // "Pending" brings up an idea, shown at once under the next question.
    app.wait_visible(
        "[data-testid=idea][data-idea-id=check-processing-time]",
        "the idea brought up by a pending withdrawal",
    )
    .await;
    app.wait_visible("[data-testid=this-solved-it]", "This solved it").await;
    expect_question(&app, "bonus-played").await;
    app.screenshot("triage-ideas").await;
    app.click("[data-testid=ideas-continue]", "Continue after the ideas").await;
    app.wait_gone("[data-testid=idea]", "the ideas after Continue").await;

    answer_yes_no(&app, "bonus-played", false).await;
    answer_yes_no(&app, "previous-deposit", true).await;
    expect_question(&app, "withdrawn-before").await;
    app.quit().await;

    // Half-way: every answer given so far is already stored.
    let stored = cli_json(&home, &["triage", &id, "--json"]);
    assert_eq!(stored["current"]["id"], "withdrawn-before", "{stored:#}");
    assert_eq!(
        stored_answer(&stored, "withdrawal-status"),
        Some(&json!({ "kind": "choice", "value": "pending" })),
        "{stored:#}"
    );

    // A new window on the same folder asks the next unanswered question and lists the answers.
    let app = App::launch(&home, "triage").await;
    app.open_row(TRIAGE_TITLE).await;
    app.wait_text(
        "[data-testid=overview-triage-status]",
        "5 answers so far",
        "the overview's triage status after relaunch",
    )
    .await;
    app.click("[data-testid=overview-open-triage]", "Continue the questions").await;
    expect_question(&app, "withdrawn-before").await;
    for (question, answer) in [
        ("has-account", "Yes"),
        ("can-log-in", "Yes"),
        ("withdrawal-status", "It is still pending"),
        ("bonus-played", "No"),
        ("previous-deposit", "Yes"),
    ] {
        app.wait_text(
            &format!("[data-testid=triage-step][data-question-id=\"{question}\"]"),
            answer,
            &format!("the stored answer to {question}"),
        )
        .await;
    }
    app.screenshot("triage-after-relaunch").await;

    // Change an earlier answer: it is asked again, the later answers stay and are re-applied.
    app.click("[data-testid=change-answer-bonus-played]", "Change the bonus answer").await;
    expect_question(&app, "bonus-played").await;
    app.wait_text("[data-testid=previous-answer]", "No", "the earlier answer beside the question").await;
    answer_yes_no(&app, "bonus-played", false).await;
    expect_question(&app, "withdrawn-before").await;
    // Back forgets the last answer and asks it again.
    app.click("[data-testid=triage-back]", "Back").await;
    answer_yes_no(&app, "previous-deposit", true).await;

    // The rest of the category's questions, then the follow-ups.
    answer_yes_no(&app, "withdrawn-before", true).await;
    answer_yes_no(&app, "casino-communicates", true).await;
    answer_options(&app, "casino-reason", &["verification"]).await;
    answer_yes_no(&app, "fu-account-verified", true).await;
    answer_options(&app, "fu-payment-method", &["bank-transfer"]).await;
    answer_options(&app, "fu-deposit-method", &["card"]).await;
    answer_yes_no(&app, "fu-all-documents-sent", true).await;
    answer_yes_no(&app, "fu-documents-visible", false).await;

    // A date in the future is refused with the reason under the question; nothing is stored.
    expect_question(&app, "fu-verification-first-asked").await;
    app.set_date("answer", "2099-01-01").await;
    app.click("[data-testid=answer-continue]", "Continue").await;
    app.wait_text("[data-testid=answer-error]", "future", "the refusal of a future date").await;
    app.screenshot("triage-refused-answer").await;
    app.set_date("answer", "2025-09-20").await;
    app.wait_gone("[data-testid=answer-error]", "the refusal after editing").await;
    app.click("[data-testid=answer-continue]", "Continue").await;
    answer_yes_no(&app, "fu-documents-asked-again", true).await;

    // The first eligibility check: answering yes brings up a finding.
    expect_question(&app, "elig-sports-betting").await;
    app.wait_visible(
        "[data-testid=triage-phase][data-phase=eligibility]",
        "the stepper on \"Before you go on\"",
    )
    .await;
    answer_yes_no(&app, "elig-sports-betting", true).await;
    expect_question(&app, "elig-offensive-language").await;
    let finding = app
        .wait_visible(
            "[data-testid=eligibility-finding][data-finding-id=sports-betting]",
            "the sports-betting finding",
        )
        .await;
    assert_eq!(
        finding.attr("data-severity").await.ok().flatten().as_deref(),
        Some("redirect"),
        "the sports-betting finding is not marked as a redirect"
    );
    app.wait_text("[data-testid=triage-added]", "sports betting", "the note that the answer added a finding")
        .await;
    app.screenshot("triage-finding").await;

    // Tick an evidence item of the verification weak point.
    app.wait_visible(
        "[data-testid=weak-point][data-weak-point-id=verification]",
        "the verification weak point",
    )
    .await;
    app.click("[data-testid=evidence-documents-sent-receipts]", "I have the document receipts").await;
    app.wait_until("the evidence tick to be saved", async || {
        let Some(box_) = app.try_find("[data-testid=evidence-documents-sent-receipts]").await? else {
            return Ok(None);
        };
        Ok((box_.is_selected().await? && box_.is_enabled().await?).then_some(()))
    })
    .await;
    let meter = app.wait_visible("[data-testid=completeness]", "the completeness meter").await;
    let percent = meter
        .attr("data-percent")
        .await
        .ok()
        .flatten()
        .and_then(|p| p.parse::<u8>().ok())
        .expect("the meter has a numeric data-percent");
    assert!(percent > 0 && percent < 100, "completeness {percent}%");
    app.screenshot("triage-weak-points").await;
    app.quit().await;

    // What the window stored is what the CLI reads.
    let triage = cli_json(&home, &["triage", &id, "--json"]);
    assert_eq!(triage["phase"], "eligibility", "{triage:#}");
    assert_eq!(triage["current"]["id"], "elig-offensive-language", "{triage:#}");
    for (question, answer) in [
        ("has-account", json!({ "kind": "yes" })),
        ("can-log-in", json!({ "kind": "yes" })),
        ("withdrawal-status", json!({ "kind": "choice", "value": "pending" })),
        ("bonus-played", json!({ "kind": "no" })),
        ("previous-deposit", json!({ "kind": "yes" })),
        ("withdrawn-before", json!({ "kind": "yes" })),
        ("casino-communicates", json!({ "kind": "yes" })),
        ("casino-reason", json!({ "kind": "choices", "value": ["verification"] })),
        ("fu-withdrawal-date", json!({ "kind": "date", "value": "2025-10-01" })),
        ("fu-payment-method", json!({ "kind": "choice", "value": "bank-transfer" })),
        ("fu-deposit-method", json!({ "kind": "choice", "value": "card" })),
        ("fu-documents-visible", json!({ "kind": "no" })),
        ("fu-verification-first-asked", json!({ "kind": "date", "value": "2025-09-20" })),
        ("elig-sports-betting", json!({ "kind": "yes" })),
    ] {
        assert_eq!(stored_answer(&triage, question), Some(&answer), "the answer to {question}: {triage:#}");
    }
    let findings: Vec<&Value> = triage["eligibility"]
        .as_array()
        .expect("eligibility is a list")
        .iter()
        .map(|finding| &finding["id"])
        .collect();
    assert!(findings.contains(&&json!("sports-betting")), "{findings:?}");
    let receipts = triage["weak_points"]
        .as_array()
        .expect("weak_points is a list")
        .iter()
        .filter(|point| point["id"] == "verification")
        .flat_map(|point| point["evidence"].as_array().cloned().unwrap_or_default())
        .find(|item| item["id"] == "documents-sent-receipts")
        .expect("the verification weak point lists the document receipts");
    assert_eq!(receipts["covered"], true, "{receipts:#}");
}

// ----- The escalation ladder, the due list, closing a case and the directory ---------------------

const UKGC_CASE: &[&str] = &[
    "case",
    "new",
    "--title",
    "T",
    "--casino",
    "Lucky",
    "--amount",
    "100",
    "--currency",
    "GBP",
    "--category",
    "withdrawal",
    "--regulator",
    "ukgc",
    "--adr",
    "IBAS",
    "--country",
    "GB",
    "--now",
    "2026-03-01T12:00:00Z",
];
const IBAS: &str = "Independent Betting Adjudication Service (IBAS)";

/// `[data-testid=<testid>]` inside the ladder rung of `recipient`.
fn in_rung(recipient: &str, testid: &str) -> String {
    format!("[data-testid=ladder-rung][data-recipient-id=\"{recipient}\"] [data-testid={testid}]")
}

/// Opens the case titled `title` from the home list and its Ladder tab.
async fn open_ladder(app: &App, title: &str) {
    app.open_row(title).await;
    app.wait_text("[data-testid=case-title]", title, "the case page's title").await;
    app.click("[data-testid=tab-ladder]", "the Ladder tab").await;
    app.wait_visible("[data-testid=ladder-next]", "the next-action card").await;
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn ladder_records_a_complaint_and_the_adr_comes_due_eight_weeks_later() {
    let home = TempHome::new();
    let id = home.casefile(UKGC_CASE).ok().trim().to_owned();

    let app = App::launch_with(&home, "ladder", &[("CASEFILE_NOW", "2026-03-02T12:00:00Z")]).await;
    app.wait_text("[data-testid=case-row]", "Lucky", "the case in the home list").await;
    open_ladder(&app, "T").await;
    app.wait_visible(
        "[data-testid=ladder-next][data-recipient-id=casino-support][data-overdue=false]",
        "the next action pointing at the casino",
    )
    .await;
    app.wait_visible(
        "[data-testid=ladder-rung][data-recipient-id=casino-support][data-status=ready]",
        "the casino rung, ready",
    )
    .await;
    app.wait_visible("[data-testid=ladder-rung][data-recipient-id=ibas]", "the IBAS rung").await;
    app.screenshot("ladder").await;

    // Open the casino's rung and its record form.
    app.click(&in_rung("casino-support", "rung-toggle"), "the casino rung").await;
    app.wait_visible(&in_rung("casino-support", "rung-detail"), "the casino rung's detail").await;
    app.screenshot("ladder-rung-detail").await;
    app.click(&in_rung("casino-support", "record-step"), "Record what happened").await;
    app.click("[data-testid=step-kind-sent]", "I sent something").await;
    let on = app.wait_visible("[data-testid=step-on]", "the date field").await;
    assert_eq!(
        on.prop("value").await.ok().flatten().as_deref(),
        Some("2026-03-02"),
        "the date does not default to the app's today"
    );

    // Without a channel the backend refuses, and the form says why.
    app.type_css("[data-testid=step-reference]", "TKT-1001", "the reference").await;
    app.click("[data-testid=save-step]", "Save").await;
    let error = app.wait_visible("[data-testid=step-error]", "the refusal").await;
    let message = error.text().await.expect("the refusal's text");
    assert!(message.contains("email"), "the refusal does not name the channels: {message:?}");

    app.set_css("[data-testid=step-channel]", "email", "the channel").await;
    app.type_css("[data-testid=step-summary]", "Formal complaint: pay within 7 days.", "the summary").await;
    app.wait_gone("[data-testid=step-error]", "the refusal after editing").await;
    app.screenshot("ladder-record-form").await;
    app.click("[data-testid=save-step]", "Save").await;

    app.wait_visible(
        "[data-testid=ladder-rung][data-recipient-id=casino-support][data-status=awaiting_reply]",
        "the casino rung awaiting a reply",
    )
    .await;
    app.wait_text(&in_rung("casino-support", "history-step"), "TKT-1001", "the recorded step").await;
    let clock = app
        .wait_text(
            "[data-testid=clock][data-clock-id=ukgc-adr-after-8-weeks][data-state=running]",
            "ADR opens after 8 weeks",
            "the 8-week ADR clock",
        )
        .await;
    let text = clock.text().await.expect("the clock's text");
    assert!(
        text.contains("27 April 2026") || text.contains("April 27, 2026"),
        "the ADR clock is not dated 27 April 2026: {text:?}"
    );
    app.screenshot("ladder-after-sent").await;
    app.quit().await;

    let ladder = cli_json(&home, &["ladder", &id, "--json", "--now", "2026-03-02T12:00:00Z"]);
    let history = ladder["history"].as_array().expect("a history");
    assert_eq!(history.len(), 1, "{ladder:#}");
    assert_eq!(history[0]["recipient_id"], "casino-support");
    assert_eq!(history[0]["kind"], "sent");
    assert_eq!(history[0]["channel"], "email");
    assert_eq!(history[0]["on"], "2026-03-02");
    assert_eq!(history[0]["reference"], "TKT-1001");

    // Eight weeks later the home screen says the ADR step is due, and the case is on it.
    let app = App::launch_with(&home, "ladder", &[("CASEFILE_NOW", "2026-04-27T12:00:00Z")]).await;
    app.wait_visible("[data-testid=due-panel]", "the What is due panel").await;
    let due_item = format!("[data-testid=due-item][data-case-id=\"{id}\"]");
    let item = app.wait_text(&due_item, IBAS, "the case's due item naming IBAS").await;
    app.wait_until("the due item to say it is due today or overdue", async || {
        let text = item.text().await?;
        Ok((text.contains("today") || text.contains("overdue")).then_some(()))
    })
    .await;
    app.wait_text("[data-testid=case-row]", IBAS, "the Stage column naming IBAS").await;
    app.screenshot("home-due").await;

    app.click(&due_item, "the due item").await;
    app.wait_visible("[data-testid=tab-ladder][aria-selected=true]", "the Ladder tab").await;
    app.wait_visible("[data-testid=ladder-next][data-recipient-id=ibas]", "the next action at IBAS").await;
    app.wait_visible(
        "[data-testid=ladder-rung][data-recipient-id=ibas][data-status=ready]",
        "the IBAS rung, ready",
    )
    .await;
    app.screenshot("ladder-adr-due").await;

    // A mistaken record can be deleted (after confirming); the casino rung is ready again.
    app.click("[data-testid=ladder-history] [data-testid=delete-step]", "Delete on the record").await;
    app.click("[data-testid=confirm-delete-step]", "the confirmation's Delete").await;
    app.wait_visible(
        "[data-testid=ladder-rung][data-recipient-id=casino-support][data-status=ready]",
        "the casino rung ready again",
    )
    .await;
    app.quit().await;
    let ladder = cli_json(&home, &["ladder", &id, "--json", "--now", "2026-04-27T12:00:00Z"]);
    assert_eq!(ladder["history"], json!([]), "the deleted step is still stored");
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn a_completed_triage_can_close_the_case_as_solved_and_reopen_it() {
    let home = TempHome::new();
    let id = home.casefile(&["demo"]).ok().trim().to_owned();
    let app = App::launch(&home, "triage-solved").await;
    app.open_row("Withdrawal of €2,350 pending for three weeks").await;
    app.wait_text(
        "[data-testid=overview-triage-status]",
        "complete",
        "the overview's status of the demo's completed triage",
    )
    .await;
    app.click("[data-testid=tab-triage]", "the Triage tab").await;
    app.wait_visible("[data-testid=triage-done]", "the completed triage").await;
    app.wait_visible("[data-testid=no-findings]", "no eligibility findings").await;
    app.wait_visible("[data-testid=completeness][data-percent=\"100\"]", "a complete letter").await;
    app.screenshot("triage-done").await;

    app.click("[data-testid=this-solved-it]", "One of these ideas solved it").await;
    app.wait_visible("[data-testid=confirm-solved]", "the solved dialog").await;
    app.type_into("solved-note", "Paid on 3 June after I asked in writing.").await;
    app.screenshot("triage-solved-dialog").await;
    app.click("[data-testid=confirm-solved]", "Close as solved").await;
    app.wait_visible("[data-testid=triage-resolved]", "the resolved state").await;
    app.wait_text("[data-testid=closure-note]", "Paid on 3 June", "the note kept with the closure").await;
    assert!(
        app.find_now("[data-testid=triage-question]").await.is_none()
            && app.find_now("[data-testid=triage-done]").await.is_none(),
        "a closed case still shows the questions"
    );
    app.screenshot("triage-resolved").await;

    let case = cli_json(&home, &["case", "show", &id, "--json"]);
    assert_eq!(case["closure"]["outcome"], "resolved", "{case:#}");
    assert_eq!(case["closure"]["note"], "Paid on 3 June after I asked in writing.", "{case:#}");

    app.click("[data-testid=reopen-case]", "Reopen case").await;
    app.wait_visible("[data-testid=triage-done]", "the triage after reopening").await;
    app.wait_gone("[data-testid=triage-resolved]", "the resolved state").await;
    app.quit().await;
    let case = cli_json(&home, &["case", "show", &id, "--json"]);
    assert_eq!(case["closure"], Value::Null, "{case:#}");
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn skip_a_rung_close_and_reopen_the_case_and_search_the_directory() {
    let home = TempHome::new();
    let id = home.casefile(UKGC_CASE).ok().trim().to_owned();
    let app = App::launch_with(&home, "close", &[("CASEFILE_NOW", "2026-03-02T12:00:00Z")]).await;
    app.wait_text("[data-testid=case-row]", "Lucky", "the case in the home list").await;
    open_ladder(&app, "T").await;

    // Skip the regulator's report with a reason, then bring it back.
    app.click(&in_rung("ukgc", "rung-toggle"), "the UKGC rung").await;
    app.click(&in_rung("ukgc", "skip-rung"), "Skip this step").await;
    app.type_css(&in_rung("ukgc", "skip-reason"), "Reported already by phone", "the skip reason").await;
    app.click(&in_rung("ukgc", "confirm-skip"), "the skip's confirmation").await;
    app.wait_visible(
        "[data-testid=ladder-rung][data-recipient-id=ukgc][data-status=skipped]",
        "the UKGC rung skipped",
    )
    .await;
    app.wait_text(
        "[data-testid=ladder-rung][data-recipient-id=ukgc]",
        "Reported already by phone",
        "the reason",
    )
    .await;
    app.click(&in_rung("ukgc", "unskip-rung"), "Use this step again").await;
    app.wait_gone("[data-testid=ladder-rung][data-status=skipped]", "the skipped rung").await;

    // Close: a bad amount is refused next to its field, then the case closes as resolved.
    app.click("[data-testid=close-case]", "Close case").await;
    app.click("[data-testid=close-outcome-resolved]", "Resolved").await;
    app.set_css("[data-testid=close-label]", "resolved", "the outcome label").await;
    app.type_css("[data-testid=close-note]", "Paid after the complaint.", "the note").await;
    app.type_css("[data-testid=close-recovered]", "abc", "the amount recovered").await;
    app.click("[data-testid=confirm-close]", "Close the case").await;
    app.wait_text("dialog[open]", "abc", "the refused amount quoted in the dialog").await;
    app.type_css("[data-testid=close-recovered]", "100", "the amount recovered").await;
    app.screenshot("close-case").await;
    app.click("[data-testid=confirm-close]", "Close the case").await;
    let banner = app.wait_text("[data-testid=closure-banner]", "Resolved", "the closure banner").await;
    let text = banner.text().await.expect("the banner's text");
    assert!(text.contains("100.00") && text.contains("Paid after the complaint."), "{text:?}");
    assert!(app.find_now("[data-testid=close-case]").await.is_none(), "Close case shows on a closed case");
    app.screenshot("case-closed").await;

    let case = cli_json(&home, &["case", "show", &id, "--json"]);
    assert_eq!(case["closure"]["outcome"], "resolved", "{case:#}");
    assert_eq!(case["closure"]["label"], "resolved", "{case:#}");
    assert_eq!(case["closure"]["amount_recovered"], json!({ "minor_units": 10000, "currency": "GBP" }));

    app.click("[data-testid=reopen]", "Reopen").await;
    app.wait_gone("[data-testid=closure-banner]", "the closure banner").await;
    app.wait_visible("[data-testid=close-case]", "Close case again").await;
    let case = cli_json(&home, &["case", "show", &id, "--json"]);
    assert_eq!(case["closure"], Value::Null, "{case:#}");

    // The directory: search, filter by kind, open an entry; a closed body says so.
    app.click("[data-testid=nav-directory]", "the Directory link").await;
    app.wait_visible("[data-testid=directory-entry][data-recipient-id=ibas]", "IBAS in the directory").await;
    app.type_css("[data-testid=directory-search]", "odr", "the search").await;
    app.wait_text(
        "[data-testid=directory-entry][data-recipient-id=eu-odr] [data-testid=defunct-badge]",
        "Closed down",
        "the EU ODR platform marked closed",
    )
    .await;
    app.type_css("[data-testid=directory-search]", "betting", "the search").await;
    app.set_css("[data-testid=directory-kind]", "adr", "the kind filter").await;
    app.wait_until("only IBAS to be listed", async || {
        let entries = app.try_find_all("[data-testid=directory-entry]").await?;
        let mut ids = Vec::new();
        for entry in entries {
            ids.push(entry.attr("data-recipient-id").await?.unwrap_or_default());
        }
        Ok((ids == ["ibas"]).then_some(()))
    })
    .await;
    app.click("[data-testid=directory-entry][data-recipient-id=ibas] summary", "the IBAS entry").await;
    app.wait_text("[data-testid=directory-entry][data-recipient-id=ibas]", "PO BOX 62639", "IBAS's address")
        .await;
    app.screenshot("directory").await;
    app.quit().await;
}

/// Fails when the page is wider than the window (a horizontal scrollbar at this size).
async fn expect_no_horizontal_scroll(app: &App, what: &str) {
    let script = "return [document.documentElement.scrollWidth, window.innerWidth];";
    let sizes = app.client().execute(script, vec![]).await.expect("page sizes");
    let (page, window) = (sizes[0].as_i64().unwrap_or(0), sizes[1].as_i64().unwrap_or(0));
    assert!(page <= window, "{what} is {page}px wide in a {window}px window");
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn the_demo_ladder_fits_a_small_window_in_the_dark_theme() {
    let home = TempHome::new();
    home.casefile(&["demo"]).ok();
    let app = App::launch_with(&home, "small-dark", &[("GTK_THEME", "Adwaita:dark")]).await;
    app.resize(1024, 640).await;
    app.wait_visible("[data-testid=case-row]", "the demo case in the home list").await;
    app.wait_visible("[data-testid=due-panel]", "the demo's due item").await;
    expect_no_horizontal_scroll(&app, "the home screen").await;
    app.screenshot("small-dark-home").await;

    open_ladder(&app, "Withdrawal of €2,350").await;
    app.wait_visible("[data-testid=ladder-next][data-recipient-id=casino-support]", "the next action").await;
    expect_no_horizontal_scroll(&app, "the ladder").await;
    app.screenshot("small-dark-ladder").await;
    app.click("[data-testid=open-next]", "Open this step").await;
    app.wait_visible(&in_rung("casino-support", "rung-detail"), "the casino rung's detail").await;
    app.wait_text(&in_rung("casino-support", "history-step"), "TKT-20931", "the demo's sent email").await;
    expect_no_horizontal_scroll(&app, "the open rung").await;
    app.screenshot("small-dark-rung").await;
    app.click(&in_rung("casino-support", "record-step"), "Record what happened").await;
    app.click("[data-testid=step-kind-reply]", "I got a reply").await;
    app.wait_visible("[data-testid=step-outcome]", "the reply's outcome").await;
    expect_no_horizontal_scroll(&app, "the record form").await;
    app.screenshot("small-dark-record").await;

    app.click("[data-testid=nav-directory]", "the Directory link").await;
    app.click("[data-testid=directory-entry][data-recipient-id=ibas] summary", "the IBAS entry").await;
    app.wait_text("[data-testid=directory-entry][data-recipient-id=ibas]", "PO BOX 62639", "IBAS's address")
        .await;
    expect_no_horizontal_scroll(&app, "the directory").await;
    app.screenshot("small-dark-directory").await;
    app.quit().await;
}

// ----- The evidence locker -----------------------------------------------------------------------

/// A 48 × 32 blue PNG.
const SCREENSHOT_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x20, 0x08, 0x02, 0x00, 0x00, 0x00, 0xdb, 0xb6, 0x6c, 0x4b, 0x00,
    0x00, 0x00, 0x31, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0xed, 0xce, 0x41, 0x0d, 0x00, 0x00, 0x08, 0x04,
    0xa0, 0x2b, 0x62, 0x32, 0x03, 0x59, 0xdb, 0x16, 0xce, 0x07, 0x1b, 0x01, 0x48, 0xf5, 0xbc, 0x12, 0x21,
    0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0xa1, 0x4b,
    0x0b, 0x62, 0x96, 0xfa, 0x4c, 0x6b, 0x0d, 0xb7, 0x11, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];

/// An email from the casino with a 40 × 40 red PNG attached.
const REFUSAL_EML: &str = "From: Lucky Support <support@lucky.example>\r\n\
To: player@example.org\r\n\
Subject: Your withdrawal request W-2291\r\n\
Date: Mon, 02 Mar 2026 09:15:00 +0000\r\n\
Message-ID: <w2291@lucky.example>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
Dear player, your withdrawal W-2291 is under review by our finance team.\r\n\
<a href=\"https://lucky.example/track\">Track it</a>\r\n\
--b1\r\n\
Content-Type: image/png; name=\"balance.png\"\r\n\
Content-Disposition: attachment; filename=\"balance.png\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
iVBORw0KGgoAAAANSUhEUgAAACgAAAAoCAIAAAADnC86AAAAMElEQVR42u3NQQkAAAgEsItjCPtjLEsIfgb7L9P1ImKxWCwWi8VisVgsFovFYvGdBaXkU2oXjdRDAAAAAElFTkSuQmCC\r\n\
--b1--\r\n";

const CHAT_TXT: &str = "[2026-03-02 10:01] Agent: Your withdrawal is with our finance team.\n\
[2026-03-02 10:02] Me: When will it be paid? It has been 10 days.\n\
[2026-03-02 10:04] Agent: I cannot give a date, sorry.\n";

const PASSPHRASE: &str = "correct horse battery";

/// Opens the case titled `title` from the home list and its Evidence tab.
async fn open_evidence(app: &App, title: &str) {
    app.open_row(title).await;
    app.wait_text("[data-testid=case-title]", title, "the case page's title").await;
    app.click("[data-testid=tab-evidence]", "the Evidence tab").await;
}

/// The `data-result` of every per-file import result, once there are `count` of them.
async fn import_results(app: &App, count: usize) -> Vec<(String, String)> {
    app.wait_until(&format!("{count} import results"), async || {
        let rows = app.try_find_all("[data-testid=import-result]").await?;
        if rows.len() < count {
            return Ok(None);
        }
        let mut out = Vec::new();
        for row in rows {
            out.push((row.attr("data-result").await?.unwrap_or_default(), row.text().await?));
        }
        Ok(Some(out))
    })
    .await
}

/// Waits until `count` elements match `css`.
async fn wait_count(app: &App, css: &str, count: usize, what: &str) {
    app.wait_until(&format!("{count} × {what}"), async || {
        Ok((app.try_find_all(css).await?.len() >= count).then_some(()))
    })
    .await;
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn evidence_locker_set_up_add_files_view_check_and_unlock_after_a_relaunch() {
    let home = TempHome::new();
    home.casefile(UKGC_CASE).ok();
    let incoming = home.path().join("incoming");
    std::fs::create_dir_all(&incoming).expect("a folder for the files");
    let files = [
        ("screenshot-1.png", SCREENSHOT_PNG),
        ("refusal.eml", REFUSAL_EML.as_bytes()),
        ("chat.txt", CHAT_TXT.as_bytes()),
        ("empty.txt", &[][..]),
    ];
    let mut paths = Vec::new();
    for (name, bytes) in files {
        let path = incoming.join(name);
        std::fs::write(&path, bytes).expect("writing a test file");
        paths.push(path.to_string_lossy().into_owned());
    }
    let pick = paths.join(":");

    let app = App::launch_with(&home, "evidence", &[("CASEFILE_TEST_PICK", &pick)]).await;
    open_evidence(&app, "T").await;
    // The vault was set up before the case existed and unlocked at launch: the tab opens straight
    // on adding files.
    app.wait_visible("[data-testid=add-files]", "Add files…").await;

    // Note every progress line the page shows while the files are added (it can be quick).
    app.client()
        .execute(
            "window.__progress = []; new MutationObserver(() => { \
               const p = document.querySelector('[data-testid=import-progress]'); \
               if (p) window.__progress.push(p.textContent.trim()); \
             }).observe(document.body, {subtree: true, childList: true, characterData: true});",
            vec![],
        )
        .await
        .expect("installing the progress observer");
    app.click("[data-testid=add-files]", "Add files…").await;
    let results = import_results(&app, 5).await;
    app.screenshot("evidence-import-results").await;
    let added = results.iter().filter(|(r, _)| r == "added").count();
    assert_eq!(added, 4, "3 files and 1 attachment should be added: {results:?}");
    let rejected: Vec<_> = results.iter().filter(|(r, _)| r == "rejected").collect();
    assert_eq!(rejected.len(), 1, "{results:?}");
    assert!(
        rejected[0].1.contains("empty.txt") && rejected[0].1.contains("empty"),
        "the empty file's line does not say why: {:?}",
        rejected[0].1
    );
    let seen = app.client().execute("return window.__progress;", vec![]).await.expect("the progress lines");
    let seen: Vec<String> = serde_json::from_value(seen).unwrap_or_default();
    assert!(!seen.is_empty(), "the progress bar never showed");
    eprintln!("progress lines seen: {seen:?}");

    wait_count(&app, "[data-testid=evidence-item]", 4, "evidence items").await;
    wait_count(&app, "img[data-testid=evidence-thumbnail]", 2, "image previews").await;
    app.screenshot("evidence-grid").await;

    // The email: headers and its body as text (the link in it stays text).
    app.click("[data-testid=evidence-item][data-kind=email]", "the email").await;
    app.wait_visible("[data-testid=evidence-detail]", "the item's detail").await;
    app.wait_text("[data-testid=email-headers]", "support@lucky.example", "the email's From").await;
    app.wait_text("[data-testid=email-headers]", "Your withdrawal request W-2291", "the email's subject")
        .await;
    app.wait_text("[data-testid=email-headers]", "w2291@lucky.example", "the email's Message-ID").await;
    app.wait_text("[data-testid=email-body]", "under review by our finance team", "the email's body").await;
    assert!(
        app.find_now("[data-testid=evidence-detail] a").await.is_none(),
        "the email's detail holds a link"
    );
    app.screenshot("evidence-email").await;
    app.click("[data-testid=close-detail]", "Close").await;
    app.wait_gone("[data-testid=evidence-detail]", "the email's detail").await;

    // The chat: its messages as a conversation.
    app.click("[data-testid=evidence-item][data-kind=chat]", "the chat").await;
    wait_count(&app, "[data-testid=chat-message]", 3, "chat messages").await;
    app.wait_text("[data-testid=chat-message]", "finance team", "the agent's first message").await;
    app.screenshot("evidence-chat").await;
    app.click("[data-testid=close-detail]", "Close").await;
    app.wait_gone("[data-testid=evidence-detail]", "the chat's detail").await;

    // The image, large.
    app.click("[data-testid=evidence-item][data-kind=image]", "the screenshot").await;
    app.wait_visible("[data-testid=evidence-detail] img[data-testid=redact-image]", "the preview").await;
    app.wait_visible("[data-testid=evidence-sha256]", "the SHA-256").await;
    app.screenshot("evidence-image").await;
    app.click("[data-testid=close-detail]", "Close").await;

    app.click("[data-testid=verify-evidence]", "Check everything").await;
    app.wait_text("[data-testid=verify-result][data-ok=true]", "4 items", "the check's all-clear").await;
    app.screenshot("evidence-verified").await;
    app.quit().await;

    // After a relaunch (and the passphrase, typed by the harness) the items are there.
    let app = App::launch(&home, "evidence").await;
    open_evidence(&app, "T").await;
    wait_count(&app, "[data-testid=evidence-item]", 4, "evidence items after unlocking").await;
    wait_count(&app, "img[data-testid=evidence-thumbnail]", 2, "image previews after unlocking").await;
    app.screenshot("evidence-after-relaunch").await;
    app.quit().await;

    // Nothing the person typed or imported is readable in the data folder: not the casino, not a
    // file name, not the email's subject or sender, in the database, its -wal, or the evidence.
    std::fs::remove_dir_all(&incoming).expect("removing the plaintext originals");
    let markers = [
        "Lucky",
        "refusal.eml",
        "screenshot-1.png",
        "Your withdrawal request W-2291",
        "support@lucky.example",
    ];
    for file in files_under(home.path()) {
        let bytes = std::fs::read(&file).expect("reading a file of the data folder");
        for marker in markers {
            assert!(
                !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
                "{marker:?} is readable in {}",
                file.display()
            );
        }
    }
}

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() { files.extend(files_under(&path)) } else { files.push(path) }
    }
    files
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn first_run_protects_the_folder_then_a_relaunch_asks_for_the_passphrase() {
    let home = TempHome::bare();
    let app = App::launch_locked(&home, "first-run", &[]).await;
    app.wait_visible("[data-testid=folder-setup]", "the first-run setup").await;
    app.wait_visible("[data-testid=setup-keyring]", "the keyring choice").await;
    assert!(
        app.find_now("[data-testid=nav-cases]").await.is_none(),
        "the case list is reachable while locked"
    );
    app.screenshot("first-run-setup").await;

    // The test's D-Bus session has no unlocked keyring: the passphrase way.
    app.click("[data-testid=setup-passphrase]", "Use a passphrase instead").await;
    app.type_css("[data-testid=passphrase]", "too short", "the passphrase").await;
    app.type_css("[data-testid=passphrase-again]", "too short", "the passphrase again").await;
    app.click("[data-testid=confirm-setup]", "the setup button").await;
    app.wait_visible("#passphrase-short", "the too-short message").await;
    app.type_css("[data-testid=passphrase]", PASSPHRASE, "the passphrase").await;
    app.wait_text("[data-testid=passphrase-strength]", "Strength", "the strength hint").await;
    app.type_css("[data-testid=passphrase-again]", PASSPHRASE, "the passphrase again").await;
    app.screenshot("first-run-passphrase").await;
    app.click("[data-testid=confirm-setup]", "the setup button").await;

    let key = app.wait_visible("[data-testid=recovery-key]", "the recovery key").await;
    let key_text = key.text().await.expect("the recovery key's text");
    assert!(key_text.trim().len() >= 20, "the recovery key looks too short: {key_text:?}");
    app.screenshot("first-run-recovery-key").await;
    app.click("[data-testid=recovery-done]", "I have written it down").await;
    app.wait_gone("[data-testid=recovery-key]", "the recovery key dialog").await;
    app.wait_visible("[data-testid=open-demo]", "the demo offer on the new, empty folder").await;
    app.screenshot("first-run-home").await;
    app.click("[data-testid=open-demo]", "Open the demo case").await;
    app.wait_visible("[data-testid=case-title]", "the demo case's page").await;
    app.quit().await;

    let head = std::fs::read(home.database()).expect("the database exists");
    assert!(!head.starts_with(b"SQLite format 3"), "the database is plaintext");

    // A relaunch opens on the unlock screen; a wrong passphrase says so, the right one opens.
    let app = App::launch_locked(&home, "unlock", &[]).await;
    app.wait_visible("[data-testid=folder-unlock]", "the unlock screen").await;
    assert!(
        app.find_now("[data-testid=nav-cases]").await.is_none(),
        "the case list is reachable while locked"
    );
    app.screenshot("unlock").await;
    app.type_css("[data-testid=unlock-passphrase]", "not the passphrase", "the passphrase").await;
    app.click("[data-testid=unlock]", "Open my case files").await;
    app.wait_visible("[data-testid=unlock-error]", "the wrong-key message").await;
    app.screenshot("unlock-wrong-passphrase").await;
    app.type_css("[data-testid=unlock-passphrase]", PASSPHRASE, "the passphrase").await;
    app.click("[data-testid=unlock]", "Open my case files").await;
    app.wait_gone("[data-testid=folder-unlock]", "the unlock screen").await;
    app.wait_visible("[data-testid=case-row]", "the demo case in the list").await;
    app.screenshot("unlock-home").await;
    app.quit().await;
}

// ----- The complaint package ---------------------------------------------------------------------

const DEMO_TITLE: &str = "Withdrawal of €2,350 pending for three weeks";

/// `[data-testid=package-recipient]` of `recipient`, chosen or not.
fn package_recipient(recipient: &str, selected: bool) -> String {
    format!("[data-testid=package-recipient][data-recipient-id=\"{recipient}\"][data-selected={selected}]")
}

/// Whether the Build button is enabled now.
async fn build_enabled(app: &App) -> bool {
    let button = app.wait_visible("[data-testid=build-package]", "the Build button").await;
    button.is_enabled().await.expect("the Build button's state")
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn package_for_the_next_rung_is_built_verified_listed_and_shown_and_a_held_rung_only_as_a_draft() {
    let home = TempHome::new();
    let case_id = home.casefile(&["demo"]).ok().trim().to_owned();
    let incoming = home.path().join("incoming");
    std::fs::create_dir_all(&incoming).expect("a folder for the files");
    let chat = incoming.join("chat with support.txt");
    std::fs::write(&chat, CHAT_TXT).expect("writing the chat");
    let out_parent = home.path().join("saved packages");
    std::fs::create_dir_all(&out_parent).expect("a folder to save into");
    let out = out_parent.join("Casefile - Lucky Lagoon - Casino support");
    let opened = home.path().join("opened.txt");
    let env = [
        ("CASEFILE_TEST_PICK", chat.to_str().expect("a UTF-8 path")),
        ("CASEFILE_TEST_SAVE_AS", out.to_str().expect("a UTF-8 path")),
        ("CASEFILE_TEST_OPENED", opened.to_str().expect("a UTF-8 path")),
    ];

    let app = App::launch_with(&home, "package", &env).await;
    open_evidence(&app, DEMO_TITLE).await;

    // One file in the locker (the harness opened the folder with its passphrase).
    app.click("[data-testid=add-files]", "Add files…").await;
    wait_count(&app, "[data-testid=evidence-item]", 1, "evidence items").await;

    // Packages: the casino (the next rung) is chosen, nothing blocks, the chat is exhibit E01.
    app.click("[data-testid=tab-packages]", "the Packages tab").await;
    app.wait_visible(&package_recipient("casino-support", true), "the casino preselected").await;
    app.wait_visible("[data-testid=package-check][data-blocked=false]", "a check that passes").await;
    app.wait_visible("[data-testid=check-ok]", "the all-clear").await;
    app.wait_text("[data-testid=package-exhibit][data-number=E01]", "chat with support", "exhibit E01").await;
    app.wait_visible("[data-testid=exhibit-masked]", "the card-number masking of the chat").await;
    // Leaving the chat out takes its number away; sending it again gives it back.
    app.click("[data-testid=exhibit-include]", "Send (off)").await;
    app.wait_visible(
        "[data-testid=package-exhibit][data-number=''] [data-testid=exhibit-left-out]",
        "left out",
    )
    .await;
    app.screenshot("package-exhibit-left-out").await;
    app.click("[data-testid=exhibit-include]", "Send (on)").await;
    app.wait_visible("[data-testid=package-exhibit][data-number=E01]", "exhibit E01 again").await;
    app.click("[data-testid=package-zip]", "Also save it as a ZIP file").await;
    assert!(!build_enabled(&app).await, "Build is enabled before a folder was chosen");
    app.screenshot("package-check-passes").await;

    app.click("[data-testid=choose-folder]", "Choose where to save…").await;
    app.wait_text("[data-testid=chosen-folder]", "Casefile - Lucky Lagoon", "the chosen folder").await;
    assert!(build_enabled(&app).await, "Build is disabled with a folder chosen and nothing blocking");
    app.click("[data-testid=build-package]", "Build the package").await;
    app.wait_text("[data-testid=package-ready][data-draft=false]", "Package ready", "the result").await;
    app.wait_text("[data-testid=package-file-count]", "1 exhibit", "the file count").await;
    app.screenshot("package-ready").await;

    // The folder is real and verifies with the standard tool; the ZIP beside it unpacks.
    assert!(out.join("SHA256SUMS").is_file(), "{} has no SHA256SUMS", out.display());
    let zip = std::path::PathBuf::from(format!("{}.zip", out.display()));
    app.wait_text("[data-testid=package-zip-path]", ".zip", "the ZIP in the result").await;
    let tested = std::process::Command::new("unzip").arg("-tq").arg(&zip).output().expect("running unzip");
    assert!(tested.status.success(), "unzip -t: {}", String::from_utf8_lossy(&tested.stdout));
    let sums = std::process::Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&out)
        .output()
        .expect("running sha256sum");
    assert!(sums.status.success(), "sha256sum -c failed: {}", String::from_utf8_lossy(&sums.stdout));
    let checked = String::from_utf8_lossy(&sums.stdout);
    assert!(checked.contains("exhibits/E01-chat_with_support.txt: OK"), "{checked}");
    let shown_hash = app.wait_visible("[data-testid=manifest-hash]", "the manifest hash").await;
    let shown_hash = shown_hash.text().await.expect("the hash's text");
    let manifest = std::fs::read(out.join("manifest.json")).expect("the manifest");
    let manifest_hash = std::process::Command::new("sha256sum")
        .arg(out.join("manifest.json"))
        .output()
        .expect("hashing the manifest");
    let manifest_hash = String::from_utf8_lossy(&manifest_hash.stdout);
    assert!(!manifest.is_empty());
    assert!(
        manifest_hash.starts_with(shown_hash.trim_end_matches('…')),
        "shown {shown_hash:?}, real {manifest_hash}"
    );

    // "Open the letter (PDF)" hands the folder's letter.pdf to the system (written to the test file).
    app.click("[data-testid=open-letter]", "Open the letter (PDF)").await;
    let letter = std::fs::canonicalize(out.join("letter.pdf")).expect("the letter");
    let written = app
        .wait_until("the opened letter to be written", async || {
            Ok(std::fs::read_to_string(&opened).ok().filter(|s| !s.is_empty()))
        })
        .await;
    assert_eq!(written, letter.to_string_lossy(), "Open the letter opened the wrong path");
    std::fs::remove_file(&opened).expect("clearing the opened path");

    // History lists it; Show in folder opens the recorded folder (written to the test file).
    wait_count(&app, "[data-testid=package-history-item]", 1, "built packages").await;
    app.wait_text("[data-testid=package-history-item]", "Lucky Lagoon", "the package's recipient").await;
    assert!(app.find_now("[data-testid=package-history-item] [data-testid=draft-badge]").await.is_none());
    app.click("[data-testid=package-history-item] [data-testid=reveal-package]", "Show in folder").await;
    let real = std::fs::canonicalize(&out).expect("the package folder");
    let written = app
        .wait_until("the opened path to be written", async || {
            Ok(std::fs::read_to_string(&opened).ok().filter(|s| !s.is_empty()))
        })
        .await;
    assert_eq!(written, real.to_string_lossy(), "Show in folder opened the wrong path");

    // A rung held by the 14-day wait: blocked, and Build only once a draft is asked for.
    app.click("[data-testid=build-another]", "Build another").await;
    app.click(&package_recipient("casino-guru", false), "Casino Guru").await;
    app.wait_visible("[data-testid=package-check][data-blocked=true]", "a blocked check").await;
    app.wait_text("[data-testid=check-blocking]", "14 days", "the 14-day wait as the reason").await;
    app.click("[data-testid=choose-folder]", "Choose where to save…").await;
    app.wait_visible("[data-testid=chosen-folder]", "the chosen folder").await;
    assert!(!build_enabled(&app).await, "Build is enabled for a blocked recipient without a draft");
    app.wait_visible("[data-testid=build-blocked-hint]", "why Build is disabled").await;
    app.screenshot("package-blocked").await;
    app.click("[data-testid=draft-anyway]", "Build a draft anyway").await;
    assert!(build_enabled(&app).await, "Build stays disabled after choosing a draft");
    app.wait_text("[data-testid=build-package]", "draft", "the Build button naming the draft").await;
    app.resize(1024, 640).await;
    expect_no_horizontal_scroll(&app, "the Packages tab").await;
    app.screenshot("package-blocked-small").await;
    app.resize(1280, 800).await;

    // The Ladder's "Prepare the package" opens the Packages tab with the next rung's recipient.
    app.click("[data-testid=tab-ladder]", "the Ladder tab").await;
    app.wait_text("[data-testid=prepare-package]", "Prepare the package for Lucky Lagoon", "the button")
        .await;
    app.screenshot("package-ladder-button").await;
    app.click("[data-testid=prepare-package]", "Prepare the package for the casino").await;
    app.wait_visible("#tab-packages[aria-selected=true]", "the Packages tab selected").await;
    app.wait_visible(&package_recipient("casino-support", true), "the casino chosen").await;
    let url = app.client().current_url().await.expect("the address");
    assert!(url.as_str().ends_with("/packages/casino-support"), "{url}");
    // The recipient in the address is the one chosen, whichever rung is next.
    app.client()
        .execute(&format!("location.hash = '#/cases/{case_id}/packages/ibas-unknown';"), vec![])
        .await
        .expect("going to an unknown recipient");
    app.wait_visible(&package_recipient("casino-support", true), "the next rung for an unknown id").await;
    app.client()
        .execute(&format!("location.hash = '#/cases/{case_id}/packages/casino-guru';"), vec![])
        .await
        .expect("going to the Casino Guru package");
    app.wait_visible(&package_recipient("casino-guru", true), "Casino Guru chosen from the address").await;
    app.quit().await;

    // The message that carried the package is recorded (from the CLI): the package is linked to it.
    let today = cli_json(&home, &["ladder", &case_id, "--json"])["today"].as_str().expect("today").to_owned();
    home.casefile(&[
        "step",
        &case_id,
        "record",
        "--to",
        "casino-support",
        "--kind",
        "sent",
        "--channel",
        "email",
        "--on",
        &today,
    ])
    .ok();

    // After a relaunch, in the dark theme and a small window: the history still lists the
    // package, now sent, and a new one can be prepared.
    let mut dark_env = env.to_vec();
    dark_env.push(("GTK_THEME", "Adwaita:dark"));
    let app = App::launch_with(&home, "package-dark", &dark_env).await;
    app.resize(1024, 640).await;
    app.open_row(DEMO_TITLE).await;
    app.click("[data-testid=tab-packages]", "the Packages tab").await;
    wait_count(&app, "[data-testid=package-history-item]", 1, "built packages after a relaunch").await;
    app.wait_text("[data-testid=package-sent]", "Sent on", "the step that sent the package").await;
    expect_no_horizontal_scroll(&app, "the Packages tab").await;
    app.wait_visible("[data-testid=choose-folder]", "the save step").await;
    app.screenshot("package-dark").await;
    app.quit().await;
}

/// Opens the Evidence tab of case "T" and waits for its one item (the harness unlocked the folder).
async fn unlock_evidence(app: &App) {
    open_evidence(app, "T").await;
    wait_count(app, "[data-testid=evidence-item]", 1, "evidence items").await;
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn evidence_hide_part_of_an_image_rename_it_and_export_the_redacted_copy() {
    use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};

    let home = TempHome::new();
    home.casefile(UKGC_CASE).ok();
    // A light picture (no pixel is black) with a card number's worth of room.
    let picture = image::RgbImage::from_fn(400, 240, |x, y| {
        image::Rgb([200, (x % 50) as u8 + 150, (y % 50) as u8 + 150])
    });
    let path = home.path().join("card statement.png");
    picture.save(&path).expect("writing the picture");
    home.casefile(&["evidence", "add", "1", path.to_str().unwrap()]).ok();

    let app = App::launch(&home, "evidence-redact").await;
    unlock_evidence(&app).await;
    app.click("[data-testid=evidence-item][data-kind=image]", "the picture").await;
    app.wait_visible("[data-testid=evidence-detail]", "the item's detail").await;

    // Rename it.
    app.click("[data-testid=edit-item]", "Edit").await;
    app.type_css("[data-testid=edit-title]", "Card statement, March", "the title").await;
    app.click("[data-testid=edit-id-document]", "This is an ID document").await;
    app.screenshot("evidence-edit").await;
    app.click("[data-testid=edit-save]", "Save").await;
    app.wait_text("#detail-title", "Card statement, March", "the new title in the detail").await;
    app.wait_text("[data-testid=item-tag]", "ID document", "the ID document tag").await;

    // Hide an area: drag over the middle of the picture.
    app.click("[data-testid=redact-start]", "Hide part of this image").await;
    let picture_on_screen = app.wait_visible("[data-testid=redact-image]", "the picture to draw on").await;
    app.scroll_to_middle(&picture_on_screen).await.expect("scrolling the picture into view");
    let drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement { element: picture_on_screen, duration: None, x: -60.0, y: -20.0 })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::MoveBy {
            duration: Some(std::time::Duration::from_millis(150)),
            x: 60.0,
            y: 20.0,
        })
        .then(PointerAction::MoveBy {
            duration: Some(std::time::Duration::from_millis(150)),
            x: 60.0,
            y: 20.0,
        })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    app.client().perform_actions(drag).await.expect("dragging over the picture");
    wait_count(&app, "[data-testid=redaction-entry]", 1, "hidden areas in the list").await;
    wait_count(&app, "[data-testid=redaction-box]", 1, "black boxes over the picture").await;
    app.screenshot("evidence-redact-drawn").await;
    app.click("[data-testid=redact-save]", "Save hidden areas").await;
    app.wait_text(
        "[data-testid=evidence-detail] [data-testid=hidden-areas-badge]",
        "1 area hidden",
        "the badge",
    )
    .await;
    app.screenshot("evidence-redact-saved").await;
    app.click("[data-testid=close-detail]", "Close").await;
    app.wait_gone("[data-testid=evidence-detail]", "the detail").await;
    app.wait_text("[data-testid=evidence-item]", "Card statement, March", "the new title in the grid").await;
    app.wait_text(
        "[data-testid=evidence-item] [data-testid=hidden-areas-badge]",
        "1 area hidden",
        "the card's badge",
    )
    .await;
    app.screenshot("evidence-redact-grid").await;
    app.quit().await;

    // After a relaunch, dark and in a small window, the box is still there, on the picture,
    // which fills the drawing area (the preview itself is never enlarged).
    let app = App::launch_with(&home, "evidence-redact", &[("GTK_THEME", "Adwaita:dark")]).await;
    app.resize(1024, 640).await;
    unlock_evidence(&app).await;
    app.click("[data-testid=evidence-item][data-kind=image]", "the picture").await;
    wait_count(&app, "[data-testid=redaction-box]", 1, "the saved box after a relaunch").await;
    let script = "const p = document.querySelector('[data-testid=redact-image]').getBoundingClientRect();
        const b = document.querySelector('[data-testid=redaction-box]').getBoundingClientRect();
        return [p.left, p.top, p.right, p.bottom, b.left, b.top, b.right, b.bottom];";
    let rects: Vec<f64> = app
        .client()
        .execute(script, vec![])
        .await
        .expect("the picture and the box")
        .as_array()
        .expect("eight numbers")
        .iter()
        .map(|v| v.as_f64().unwrap_or(f64::NAN))
        .collect();
    let [left, top, right, bottom, box_left, box_top, box_right, box_bottom] = rects[..] else {
        panic!("unexpected rectangles: {rects:?}")
    };
    assert!(right - left > 400.0, "the 400 px picture is shown larger to draw on: {rects:?}");
    assert!(
        box_left > left && box_top > top && box_right < right && box_bottom < bottom,
        "the box lies on the picture: {rects:?}"
    );
    expect_no_horizontal_scroll(&app, "the picture with its hidden area").await;
    app.screenshot("evidence-redact-relaunch").await;
    app.quit().await;

    // The CLI's redacted export: the area is black, the rest is the picture.
    let listed = home.casefile(&["evidence", "redact", "1", "1"]).ok().to_owned();
    let numbers: Vec<u32> = listed
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .map(|part| part.parse().unwrap())
        .collect();
    // "area 1: x X y Y, W × H pixels"
    let [_, x, y, width, height] = numbers[..] else { panic!("unexpected listing: {listed}") };
    assert!(width >= 60 && height >= 20, "the drawn box is too small: {listed}");
    let out = home.path().join("redacted.png");
    home.casefile(&["evidence", "export", "1", "1", "--out", out.to_str().unwrap(), "--redacted"]).ok();
    let copy = image::open(&out).expect("the redacted copy opens").into_rgb8();
    for (px, py) in [(x, y), (x + width - 1, y + height - 1), (x + width / 2, y + height / 2)] {
        assert_eq!(copy.get_pixel(px, py).0, [0, 0, 0], "({px},{py}) is inside the drawn box");
    }
    assert_eq!(copy.get_pixel(0, 0), picture.get_pixel(0, 0), "outside the box the picture is unchanged");
    let verified = home.casefile(&["verify", "1"]);
    assert_eq!(verified.status, 0, "{}", verified.stdout);
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn the_demos_locker_shows_its_generated_cashier_screenshots() {
    let home = TempHome::new();
    home.casefile(&["demo", "--with-evidence"]).ok();
    let app = App::launch(&home, "demo-evidence").await;
    open_evidence(&app, DEMO_TITLE).await;
    wait_count(&app, "[data-testid=evidence-item]", 5, "the demo's screenshots, emails and chat").await;
    wait_count(&app, "img[data-testid=evidence-thumbnail]", 2, "the screenshots' previews").await;
    let first = app.wait_visible("img[data-testid=evidence-thumbnail]", "the first preview").await;
    app.scroll_to_middle(&first).await.expect("scrolling to the previews");
    app.screenshot("demo-evidence-grid").await;
    app.click("[data-testid=evidence-item][data-kind=image]", "the first cashier screenshot").await;
    app.wait_visible("[data-testid=redact-image]", "the screenshot at preview size").await;
    app.screenshot("demo-evidence-screenshot").await;
}

// ----- The timeline ------------------------------------------------------------------------------

/// The demo case with the refusal email (item 1, its attachment 2) and a chat transcript
/// (item 3) in the locker, all added through the CLI.
fn demo_with_evidence(home: &TempHome) {
    home.casefile(&["demo"]).ok();
    let run = |args: &[&str]| home.casefile(args);
    let email = home.path().join("refusal.eml");
    let chat = home.path().join("chat.txt");
    std::fs::write(&email, REFUSAL_EML).expect("writing the email");
    std::fs::write(&chat, CHAT_TXT).expect("writing the chat");
    run(&["evidence", "add", "1", email.to_str().unwrap(), chat.to_str().unwrap()]).ok();
}

fn event_of(source: &str) -> String {
    format!("[data-testid=timeline-event][data-source={source}]")
}

async fn open_timeline(app: &App) {
    app.open_row("Withdrawal of €2,350").await;
    app.click("[data-testid=tab-timeline]", "the Timeline tab").await;
    app.wait_visible("[data-testid=timeline]", "the timeline").await;
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn the_timeline_shows_derived_and_own_events_and_keeps_a_new_linked_entry() {
    let home = TempHome::new();
    demo_with_evidence(&home);
    let app = App::launch(&home, "timeline").await;
    open_timeline(&app).await;
    app.wait_text(&event_of("player"), "Sent a new proof of address by email", "the demo's own entry").await;
    app.wait_text(&event_of("ladder"), "TKT-20931", "the demo's complaint from the ladder").await;
    app.wait_text(&event_of("locker"), "Email: Your withdrawal request W-2291", "the dated email").await;
    app.wait_text(&event_of("locker"), "Chat transcript: chat.txt (3 messages)", "the chat").await;
    app.wait_text(&event_of("case"), "Withdrawal of EUR 2,350.00 requested", "the case's own date").await;
    app.wait_text("[data-testid=timeline-zone]", "Europe/Berlin", "the zone note").await;
    // 09:15 UTC on 2 March is 10:15 in Berlin.
    app.wait_text(&event_of("locker"), "10:15", "the email's time in the player's zone").await;
    app.wait_text(&event_of("ladder"), "From the ladder", "the derived event's origin").await;
    assert!(
        app.find_now(&format!("{} [data-testid=edit-event]", event_of("ladder"))).await.is_none(),
        "a ladder event can be edited on the timeline"
    );
    app.screenshot("timeline-demo").await;

    // A new entry: first without a title (refused, shown under the field), then complete.
    app.click("[data-testid=add-event]", "Add event").await;
    app.wait_visible("[data-testid=event-form]", "the event form").await;
    app.set_css("[data-testid=event-date]", "2026-03-02", "the event's date").await;
    app.set_css("[data-testid=event-time]", "11:30", "the event's time").await;
    app.set_css("[data-testid=event-kind]", "reply", "the event's kind").await;
    app.click("[data-testid=save-event]", "Save event").await;
    app.wait_visible("[data-testid=error-event_title]", "the missing title's message").await;
    app.type_css("[data-testid=event-title]", "Casino said finance is reviewing W-2291", "the title").await;
    app.click("[data-testid=pick-evidence][data-item-id=\"1\"]", "the email as evidence").await;
    app.screenshot("timeline-add-form").await;
    app.click("[data-testid=save-event]", "Save event").await;
    app.wait_gone("[data-testid=event-form]", "the event form").await;
    let mine = format!("{}:has([data-testid=evidence-chip][data-item-id=\"1\"])", event_of("player"));
    app.wait_text(&mine, "Casino said finance is reviewing W-2291", "the new entry with its evidence chip")
        .await;
    app.wait_text(&mine, "11:30", "the new entry's time").await;
    app.screenshot("timeline-added").await;

    // The chip opens the item in place.
    app.click(&format!("{mine} [data-testid=evidence-chip]"), "the email chip").await;
    app.wait_visible("[data-testid=evidence-detail][data-item-id=\"1\"]", "the email's detail in place")
        .await;

    // The email answers a weak point; the triage check shows it ticked, covered by the email.
    app.wait_visible("[data-testid=covers-weak-point]", "the Covers weak point selector").await;
    app.click("[data-testid=covers-weak-point] summary", "Covers weak point…").await;
    app.click("[data-testid=covers-verification-request-date]", "the verification request date").await;
    app.wait_until("the link to be saved", async || {
        let box_ = app.try_find("[data-testid=covers-verification-request-date]").await?;
        Ok(match box_ {
            Some(b) => b.is_selected().await?.then_some(()),
            None => None,
        })
    })
    .await;
    app.screenshot("timeline-evidence-covers").await;
    app.click("[data-testid=close-detail]", "Close").await;
    app.click("[data-testid=tab-triage]", "the Triage tab").await;
    app.wait_text(
        "[data-testid=covered-by-verification-request-date]",
        "refusal.eml",
        "covered by the email",
    )
    .await;
    app.screenshot("timeline-triage-covered").await;
    app.quit().await;

    // After a relaunch the entry is still there, with its link; the page fits a small window.
    let app = App::launch(&home, "timeline").await;
    app.resize(1024, 640).await;
    open_timeline(&app).await;
    app.wait_text(&mine, "Casino said finance is reviewing W-2291", "the entry after a relaunch").await;
    expect_no_horizontal_scroll(&app, "the timeline").await;
    app.screenshot("timeline-small").await;
    let timeline = cli_json(&home, &["timeline", "1", "--json"]);
    let entry = timeline["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == "Casino said finance is reviewing W-2291")
        .expect("the entry in the database");
    assert_eq!((entry["date"].as_str(), entry["time"].as_str()), (Some("2026-03-02"), Some("11:30:00")));
    assert_eq!(entry["evidence"][0]["id"], 1);
    app.quit().await;
}

/// The app opened on the case's Evidence tab (the harness unlocked the folder at launch).
async fn unlocked_evidence_tab(home: &TempHome, test: &str, env: &[(&str, &str)]) -> App {
    home.casefile(UKGC_CASE).ok();
    let app = App::launch_with(home, test, env).await;
    open_evidence(&app, "T").await;
    app.wait_visible("[data-testid=drop-zone]", "the add-evidence card").await;
    app
}

/// The test screenshot with bytes after its end, so each copy is a different file (image decoders
/// stop at the PNG's end chunk).
fn screenshot_variant(tag: &str) -> Vec<u8> {
    let mut bytes = SCREENSHOT_PNG.to_vec();
    bytes.extend_from_slice(tag.as_bytes());
    bytes
}

/// Dispatches a real `paste` event on the page, as Ctrl+V does, with a clipboard holding either a
/// PNG file (given as base64) or plain text. Returns whether the page handled it.
async fn paste(app: &App, png_base64: Option<&str>, text: Option<&str>) -> bool {
    let handled = app
        .client()
        .execute(
            "const [png, text] = arguments; \
             const data = new DataTransfer(); \
             if (png) { \
               const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0)); \
               data.items.add(new File([bytes], 'image.png', { type: 'image/png' })); \
             } \
             if (text) data.setData('text/plain', text); \
             const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }); \
             document.body.dispatchEvent(event); \
             return event.defaultPrevented;",
            vec![json!(png_base64), json!(text)],
        )
        .await
        .expect("dispatching a paste event");
    handled == json!(true)
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn a_pasted_screenshot_and_a_pasted_chat_become_items_with_a_thumbnail() {
    let home = TempHome::new();
    let app = unlocked_evidence_tab(&home, "evidence-paste", &[]).await;
    app.wait_text("[data-testid=paste-hint]", "Ctrl+V", "the paste hint").await;

    let png = base64(&screenshot_variant("pasted"));
    assert!(paste(&app, Some(&png), None).await, "the page did not take the pasted image");
    let results = import_results(&app, 1).await;
    assert_eq!(results[0].0, "added", "{results:?}");
    assert!(results[0].1.contains("Pasted screenshot 20"), "the pasted item's name: {results:?}");
    assert!(results[0].1.contains(".png"), "{results:?}");
    wait_count(&app, "[data-testid=evidence-item][data-kind=image]", 1, "the pasted image").await;
    wait_count(&app, "img[data-testid=evidence-thumbnail]", 1, "the pasted image's thumbnail").await;
    app.screenshot("evidence-pasted-screenshot").await;

    // The same picture pasted again is a duplicate, shown on the same result line.
    assert!(paste(&app, Some(&png), None).await);
    app.wait_text(
        "[data-testid=import-result][data-result=duplicate]",
        "Pasted screenshot",
        "the duplicate line",
    )
    .await;

    let chat = "[2026-03-02 10:01] Agent: Your withdrawal is with our finance team.\n\
                [2026-03-02 10:02] Me: When will it be paid?\n";
    assert!(paste(&app, None, Some(chat)).await, "the page did not take the pasted text");
    app.wait_text(
        "[data-testid=import-result][data-result=added]",
        "Pasted text 20",
        "the pasted chat's line",
    )
    .await;
    wait_count(&app, "[data-testid=evidence-item][data-kind=chat]", 1, "the pasted chat").await;
    app.screenshot("evidence-pasted-chat").await;

    let listed = home.casefile(&["evidence", "list", "1", "--json"]).json();
    let names: Vec<&str> =
        listed.as_array().unwrap().iter().map(|i| i["original_name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].starts_with("Pasted screenshot ") && names[1].starts_with("Pasted text "), "{names:?}");
    app.quit().await;
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn files_dropped_on_the_window_are_imported_with_thumbnails() {
    let home = TempHome::new();
    let incoming = home.path().join("dropped");
    std::fs::create_dir_all(&incoming).expect("a folder for the files");
    let mut paths = Vec::new();
    for index in 1..=3 {
        let path = incoming.join(format!("dropped-{index}.png"));
        std::fs::write(&path, screenshot_variant(&format!("drop {index}"))).expect("writing a test file");
        paths.push(path.to_string_lossy().into_owned());
    }
    let drop_paths = paths.join(":");
    let app = unlocked_evidence_tab(&home, "evidence-drop", &[("CASEFILE_TEST_DROP", &drop_paths)]).await;
    let drag = async |stage: &str| {
        app.client()
            .execute(
                "return window.__TAURI_INTERNALS__.invoke('test_drag_files', { stage: arguments[0] });",
                vec![json!(stage)],
            )
            .await
            .unwrap_or_else(|e| panic!("simulating drag {stage}: {e}"));
    };
    // Dragging over the window highlights the drop target; leaving takes the highlight away.
    drag("enter").await;
    drag("over").await;
    app.wait_visible("[data-testid=drop-zone][data-hover=true]", "the highlighted drop target").await;
    app.wait_text("[data-testid=drop-zone]", "Drop the files", "the drop prompt").await;
    app.screenshot("evidence-drag-over").await;
    drag("leave").await;
    app.wait_visible("[data-testid=drop-zone][data-hover=false]", "the drop target without highlight").await;

    drag("enter").await;
    drag("drop").await;
    let results = import_results(&app, 3).await;
    assert!(results.iter().all(|(r, _)| r == "added"), "{results:?}");
    assert!(results[0].1.contains("dropped-1.png"), "{results:?}");
    app.wait_visible("[data-testid=drop-zone][data-hover=false]", "no highlight after the drop").await;
    wait_count(&app, "img[data-testid=evidence-thumbnail]", 3, "the dropped images' thumbnails").await;
    app.screenshot("evidence-dropped").await;
    let thumbs = walk_files(&home.path().join("thumbs"));
    assert_eq!(thumbs.len(), 3, "one encrypted thumbnail per image: {thumbs:?}");
    app.quit().await;
}

fn walk_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() { files.extend(walk_files(&path)) } else { files.push(path) }
    }
    files
}

fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

// ----- evidence on ladder steps ------------------------------------------------------------------

/// The history entry of step `step` inside the rung or list matching `within`.
fn step_entry(within: &str, step: u32) -> String {
    format!("{within} [data-testid=history-step][data-step-id=\"{step}\"]")
}

#[tokio::test]
#[ignore = "needs a display and tauri-driver: run scripts/test"]
async fn a_step_recorded_with_evidence_shows_a_chip_that_opens_the_item_naming_the_step() {
    let home = TempHome::new();
    // The demo's two steps are 1 (live chat) and 2 (the formal complaint by email, TKT-20931);
    // item 1 is the casino's email, 3 a chat transcript.
    demo_with_evidence(&home);
    let app = App::launch(&home, "step-evidence").await;
    open_ladder(&app, "Withdrawal of €2,350").await;
    app.click("[data-testid=open-next]", "Open this step").await;
    let casino = "[data-testid=rung-detail][data-recipient-id=casino-support]";
    app.wait_visible(casino, "the casino rung's detail").await;

    // Record the casino's reply with its email attached.
    app.click(&in_rung("casino-support", "record-step"), "Record what happened").await;
    app.click("[data-testid=step-kind-reply]", "I got a reply").await;
    app.set_css("[data-testid=step-channel]", "email", "the channel").await;
    app.set_css("[data-testid=step-outcome]", "asked_for_more", "the outcome").await;
    app.type_css("[data-testid=step-reference]", "W-2291", "the reference").await;
    app.click("[data-testid=step-pick-evidence][data-item-id=\"1\"]", "the email as this step's evidence")
        .await;
    app.screenshot("step-evidence-record-form").await;
    app.click("[data-testid=save-step]", "Save").await;

    let reply = step_entry(casino, 3);
    let chip = format!("{reply} [data-testid=step-evidence-chip][data-item-id=\"1\"]");
    app.wait_text(&reply, "W-2291", "the recorded reply").await;
    let on_screen = app.wait_text(&chip, "refusal.eml", "the email's chip on the reply").await;
    app.scroll_to_middle(&on_screen).await.expect("scrolling to the chip");
    assert!(
        app.find_now(&format!("{} [data-testid=step-evidence-chip]", step_entry(casino, 2))).await.is_none(),
        "the complaint got the reply's evidence too"
    );
    app.screenshot("step-evidence-chip").await;

    // The chip opens the item on the Evidence tab; its detail names the step.
    app.click(&chip, "the email's chip").await;
    app.wait_visible("[data-testid=tab-evidence][aria-selected=true]", "the Evidence tab").await;
    app.wait_visible("[data-testid=evidence-detail][data-item-id=\"1\"]", "the email's detail").await;
    let linked = "[data-testid=item-steps] [data-testid=item-step][data-step-id=\"3\"]";
    let named =
        app.wait_text(linked, "Lucky Lagoon Casino (demo)", "the reply in the item's Ladder steps").await;
    let text = named.text().await.expect("the step's text");
    assert!(text.contains("W-2291") && text.contains("asked for more"), "{text:?}");
    app.screenshot("step-evidence-item-detail").await;

    // From the detail the email is linked to the complaint as well.
    app.set_css("[data-testid=item-step-select]", "2", "the step to link").await;
    app.click("[data-testid=item-step-link]", "Link").await;
    wait_count(&app, "[data-testid=item-steps] [data-testid=item-step]", 2, "linked steps").await;
    app.screenshot("step-evidence-item-linked").await;
    app.click("[data-testid=close-detail]", "Close").await;
    app.wait_gone("[data-testid=evidence-detail]", "the detail").await;

    // The timeline lists the email as the reply's evidence.
    app.click("[data-testid=tab-timeline]", "the Timeline tab").await;
    app.wait_visible(
        "[data-testid=timeline-event][data-key=ladder-3] [data-testid=evidence-chip][data-item-id=\"1\"]",
        "the email on the reply's timeline event",
    )
    .await;

    // Back on the ladder, the complaint shows the chip; unlinking it there keeps the reply's.
    app.click("[data-testid=tab-ladder]", "the Ladder tab").await;
    let history = "[data-testid=ladder-history]";
    let complaint_chip =
        format!("{} [data-testid=step-evidence-chip][data-item-id=\"1\"]", step_entry(history, 2));
    app.wait_visible(&complaint_chip, "the email's chip on the complaint").await;
    app.click(
        &format!("{} [data-testid=unlink-step-evidence][data-item-id=\"1\"]", step_entry(history, 2)),
        "Unlink on the complaint's chip",
    )
    .await;
    app.wait_gone(&complaint_chip, "the complaint's chip").await;
    app.wait_visible(
        &format!("{} [data-testid=step-evidence-chip][data-item-id=\"1\"]", step_entry(history, 3)),
        "the reply's chip, kept",
    )
    .await;

    // And the complaint can get the chat transcript from the ladder itself.
    app.click(&format!("{} [data-testid=add-step-evidence]", step_entry(history, 2)), "Link evidence").await;
    app.set_css(
        &format!("{} [data-testid=step-evidence-select]", step_entry(history, 2)),
        "3",
        "the chat transcript",
    )
    .await;
    app.click(&format!("{} [data-testid=step-evidence-link]", step_entry(history, 2)), "Link").await;
    app.wait_text(
        &format!("{} [data-testid=step-evidence-chip][data-item-id=\"3\"]", step_entry(history, 2)),
        "chat.txt",
        "the chat's chip on the complaint",
    )
    .await;
    app.screenshot("step-evidence-ladder").await;
    app.quit().await;

    let ladder = cli_json(&home, &["ladder", "1", "--json"]);
    let evidence_of = |step: i64| -> Vec<i64> {
        let found = ladder["history"].as_array().unwrap().iter().find(|s| s["id"] == step).unwrap();
        found["evidence"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect()
    };
    assert_eq!((evidence_of(2), evidence_of(3)), (vec![3], vec![1]), "{ladder:#}");

    // The small window in the dark theme: the chips fit.
    let app = App::launch_with(&home, "step-evidence-dark", &[("GTK_THEME", "Adwaita:dark")]).await;
    app.resize(1024, 640).await;
    open_ladder(&app, "Withdrawal of €2,350").await;
    app.click(&in_rung("casino-support", "rung-toggle"), "the casino rung").await;
    let chip = format!("{} [data-testid=step-evidence-chip][data-item-id=\"1\"]", step_entry(casino, 3));
    let element = app.wait_visible(&chip, "the reply's chip").await;
    app.scroll_to_middle(&element).await.expect("scrolling to the chip");
    expect_no_horizontal_scroll(&app, "the rung with evidence chips").await;
    app.screenshot("step-evidence-small-dark").await;
    app.quit().await;
}
