//! `casefile vault`, `casefile evidence` and `casefile verify`: set up the encrypted locker, import
//! files into a case, take decrypted copies out, and check the chain of custody.

use std::io::IsTerminal;
use std::path::PathBuf;

use casefile_core::locker::{self, ImportOutcome, VaultKey, vault};
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
    /// Write a decrypted copy of an item (the export is logged).
    Export {
        case: i64,
        item: i64,
        #[arg(long)]
        out: PathBuf,
    },
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

/// Opens the locker the way it was set up.
pub fn unlock(store: &Store) -> Result<VaultKey, CoreError> {
    match store.vault_status()?.ok_or(CoreError::VaultMissing)?.mode {
        vault::KeyMode::Keyring => vault::unlock(store, None),
        vault::KeyMode::Passphrase => vault::unlock(store, Some(&passphrase("Locker passphrase: ")?)),
    }
}

/// The locker's key when a locker exists; a case without evidence can still be packaged, so a
/// folder without a locker gets a fresh key that opens nothing.
pub fn unlock_if_set_up(store: &Store) -> Result<VaultKey, CoreError> {
    match store.vault_status()? {
        Some(_) => unlock(store),
        None => Ok(VaultKey::random()),
    }
}

pub fn run_vault(command: VaultCommand, store: &mut Store, now: DateTime<Utc>) -> Result<(), CoreError> {
    match command {
        VaultCommand::Init { passphrase: with_passphrase } => {
            let key = if with_passphrase {
                let first = passphrase("Choose a passphrase for the evidence locker: ")?;
                if std::env::var(PASSPHRASE_ENV).is_err() {
                    let again = passphrase("Type it again: ")?;
                    if *again != *first {
                        return Err(CoreError::VaultKeyWrong {
                            how: "second passphrase (it differs from the first)".into(),
                        });
                    }
                }
                vault::create_with_passphrase(store, &first, now)?
            } else {
                vault::create_with_keyring(store, now)?
            };
            eprintln!("The evidence locker is set up.");
            eprintln!(
                "\nYour recovery key (write it down and keep it somewhere safe; it is shown only now):\n"
            );
            eprintln!("    {}\n", key.recovery_text().as_str());
            eprintln!("Anyone with this key can open your evidence. Without it and without the keyring or");
            eprintln!("passphrase, nobody can, including you.");
        }
        VaultCommand::Status => match store.vault_status()? {
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
    now: DateTime<Utc>,
) -> Result<bool, CoreError> {
    match command {
        EvidenceCommand::Add { case, files, json, no_thumbnails } => {
            let key = unlock(store)?;
            let outcomes = locker::import_files(store, home, &key, case, &files, now)?;
            // The import is committed; the thumbnails are only a cache made after it.
            let thumbnails = (!no_thumbnails).then(|| {
                let started = std::time::Instant::now();
                let made = locker::make_thumbnails(
                    store,
                    home,
                    &key,
                    case,
                    &locker::added_ids(&outcomes),
                    |_| {},
                );
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
        EvidenceCommand::Export { case, item, out } => {
            let key = unlock(store)?;
            locker::export_item(store, home, &key, case, item, &out, now)?;
            eprintln!("Wrote a decrypted copy of item {item} to {}.", out.display());
            Ok(true)
        }
    }
}

/// Prints the report; false when anything is wrong (the CLI then exits non-zero).
pub fn run_verify(args: VerifyArgs, store: &Store, home: &DataHome) -> Result<bool, CoreError> {
    let key = unlock(store)?;
    let report = locker::verify(store, home, &key, args.case)?;
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
