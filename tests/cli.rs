//! Scenario tests: the real `casefile` binary against a real SQLite file in a throwaway data folder.

use casefile_test_support::TempHome;

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
    let conn = home.connection();
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
    let conn = home.connection();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |row| row.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let version: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap();
    assert_eq!(version, casefile_core::storage::SCHEMA_VERSION);
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_alone() {
    let home = TempHome::new();
    new_case(&home);
    home.connection().pragma_update(None, "user_version", 99).unwrap();
    let run = home.casefile(&["case", "list"]);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("written by a newer version of Casefile"), "{}", run.stderr);
    assert!(run.stderr.contains("Install the newer Casefile"), "{}", run.stderr);
    let version: u32 = home.connection().query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap();
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
        .env("CASEFILE_PASSPHRASE", casefile_test_support::TEST_PASSPHRASE)
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

// ----- ladder and clocks ----------------------------------------------------------------------------

fn ukgc_case(home: &TempHome) -> String {
    let mut args = NEW_CASE.to_vec();
    args.extend([
        "--regulator",
        "ukgc",
        "--adr",
        "IBAS",
        "--country",
        "GB",
        "--time-zone",
        "Europe/London",
        "--withdrawal-requested",
        "2026-02-27",
        "--now",
        "2026-03-01T12:00:00Z",
    ]);
    home.casefile(&args).ok().trim().to_owned()
}

#[test]
fn a_ukgc_case_walks_from_casino_support_to_adr_when_8_weeks_run_out() {
    let home = TempHome::new();
    let id = ukgc_case(&home);
    let first = home.casefile(&["ladder", &id, "--json", "--now", "2026-03-01T12:00:00Z"]).json();
    assert_eq!(first["next"]["recipient_id"], "casino-support");

    home.casefile(&[
        "step",
        &id,
        "record",
        "--to",
        "casino-support",
        "--kind",
        "sent",
        "--channel",
        "email",
        "--on",
        "2026-03-02",
        "--reference",
        "T-1001",
        "--now",
        "2026-03-02T18:00:00Z",
    ])
    .ok();
    let rung = |view: &serde_json::Value, id: &str| {
        view["rungs"].as_array().unwrap().iter().find(|r| r["recipient_id"] == id).cloned().unwrap()
    };
    let day_55 = home.casefile(&["ladder", &id, "--json", "--now", "2026-04-26T12:00:00Z"]).json();
    assert_eq!(rung(&day_55, "ibas")["status"], "not_started");
    assert_eq!(rung(&day_55, "ibas")["blocked_until"], "2026-04-27");
    let day_56 = home.casefile(&["ladder", &id, "--json", "--now", "2026-04-27T12:00:00Z"]).json();
    assert_eq!(rung(&day_56, "ibas")["status"], "ready");
    assert_eq!(day_56["next"]["recipient_id"], "ibas");

    let text = home.casefile(&["ladder", &id, "--now", "2026-04-27T12:00:00Z"]);
    let out = text.ok();
    assert!(out.contains("ADR opens after 8 weeks"), "{out}");
    assert!(out.contains("gamblingcommission.gov.uk"), "deadlines show their source: {out}");
    assert!(out.contains("#1 2026-03-02 sent T-1001"), "{out}");

    let due = home.casefile(&["due", "--json", "--now", "2026-04-27T12:00:00Z"]).json();
    assert_eq!(due[0]["case_id"].as_i64().unwrap().to_string(), id);
    let list = home.casefile(&["case", "list", "--now", "2026-04-27T12:00:00Z"]);
    assert!(
        list.ok().contains("Independent Betting Adjudication Service"),
        "home list shows the stage: {}",
        list.stdout
    );
}

