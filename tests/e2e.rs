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
