//! `casefile vault`, `casefile evidence` and `casefile verify`: set up the encrypted locker, import
//! files into a case, take decrypted copies out, and check the chain of custody.

use std::io::IsTerminal;
use std::path::PathBuf;

use casefile_core::locker::{self, ExportPolicy, ImportOutcome, ItemEdit, RedactionBox, VaultKey, vault};
use casefile_core::{CoreError, DataHome, Store};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use zeroize::Zeroizing;

use crate::output;

/// The environment variable the CLI reads the locker's passphrase from.
const PASSPHRASE_ENV: &str = "CASEFILE_PASSPHRASE";

#[derive(Subcommand)]
pub enum VaultCommand {
    /// Set up the locker: a new random key in the system keyring, or with --passphrase a key
    /// protected by a passphrase (CASEFILE_PASSPHRASE or asked). Prints the recovery key once.
    Init {
        #[arg(long)]
        passphrase: bool,
    },
    /// Say how the locker is protected.
    Status,
}

#[derive(Subcommand)]
pub enum EvidenceCommand {
    /// Import files into a case: hashed, encrypted and logged. One line per file; a bad file
    /// never stops the others.
    Add {
        case: i64,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Do not make the images' thumbnails now (they are made when first shown).
        #[arg(long)]
        no_thumbnails: bool,
    },
    /// List a case's evidence.
    List {
        case: i64,
        #[arg(long)]
        json: bool,
    },
    /// Say that an item covers an entry of the weak-points checklist (it shows ticked in the
    /// triage view), remove that with --remove, or list the entries without CHECKLIST-ID.
    Covers(crate::timeline::CoversArgs),
    /// Write a decrypted copy of an item (the export is logged): byte for byte the original, or
    /// with --redacted the copy a recipient gets (hidden areas filled black, location removed).
    Export {
        case: i64,
        item: i64,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        redacted: bool,
    },
    /// Change an item's title, description or tags (the edit is logged).
    Edit {
        case: i64,
        item: i64,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        description: Option<String>,
        /// A tag to add; repeat for several (`id-document` keeps an ID scan out of public complaints).
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// Remove every tag first (with --tag: replace the tags).
        #[arg(long)]
        clear_tags: bool,
        #[arg(long)]
        json: bool,
    },
    /// Delete an item from the locker (asks first unless --yes; the delete is logged with its hash).
    Delete {
        case: i64,
        item: i64,
        #[arg(long)]
        yes: bool,
    },
    /// Hide areas of an image in copies sent out: --box x,y,w,h in the image's pixels (repeat for
    /// several; replaces the current boxes), or --clear. Without either, lists the boxes.
    Redact {
        case: i64,
        item: i64,
        #[arg(long = "box", value_parser = parse_box)]
        boxes: Vec<RedactionBox>,
        #[arg(long, conflicts_with = "boxes")]
        clear: bool,
    },
}

/// "x,y,w,h" in pixels.
fn parse_box(text: &str) -> Result<RedactionBox, String> {
    let numbers: Vec<u32> =
        text.split(',').map(|part| part.trim().parse::<u32>()).collect::<Result<_, _>>().map_err(|_| {
            format!("'{text}' is not a box: give x,y,width,height in whole pixels, e.g. 10,20,200,40")
        })?;
    match numbers[..] {
        [x, y, width, height] => Ok(RedactionBox { x, y, width, height }),
        _ => Err(format!("'{text}' is not a box: give four numbers x,y,width,height, e.g. 10,20,200,40")),
    }
}

/// Asks on the terminal; without one, refuses rather than guess.
fn confirm(question: &str, action: &str) -> Result<bool, CoreError> {
    use std::io::{BufRead, Write};
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(CoreError::ConfirmationRequired { action: action.into() });
    }
    eprint!("{question} Type yes to confirm: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer).map_err(|e| CoreError::io("Could not read the answer", e))?;
    Ok(answer.trim().eq_ignore_ascii_case("yes"))
}

#[derive(Args)]
pub struct VerifyArgs {
    case: i64,
    #[arg(long)]
    pub json: bool,
}

fn passphrase(prompt: &str) -> Result<Zeroizing<String>, CoreError> {
    if let Ok(value) = std::env::var(PASSPHRASE_ENV) {
        return Ok(Zeroizing::new(value));
    }
    if !std::io::stdin().is_terminal() {
        return Err(CoreError::PassphraseNeeded);
    }
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(|e| CoreError::io("Could not read the passphrase", e))
}