#[test]
fn a_crypto_deposit_never_gets_a_chargeback_step_on_the_cli() {
    let home = TempHome::new();
    let id = ukgc_case(&home);
    let answers = write_answers(&home, r#"{"fu-deposit-method": "crypto"}"#);
    home.casefile(&["triage", &id, "--answers", &answers]).ok();
    let view = home.casefile(&["ladder", &id, "--json"]).json();
    let payments: Vec<&serde_json::Value> =
        view["rungs"].as_array().unwrap().iter().filter(|r| r["kind"] == "payment").collect();
    assert!(!payments.is_empty());
    assert!(payments.iter().all(|r| r["status"] == "not_applicable"), "{payments:?}");
}

#[test]
fn a_bad_step_is_refused_with_the_reason_and_nothing_is_recorded() {
    let home = TempHome::new();
    let id = ukgc_case(&home);
    let run = home.casefile(&[
        "step",
        &id,
        "record",
        "--to",
        "casino-support",
        "--kind",
        "reply",
        "--on",
        "2026-03-02",
    ]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("what the reply said"), "{}", run.stderr);
    let unknown = home.casefile(&[
        "step",
        &id,
        "record",
        "--to",
        "atlantis",
        "--kind",
        "sent",
        "--channel",
        "email",
        "--on",
        "2026-03-02",
    ]);
    assert!(unknown.stderr.contains("'atlantis' is not in the directory"), "{}", unknown.stderr);
    assert!(home.casefile(&["ladder", &id, "--json"]).json()["history"].as_array().unwrap().is_empty());
}

#[test]
fn closing_with_an_outcome_and_reopening() {
    let home = TempHome::new();
    let id = ukgc_case(&home);
    assert!(home.casefile(&["outcomes"]).ok().contains("regulator-sided-with-player"));
    home.casefile(&[
        "case",
        "close",
        &id,
        "--outcome",
        "resolved",
        "--label",
        "resolved",
        "--note",
        "Paid in full",
        "--recovered",
        "2 350,00",
    ])
    .ok();
    let case = home.casefile(&["case", "show", &id, "--json"]).json();
    assert_eq!(case["closure"]["amount_recovered"]["minor_units"], 235_000);
    let bad = home.casefile(&["case", "close", &id, "--outcome", "resolved", "--label", "magic"]);
    assert_eq!(bad.status, 2);
    home.casefile(&["case", "reopen", &id]).ok();
    assert!(home.casefile(&["case", "show", &id, "--json"]).json()["closure"].is_null());
}

#[test]
fn the_recipients_directory_lists_every_body_with_its_source() {
    let home = TempHome::new();
    let all = home.casefile(&["recipients", "--json"]).json();
    let all = all.as_array().unwrap();
    assert!(all.len() >= 40, "{}", all.len());
    assert!(
        all.iter().all(|r| r["source"]
            .as_str()
            .is_some_and(|s| s.starts_with("https://") || s.starts_with("doc-")))
    );
    let adr = home.casefile(&["recipients", "--kind", "adr"]);
    assert!(adr.ok().contains("eu-odr") && adr.stdout.contains("[defunct]"), "{}", adr.stdout);
}

// ----- the complaint package --------------------------------------------------------------------------

#[test]
fn a_package_holds_the_letter_and_exhibits_and_sha256sum_accepts_it() {
    let home = TempHome::new();
    let id = home.casefile(&["demo", "--now", "2026-11-21T09:00:00Z"]).ok().trim().to_owned();
    let pass = ("CASEFILE_PASSPHRASE", casefile_test_support::TEST_PASSPHRASE);
    let run = |args: &[&str]| -> casefile_test_support::CliRun {
        std::process::Command::new(casefile_test_support::cli_binary())
            .arg("--home")
            .arg(home.path())
            .args(args)
            .env(pass.0, pass.1)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
            .into()
    };
    let chat = home.path().join("chat log.txt");
    std::fs::write(&chat, "[2026-11-01 10:00] Agent: finance is checking\n").unwrap();
    let added = run(&["evidence", "add", &id, chat.to_str().unwrap()]);
    assert_eq!(added.status, 0, "{}", added.stdout);

    // The casino is the demo's current rung: ready to build.
    let out = home.path().join("package for casino");
    let built = run(&[
        "package",
        &id,
        "--to",
        "casino-support",
        "--out",
        out.to_str().unwrap(),
        "--now",
        "2026-11-21T09:00:00Z",
    ]);
    assert_eq!(built.ok().trim(), out.to_str().unwrap());
    let sums = std::process::Command::new("sha256sum")
        .arg("-c")
        .arg("SHA256SUMS")
        .current_dir(&out)
        .output()
        .unwrap();
    assert!(sums.status.success(), "{}", String::from_utf8_lossy(&sums.stdout));
    let letter = std::fs::read_to_string(out.join("letter.txt")).unwrap();
    for expected in
        ["Lucky Lagoon Casino (demo)", "EUR 2,350.00", "31 October 2026", "E01 (chat log.txt)", "TKT-20931"]
    {
        assert!(letter.contains(expected), "the letter lacks {expected:?}:\n{letter}");
    }
    assert!(out.join("exhibits/E01-chat_log.txt").exists());
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["recipient"]["id"], "casino-support");
    assert_eq!(manifest["custody_log_head"].as_str().unwrap().len(), 64);

    // The portal is held back by the 14-day fair chance: refused, unless a draft is asked for.
    let portal = home.path().join("portal");
    let refused = run(&[
        "package",
        &id,
        "--to",
        "casino-guru",
        "--out",
        portal.to_str().unwrap(),
        "--now",
        "2026-11-21T09:00:00Z",
    ]);
    assert_eq!(refused.status, 2);
    assert!(refused.stderr.contains("not before"), "{}", refused.stderr);
    assert!(!portal.exists(), "nothing half-written stays behind");
    run(&[
        "package",
        &id,
        "--to",
        "casino-guru",
        "--out",
        portal.to_str().unwrap(),
        "--draft",
        "--now",
        "2026-11-21T09:00:00Z",
    ])
    .ok();
    assert!(std::fs::read_to_string(portal.join("letter.txt")).unwrap().starts_with("DRAFT"));
    let again = run(&["package", &id, "--to", "casino-support", "--out", out.to_str().unwrap()]);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
}

