//! Scenario tests: the real `casefile` binary against a real SQLite file in a throwaway data folder.

use casefile_test_support::TempHome;
use rusqlite::Connection;

const NEW_CASE: &[&str] = &[
    "case",
    "new",
    "--title",
    "Withdrawal stuck since May",
    "--casino",
    "Lucky Lagoon",
    "--amount",
    "2,350.00",
    "--currency",
    "EUR",
    "--category",
    "withdrawal",
];

fn new_case(home: &TempHome) -> String {
    home.casefile(NEW_CASE).ok().trim().to_owned()
}

fn count_rows(home: &TempHome) -> i64 {
    let conn = Connection::open(home.database()).unwrap();
    conn.query_row("SELECT count(*) FROM cases", [], |row| row.get(0)).unwrap()
}

#[test]
fn new_prints_the_id_alone_and_the_case_can_be_listed_and_shown() {
    let home = TempHome::new();
    let id = new_case(&home);
    assert_eq!(id, "1", "stdout is the id alone so scripts can capture it");

    let list = home.casefile(&["case", "list"]);
    assert!(list.ok().contains("Withdrawal stuck since May"), "{}", list.stdout);
    assert!(list.stdout.contains("EUR 2,350.00"), "{}", list.stdout);

    let shown = home.casefile(&["case", "show", &id, "--json"]).json();
    assert_eq!(shown["casino"]["name"], "Lucky Lagoon");
    assert_eq!(shown["disputed"]["minor_units"], 235_000);
    assert_eq!(shown["disputed"]["currency"], "EUR");
    assert_eq!(shown["category"], "withdrawal");
}

#[test]
fn every_written_form_of_an_amount_is_understood() {
    let home = TempHome::new();
    for (typed, minor) in
        [("2,350.00", 235_000), ("2350,00", 235_000), ("2 350", 235_000), ("1.234,56", 123_456)]
    {
        let mut args = NEW_CASE.to_vec();
        let amount_at = args.iter().position(|a| *a == "--amount").unwrap() + 1;
        args[amount_at] = typed;
        args.push("--json");
        let case = home.casefile(&args).json();
        assert_eq!(case["disputed"]["minor_units"], minor, "{typed}");
    }
}

#[test]
fn invalid_input_names_each_field_and_writes_nothing() {
    let home = TempHome::new();
    let run = home.casefile(&[
        "case",
        "new",
        "--title",
        "",
        "--casino",
        "Lucky",
        "--amount",
        "abc",
        "--currency",
        "EUR",
        "--category",
        "deposit",
    ]);
    assert_eq!(run.status, 2);
    assert!(run.stdout.is_empty(), "no id printed: {}", run.stdout);
    assert!(run.stderr.contains("Title: this is required"), "{}", run.stderr);
    assert!(run.stderr.contains("Amount: \"abc\" is not a number"), "{}", run.stderr);
    assert_eq!(count_rows(&home), 0);

    let json = home.casefile(&["case", "new", "--amount", "-5", "--currency", "EUR", "--json"]);
    assert_eq!(json.status, 2);
    let error: serde_json::Value = serde_json::from_str(&json.stderr).expect("JSON error on stderr");
    assert_eq!(error["code"], "invalid_input");
    let fields: Vec<&str> =
        error["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["title", "casino_name", "amount", "category"]);
    assert_eq!(count_rows(&home), 0);
}

#[test]
fn edit_changes_only_the_given_fields_and_a_bad_edit_changes_nothing() {
    let home = TempHome::new();
    let id = new_case(&home);
    home.casefile(&[
        "case",
        "edit",
        &id,
        "--amount",
        "2350,5",
        "--regulator",
        "mga",
        "--time-zone",
        "Europe/Malta",
    ])
    .ok();
    let case = home.casefile(&["case", "show", &id, "--json"]).json();
    assert_eq!(case["disputed"]["minor_units"], 235_050);
    assert_eq!(case["casino"]["regulator"], "mga");
    assert_eq!(case["title"], "Withdrawal stuck since May", "untouched fields keep their values");

    let bad =
        home.casefile(&["case", "edit", &id, "--title", "New title", "--withdrawal-requested", "31/05/2026"]);
    assert_eq!(bad.status, 2);
    assert!(bad.stderr.contains("year-month-day"), "{}", bad.stderr);
    let after = home.casefile(&["case", "show", &id, "--json"]).json();
    assert_eq!(after["title"], "Withdrawal stuck since May", "nothing of a rejected edit is written");
}

#[test]
fn dates_in_the_future_are_judged_in_the_players_time_zone_at_the_given_now() {
    let home = TempHome::new();
    let mut args = NEW_CASE.to_vec();
    args.extend([
        "--time-zone",
        "Europe/Berlin",
        "--withdrawal-requested",
        "2026-06-01",
        "--now",
        "2026-05-31T12:00:00Z",
    ]);
    let run = home.casefile(&args);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("is in the future"), "{}", run.stderr);
    // 23:30 UTC is already 1 June in Berlin.
    args.pop();
    args.push("2026-05-31T23:30:00Z");
    assert_eq!(home.casefile(&args).ok().trim(), "1");
}

