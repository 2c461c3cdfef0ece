//! `casefile`: the same core, database and error codes as the desktop app, from a terminal.
//! Output meant for scripts goes to stdout (an id, or JSON with `--json`); messages go to stderr.

mod evidence;
mod ladder;
mod output;
mod timeline;
mod triage;

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use casefile_core::case::{CaseInput, ProblemCategory};
use casefile_core::storage::CaseFilter;
use casefile_core::{CoreError, DataHome, ErrorCode, Store, demo};
use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "casefile",
    version,
    about = "Build a complaint case for a delayed, blocked or refused casino withdrawal."
)]
struct Cli {
    /// Data folder to use instead of the per-user one (also: CASEFILE_HOME).
    #[arg(long, global = true, value_name = "DIR")]
    home: Option<PathBuf>,

    /// Pretend the current time is this moment (RFC 3339, e.g. 2026-05-31T12:00:00Z); for scripts and tests.
    #[arg(long, global = true, value_name = "ISO-8601", value_parser = parse_now)]
    now: Option<DateTime<Utc>>,

    #[command(subcommand)]
    command: Command,
}

// Parsed once at start-up, so the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Create, list, show, edit, archive and delete cases.
    #[command(subcommand)]
    Case(CaseCommand),
    /// Answer the triage questions of a case (in the terminal, or from a JSON file) and see the
    /// ideas, eligibility findings, facts and weak points.
    Triage(triage::TriageArgs),
    /// Show the escalation ladder of a case: each step's status and why, the running deadlines
    /// with their sources, and the next action.
    Ladder(ladder::LadderArgs),
    /// Record what was sent or received on the ladder, skip a step, or delete a mistaken record.
    Step(ladder::StepArgs),
    /// List what is due across all open cases, soonest first.
    Due {
        #[arg(long)]
        json: bool,
    },
    /// List the directory of bodies: regulators, ADR bodies, portals, payment and legal routes.
    Recipients(ladder::RecipientsArgs),
    /// Protect a data folder (its database and evidence locker are encrypted with one vault key),
    /// or say how it is protected.
    #[command(subcommand)]
    Vault(evidence::VaultCommand),
    /// Import evidence into a case, list it, or export a decrypted copy.
    #[command(subcommand)]
    Evidence(evidence::EvidenceCommand),
    /// Show a case's timeline: its own dates, the ladder's steps, dated evidence and your entries,
    /// oldest first, each with where it comes from and the evidence items that show it.
    Timeline(timeline::TimelineArgs),
    /// Add, edit or delete your own timeline entries and link evidence items to them.
    #[command(subcommand)]
    Event(timeline::EventCommand),
    /// Re-hash every evidence item of a case and check the chain of custody; exit status 4 when
    /// anything is missing, altered or out of order.
    Verify(evidence::VerifyArgs),
    /// Build the complaint package for one recipient: letter (PDF and text), web-form answers,
    /// timeline and evidence index (PDF), numbered exhibits, README, manifest and SHA256SUMS, in a
    /// new folder and/or ZIP. Dates and checks use --now (ISO-8601) when given. Exit status 2 when
    /// the recipient is not ready yet.
    Package {
        case: i64,
        /// The recipient's id (see `casefile recipients`).
        #[arg(long = "to", value_name = "RECIPIENT-ID")]
        recipient: String,
        /// The folder to create; a path ending in .zip writes only that ZIP.
        #[arg(long)]
        out: PathBuf,
        /// Also write <OUT>.zip beside the folder.
        #[arg(long)]
        zip: bool,
        /// Build even when the recipient is not ready; every file says DRAFT.
        #[arg(long)]
        draft: bool,
        /// Send this evidence item although the recipient's profile leaves it out (e.g. an ID
        /// document for a complaint portal). Repeat for more items.
        #[arg(long, value_name = "ITEM")]
        include: Vec<i64>,
        /// Leave this evidence item out of the package. Repeat for more items.
        #[arg(long, value_name = "ITEM")]
        leave_out: Vec<i64>,
        #[arg(long)]
        json: bool,
    },
    /// List the packages built for a case: recipient, time, folder, manifest hash, and the ladder
    /// step that sent it once recorded.
    Packages {
        case: i64,
        #[arg(long)]
        json: bool,
    },
    /// List how a case can end: document 002's outcome classes and their labels.
    Outcomes,
    /// Add the demo case (a delayed withdrawal at a fictional casino) and print its id.
    Demo {
        /// Only when the data folder has no cases yet.
        #[arg(long)]
        if_empty: bool,
        /// Also fill its evidence locker: two generated cashier screenshots, two emails from the
        /// casino and a live-chat transcript (what the app's demo has).
        #[arg(long)]
        with_evidence: bool,
    },
}

