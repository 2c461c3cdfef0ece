//! How the CLI prints: plain text for people, JSON for scripts, errors on stderr in either form.

use casefile_core::case::{Case, CaseField, CaseSummary};
use casefile_core::{CoreError, knowledge};
use serde::Serialize;

pub fn print_json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(error) => eprintln!("error: could not write JSON: {error}"),
    }
}

/// Errors: the message, then one line per rejected field; with `--json`, the `ApiError` object.
pub fn print_error(error: &CoreError, json: bool) {
    let api = error.to_api();
    if json {
        if let Ok(text) = serde_json::to_string_pretty(&api) {
            eprintln!("{text}");
        }
        return;
    }
    match api.fields.as_slice() {
        [] => eprintln!("error: {}", api.message),
        fields => {
            let is_event = |field: CaseField| {
                matches!(
                    field,
                    CaseField::EventDate
                        | CaseField::EventTime
                        | CaseField::EventKind
                        | CaseField::EventTitle
                        | CaseField::EventNote
                        | CaseField::EventEvidence
                )
            };
            let what =
                if fields.iter().any(|f| is_event(f.field)) { "the timeline entry" } else { "the case" };
            eprintln!(
                "error: {what} was not saved; fix {}:",
                if fields.len() == 1 { "this" } else { "these" }
            );
            for field in fields {
                eprintln!("  - {}", field.message);
            }
        }
    }
}

pub fn print_case_table(cases: &[CaseSummary]) {
    if cases.is_empty() {
        println!(
            "No cases yet. Create one with `casefile case new --title … --casino … --amount … --currency … --category …`."
        );
        return;
    }
    let rows: Vec<[String; 7]> = cases
        .iter()
        .map(|case| {
            let mut title = case.title.clone();
            if case.is_demo {
                title.push_str(" [demo]");
            }
            if case.archived {
                title.push_str(" [archived]");
            }
            [
                case.id.to_string(),
                title,
                case.casino_name.clone(),
                case.disputed.display(),
                case.category.as_str().to_owned(),
                case.outcome.clone().map_or_else(
                    || case.stage.clone().unwrap_or_else(|| "—".into()),
                    |o| format!("closed ({o})"),
                ),
                case.next_action_due.map_or_else(|| "—".into(), |d| d.to_string()),
            ]
        })
        .collect();
    let header = ["ID", "TITLE", "CASINO", "AMOUNT", "PROBLEM", "STAGE", "NEXT DUE"];
    let widths: Vec<usize> = (0..header.len())
        .map(|column| {
            rows.iter()
                .map(|row| row[column].chars().count())
                .chain([header[column].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[&str]| {
        let padded: Vec<String> =
            cells.iter().zip(&widths).map(|(cell, width)| format!("{cell:<width$}")).collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(&header);
    for row in &rows {
        line(&row.iter().map(String::as_str).collect::<Vec<_>>());
    }
}

pub fn print_case(case: &Case) {
    let none = "—".to_owned();
    let text = |value: &Option<String>| value.clone().unwrap_or_else(|| none.clone());
    let date = |value: Option<chrono::NaiveDate>| value.map_or_else(|| none.clone(), |d| d.to_string());
    let regulator = case
        .casino
        .regulator
        .as_deref()
        .map(|id| knowledge::shipped().regulator(id).map_or(id.to_owned(), |r| r.name.clone()));
    let fields = [
        ("Case", format!("{}{}", case.id, if case.is_demo { " (demo)" } else { "" })),
        ("Title", case.title.clone()),
        ("Problem", case.category.as_str().to_owned()),
        ("Amount", case.disputed.display()),
        ("Casino", case.casino.name.clone()),
        ("Website", text(&case.casino.website)),
        ("Licensee", text(&case.casino.licensee)),
        ("Regulator", text(&regulator)),
        ("Licence number", text(&case.casino.licence_number)),
        ("ADR body named", text(&case.casino.named_adr)),
        ("Account", text(&case.account_id)),
        ("Country", text(&case.player_country)),
        ("Time zone", text(&case.player_time_zone)),
        ("Account opened", date(case.key_dates.account_opened)),
        ("First deposit", date(case.key_dates.first_deposit)),
        ("Withdrawal requested", date(case.key_dates.withdrawal_requested)),
        ("Archived", case.archived_at.map_or_else(|| "no".to_owned(), |at| at.to_rfc3339())),
        (
            "Closed",
            case.closure.as_ref().map_or_else(
                || "no".to_owned(),
                |closure| format!("{} — {}", closure.closed_at.to_rfc3339(), closure.label_text),
            ),
        ),
        ("Created", case.created_at.to_rfc3339()),
        ("Updated", case.updated_at.to_rfc3339()),
    ];
    for (label, value) in fields {
        println!("{label:<21} {value}");
    }
    if !case.description.is_empty() {
        println!("\n{}", case.description);
    }
}

pub fn print_outcomes() {
    let english = casefile_core::text::shipped("en");
    for class in &knowledge::shipped().outcomes {
        println!("{}", class.id);
        for label in &class.labels {
            println!("  {label:<50} {}", english.get(&format!("outcome.{}.{label}", class.id)));
        }
    }
}

/// The completeness check, on stderr before a build: what blocks the package, then what the
/// recipient would miss, each with how to fix it. Nothing when the case has all it needs.
pub fn print_check(check: &casefile_core::package::PackageCheck) {
    if check.blocking.is_empty() && check.warnings.is_empty() {
        return;
    }
    let directory = casefile_core::ladder::shipped_directory();
    let name = directory.get(&check.recipient_id).map_or(check.recipient_id.as_str(), |r| r.name.as_str());
    eprintln!("Before sending to {name}:");
    for reason in &check.blocking {
        eprintln!("  blocks:  {reason}");
    }
    for warning in &check.warnings {
        eprintln!("  warning: {}", warning.text);
        eprintln!("           How to fix it: {}", warning.fix);
    }
}

/// One block per package: what went to whom, when, where it is, and its manifest hash.
pub fn print_packages(packages: &[casefile_core::package::record::BuiltPackage]) {
    if packages.is_empty() {
        println!(
            "No packages built for this case yet. Build one with `casefile package CASE --to ID --out DIR`."
        );
        return;
    }
    for package in packages {
        let draft = if package.draft { " (draft)" } else { "" };
        println!(
            "#{} {}{draft}, built {}",
            package.id,
            package.recipient_name,
            package.built_at.to_rfc3339()
        );
        let moved = if package.folder_exists { "" } else { " (no longer there)" };
        println!("    folder:   {}{moved}", package.folder);
        if let Some(zip) = &package.zip_path {
            println!("    zip:      {zip}");
        }
        println!("    manifest: sha256 {}", package.manifest_sha256);
        println!("    exhibits: {}", package.exhibits);
        match package.step_id {
            Some(step) => println!("    sent:     recorded as ladder step {step}"),
            None => println!("    sent:     not recorded yet"),
        }
    }
}