#[test]
fn archive_restore_and_delete_with_confirmation() {
    let home = TempHome::new();
    let id = new_case(&home);
    home.casefile(&["case", "archive", &id]).ok();
    assert!(home.casefile(&["case", "list", "--json"]).json().as_array().unwrap().is_empty());
    let all = home.casefile(&["case", "list", "--all", "--json"]).json();
    assert_eq!(all[0]["archived"], true);
    home.casefile(&["case", "restore", &id]).ok();
    assert_eq!(home.casefile(&["case", "list", "--json"]).json().as_array().unwrap().len(), 1);

    let unconfirmed = home.casefile(&["case", "delete", &id]);
    assert_eq!(unconfirmed.status, 2, "no terminal, no --yes: refuse");
    assert!(unconfirmed.stderr.contains("--yes"), "{}", unconfirmed.stderr);
    assert_eq!(count_rows(&home), 1);

    home.casefile(&["case", "delete", &id, "--yes"]).ok();
    assert_eq!(count_rows(&home), 0);
    let gone = home.casefile(&["case", "show", &id]);
    assert_eq!(gone.status, 3);
    assert!(gone.stderr.contains("There is no case number 1"), "{}", gone.stderr);
}

#[test]
fn demo_if_empty_adds_the_demo_once() {
    let home = TempHome::new();
    let id = home.casefile(&["demo", "--if-empty", "--now", "2026-11-21T09:00:00Z"]).ok().trim().to_owned();
    let demo = home.casefile(&["case", "show", &id, "--json"]).json();
    assert_eq!(demo["is_demo"], true);
    assert_eq!(demo["casino"]["regulator"], "curacao-cga");
    assert_eq!(demo["key_dates"]["withdrawal_requested"], "2026-10-31");
    let again = home.casefile(&["demo", "--if-empty"]);
    assert!(again.ok().is_empty());
    assert_eq!(count_rows(&home), 1);
}

#[test]
fn the_database_is_wal_with_foreign_keys_and_versioned() {
    let home = TempHome::new();
    new_case(&home);
    let conn = Connection::open(home.database()).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |row| row.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let version: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap();
    assert_eq!(version, casefile_core::storage::SCHEMA_VERSION);
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_alone() {
    let home = TempHome::new();
    new_case(&home);
    Connection::open(home.database()).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let run = home.casefile(&["case", "list"]);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("written by a newer version of Casefile"), "{}", run.stderr);
    assert!(run.stderr.contains("Install the newer Casefile"), "{}", run.stderr);
    let version: u32 = Connection::open(home.database())
        .unwrap()
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, 99);
}

#[test]
fn a_file_that_is_not_a_database_gets_a_clear_message() {
    let home = TempHome::new();
    std::fs::write(home.database(), b"these are my holiday notes, not a database at all").unwrap();
    let run = home.casefile(&["case", "list"]);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("is not a Casefile database"), "{}", run.stderr);
    assert_eq!(std::fs::read(home.database()).unwrap(), b"these are my holiday notes, not a database at all");
}

#[test]
fn casefile_home_selects_the_data_folder() {
    let home = TempHome::new();
    let output = std::process::Command::new(casefile_test_support::cli_binary())
        .args(NEW_CASE)
        .env("CASEFILE_HOME", home.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(count_rows(&home), 1);
}

#[test]
fn an_unknown_case_or_regulator_is_explained() {
    let home = TempHome::new();
    let missing = home.casefile(&["case", "show", "42"]);
    assert_eq!(missing.status, 3);
    let mut args = NEW_CASE.to_vec();
    args.extend(["--regulator", "moon-gaming"]);
    let run = home.casefile(&args);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("not a regulator Casefile knows"), "{}", run.stderr);
}

// ----- triage -------------------------------------------------------------------------------------