#[test]
fn a_built_package_is_recorded_and_linked_to_the_step_that_sent_it() {
    let home = TempHome::new();
    let now = "2026-11-21T09:00:00Z";
    let id = home.casefile(&["demo", "--now", now]).ok().trim().to_owned();
    let run = |args: &[&str]| home.casefile(&[args, &["--now", now]].concat());
    assert!(run(&["packages", &id]).ok().to_owned().contains("No packages built"));

    let out = home.path().join("to the casino");
    run(&["package", &id, "--to", "casino-support", "--out", out.to_str().unwrap()]).ok();
    let listed: serde_json::Value = serde_json::from_str(run(&["packages", &id, "--json"]).ok()).unwrap();
    let package = &listed[0];
    assert_eq!(package["recipient_id"], "casino-support");
    assert_eq!(package["draft"], false);
    assert_eq!(package["folder_exists"], true);
    assert_eq!(package["step_id"], serde_json::Value::Null);
    let manifest = std::fs::read(out.join("manifest.json")).unwrap();
    let manifest_sha =
        std::process::Command::new("sha256sum").arg(out.join("manifest.json")).output().unwrap();
    let manifest_sha = String::from_utf8_lossy(&manifest_sha.stdout);
    assert!(!manifest.is_empty());
    assert_eq!(package["manifest_sha256"].as_str().unwrap(), manifest_sha.split_whitespace().next().unwrap());

    // Recording the message that carried it links the package to that ladder step.
    run(&[
        "step",
        &id,
        "record",
        "--to",
        "casino-support",
        "--kind",
        "sent",
        "--channel",
        "email",
        "--on",
        "2026-11-21",
        "--reference",
        "package #1",
    ])
    .ok();
    let listed: serde_json::Value = serde_json::from_str(run(&["packages", &id, "--json"]).ok()).unwrap();
    assert!(listed[0]["step_id"].as_i64().is_some(), "{listed}");
    std::fs::remove_dir_all(&out).unwrap();
    let text = run(&["packages", &id]).ok().to_owned();
    assert!(text.contains("(no longer there)") && text.contains("recorded as ladder step"), "{text}");
}

/// A case with an unlocked locker holding `files`; returns the case id and the added items' ids.
fn case_with_evidence(home: &TempHome, files: &[(&str, Vec<u8>)]) -> (String, Vec<String>) {
    let id = home.casefile(&["demo", "--now", "2026-11-21T09:00:00Z"]).ok().trim().to_owned();
    let mut items = Vec::new();
    for (name, bytes) in files {
        let path = home.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let added = home.casefile(&["evidence", "add", &id, path.to_str().unwrap(), "--json"]).json();
        items.push(added[0]["item"]["id"].to_string());
    }
    (id, items)
}

fn gradient_png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 200) as u8 + 20, (y % 200) as u8 + 20, 99])
    });
    let mut bytes = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

