//! The escalation ladder: which body to contact next, what holds each rung back and why, and the
//! clocks that run from what was sent and received. Recipients and clocks are data
//! (`knowledge/recipients.toml`, `knowledge/clocks.toml`); this module evaluates them for a case.

pub mod clocks;
pub mod directory;
mod engine;
mod step_evidence;
#[cfg(test)]
mod step_evidence_tests;
mod steps;
#[cfg(test)]
mod tests;

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use clocks::{ClockKind, ClockRules};
pub use directory::{Directory, Recipient, RecipientKind};
pub use engine::evaluate;
pub use step_evidence::{ItemStep, ItemSteps, item_steps, link_step_evidence, unlink_step_evidence};
pub use steps::{due_items, ladder_view, record_step, skip_rung, summaries_with_ladder, unskip_rung};

use crate::text;
use crate::timeline::LinkedItem;

const RECIPIENTS_TOML: &str = include_str!("../../../../knowledge/recipients.toml");
const CLOCKS_TOML: &str = include_str!("../../../../knowledge/clocks.toml");

pub fn shipped_directory() -> &'static Directory {
    static DIRECTORY: OnceLock<Directory> = OnceLock::new();
    DIRECTORY.get_or_init(|| {
        Directory::parse(RECIPIENTS_TOML, text::shipped("en"))
            .unwrap_or_else(|error| panic!("shipped recipients directory is invalid: {error}"))
    })
}

/// What a step's recipient is called: the casino's support goes by the casino's own name (as on
/// the ladder and in the letter), any other body by its directory name.
pub(crate) fn recipient_name<'a>(recipient_id: &'a str, casino: &'a str) -> &'a str {
    match shipped_directory().get(recipient_id) {
        Some(recipient) if recipient.kind == RecipientKind::CasinoSupport => casino,
        Some(recipient) => recipient.name.as_str(),
        None => recipient_id,
    }
}

pub fn shipped_clocks() -> &'static ClockRules {
    static CLOCKS: OnceLock<ClockRules> = OnceLock::new();
    CLOCKS.get_or_init(|| {
        ClockRules::parse(CLOCKS_TOML, text::shipped("en"))
            .unwrap_or_else(|error| panic!("shipped clocks are invalid: {error}"))
    })
}

/// How a message went out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    LiveChat,
    Email,
    Phone,
    Form,
    Post,
    Portal,
    InPerson,
}

impl Channel {
    /// Whether the message leaves a written record the bodies accept as a written complaint.
    pub fn is_written(self) -> bool {
        !matches!(self, Channel::Phone | Channel::InPerson)
    }
}

/// What a reply said, as far as the ladder cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReplyOutcome {
    Acknowledged,
    AskedForMore,
    /// The casino's final response or deadlock letter: its procedure has ended.
    FinalResponse,
    Refused,
    Paid,
    PartlyPaid,
    Other,
}

impl ReplyOutcome {
    /// A reply after which this rung has nothing more to give.
    pub fn ends_the_rung(self) -> bool {
        matches!(self, ReplyOutcome::FinalResponse | ReplyOutcome::Refused | ReplyOutcome::Paid)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Sent,
    Reply,
    Milestone,
}

/// One recorded event of the ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StepRecord {
    pub id: i64,
    pub recipient_id: String,
    pub kind: StepKind,
    pub channel: Option<Channel>,
    pub on: NaiveDate,
    pub reference: String,
    pub summary: String,
    pub outcome: Option<ReplyOutcome>,
    pub milestone: Option<String>,
    /// The evidence items linked to this step (the email that carried it, a screenshot), by id.
    pub evidence: Vec<LinkedItem>,
}

/// A step as the player enters it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StepInput {
    pub recipient_id: String,
    pub kind: StepKind,
    pub channel: Option<Channel>,
    /// YYYY-MM-DD
    pub on: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub summary: String,
    pub outcome: Option<ReplyOutcome>,
    pub milestone: Option<String>,
    /// Evidence items of the case to link to the step as it is recorded.
    #[serde(default)]
    pub evidence: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RungStatus {
    /// Applies, but something must happen first (see `why` and `blocked_until`).
    NotStarted,
    Ready,
    AwaitingReply,
    Replied,
    Closed,
    /// The player chose to skip it; `why` holds their reason.
    Skipped,
    /// The engine found it does not apply; `why` says why.
    NotApplicable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// The date is ahead.
    Running,
    /// The date has passed.
    Passed,
    /// An event ended the wait early (e.g. a deadlock letter).
    EndedEarly,
    /// The event it counts from has not happened or was not recorded.
    NotStarted,
}

