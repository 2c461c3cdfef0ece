//! The case's timeline: one dated list merging what Casefile already knows (the case's own dates,
//! the ladder's steps, dated evidence) with the player's own entries, each event saying where it
//! comes from and which evidence items back it. It is the one source of dated facts for screens,
//! the CLI and the complaint package (`Timeline::rows`).

mod derive;
mod entries;
#[cfg(test)]
mod tests;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use entries::{
    CoverageOption, EventInput, ItemCoverage, add_event, cover_checklist_entry, delete_event, event_input,
    item_coverage, link_event_evidence, uncover_checklist_entry, unlink_event_evidence, update_event,
};

use crate::error::CoreResult;
use crate::locker::EvidenceKind;
use crate::storage::Store;
use crate::{text, triage};

/// Where an event comes from. Only the player's own entries can be edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EventSource {
    /// The case form's dates (account opened, first deposit, withdrawal request) and its closing.
    Case,
    /// A step recorded on the escalation ladder.
    Ladder,
    /// A date read inside an evidence item (an email's Date, a photo's capture time, a chat).
    Locker,
    /// An entry the player wrote on the timeline.
    Player,
}

/// What happened. The player's entries use the first seven; the others are derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Deposit,
    WithdrawalRequest,
    DocumentsSent,
    Reply,
    Complaint,
    AccountAction,
    Other,
    AccountOpened,
    Milestone,
    Email,
    Photo,
    Chat,
    CaseClosed,
}

impl EventKind {
    /// The kinds a player can give their own entry, in the order the form offers them.
    pub const PLAYER_KINDS: [EventKind; 7] = [
        EventKind::Deposit,
        EventKind::WithdrawalRequest,
        EventKind::DocumentsSent,
        EventKind::Reply,
        EventKind::Complaint,
        EventKind::AccountAction,
        EventKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Deposit => "deposit",
            EventKind::WithdrawalRequest => "withdrawal_request",
            EventKind::DocumentsSent => "documents_sent",
            EventKind::Reply => "reply",
            EventKind::Complaint => "complaint",
            EventKind::AccountAction => "account_action",
            EventKind::Other => "other",
            EventKind::AccountOpened => "account_opened",
            EventKind::Milestone => "milestone",
            EventKind::Email => "email",
            EventKind::Photo => "photo",
            EventKind::Chat => "chat",
            EventKind::CaseClosed => "case_closed",
        }
    }

    /// A player kind from its name (`deposit`, `withdrawal_request`, …); derived kinds are refused.
    pub fn player_kind(name: &str) -> Option<EventKind> {
        let name = name.trim().replace('-', "_");
        EventKind::PLAYER_KINDS.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// How to read an event's time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TimeBasis {
    /// In the player's time zone (converted from an instant, or typed by the player).
    PlayerZone,
    /// As the file wrote it, without a zone (a camera's clock, a chat export's stamps).
    AsWritten,
}

/// An evidence item an event or a ladder step points to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LinkedItem {
    pub id: i64,
    pub title: String,
    pub kind: EvidenceKind,
}

impl LinkedItem {
    /// The items linked to each owner (a timeline entry, a ladder step) of one case, by owner id,
    /// from `sql`: it takes the case id as ?1 and selects the owner's id, then the item's id,
    /// title and kind.
    pub(crate) fn by_owner(
        store: &crate::storage::Store,
        sql: &str,
        case_id: i64,
    ) -> crate::error::CoreResult<std::collections::BTreeMap<i64, Vec<LinkedItem>>> {
        let mut statement = store.conn.prepare(sql)?;
        let rows = statement.query_map([case_id], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                LinkedItem {
                    id: row.get(1)?,
                    title: row.get(2)?,
                    kind: EvidenceKind::from_name(&row.get::<_, String>(3)?),
                },
            ))
        })?;
        let mut links: std::collections::BTreeMap<i64, Vec<LinkedItem>> = Default::default();
        for row in rows {
            let (owner, item) = row?;
            links.entry(owner).or_default().push(item);
        }
        Ok(links)
    }
}

/// One dated event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TimelineEvent {
    /// Unique within the timeline: `case-first-deposit`, `ladder-4`, `locker-7`, `player-2`.
    pub key: String,
    pub source: EventSource,
    pub kind: EventKind,
    pub date: NaiveDate,
    /// Hours and minutes, when known.
    #[ts(type = "string | null")]
    pub time: Option<NaiveTime>,
    pub time_basis: Option<TimeBasis>,
    /// For a span (a chat transcript): the last day it covers, when later than `date`.
    pub until: Option<NaiveDate>,
    pub title: String,
    /// More words: a step's reference and summary, the player's note, an email's sender.
    pub detail: String,
    /// The player's entry id, for editing; `None` for derived events (read-only).
    pub entry_id: Option<i64>,
    pub evidence: Vec<LinkedItem>,
}

/// A case's events, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Timeline {
    pub case_id: i64,
    /// The zone times are shown in: the case's zone, or "UTC" when the case has none.
    pub time_zone: String,
    pub zone_known: bool,
    /// The player's today (entries may not be later).
    pub today: NaiveDate,
    pub events: Vec<TimelineEvent>,
}

/// One row of the complaint package's timeline: a date, what happened, the items that show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineRow {
    pub date: NaiveDate,
    /// The title, with the time of day in front when known ("14:05 Reply from …").
    pub what: String,
    /// Evidence item ids; the package turns them into exhibit numbers.
    pub exhibits: Vec<i64>,
}

impl Timeline {
    /// The rows the package's timeline document lists, in order.
    pub fn rows(&self) -> Vec<TimelineRow> {
        self.events
            .iter()
            .map(|event| TimelineRow {
                date: event.date,
                what: match event.time {
                    Some(time) => format!("{} {}", time.format("%H:%M"), event.title),
                    None => event.title.clone(),
                },
                exhibits: event.evidence.iter().map(|item| item.id).collect(),
            })
            .collect()
    }
}

/// The player's zone of a case, when it has a known one.
fn case_zone(case: &crate::Case) -> Option<chrono_tz::Tz> {
    case.player_time_zone.as_deref().and_then(|zone| zone.parse().ok())
}

/// The timeline of a case as it stands at `now`, with derived titles in `language`.
pub fn case_timeline(
    store: &Store,
    case_id: i64,
    now: DateTime<Utc>,
    language: &str,
) -> CoreResult<Timeline> {
    let case = store.get_case(case_id)?;
    let zone = case_zone(&case);
    let text = text::shipped(language);
    let mut events = derive::case_events(&case, text, zone);
    events.extend(derive::ladder_events(&store.ladder_steps(case_id)?, &case.casino.name, text));
    events.extend(derive::locker_events(&derive::dated_items(store, case_id)?, text, zone));
    events.extend(entries::player_events(store, case_id)?);
    sort_events(&mut events);
    Ok(Timeline {
        case_id,
        time_zone: zone.map_or_else(|| "UTC".to_owned(), |zone| zone.name().to_owned()),
        zone_known: zone.is_some(),
        today: triage::case_today(&case, now),
        events,
    })
}

/// Oldest first; on one day, events without a time first, then by time; ties keep a fixed order
/// (case, ladder, locker, player, then key) so the list never shuffles between loads.
fn sort_events(events: &mut [TimelineEvent]) {
    events.sort_by(|a, b| {
        (a.date, a.time.is_some(), a.time, a.source, &a.key).cmp(&(
            b.date,
            b.time.is_some(),
            b.time,
            b.source,
            &b.key,
        ))
    });
}