fn write_answers(home: &TempHome, json: &str) -> String {
    let path = home.path().join("answers.json");
    std::fs::write(&path, json).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn triage_from_an_answers_file_prints_ideas_findings_facts_and_weak_points() {
    let home = TempHome::new();
    let id = new_case(&home);
    let answers = write_answers(
        &home,
        r#"{"has-account": "yes", "can-log-in": "yes", "withdrawal-status": "refused", "bonus-played": "yes",
            "free-bonus": "yes", "previous-deposit": "no", "withdrawn-before": "no", "casino-communicates": "no",
            "casino-reason": ["bonus-terms"], "elig-sports-betting": "yes"}"#,
    );
    let text = home.casefile(&["triage", &id, "--answers", &answers]);
    let out = text.ok();
    assert!(out.contains("Free bonuses usually limit what you can withdraw"), "{out}");
    assert!(out.contains("Write a formal complaint"), "{out}");
    assert!(out.contains("! This is about sports betting"), "{out}");
    assert!(out.contains("Better route:"), "{out}");
    assert!(out.contains("Bonus rules —"), "{out}");
    assert!(out.contains("Next question (fu-withdrawal-date)"), "{out}");

    let json = home.casefile(&["triage", &id, "--json"]).json();
    assert_eq!(json["phase"], "follow_up");
    assert_eq!(json["current"]["id"], "fu-withdrawal-date");
    let findings: Vec<&str> =
        json["eligibility"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert!(findings.contains(&"sports-betting"), "{findings:?}");
    let facts = json["facts"].as_array().unwrap();
    assert!(
        facts.iter().any(|f| f["question_id"] == "casino-reason"
            && f["value"].as_str().unwrap().starts_with("Bonus rules"))
    );
}

#[test]
fn triage_answers_survive_and_can_be_changed_or_forgotten() {
    let home = TempHome::new();
    let id = new_case(&home);
    home.casefile(&[
        "triage",
        &id,
        "--answers",
        &write_answers(&home, r#"{"has-account": "yes", "can-log-in": "no"}"#),
    ])
    .ok();
    let view = home.casefile(&["triage", &id, "--json"]).json();
    assert_eq!(view["current"]["id"], "account-state");
    home.casefile(&["triage", &id, "--answers", &write_answers(&home, r#"{"can-log-in": "yes"}"#)]).ok();
    assert_eq!(home.casefile(&["triage", &id, "--json"]).json()["current"]["id"], "withdrawal-status");
    home.casefile(&["triage", &id, "--forget", "can-log-in"]).ok();
    assert_eq!(home.casefile(&["triage", &id, "--json"]).json()["current"]["id"], "can-log-in");
}

#[test]
fn a_bad_answers_file_changes_nothing_and_says_why() {
    let home = TempHome::new();
    let id = new_case(&home);
    let bad = write_answers(&home, r#"{"has-account": "yes", "withdrawal-status": "lost-in-space"}"#);
    let run = home.casefile(&["triage", &id, "--answers", &bad]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("one of: pending, reversed"), "{}", run.stderr);
    assert_eq!(home.casefile(&["triage", &id, "--json"]).json()["steps"].as_array().unwrap().len(), 0);

    let unknown = home.casefile(&[
        "triage",
        &id,
        "--answers",
        &write_answers(&home, r#"{"favourite-colour": "blue"}"#),
    ]);
    assert_eq!(unknown.status, 3);
    assert!(unknown.stderr.contains("no triage question 'favourite-colour'"), "{}", unknown.stderr);
    let not_json = home.casefile(&["triage", &id, "--answers", &write_answers(&home, "has-account: yes")]);
    assert_eq!(not_json.status, 2);
    assert!(not_json.stderr.contains("is not valid JSON"), "{}", not_json.stderr);
}

#[test]
fn this_solved_it_closes_the_case_and_evidence_can_be_ticked() {
    let home = TempHome::new();
    let id = new_case(&home);
    home.casefile(&["triage", &id, "--answers", &write_answers(&home, r#"{"has-account": "yes", "can-log-in": "yes", "withdrawal-status": "pending", "bonus-played": "yes"}"#)]).ok();
    let view = home.casefile(&["triage", &id, "--have", "bet-history", "--json"]).json();
    let bonus = view["weak_points"].as_array().unwrap().iter().find(|w| w["id"] == "bonus-terms").unwrap();
    let covered: Vec<&str> = bonus["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["covered"] == true)
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(covered, ["bet-history"]);

    let solved = home.casefile(&["triage", &id, "--solved", "--note", "Paid after I asked again."]);
    assert!(solved.stderr.contains("closed as resolved"), "{}", solved.stderr);
    let case = home.casefile(&["case", "show", &id, "--json"]).json();
    assert_eq!(case["closure"]["outcome"], "resolved");
    assert_eq!(case["closure"]["label"], "resolved-without-casino");
    assert_eq!(case["closure"]["note"], "Paid after I asked again.");
}

#[test]
fn the_demo_case_has_a_completed_triage() {
    let home = TempHome::new();
    let id = home.casefile(&["demo"]).ok().trim().to_owned();
    let view = home.casefile(&["triage", &id, "--json"]).json();
    assert_eq!(view["phase"], "done");
    assert_eq!(view["weak_points"][0]["id"], "verification");
    assert_eq!(view["completeness"]["percent"], 100);
}