/// The key of a data folder, the way its vault was set up: the keyring, else CASEFILE_PASSPHRASE,
/// else a prompt on the terminal. A folder without a vault gets one when `creates_data` (a keyring
/// vault; without a keyring the person is asked to choose a passphrase with `vault init`).
pub fn folder_key(home: &DataHome, creates_data: bool, now: DateTime<Utc>) -> Result<VaultKey, CoreError> {
    match vault::status(home)? {
        Some(status) if status.mode == vault::KeyMode::Keyring => vault::unlock(home, None),
        Some(_) => vault::unlock(home, Some(&passphrase("Passphrase of this Casefile data folder: ")?)),
        None if creates_data => create_keyring_vault(home, now),
        None => Err(CoreError::VaultMissing),
    }
}

fn create_keyring_vault(home: &DataHome, now: DateTime<Utc>) -> Result<VaultKey, CoreError> {
    match vault::create_with_keyring(home, now) {
        Ok(key) => {
            eprintln!("This data folder is now encrypted; its key is kept in your system keyring.");
            print_recovery_key(&key);
            Ok(key)
        }
        Err(CoreError::KeyringUnavailable(why)) => Err(CoreError::Refused(format!(
            "This data folder is not protected yet and no system keyring is available ({why}). \
             Choose a passphrase first: run `casefile vault init --passphrase`."
        ))),
        Err(other) => Err(other),
    }
}

fn print_recovery_key(key: &VaultKey) {
    eprintln!("\nYour recovery key (write it down and keep it somewhere safe; it is shown only now):\n");
    eprintln!("    {}\n", key.recovery_text().as_str());
    eprintln!("Anyone with this key can open your case files. Without it and without the keyring or");
    eprintln!("passphrase, nobody can, including you.");
}

/// `casefile vault …`: runs before the database is opened, since the database needs the key.
pub fn run_vault(command: VaultCommand, home: &DataHome, now: DateTime<Utc>) -> Result<(), CoreError> {
    match command {
        VaultCommand::Init { passphrase: with_passphrase } => {
            if vault::status(home)?.is_some() {
                return Err(CoreError::VaultExists);
            }
            let key = if with_passphrase {
                let first = passphrase("Choose a passphrase for this data folder: ")?;
                if std::env::var(PASSPHRASE_ENV).is_err() {
                    let again = passphrase("Type it again: ")?;
                    if *again != *first {
                        return Err(CoreError::VaultKeyWrong {
                            how: "second passphrase (it differs from the first)".into(),
                        });
                    }
                }
                vault::create_with_passphrase(home, &first, now)?
            } else {
                vault::create_with_keyring(home, now)?
            };
            // Creates the encrypted database now (or encrypts one from an earlier version).
            Store::open_home(home, &key.database_key())?;
            eprintln!("This data folder is set up: the database and the evidence locker are encrypted.");
            print_recovery_key(&key);
        }
        VaultCommand::Status => match vault::status(home)? {
            Some(status) => println!(
                "{} (key id {})",
                match status.mode {
                    vault::KeyMode::Keyring => "protected by the system keyring",
                    vault::KeyMode::Passphrase => "protected by a passphrase",
                },
                status.key_id
            ),
            None => println!("not set up: run `casefile vault init`"),
        },
    }
    Ok(())
}

