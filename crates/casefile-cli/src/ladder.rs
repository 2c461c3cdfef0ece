//! `casefile ladder`, `casefile step`, `casefile due` and `casefile recipients`: the escalation
//! ladder of a case, recording what was sent and received, what is due across cases, and the
//! directory of bodies.

use casefile_core::ladder::{
    self, Channel, ClockState, LadderView, RecipientKind, ReplyOutcome, RungStatus, StepInput, StepKind,
};
use casefile_core::{CoreError, Store};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};

use crate::output;

const LANGUAGE: &str = "en";

#[derive(Args)]
pub struct LadderArgs {
    case: i64,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct StepArgs {
    case: i64,
    #[command(subcommand)]
    action: StepAction,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Sent,
    Reply,
    Milestone,
}

#[derive(Clone, Copy, ValueEnum)]
enum ChannelArg {
    LiveChat,
    Email,
    Phone,
    Form,
    Post,
    Portal,
    InPerson,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutcomeArg {
    Acknowledged,
    AskedForMore,
    FinalResponse,
    Refused,
    Paid,
    PartlyPaid,
    Other,
}

#[derive(Subcommand)]
enum StepAction {
    /// Record a message sent, a reply received, or a dated milestone.
    Record {
        /// The recipient's id (see `casefile recipients`), e.g. casino-support.
        #[arg(long = "to", value_name = "RECIPIENT-ID")]
        recipient: String,
        #[arg(long, value_enum)]
        kind: KindArg,
        /// How it was sent (required for --kind sent).
        #[arg(long, value_enum)]
        channel: Option<ChannelArg>,
        /// When it happened, YYYY-MM-DD.
        #[arg(long)]
        on: String,
        /// Ticket or reference number.
        #[arg(long, default_value = "")]
        reference: String,
        /// A line about what it said.
        #[arg(long, default_value = "")]
        summary: String,
        /// What the reply said (required for --kind reply).
        #[arg(long, value_enum)]
        outcome: Option<OutcomeArg>,
        /// The milestone id (required for --kind milestone), e.g. reminder-sent.
        #[arg(long)]
        milestone: Option<String>,
        /// An evidence item that shows it (repeat for several; `casefile evidence list CASE`).
        #[arg(long = "evidence", value_name = "ITEM")]
        evidence: Vec<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Skip a rung, with your reason.
    Skip {
        #[arg(long = "to", value_name = "RECIPIENT-ID")]
        recipient: String,
        #[arg(long)]
        reason: String,
    },
    /// Undo a skip.
    Unskip {
        #[arg(long = "to", value_name = "RECIPIENT-ID")]
        recipient: String,
    },
    /// Delete a recorded step (a mistake), by the number `casefile ladder` shows.
    Delete { step: i64 },
    /// Link an evidence item to a recorded step (e.g. the email that carried the complaint).
    Link { step: i64, item: i64 },
    /// Remove an evidence item's link from a recorded step.
    Unlink { step: i64, item: i64 },
}

#[derive(Args)]
pub struct RecipientsArgs {
    /// Only this kind: casino-support, regulator, adr, portal, payment, legal, police.
    #[arg(long)]
    kind: Option<String>,
    #[arg(long)]
    pub json: bool,
}

impl ChannelArg {
    fn into_channel(self) -> Channel {
        match self {
            ChannelArg::LiveChat => Channel::LiveChat,
            ChannelArg::Email => Channel::Email,
            ChannelArg::Phone => Channel::Phone,
            ChannelArg::Form => Channel::Form,
            ChannelArg::Post => Channel::Post,
            ChannelArg::Portal => Channel::Portal,
            ChannelArg::InPerson => Channel::InPerson,
        }
    }
}

impl OutcomeArg {
    fn into_outcome(self) -> ReplyOutcome {
        match self {
            OutcomeArg::Acknowledged => ReplyOutcome::Acknowledged,
            OutcomeArg::AskedForMore => ReplyOutcome::AskedForMore,
            OutcomeArg::FinalResponse => ReplyOutcome::FinalResponse,
            OutcomeArg::Refused => ReplyOutcome::Refused,
            OutcomeArg::Paid => ReplyOutcome::Paid,
            OutcomeArg::PartlyPaid => ReplyOutcome::PartlyPaid,
            OutcomeArg::Other => ReplyOutcome::Other,
        }
    }
}

impl StepArgs {
    pub fn wants_json(&self) -> bool {
        matches!(self.action, StepAction::Record { json: true, .. })
    }
}

pub fn run_ladder(args: LadderArgs, store: &Store, now: DateTime<Utc>) -> Result<(), CoreError> {
    let view = ladder::ladder_view(store, args.case, now, LANGUAGE)?;
    if args.json {
        output::print_json(&view);
    } else {
        print_ladder(&view);
    }
    Ok(())
}

pub fn run_step(args: StepArgs, store: &mut Store, now: DateTime<Utc>) -> Result<(), CoreError> {
    let case = args.case;
    match args.action {
        StepAction::Record {
            recipient,
            kind,
            channel,
            on,
            reference,
            summary,
            outcome,
            milestone,
            evidence,
            json,
        } => {
            let input = StepInput {
                recipient_id: recipient,
                kind: match kind {
                    KindArg::Sent => StepKind::Sent,
                    KindArg::Reply => StepKind::Reply,
                    KindArg::Milestone => StepKind::Milestone,
                },
                channel: channel.map(ChannelArg::into_channel),
                on,
                reference,
                summary,
                outcome: outcome.map(OutcomeArg::into_outcome),
                milestone,
                evidence,
            };
            let view = ladder::record_step(store, case, &input, now, LANGUAGE)?;
            if json {
                output::print_json(&view);
            } else {
                eprintln!("Recorded.");
                print_next(&view);
            }
        }
        StepAction::Skip { recipient, reason } => {
            ladder::skip_rung(store, case, &recipient, &reason, now)?;
            eprintln!("Skipped {recipient}. `casefile step {case} unskip --to {recipient}` undoes it.");
        }
        StepAction::Unskip { recipient } => {
            ladder::unskip_rung(store, case, &recipient)?;
            eprintln!("{recipient} is back on the ladder.");
        }
        StepAction::Delete { step } => {
            store.delete_ladder_step(case, step)?;
            eprintln!("Deleted step {step}.");
        }
        StepAction::Link { step, item } => {
            ladder::link_step_evidence(store, case, step, item)?;
            eprintln!("Evidence item {item} linked to step {step}.");
        }
        StepAction::Unlink { step, item } => {
            ladder::unlink_step_evidence(store, case, step, item)?;
            eprintln!("Evidence item {item} unlinked from step {step}.");
        }
    }
    Ok(())
}

pub fn run_due(json: bool, store: &Store, now: DateTime<Utc>) -> Result<(), CoreError> {
    let items = ladder::due_items(store, now, LANGUAGE)?;
    if json {
        output::print_json(&items);
        return Ok(());
    }
    if items.is_empty() {
        println!("Nothing is due.");
    }
    for item in items {
        let due = item.action.due.map_or_else(|| "—".to_owned(), |d| d.to_string());
        let flag = if item.action.overdue { " OVERDUE" } else { "" };
        println!("{due}{flag}  case {}: {}\n            {}", item.case_id, item.case_title, item.action.text);
    }
    Ok(())
}

pub fn run_recipients(args: RecipientsArgs) -> Result<(), CoreError> {
    let directory = ladder::shipped_directory();
    let wanted = match &args.kind {
        Some(kind) => Some(RecipientKind::from_name(&kind.replace('-', "_")).ok_or_else(|| {
            CoreError::Refused(format!(
                "'{kind}' is not a kind: use casino-support, regulator, adr, portal, payment, legal or police"
            ))
        })?),
        None => None,
    };
    let recipients: Vec<_> =
        directory.recipients.iter().filter(|r| wanted.is_none_or(|k| r.kind == k)).collect();
    if args.json {
        output::print_json(&recipients);
        return Ok(());
    }
    for recipient in recipients {
        let status = match recipient.status {
            ladder::directory::RecipientStatus::Defunct => " [defunct]",
            _ => "",
        };
        println!("{:<26} {:<15} {}{status}", recipient.id, recipient.kind.as_str(), recipient.name);
        println!("{:<26} source: {} (checked {})", "", recipient.source, recipient.checked);
    }
    Ok(())
}

fn status_word(status: RungStatus) -> &'static str {
    match status {
        RungStatus::NotStarted => "waiting",
        RungStatus::Ready => "READY",
        RungStatus::AwaitingReply => "awaiting reply",
        RungStatus::Replied => "replied",
        RungStatus::Closed => "closed",
        RungStatus::Skipped => "skipped",
        RungStatus::NotApplicable => "not applicable",
    }
}

fn print_next(view: &LadderView) {
    match &view.next {
        Some(next) => {
            let due = next.due.map_or_else(String::new, |d| format!(" (by {d})"));
            let overdue = if next.overdue { " — overdue" } else { "" };
            println!("Next: {}{due}{overdue}", next.text);
        }
        None => println!("Next: nothing to do now."),
    }
}

fn print_ladder(view: &LadderView) {
    println!("Ladder of case {} (today {})", view.case_id, view.today);
    for notice in &view.notices {
        println!("  Note: {notice}");
    }
    for (number, rung) in view.rungs.iter().enumerate() {
        let optional = if rung.optional { ", optional" } else { "" };
        println!("\n{}. {} [{}{optional}]", number + 1, rung.name, status_word(rung.status));
        for why in &rung.why {
            println!("   - {why}");
        }
        if let Some(reason) = &rung.skip_reason {
            println!("   - Skipped: {reason}");
        }
        for clock in rung.clocks.iter().filter(|c| c.state != ClockState::NotStarted) {
            let date = clock.date.map_or_else(String::new, |d| d.to_string());
            let left = match (clock.state, clock.days_left) {
                (ClockState::EndedEarly, _) => "ended early".to_owned(),
                (_, Some(days)) if days >= 0 => format!("{days} days left"),
                (_, Some(days)) => format!("{} days ago", -days),
                _ => String::new(),
            };
            println!("   {date}  {} ({left}; rule {}, {})", clock.title, clock.rule, clock.source);
        }
        for step in &rung.history {
            let what = match step.kind {
                StepKind::Sent => "sent",
                StepKind::Reply => "reply",
                StepKind::Milestone => "milestone",
            };
            println!("   #{} {} {what} {} {}", step.id, step.on, step.reference, step.summary);
            if !step.evidence.is_empty() {
                let items: Vec<String> =
                    step.evidence.iter().map(|item| format!("#{} {}", item.id, item.title)).collect();
                println!("      evidence: {}", items.join(", "));
            }
        }
    }
    println!();
    print_next(view);
}