/// A clock as it applies to the case today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClockView {
    pub id: String,
    pub kind: ClockKind,
    pub concerns: RecipientKind,
    pub title: String,
    pub explain: String,
    pub state: ClockState,
    pub date: Option<NaiveDate>,
    /// Days from today to `date` (negative once passed).
    pub days_left: Option<i64>,
    /// The rule number of domain-facts §6, or 0 for document 002.
    pub rule: u8,
    pub source: String,
}

/// A contact channel, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ContactView {
    pub channel: directory::ContactChannel,
    pub value: String,
    pub is_url: bool,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Rung {
    pub recipient_id: String,
    pub name: String,
    pub kind: RecipientKind,
    pub status: RungStatus,
    /// True for a report that runs beside the main route (a regulator that does not settle disputes).
    pub optional: bool,
    /// Why the rung applies, what holds it back, and the warnings that come with it.
    pub why: Vec<String>,
    pub next_action: Option<String>,
    pub blocked_until: Option<NaiveDate>,
    pub summary: String,
    pub how_to: String,
    pub notes: Vec<String>,
    pub requires: Vec<String>,
    pub contacts: Vec<ContactView>,
    pub clocks: Vec<ClockView>,
    pub history: Vec<StepRecord>,
    pub skip_reason: Option<String>,
    pub source: String,
}

/// The one thing to do next for a case, with its date when it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct NextAction {
    pub recipient_id: Option<String>,
    pub text: String,
    pub due: Option<NaiveDate>,
    /// Days from the player's today to `due` (negative once passed).
    pub days_left: Option<i64>,
    pub overdue: bool,
}

/// A milestone the player can record, with its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MilestoneView {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LadderView {
    pub case_id: i64,
    pub today: NaiveDate,
    pub rungs: Vec<Rung>,
    pub next: Option<NextAction>,
    /// Things the ladder cannot decide without more facts (e.g. an unknown licence).
    pub notices: Vec<String>,
    /// Every dated clock of the case, soonest first.
    pub clocks: Vec<ClockView>,
    /// The undated rules that apply to the case (prerequisites, routing, warnings).
    pub rules: Vec<ClockView>,
    pub history: Vec<StepRecord>,
    /// The milestones that can be recorded, in this language.
    pub milestones: Vec<MilestoneView>,
}

/// One line of the "what is due" list across cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DueItem {
    pub case_id: i64,
    pub case_title: String,
    pub action: NextAction,
    pub stage: Option<String>,
}

/// A directory entry with its sentences in one language, for the directory screen.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RecipientView {
    pub recipient: Recipient,
    pub summary: String,
    pub how_to: String,
    pub notes: Vec<String>,
    pub requires: Vec<String>,
    pub form_fields: Vec<String>,
    pub documents: Vec<String>,
}

/// The whole directory in `language`.
pub fn recipient_views(language: &str) -> Vec<RecipientView> {
    let text = text::shipped(language);
    shipped_directory()
        .recipients
        .iter()
        .map(|recipient| {
            let id = &recipient.id;
            let labels = |prefix: &str, ids: &[String]| {
                ids.iter().map(|i| text.get(&format!("{prefix}.{i}"))).collect()
            };
            RecipientView {
                summary: text.get(&format!("recipient.{id}.summary")),
                how_to: text.get(&format!("recipient.{id}.how_to")),
                notes: text.list(&format!("recipient.{id}.notes")),
                requires: labels("prerequisite", &recipient.requires),
                form_fields: labels("form_field", &recipient.form_fields),
                documents: labels("document", &recipient.documents),
                recipient: recipient.clone(),
            }
        })
        .collect()
}

/// An outcome class with its labels in words, for the close-case dialog.
#[derive(Debug, Clone, Serialize, TS)]
pub struct OutcomeView {
    pub id: String,
    pub labels: Vec<OutcomeLabel>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct OutcomeLabel {
    pub id: String,
    pub text: String,
}

pub fn outcome_views(language: &str) -> Vec<OutcomeView> {
    let text = text::shipped(language);
    crate::knowledge::shipped()
        .outcomes
        .iter()
        .map(|class| OutcomeView {
            id: class.id.clone(),
            labels: class
                .labels
                .iter()
                .map(|label| OutcomeLabel {
                    id: label.clone(),
                    text: text.get(&format!("outcome.{}.{label}", class.id)),
                })
                .collect(),
        })
        .collect()
}