/// A JPEG with an EXIF GPS latitude, as a phone writes it.
fn jpeg_with_gps() -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::RgbImage::from_pixel(40, 30, image::Rgb([10, 120, 200]))
        .write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let north = exif::Field {
        tag: exif::Tag::GPSLatitudeRef,
        ifd_num: exif::In::PRIMARY,
        value: exif::Value::Ascii(vec![b"N".to_vec()]),
    };
    let mut writer = exif::experimental::Writer::new();
    writer.push_field(&north);
    let mut tiff = std::io::Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();
    let tiff = tiff.into_inner();
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&u16::try_from(tiff.len() + 8).unwrap().to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[test]
fn an_item_is_renamed_tagged_and_deleted_and_verify_still_passes() {
    let home = TempHome::new();
    let (id, items) =
        case_with_evidence(&home, &[("scan.png", gradient_png(20, 20)), ("note.txt", b"a note".to_vec())]);
    let edited = home
        .casefile(&[
            "evidence",
            "edit",
            &id,
            &items[0],
            "--title",
            "Passport scan",
            "--tag",
            "id-document",
            "--tag",
            "KYC",
            "--json",
        ])
        .json();
    assert_eq!(edited["title"], "Passport scan");
    assert_eq!(edited["tags"], serde_json::json!(["id-document", "kyc"]));
    let cleared = home.casefile(&["evidence", "edit", &id, &items[0], "--clear-tags"]).ok().to_owned();
    assert!(cleared.contains("tags: none"), "{cleared}");
    let empty = home.casefile(&["evidence", "edit", &id, &items[0], "--title", " "]);
    assert_eq!(empty.status, 2);
    assert!(empty.stderr.contains("cannot be empty"), "{}", empty.stderr);

    let unconfirmed = home.casefile(&["evidence", "delete", &id, &items[1]]);
    assert_eq!(unconfirmed.status, 2);
    assert!(unconfirmed.stderr.contains("--yes"), "{}", unconfirmed.stderr);
    let deleted = home.casefile(&["evidence", "delete", &id, &items[1], "--yes"]);
    assert!(deleted.stderr.contains("the custody log keeps its hash"), "{}", deleted.stderr);
    let list = home.casefile(&["evidence", "list", &id, "--json"]).json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["title"], "Passport scan");
    let verified = home.casefile(&["verify", &id]);
    assert_eq!(verified.status, 0, "{}", verified.stdout);
    assert!(verified.stdout.contains("Everything matches"), "{}", verified.stdout);
}

#[test]
fn hidden_areas_are_black_in_a_redacted_export_and_the_plain_export_is_the_original() {
    let home = TempHome::new();
    let original = gradient_png(60, 40);
    let (id, items) =
        case_with_evidence(&home, &[("card.png", original.clone()), ("photo.jpg", jpeg_with_gps())]);
    let redact =
        home.casefile(&["evidence", "redact", &id, &items[0], "--box", "5,5,20,10", "--box", "40,30,10,10"]);
    assert_eq!(redact.ok(), "area 1: x 5 y 5, 20 × 10 pixels\narea 2: x 40 y 30, 10 × 10 pixels\n");
    let outside = home.casefile(&["evidence", "redact", &id, &items[0], "--box", "50,0,20,5"]);
    assert_eq!(outside.status, 2);
    assert!(outside.stderr.contains("does not fit inside the 60×40 image"), "{}", outside.stderr);
    let malformed = home.casefile(&["evidence", "redact", &id, &items[0], "--box", "5,5,20"]);
    assert_ne!(malformed.status, 0);
    assert!(malformed.stderr.contains("x,y,width,height"), "{}", malformed.stderr);
    assert!(
        home.casefile(&["evidence", "redact", &id, &items[0]]).ok().contains("area 2"),
        "the boxes were kept"
    );

    let redacted = home.path().join("card-redacted.png");
    home.casefile(&["evidence", "export", &id, &items[0], "--out", redacted.to_str().unwrap(), "--redacted"])
        .ok();
    let copy = image::open(&redacted).unwrap().into_rgb8();
    let before = image::load_from_memory(&original).unwrap().into_rgb8();
    assert_eq!(copy.get_pixel(5, 5).0, [0, 0, 0]);
    assert_eq!(copy.get_pixel(24, 14).0, [0, 0, 0]);
    assert_eq!(copy.get_pixel(49, 39).0, [0, 0, 0]);
    assert_eq!(copy.get_pixel(25, 14), before.get_pixel(25, 14), "just outside the box");
    assert_eq!(copy.get_pixel(4, 5), before.get_pixel(4, 5));

    let plain = home.path().join("card.png");
    std::fs::remove_file(&plain).unwrap();
    home.casefile(&["evidence", "export", &id, &items[0], "--out", plain.to_str().unwrap()]).ok();
    assert_eq!(std::fs::read(&plain).unwrap(), original, "the default export is the original, byte for byte");

    let photo = home.path().join("photo-copy.jpg");
    home.casefile(&["evidence", "export", &id, &items[1], "--out", photo.to_str().unwrap(), "--redacted"])
        .ok();
    let bytes = std::fs::read(&photo).unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]), "still a JPEG");
    let gps = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(&bytes))
        .map(|e| e.fields().any(|f| f.tag.context() == exif::Context::Gps))
        .unwrap_or(false);
    assert!(!gps, "no GPS in the exported copy");

    home.casefile(&["evidence", "redact", &id, &items[0], "--clear"]).ok();
    let verified = home.casefile(&["verify", &id, "--json"]).json();
    assert_eq!(verified["problems"], serde_json::json!([]));
    let entries = verified["log_entries_checked"].as_u64().unwrap();
    assert_eq!(entries, 2 + 2 + 3, "two imports, two redactions, three exports");
}