pub fn run_evidence(
    command: EvidenceCommand,
    store: &mut Store,
    home: &DataHome,
    key: &VaultKey,
    now: DateTime<Utc>,
) -> Result<bool, CoreError> {
    match command {
        EvidenceCommand::Add { case, files, json, no_thumbnails } => {
            let outcomes = locker::import_files(store, home, key, case, &files, now)?;
            // The import is committed; the thumbnails are only a cache made after it.
            let thumbnails = (!no_thumbnails).then(|| {
                let started = std::time::Instant::now();
                let made =
                    locker::make_thumbnails(store, home, key, case, &locker::added_ids(&outcomes), |_| {});
                (made.map(|ids| ids.len()).unwrap_or(0), started.elapsed())
            });
            let all_ok = !outcomes.iter().any(|o| matches!(o, ImportOutcome::Rejected { .. }));
            if json {
                output::print_json(&outcomes);
            } else {
                for outcome in &outcomes {
                    match outcome {
                        ImportOutcome::Added { file, item } => {
                            println!("added      #{:<4} {file}  {} {}", item.id, item.media_type, item.sha256)
                        }
                        ImportOutcome::Duplicate { file, of_item } => {
                            println!("duplicate  of #{of_item:<2} {file}")
                        }
                        ImportOutcome::Rejected { file, reason } => {
                            println!("rejected         {file}: {reason}")
                        }
                    }
                }
                if let Some((count, took)) = thumbnails {
                    println!("{count} thumbnail(s) ready in {:.2} s", took.as_secs_f64());
                }
            }
            Ok(all_ok)
        }
        EvidenceCommand::List { case, json } => {
            store.get_case(case)?;
            let items = store.evidence_items(case)?;
            if json {
                output::print_json(&items);
            } else if items.is_empty() {
                println!("No evidence yet. Add files with `casefile evidence add {case} FILE…`.");
            } else {
                for item in items {
                    println!(
                        "#{:<4} {:<10} {:>10} B  {}  {}",
                        item.id,
                        format!("{:?}", item.kind).to_lowercase(),
                        item.size,
                        item.sha256,
                        item.original_name
                    );
                }
            }
            Ok(true)
        }
        EvidenceCommand::Covers(args) => crate::timeline::run_covers(args, store, now).map(|()| true),
        EvidenceCommand::Export { case, item, out, redacted: false } => {
            locker::export_item(store, home, key, case, item, &out, now)?;
            eprintln!("Wrote a decrypted copy of item {item} to {}.", out.display());
            Ok(true)
        }
        EvidenceCommand::Export { case, item, out, redacted: true } => {
            let policy = ExportPolicy { apply_redactions: true, strip_gps: true };
            let copy = locker::export_for_recipient(store, home, key, case, item, &policy, &out, now)?;
            let changes = match (copy.redacted, copy.gps_removed) {
                (true, true) => "hidden areas filled black, location removed",
                (true, false) => "hidden areas filled black",
                (false, true) => "location removed",
                (false, false) => "nothing to hide: the original bytes",
            };
            eprintln!("Wrote the copy of item {item} a recipient gets to {} ({changes}).", out.display());
            if copy.media_type != store.evidence_item(case, item)?.media_type {
                eprintln!("The copy is a {} file; name it accordingly.", copy.media_type);
            }
            println!("{}  {}", copy.sha256, out.display());
            Ok(true)
        }
        EvidenceCommand::Edit { case, item, title, description, tags, clear_tags, json } => {
            let current = store.evidence_item(case, item)?;
            let tags = match (clear_tags, tags.is_empty()) {
                (false, true) => None,
                (true, _) => Some(tags),
                (false, false) => Some(current.tags.iter().cloned().chain(tags).collect()),
            };
            let edit = ItemEdit { title, description, tags };
            let edited = locker::edit_item(store, case, item, &edit, now)?;
            if json {
                output::print_json(&edited);
            } else {
                println!("#{} {}", edited.id, edited.title);
                if !edited.description.is_empty() {
                    println!("    {}", edited.description);
                }
                println!(
                    "    tags: {}",
                    if edited.tags.is_empty() { "none".into() } else { edited.tags.join(", ") }
                );
            }
            Ok(true)
        }
        EvidenceCommand::Delete { case, item, yes } => {
            let found = store.evidence_item(case, item)?;
            let question = format!("Delete item {item} (\"{}\") from the locker for good?", found.title);
            if !yes && !confirm(&question, "Deleting an evidence item")? {
                eprintln!("Nothing deleted.");
                return Ok(true);
            }
            locker::delete_item(store, home, case, item, now)?;
            eprintln!(
                "Deleted item {item} (\"{}\"); the custody log keeps its hash {}.",
                found.title, found.sha256
            );
            Ok(true)
        }
        EvidenceCommand::Redact { case, item, boxes, clear } => {
            let boxes = if clear || !boxes.is_empty() {
                locker::set_redactions(store, case, item, &boxes, now)?
            } else {
                locker::redaction_boxes(store, case, item)?
            };
            if boxes.is_empty() {
                println!("Item {item}: nothing hidden.");
            }
            for (index, b) in boxes.iter().enumerate() {
                println!("area {}: x {} y {}, {} × {} pixels", index + 1, b.x, b.y, b.width, b.height);
            }
            Ok(true)
        }
    }
}

/// Prints the report; false when anything is wrong (the CLI then exits non-zero).
pub fn run_verify(
    args: VerifyArgs,
    store: &Store,
    home: &DataHome,
    key: &VaultKey,
) -> Result<bool, CoreError> {
    let report = locker::verify(store, home, key, args.case)?;
    if args.json {
        output::print_json(&report);
    } else {
        println!(
            "Checked {} item(s) and {} custody log entr{}; log head {}",
            report.items_checked,
            report.log_entries_checked,
            if report.log_entries_checked == 1 { "y" } else { "ies" },
            report.custody_head
        );
        if report.problems.is_empty() {
            println!("Everything matches: no item is missing, altered or out of order.");
        }
        for problem in &report.problems {
            println!("PROBLEM: {}", problem.what);
        }
    }
    Ok(report.problems.is_empty())
}
