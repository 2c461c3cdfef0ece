//! `casefile timeline`, `casefile event` and `casefile evidence covers`: the case's dated events,
//! the player's own entries, and which evidence item answers which weak point.

use casefile_core::timeline::{self, EventInput, EventSource, Timeline};
use casefile_core::{CoreError, Store};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};

use crate::output;

const LANGUAGE: &str = "en";

#[derive(Args)]
pub struct TimelineArgs {
    case: i64,
    #[arg(long)]
    pub json: bool,
}

/// The fields of an entry; on `edit`, only the ones given change.
#[derive(Args)]
pub struct EventFields {
    /// When it happened, YYYY-MM-DD (your own calendar date).
    #[arg(long)]
    date: Option<String>,
    /// The time of day, HH:MM in your time zone (`--time ''` removes it on edit).
    #[arg(long)]
    time: Option<String>,
    /// deposit, withdrawal_request, documents_sent, reply, complaint, account_action or other.
    #[arg(long)]
    kind: Option<String>,
    /// What happened, in a few words.
    #[arg(long)]
    title: Option<String>,
    #[arg(long)]
    note: Option<String>,
    /// An evidence item that shows it (repeat for several; on edit, replaces the links).
    #[arg(long = "evidence", value_name = "ITEM")]
    evidence: Vec<i64>,
}

#[derive(Subcommand)]
pub enum EventCommand {
    /// Add your own dated entry to a case's timeline; prints its number.
    Add {
        case: i64,
        #[command(flatten)]
        fields: EventFields,
    },
    /// Change an entry you added (the numbers are in `casefile timeline CASE`).
    Edit {
        case: i64,
        entry: i64,
        #[command(flatten)]
        fields: EventFields,
    },
    /// Delete an entry you added.
    Delete { case: i64, entry: i64 },
    /// Link an evidence item to an entry.
    Link { case: i64, entry: i64, item: i64 },
    /// Remove an evidence item's link from an entry.
    Unlink { case: i64, entry: i64, item: i64 },
}

#[derive(Args)]
pub struct CoversArgs {
    case: i64,
    item: i64,
    /// The checklist entry (e.g. documents-sent-receipts); leave out to list the entries.
    checklist_id: Option<String>,
    /// Remove the link instead of adding it.
    #[arg(long)]
    remove: bool,
    #[arg(long)]
    pub json: bool,
}

pub fn run_timeline(args: TimelineArgs, store: &Store, now: DateTime<Utc>) -> Result<(), CoreError> {
    let timeline = timeline::case_timeline(store, args.case, now, LANGUAGE)?;
    if args.json {
        output::print_json(&timeline);
    } else {
        print_timeline(&timeline);
    }
    Ok(())
}

fn source_label(source: EventSource, entry: Option<i64>) -> String {
    match (source, entry) {
        (EventSource::Player, Some(id)) => format!("you #{id}"),
        (EventSource::Case, _) => "case".into(),
        (EventSource::Ladder, _) => "ladder".into(),
        (EventSource::Locker, _) => "evidence".into(),
        (EventSource::Player, None) => "you".into(),
    }
}

fn print_timeline(timeline: &Timeline) {
    if timeline.events.is_empty() {
        println!(
            "Nothing dated yet. Add the case's dates, record ladder steps, import evidence, or add your own entries with `casefile event add {} …`.",
            timeline.case_id
        );
        return;
    }
    println!(
        "Times are in {}{}; photo and chat times as the file wrote them.",
        timeline.time_zone,
        if timeline.zone_known { "" } else { " (the case has no time zone)" }
    );
    for event in &timeline.events {
        let time = event.time.map(|t| t.format("%H:%M").to_string()).unwrap_or_default();
        let until = event.until.map(|d| format!(" – {d}")).unwrap_or_default();
        let items: Vec<String> = event.evidence.iter().map(|item| format!("#{}", item.id)).collect();
        let items =
            if items.is_empty() { String::new() } else { format!("  [evidence {}]", items.join(", ")) };
        println!(
            "{} {:<5}  {:<9} {}{until}{items}",
            event.date,
            time,
            source_label(event.source, event.entry_id),
            event.title
        );
        if !event.detail.is_empty() {
            println!("{:28}{}", "", event.detail.replace('\n', " "));
        }
    }
}

fn merged(mut base: EventInput, fields: EventFields, replace_evidence: bool) -> EventInput {
    let set = |target: &mut String, value: Option<String>| {
        if let Some(value) = value {
            *target = value;
        }
    };
    set(&mut base.date, fields.date);
    set(&mut base.time, fields.time);
    set(&mut base.kind, fields.kind);
    set(&mut base.title, fields.title);
    set(&mut base.note, fields.note);
    if replace_evidence || !fields.evidence.is_empty() {
        base.evidence = fields.evidence;
    }
    base
}

pub fn run_event(command: EventCommand, store: &mut Store, now: DateTime<Utc>) -> Result<(), CoreError> {
    match command {
        EventCommand::Add { case, fields } => {
            let input = merged(EventInput::default(), fields, true);
            let id = timeline::add_event(store, case, &input, now)?;
            println!("{id}");
            eprintln!("Added entry {id} to the timeline of case {case}.");
        }
        EventCommand::Edit { case, entry, fields } => {
            let input = merged(timeline::event_input(store, case, entry)?, fields, false);
            timeline::update_event(store, case, entry, &input, now)?;
            eprintln!("Entry {entry} changed.");
        }
        EventCommand::Delete { case, entry } => {
            timeline::delete_event(store, case, entry)?;
            eprintln!("Entry {entry} deleted.");
        }
        EventCommand::Link { case, entry, item } => {
            timeline::link_event_evidence(store, case, entry, item)?;
            eprintln!("Evidence item {item} linked to entry {entry}.");
        }
        EventCommand::Unlink { case, entry, item } => {
            timeline::unlink_event_evidence(store, case, entry, item)?;
            eprintln!("Evidence item {item} unlinked from entry {entry}.");
        }
    }
    Ok(())
}

pub fn run_covers(args: CoversArgs, store: &mut Store, now: DateTime<Utc>) -> Result<(), CoreError> {
    match &args.checklist_id {
        Some(entry) if args.remove => {
            timeline::uncover_checklist_entry(store, args.case, args.item, entry)?;
            eprintln!("Item {} no longer covers '{entry}'.", args.item);
        }
        Some(entry) => {
            timeline::cover_checklist_entry(store, args.case, args.item, entry, now)?;
            eprintln!("Item {} covers '{entry}': the weak-points check shows it ticked.", args.item);
        }
        None => {
            let coverage = timeline::item_coverage(store, args.case, args.item, now, LANGUAGE)?;
            if args.json {
                output::print_json(&coverage);
            } else if coverage.options.is_empty() {
                println!("The case has no weak points to cover yet (answer its triage first).");
            } else {
                for option in &coverage.options {
                    println!(
                        "[{}] {:<32} {}  ({})",
                        if option.covered_by_this { "x" } else { " " },
                        option.checklist_id,
                        option.title,
                        option.weak_point
                    );
                }
            }
        }
    }
    Ok(())
}