// ----- the timeline -------------------------------------------------------------------------------

const NOW: &str = "2026-11-21T09:00:00Z";

#[test]
fn the_timeline_merges_the_demo_with_evidence_and_my_entries_which_i_can_edit_and_delete() {
    let home = TempHome::new();
    let id = home.casefile(&["demo", "--now", NOW]).ok().trim().to_owned();
    let email = home.path().join("reply.eml");
    std::fs::write(
        &email,
        "From: Lucky Support <support@lucky.example>\r\nSubject: Your documents\r\n\
         Date: Tue, 10 Nov 2026 23:30:00 +0000\r\n\r\nWe received your documents.\r\n",
    )
    .unwrap();
    home.casefile(&["evidence", "add", &id, email.to_str().unwrap()]).ok();

    let added = home.casefile(&[
        "event",
        "add",
        &id,
        "--date",
        "2026-11-12",
        "--time",
        "18:20",
        "--kind",
        "reply",
        "--title",
        "Support confirmed the documents",
        "--note",
        "Said finance would pay within 48 hours.",
        "--evidence",
        "1",
        "--now",
        NOW,
    ]);
    let entry = added.ok().trim().to_owned();

    let timeline = home.casefile(&["timeline", &id, "--json", "--now", NOW]).json();
    assert_eq!(timeline["time_zone"], "Europe/Berlin");
    let events = timeline["events"].as_array().unwrap();
    let dates: Vec<&str> = events.iter().map(|e| e["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "oldest first");
    let sources: std::collections::BTreeSet<&str> =
        events.iter().map(|e| e["source"].as_str().unwrap()).collect();
    assert_eq!(sources, ["case", "ladder", "locker", "player"].into_iter().collect());
    let email_event = events.iter().find(|e| e["kind"] == "email").unwrap();
    assert_eq!(
        (email_event["date"].as_str(), email_event["time"].as_str()),
        (Some("2026-11-11"), Some("00:30:00")),
        "23:30 UTC is 00:30 the next day in Berlin"
    );
    let mine = events.iter().find(|e| e["entry_id"].as_i64() == entry.parse::<i64>().ok()).unwrap();
    assert_eq!(mine["title"], "Support confirmed the documents");
    assert_eq!(mine["evidence"][0]["title"], "reply.eml");

    let text = home.casefile(&["timeline", &id, "--now", NOW]);
    assert!(text.ok().contains("Times are in Europe/Berlin"), "{}", text.stdout);
    assert!(
        text.stdout.contains(&format!(
            "2026-11-12 18:20  you #{entry}    Support confirmed the documents  [evidence #1]"
        )),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("Sent a new proof of address by email"),
        "the demo's own entries: {}",
        text.stdout
    );

    home.casefile(&[
        "event",
        "edit",
        &id,
        &entry,
        "--title",
        "Support confirmed receipt",
        "--time",
        "",
        "--now",
        NOW,
    ])
    .ok();
    let after = home.casefile(&["timeline", &id, "--json", "--now", NOW]).json();
    let mine = after["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry_id"].as_i64() == entry.parse::<i64>().ok())
        .unwrap();
    assert_eq!((mine["title"].as_str(), mine["time"].is_null()), (Some("Support confirmed receipt"), true));
    assert_eq!(mine["evidence"][0]["id"], 1, "an edit without --evidence keeps the links");

    home.casefile(&["event", "delete", &id, &entry]).ok();
    let gone = home.casefile(&["event", "delete", &id, &entry]);
    assert_eq!(gone.status, 2);
    assert!(gone.stderr.contains(&format!("no timeline entry {entry}")), "{}", gone.stderr);
}

#[test]
fn a_bad_entry_names_every_wrong_field_and_saves_nothing() {
    let home = TempHome::new();
    let id = home.casefile(&["demo", "--now", NOW]).ok().trim().to_owned();
    let before =
        home.casefile(&["timeline", &id, "--json", "--now", NOW]).json()["events"].as_array().unwrap().len();
    let bad = home.casefile(&[
        "event",
        "add",
        &id,
        "--date",
        "2026-12-01",
        "--kind",
        "payout",
        "--title",
        " ",
        "--evidence",
        "7",
        "--now",
        NOW,
    ]);
    assert_eq!(bad.status, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("the timeline entry was not saved"), "{}", bad.stderr);
    for expected in
        ["is in the future", "Choose what kind of event", "Say in a few words", "no evidence item 7"]
    {
        assert!(bad.stderr.contains(expected), "missing {expected:?}: {}", bad.stderr);
    }
    let json = home.casefile(&["event", "add", &id, "--kind", "deposit", "--title", "x", "--json"]);
    assert_eq!(json.status, 2);
    let after =
        home.casefile(&["timeline", &id, "--json", "--now", NOW]).json()["events"].as_array().unwrap().len();
    assert_eq!(before, after);
}

#[test]
fn an_item_that_covers_a_checklist_entry_ticks_it_in_triage() {
    let home = TempHome::new();
    let id = home.casefile(&["demo", "--now", NOW]).ok().trim().to_owned();
    let receipt = home.path().join("upload receipt.txt");
    std::fs::write(&receipt, "Documents uploaded: passport.jpg, bill.pdf\n").unwrap();
    home.casefile(&["evidence", "add", &id, receipt.to_str().unwrap()]).ok();

    let options = home.casefile(&["evidence", "covers", &id, "1", "--now", NOW]);
    assert!(options.ok().contains("[ ] verification-request-date"), "{}", options.stdout);
    home.casefile(&["evidence", "covers", &id, "1", "verification-request-date", "--now", NOW]).ok();
    let listed = home.casefile(&["evidence", "covers", &id, "1", "--json", "--now", NOW]).json();
    let option = listed["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["checklist_id"] == "verification-request-date")
        .unwrap();
    assert_eq!(option["covered_by_this"], true);

    let triage = home.casefile(&["triage", &id, "--json", "--now", NOW]).json();
    let entry = triage["weak_points"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|w| w["evidence"].as_array().unwrap())
        .find(|e| e["id"] == "verification-request-date")
        .unwrap();
    assert_eq!(entry["covered"], true);
    assert_eq!(entry["covered_by"][0]["title"], "upload receipt.txt");

    let unknown = home.casefile(&["evidence", "covers", &id, "1", "selfie-with-id"]);
    assert_eq!(unknown.status, 2);
    assert!(unknown.stderr.contains("not an entry of the weak-points checklist"), "{}", unknown.stderr);
    home.casefile(&["evidence", "covers", &id, "1", "verification-request-date", "--remove"]).ok();
    let triage = home.casefile(&["triage", &id, "--json", "--now", NOW]).json();
    let entry = triage["weak_points"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|w| w["evidence"].as_array().unwrap())
        .find(|e| e["id"] == "verification-request-date")
        .unwrap();
    assert_eq!(entry["covered"], false);
}

#[test]
fn evidence_linked_to_a_ladder_step_shows_on_the_ladder_and_the_timeline_until_it_is_unlinked() {
    let home = TempHome::new();
    let complaint =
        b"From: me@example.org\r\nTo: support@lucky.example\r\nSubject: Formal complaint\r\n\r\nPay.\r\n";
    let (id, items) = case_with_evidence(
        &home,
        &[("complaint.eml", complaint.to_vec()), ("reply screenshot.txt", b"We are reviewing it.".to_vec())],
    );
    let (email, note) = (items[0].as_str(), items[1].as_str());
    let run = |args: &[&str]| home.casefile(&[args, &["--now", NOW]].concat());
    let ladder = || run(&["ladder", &id, "--json"]).json();
    let step_with = |view: &serde_json::Value, reference: &str| {
        view["history"].as_array().unwrap().iter().find(|s| s["reference"] == reference).cloned().unwrap()
    };

    // Recording a reply with the screenshot attached links it at once.
    let record = |evidence: &str| {
        run(&[
            "step",
            &id,
            "record",
            "--to",
            "casino-support",
            "--kind",
            "reply",
            "--outcome",
            "acknowledged",
            "--on",
            "2026-11-20",
            "--reference",
            "REPLY-7",
            "--evidence",
            evidence,
        ])
    };
    record(note).ok();
    let reply = step_with(&ladder(), "REPLY-7");
    assert_eq!(reply["evidence"].as_array().unwrap().len(), 1, "{reply}");
    assert_eq!(reply["evidence"][0]["id"].to_string(), note);
    assert_eq!(reply["evidence"][0]["title"], "reply screenshot.txt");
    let reply_id = reply["id"].to_string();

    // The demo's formal complaint gets the email, twice (harmless).
    let complaint_id = step_with(&ladder(), "TKT-20931")["id"].to_string();
    run(&["step", &id, "link", &complaint_id, email]).ok();
    run(&["step", &id, "link", &complaint_id, email]).ok();
    let linked = step_with(&ladder(), "TKT-20931");
    assert_eq!(linked["evidence"].as_array().unwrap().len(), 1, "{linked}");
    assert_eq!(linked["evidence"][0]["title"], "complaint.eml");

    let text = run(&["ladder", &id]).ok().to_owned();
    assert!(text.contains(&format!("evidence: #{email} complaint.eml")), "{text}");
    assert!(text.contains(&format!("evidence: #{note} reply screenshot.txt")), "{text}");

    // The timeline lists them as the steps' evidence.
    let timeline = run(&["timeline", &id, "--json"]).json();
    let event = |step: &str| {
        timeline["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["key"] == format!("ladder-{step}"))
            .cloned()
            .unwrap()
    };
    assert_eq!(event(&complaint_id)["evidence"][0]["id"].to_string(), email);
    assert_eq!(event(&reply_id)["evidence"][0]["id"].to_string(), note);
    let text = run(&["timeline", &id]).ok().to_owned();
    assert!(text.contains(&format!("[evidence #{email}]")), "{text}");

    // Refusals: a step or an item the case does not have; nothing changes.
    let no_step = run(&["step", &id, "link", "99", email]);
    assert_eq!(no_step.status, 2, "{}", no_step.stderr);
    assert!(no_step.stderr.contains("has no ladder step 99"), "{}", no_step.stderr);
    let other = home.casefile(&["demo", "--now", NOW]).ok().trim().to_owned();
    let foreign_step = run(&["ladder", &other, "--json"]).json()["history"][0]["id"].to_string();
    let crossing = run(&["step", &id, "link", &foreign_step, email]);
    assert_eq!(crossing.status, 2, "another case's step: {}", crossing.stderr);
    let no_item = run(&["step", &id, "link", &complaint_id, "99"]);
    assert_eq!(no_item.status, 3, "{}", no_item.stderr);
    let bad_record = record("99");
    assert_eq!(bad_record.status, 2, "{}", bad_record.stderr);
    assert!(bad_record.stderr.contains("no evidence item 99"), "{}", bad_record.stderr);
    let count = |view: &serde_json::Value| view["history"].as_array().unwrap().len();
    assert_eq!(count(&ladder()), 3, "the refused step was recorded");

    run(&["step", &id, "unlink", &complaint_id, email]).ok();
    assert_eq!(step_with(&ladder(), "TKT-20931")["evidence"], serde_json::json!([]));
    assert_eq!(
        step_with(&ladder(), "REPLY-7")["evidence"].as_array().unwrap().len(),
        1,
        "only that link went"
    );
}