#[derive(Subcommand)]
enum CaseCommand {
    /// Create a case and print its id alone (or the whole case with --json).
    New {
        #[command(flatten)]
        fields: CaseFields,
        #[arg(long)]
        json: bool,
    },
    /// List cases, most recently changed first.
    List {
        /// Include archived cases.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show one case.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Change the fields given; the others keep their values.
    Edit {
        id: i64,
        #[command(flatten)]
        fields: CaseFields,
        #[arg(long)]
        json: bool,
    },
    /// Hide a case from the default list without deleting it.
    Archive { id: i64 },
    /// Bring an archived case back to the list.
    Restore { id: i64 },
    /// Close a case with how it ended (see `casefile outcomes` for the classes and labels).
    Close {
        id: i64,
        /// resolved, rejected or unresolved.
        #[arg(long)]
        outcome: String,
        /// A label of that outcome, e.g. resolved-without-casino or justified-complaint.
        #[arg(long)]
        label: String,
        #[arg(long, default_value = "")]
        note: String,
        /// What you got back, in the case's currency.
        #[arg(long, default_value = "", allow_hyphen_values = true)]
        recovered: String,
    },
    /// Open a closed case again.
    Reopen { id: i64 },
    /// Delete a case for good (asks first unless --yes).
    Delete {
        id: i64,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum CategoryArg {
    Deposit,
    Withdrawal,
    Account,
    Software,
}

impl From<CategoryArg> for ProblemCategory {
    fn from(arg: CategoryArg) -> Self {
        match arg {
            CategoryArg::Deposit => ProblemCategory::Deposit,
            CategoryArg::Withdrawal => ProblemCategory::Withdrawal,
            CategoryArg::Account => ProblemCategory::Account,
            CategoryArg::Software => ProblemCategory::Software,
        }
    }
}

/// The case form's fields as options; an option left out keeps the current value on `edit`.
#[derive(Args, Default)]
struct CaseFields {
    /// A short name for the case.
    #[arg(long)]
    title: Option<String>,
    /// The casino's name.
    #[arg(long)]
    casino: Option<String>,
    /// The casino's web address.
    #[arg(long)]
    website: Option<String>,
    /// The company that holds the licence.
    #[arg(long)]
    licensee: Option<String>,
    /// The licensing regulator's id (see knowledge/regulators.toml), e.g. ukgc, mga, curacao-cga.
    #[arg(long)]
    regulator: Option<String>,
    #[arg(long)]
    licence_number: Option<String>,
    /// The ADR body the casino's terms name.
    #[arg(long)]
    adr: Option<String>,
    /// Your account id or username at the casino.
    #[arg(long)]
    account: Option<String>,
    /// Your country, two letters (DE, GB, …).
    #[arg(long)]
    country: Option<String>,
    /// Your time zone, e.g. Europe/Berlin.
    #[arg(long)]
    time_zone: Option<String>,
    /// The disputed amount as you would write it: 2350.00, 2,350.00, 2350,00 or 2 350.
    #[arg(long, allow_hyphen_values = true)]
    amount: Option<String>,
    /// Three-letter currency code, e.g. EUR.
    #[arg(long)]
    currency: Option<String>,
    #[arg(long, value_enum)]
    category: Option<CategoryArg>,
    /// YYYY-MM-DD
    #[arg(long)]
    account_opened: Option<String>,
    /// YYYY-MM-DD
    #[arg(long)]
    first_deposit: Option<String>,
    /// YYYY-MM-DD
    #[arg(long)]
    withdrawal_requested: Option<String>,
    #[arg(long)]
    description: Option<String>,
}

impl CaseFields {
    /// Overlays the given options on `base` (empty for `new`, the stored case for `edit`).
    fn apply_to(self, mut base: CaseInput) -> CaseInput {
        let slots: [(Option<String>, &mut String); 16] = [
            (self.title, &mut base.title),
            (self.casino, &mut base.casino_name),
            (self.website, &mut base.casino_website),
            (self.licensee, &mut base.licensee),
            (self.regulator, &mut base.regulator),
            (self.licence_number, &mut base.licence_number),
            (self.adr, &mut base.named_adr),
            (self.account, &mut base.account_id),
            (self.country, &mut base.player_country),
            (self.time_zone, &mut base.player_time_zone),
            (self.amount, &mut base.amount),
            (self.currency, &mut base.currency),
            (self.account_opened, &mut base.account_opened),
            (self.first_deposit, &mut base.first_deposit),
            (self.withdrawal_requested, &mut base.withdrawal_requested),
            (self.description, &mut base.description),
        ];
        for (given, slot) in slots {
            if let Some(value) = given {
                *slot = value;
            }
        }
        if let Some(category) = self.category {
            base.category = Some(category.into());
        }
        base
    }
}

fn parse_now(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|moment| moment.with_timezone(&Utc))
        .map_err(|_| format!("\"{text}\" is not a moment like 2026-05-31T12:00:00Z"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.wants_json();
    match run(cli) {
        Ok(Done::Clean) => ExitCode::SUCCESS,
        // The command ran, but found something that needs attention (a rejected file, a failed check).
        Ok(Done::WithProblems) => ExitCode::from(4),
        Err(error) => {
            output::print_error(&error, json);
            ExitCode::from(exit_status(error.code()))
        }
    }
}

/// How a command that ran to its end went.
enum Done {
    Clean,
    WithProblems,
}

impl From<bool> for Done {
    fn from(clean: bool) -> Self {
        if clean { Done::Clean } else { Done::WithProblems }
    }
}

/// Distinct statuses so scripts can tell a typo from a missing case from a broken folder.
fn exit_status(code: ErrorCode) -> u8 {
    match code {
        ErrorCode::InvalidInput | ErrorCode::ConfirmationRequired => 2,
        ErrorCode::NotFound => 3,
        _ => 1,
    }
}

impl Cli {
    fn wants_json(&self) -> bool {
        match &self.command {
            Command::Triage(args) => return args.json,
            Command::Ladder(args) => return args.json,
            Command::Step(args) => return args.wants_json(),
            Command::Due { json } => return *json,
            Command::Recipients(args) => return args.json,
            Command::Verify(args) => return args.json,
            Command::Timeline(args) => return args.json,
            Command::Evidence(evidence::EvidenceCommand::Covers(args)) => return args.json,
            Command::Package { json, .. } | Command::Packages { json, .. } => return *json,
            Command::Evidence(
                evidence::EvidenceCommand::Add { json, .. }
                | evidence::EvidenceCommand::List { json, .. }
                | evidence::EvidenceCommand::Edit { json, .. },
            ) => {
                return *json;
            }
            _ => {}
        }
        matches!(
            &self.command,
            Command::Case(
                CaseCommand::New { json: true, .. }
                    | CaseCommand::List { json: true, .. }
                    | CaseCommand::Show { json: true, .. }
                    | CaseCommand::Edit { json: true, .. }
            )
        )
    }
}

fn run(cli: Cli) -> Result<Done, CoreError> {
    let home = DataHome::resolve(cli.home)?;
    let now = cli.now.unwrap_or_else(Utc::now);
    let clean = Ok(Done::Clean);
    // What needs no database runs first; the vault must exist before the database can open.
    let command = match cli.command {
        Command::Vault(command) => return evidence::run_vault(command, &home, now).and(clean),
        Command::Recipients(args) => return ladder::run_recipients(args).and(clean),
        Command::Outcomes => {
            output::print_outcomes();
            return clean;
        }
        other => other,
    };
    let creates_data = matches!(command, Command::Case(CaseCommand::New { .. }) | Command::Demo { .. });
    let key = evidence::folder_key(&home, creates_data, now)?;
    let mut store = Store::open_home(&home, &key.database_key())?;
    match command {
        Command::Vault(_) | Command::Recipients(_) | Command::Outcomes => {
            unreachable!("handled before the database is opened")
        }
        Command::Case(command) => run_case(command, &mut store, now).and(clean),
        Command::Triage(args) => triage::run(args, &mut store, now).and(clean),
        Command::Ladder(args) => ladder::run_ladder(args, &store, now).and(clean),
        Command::Step(args) => ladder::run_step(args, &mut store, now).and(clean),
        Command::Due { json } => ladder::run_due(json, &store, now).and(clean),
        Command::Evidence(command) => {
            evidence::run_evidence(command, &mut store, &home, &key, now).map(Done::from)
        }
        Command::Verify(args) => evidence::run_verify(args, &store, &home, &key).map(Done::from),
        Command::Timeline(args) => timeline::run_timeline(args, &store, now).and(clean),
        Command::Event(command) => timeline::run_event(command, &mut store, now).and(clean),
        Command::Package { case, recipient, out, zip, draft, include, leave_out, json } => {
            use casefile_core::locker::ExhibitOverride;
            use casefile_core::package::BuildOptions;
            let exhibits = include
                .iter()
                .map(|&item_id| ExhibitOverride { item_id, include: true })
                .chain(leave_out.iter().map(|&item_id| ExhibitOverride { item_id, include: false }))
                .collect();
            let options = BuildOptions { draft, zip, exhibits, ..BuildOptions::new(now) };
            if !json {
                output::print_check(&casefile_core::package::check(&store, case, &recipient, now)?);
            }
            let mut progress = package_progress_on_terminal();
            let (report, _record) = casefile_core::package::record::build_and_record(
                &store,
                &home,
                &key,
                case,
                &recipient,
                &out,
                &options,
                &mut progress,
            )?;
            if json {
                output::print_json(&report);
            } else {
                for path in report.folder.iter().chain(report.zip.iter()) {
                    println!("{path}");
                }
                eprintln!(
                    "Built {}{} files. Check them with `sha256sum -c SHA256SUMS` in the package folder.",
                    if report.draft { "a DRAFT package: " } else { "" },
                    report.files.len()
                );
            }
            clean
        }
        Command::Packages { case, json } => {
            let packages = store.packages(case)?;
            if json {
                output::print_json(&packages);
            } else {
                output::print_packages(&packages);
            }
            clean
        }
        Command::Demo { if_empty, with_evidence } => {
            if if_empty && store.count_cases()? > 0 {
                eprintln!("The data folder already has cases; no demo case added.");
                return clean;
            }
            let case = if with_evidence {
                demo::create_demo_case_with_evidence(&mut store, &home, &key, now)?
            } else {
                demo::create_demo_case(&mut store, now)?
            };
            println!("{}", case.id);
            clean
        }
    }
}

fn run_case(command: CaseCommand, store: &mut Store, now: DateTime<Utc>) -> Result<(), CoreError> {
    match command {
        CaseCommand::New { fields, json } => {
            let case = store.create_case(&fields.apply_to(CaseInput::default()), now)?;
            if json {
                output::print_json(&case);
            } else {
                println!("{}", case.id);
            }
        }
        CaseCommand::List { all, json } => {
            let cases = casefile_core::ladder::summaries_with_ladder(
                store,
                CaseFilter { include_archived: all },
                now,
                "en",
            )?;
            if json {
                output::print_json(&cases);
            } else {
                output::print_case_table(&cases);
            }
        }
        CaseCommand::Show { id, json } => {
            let case = store.get_case(id)?;
            if json {
                output::print_json(&case);
            } else {
                output::print_case(&case);
            }
        }
        CaseCommand::Edit { id, fields, json } => {
            let current = CaseInput::from_case(&store.get_case(id)?);
            let case = store.update_case(id, &fields.apply_to(current), now)?;
            if json {
                output::print_json(&case);
            } else {
                eprintln!("Saved case {}.", case.id);
            }
        }
        CaseCommand::Archive { id } => {
            store.set_archived(id, true, now)?;
            eprintln!("Archived case {id}. `casefile case restore {id}` brings it back.");
        }
        CaseCommand::Restore { id } => {
            store.set_archived(id, false, now)?;
            eprintln!("Restored case {id}.");
        }
        CaseCommand::Close { id, outcome, label, note, recovered } => {
            let closing =
                casefile_core::triage::CaseClosing { outcome, label, note, amount_recovered: recovered };
            let case = store.close_case(id, &closing, now)?;
            let text = case.closure.map(|c| c.label_text).unwrap_or_default();
            eprintln!("Closed case {id}: {text}. `casefile case reopen {id}` opens it again.");
        }
        CaseCommand::Reopen { id } => {
            store.reopen_case(id, now)?;
            eprintln!("Case {id} is open again.");
        }
        CaseCommand::Delete { id, yes } => {
            let case = store.get_case(id)?;
            if !yes && !confirm_delete(&case.title)? {
                eprintln!("Nothing deleted.");
                return Ok(());
            }
            store.delete_case(id)?;
            eprintln!("Deleted case {id} (\"{}\").", case.title);
        }
    }
    Ok(())
}

/// Asks on the terminal; without one, refuses rather than guess.
fn confirm_delete(title: &str) -> Result<bool, CoreError> {
    let stdin = io::stdin();
    if !stdin.is_terminal() {
        return Err(CoreError::ConfirmationRequired { action: "Deleting a case".into() });
    }
    eprint!("Delete \"{title}\" and everything recorded in it, for good? Type yes to confirm: ");
    let _ = io::stderr().flush();
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer).map_err(|e| CoreError::io("Could not read the answer", e))?;
    Ok(answer.trim().eq_ignore_ascii_case("yes"))
}

/// A line on standard error that counts the exhibits written, when a person is watching; scripts
/// (no terminal) get nothing.
fn package_progress_on_terminal() -> impl FnMut(casefile_core::package::preview::PackageProgress) {
    let watching = io::stderr().is_terminal();
    move |p| {
        if watching && p.total > 1 {
            let exhibits = p.total - 1;
            eprint!("\rWriting exhibits: {} of {exhibits}", p.done.min(exhibits));
            if p.done == p.total {
                eprintln!();
            }
        }
    }
}
