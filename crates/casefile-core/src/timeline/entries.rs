//! The player's own timeline entries (add, edit, delete, link evidence) and the links saying which
//! locker item covers an entry of triage's weak-points checklist. Every write validates first and
//! runs in one transaction.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{EventKind, EventSource, LinkedItem, TimeBasis, TimelineEvent};
use crate::case::CaseField;
use crate::error::{CoreError, CoreResult, FieldError, FieldProblem};
use crate::storage::Store;
use crate::triage::{self, CoveringItem};

const TITLE_LIMIT: usize = 200;
const NOTE_LIMIT: usize = 5_000;

/// An entry as typed: every field a string, as in the form; `evidence` lists item ids to link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EventInput {
    /// YYYY-MM-DD.
    pub date: String,
    /// HH:MM, or empty.
    #[serde(default)]
    pub time: String,
    /// One of `EventKind::PLAYER_KINDS`, by name.
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub evidence: Vec<i64>,
}

struct ValidEvent {
    date: NaiveDate,
    time: Option<NaiveTime>,
    kind: EventKind,
    title: String,
    note: String,
    evidence: BTreeSet<i64>,
}

/// Checks every field at once: a readable date not after the player's today (nor a time later
/// than now on today), a known kind, a title, evidence items of this case.
fn validate(store: &Store, case_id: i64, input: &EventInput, now: DateTime<Utc>) -> CoreResult<ValidEvent> {
    let case = store.get_case(case_id)?;
    let today = triage::case_today(&case, now);
    let local_now = super::case_zone(&case)
        .map_or_else(|| now.naive_utc(), |zone| now.with_timezone(&zone).naive_local());
    let mut problems = Vec::new();
    let date = match input.date.trim() {
        "" => {
            problems.push(FieldError::new(
                CaseField::EventDate,
                FieldProblem::Required,
                "Give the date it happened.",
            ));
            None
        }
        typed => match NaiveDate::parse_from_str(typed, "%Y-%m-%d") {
            Err(_) => {
                problems.push(
                    FieldError::new(
                        CaseField::EventDate,
                        FieldProblem::DateUnreadable,
                        format!("\"{typed}\" is not a date. Write it as year-month-day, e.g. 2026-05-31."),
                    )
                    .with("input", typed),
                );
                None
            }
            Ok(date) if date > today => {
                problems.push(
                    FieldError::new(
                        CaseField::EventDate,
                        FieldProblem::DateInFuture,
                        format!(
                            "{date} is in the future (today is {today}). Add an event once it has happened."
                        ),
                    )
                    .with("input", date.to_string()),
                );
                None
            }
            Ok(date) => Some(date),
        },
    };
    let time = match input.time.trim() {
        "" => None,
        typed => match NaiveTime::parse_from_str(typed, "%H:%M") {
            Err(_) => {
                problems.push(
                    FieldError::new(
                        CaseField::EventTime,
                        FieldProblem::TimeUnreadable,
                        format!("\"{typed}\" is not a time. Write hours and minutes, e.g. 14:05, or leave it empty."),
                    )
                    .with("input", typed),
                );
                None
            }
            Ok(time) if date == Some(today) && time > local_now.time() => {
                problems.push(FieldError::new(
                    CaseField::EventTime,
                    FieldProblem::DateInFuture,
                    format!(
                        "{} today has not come yet. Add an event once it has happened.",
                        time.format("%H:%M")
                    ),
                ));
                None
            }
            Ok(time) => Some(time),
        },
    };
    let kind = EventKind::player_kind(&input.kind);
    if kind.is_none() {
        let known: Vec<&str> = EventKind::PLAYER_KINDS.iter().map(|k| k.as_str()).collect();
        problems.push(
            FieldError::new(
                CaseField::EventKind,
                FieldProblem::KindUnknown,
                format!("Choose what kind of event this is: one of {}.", known.join(", ")),
            )
            .with("input", input.kind.trim()),
        );
    }
    let title = input.title.trim();
    if title.is_empty() {
        problems.push(FieldError::new(
            CaseField::EventTitle,
            FieldProblem::Required,
            "Say in a few words what happened, e.g. \"Sent passport and utility bill\".",
        ));
    } else if title.chars().count() > TITLE_LIMIT {
        problems.push(
            FieldError::new(
                CaseField::EventTitle,
                FieldProblem::TooLong,
                format!("Keep the title under {TITLE_LIMIT} characters; put the rest in the note."),
            )
            .with("max", TITLE_LIMIT.to_string()),
        );
    }
    let note = input.note.trim();
    if note.chars().count() > NOTE_LIMIT {
        problems.push(
            FieldError::new(
                CaseField::EventNote,
                FieldProblem::TooLong,
                format!("Keep the note under {NOTE_LIMIT} characters."),
            )
            .with("max", NOTE_LIMIT.to_string()),
        );
    }
    let evidence: BTreeSet<i64> = input.evidence.iter().copied().collect();
    if let Some(missing) = evidence.iter().find(|id| !item_in_case(store, case_id, **id).unwrap_or(false)) {
        problems.push(
            FieldError::new(
                CaseField::EventEvidence,
                FieldProblem::EvidenceUnknown,
                format!(
                    "This case has no evidence item {missing}. `casefile evidence list CASE` shows them."
                ),
            )
            .with("item", missing.to_string()),
        );
    }
    match (date, kind, problems.is_empty()) {
        (Some(date), Some(kind), true) => {
            Ok(ValidEvent { date, time, kind, title: title.to_owned(), note: note.to_owned(), evidence })
        }
        _ => Err(CoreError::Invalid(problems)),
    }
}

fn item_in_case(store: &Store, case_id: i64, item_id: i64) -> CoreResult<bool> {
    Ok(store
        .conn
        .query_row(
            "SELECT 1 FROM evidence_items WHERE case_id = ?1 AND id = ?2",
            params![case_id, item_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn refused(message: impl Into<String>) -> CoreError {
    CoreError::Refused(message.into())
}

fn entry_exists(store: &Store, case_id: i64, event_id: i64) -> CoreResult<()> {
    store.get_case(case_id)?;
    let found = store
        .conn
        .query_row(
            "SELECT 1 FROM timeline_events WHERE case_id = ?1 AND id = ?2",
            params![case_id, event_id],
            |_| Ok(()),
        )
        .optional()?;
    found.ok_or_else(|| {
        refused(format!(
            "Case {case_id} has no timeline entry {event_id}. `casefile timeline {case_id}` lists them (entries you wrote show their number)."
        ))
    })
}

fn write_links(store: &Store, event_id: i64, evidence: &BTreeSet<i64>) -> CoreResult<()> {
    store.conn.execute("DELETE FROM timeline_event_evidence WHERE event_id = ?1", [event_id])?;
    for item in evidence {
        store.conn.execute(
            "INSERT INTO timeline_event_evidence (event_id, item_id) VALUES (?1, ?2)",
            params![event_id, item],
        )?;
    }
    Ok(())
}

/// Adds the player's entry; returns its id.
pub fn add_event(store: &mut Store, case_id: i64, input: &EventInput, now: DateTime<Utc>) -> CoreResult<i64> {
    let valid = validate(store, case_id, input, now)?;
    let tx = store.conn.unchecked_transaction()?;
    tx.execute(
        "INSERT INTO timeline_events (case_id, happened_on, at_time, kind, title, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            case_id,
            valid.date,
            valid.time.map(|t| t.format("%H:%M").to_string()),
            valid.kind.as_str(),
            valid.title,
            valid.note,
            now
        ],
    )?;
    let id = tx.last_insert_rowid();
    write_links(store, id, &valid.evidence)?;
    tx.commit()?;
    Ok(id)
}

/// Replaces an entry's fields and its evidence links.
pub fn update_event(
    store: &mut Store,
    case_id: i64,
    event_id: i64,
    input: &EventInput,
    now: DateTime<Utc>,
) -> CoreResult<()> {
    entry_exists(store, case_id, event_id)?;
    let valid = validate(store, case_id, input, now)?;
    let tx = store.conn.unchecked_transaction()?;
    tx.execute(
        "UPDATE timeline_events SET happened_on = ?2, at_time = ?3, kind = ?4, title = ?5, note = ?6, updated_at = ?7
         WHERE id = ?1",
        params![
            event_id,
            valid.date,
            valid.time.map(|t| t.format("%H:%M").to_string()),
            valid.kind.as_str(),
            valid.title,
            valid.note,
            now
        ],
    )?;
    write_links(store, event_id, &valid.evidence)?;
    tx.commit()?;
    Ok(())
}

/// An entry as its form shows it, for editing.
pub fn event_input(store: &Store, case_id: i64, event_id: i64) -> CoreResult<EventInput> {
    entry_exists(store, case_id, event_id)?;
    let event = player_events(store, case_id)?
        .into_iter()
        .find(|event| event.entry_id == Some(event_id))
        .ok_or_else(|| refused(format!("Case {case_id} has no timeline entry {event_id}.")))?;
    Ok(EventInput {
        date: event.date.to_string(),
        time: event.time.map(|t| t.format("%H:%M").to_string()).unwrap_or_default(),
        kind: event.kind.as_str().to_owned(),
        title: event.title,
        note: event.detail,
        evidence: event.evidence.iter().map(|item| item.id).collect(),
    })
}

/// Deletes an entry (its links go with it).
pub fn delete_event(store: &mut Store, case_id: i64, event_id: i64) -> CoreResult<()> {
    entry_exists(store, case_id, event_id)?;
    store.conn.execute("DELETE FROM timeline_events WHERE id = ?1", [event_id])?;
    Ok(())
}

/// Links one more evidence item to an entry (linking twice changes nothing).
pub fn link_event_evidence(store: &mut Store, case_id: i64, event_id: i64, item_id: i64) -> CoreResult<()> {
    entry_exists(store, case_id, event_id)?;
    if !item_in_case(store, case_id, item_id)? {
        return Err(CoreError::EvidenceNotFound(item_id));
    }
    store.conn.execute(
        "INSERT OR IGNORE INTO timeline_event_evidence (event_id, item_id) VALUES (?1, ?2)",
        params![event_id, item_id],
    )?;
    Ok(())
}

pub fn unlink_event_evidence(store: &mut Store, case_id: i64, event_id: i64, item_id: i64) -> CoreResult<()> {
    entry_exists(store, case_id, event_id)?;
    store.conn.execute(
        "DELETE FROM timeline_event_evidence WHERE event_id = ?1 AND item_id = ?2",
        params![event_id, item_id],
    )?;
    Ok(())
}

/// The player's entries of a case with their linked items, as timeline events.
pub(super) fn player_events(store: &Store, case_id: i64) -> CoreResult<Vec<TimelineEvent>> {
    let mut links = LinkedItem::by_owner(
        store,
        "SELECT l.event_id, i.id, i.title, i.kind FROM timeline_event_evidence AS l
         JOIN timeline_events AS e ON e.id = l.event_id
         JOIN evidence_items AS i ON i.id = l.item_id
         WHERE e.case_id = ?1 ORDER BY i.id",
        case_id,
    )?;
    let mut statement = store.conn.prepare(
        "SELECT id, happened_on, at_time, kind, title, note FROM timeline_events WHERE case_id = ?1 ORDER BY id",
    )?;
    let rows = statement.query_map([case_id], |row| {
        let id: i64 = row.get(0)?;
        let time: Option<String> = row.get(2)?;
        let time = time.and_then(|t| NaiveTime::parse_from_str(&t, "%H:%M").ok());
        Ok(TimelineEvent {
            key: format!("player-{id}"),
            source: EventSource::Player,
            kind: EventKind::player_kind(&row.get::<_, String>(3)?).unwrap_or(EventKind::Other),
            date: row.get(1)?,
            time,
            time_basis: time.map(|_| TimeBasis::PlayerZone),
            until: None,
            title: row.get(4)?,
            detail: row.get(5)?,
            entry_id: Some(id),
            evidence: Vec::new(),
        })
    })?;
    let mut events: Vec<TimelineEvent> = rows.collect::<Result<_, _>>()?;
    for event in &mut events {
        event.evidence = event.entry_id.and_then(|id| links.remove(&id)).unwrap_or_default();
    }
    Ok(events)
}

// ----- weak points covered by the locker ---------------------------------------------------------

/// Every checklist entry id of the weak-points check (`evidence` of knowledge/triage.toml).
fn known_checklist_entry(id: &str) -> bool {
    triage::shipped_rules().weak_points.iter().any(|point| point.evidence.iter().any(|e| e == id))
}

/// Records that an evidence item covers a checklist entry of the weak-points check.
pub fn cover_checklist_entry(
    store: &mut Store,
    case_id: i64,
    item_id: i64,
    checklist_id: &str,
    now: DateTime<Utc>,
) -> CoreResult<()> {
    store.get_case(case_id)?;
    if !item_in_case(store, case_id, item_id)? {
        return Err(CoreError::EvidenceNotFound(item_id));
    }
    if !known_checklist_entry(checklist_id) {
        return Err(refused(format!(
            "'{checklist_id}' is not an entry of the weak-points checklist. `casefile evidence covers {case_id} {item_id} --list` shows the entries of this case."
        )));
    }
    store.conn.execute(
        "INSERT OR IGNORE INTO checklist_coverage (case_id, item_id, checklist_id, linked_at) VALUES (?1, ?2, ?3, ?4)",
        params![case_id, item_id, checklist_id, now],
    )?;
    Ok(())
}

pub fn uncover_checklist_entry(
    store: &mut Store,
    case_id: i64,
    item_id: i64,
    checklist_id: &str,
) -> CoreResult<()> {
    store.get_case(case_id)?;
    store.conn.execute(
        "DELETE FROM checklist_coverage WHERE case_id = ?1 AND item_id = ?2 AND checklist_id = ?3",
        params![case_id, item_id, checklist_id],
    )?;
    Ok(())
}

impl Store {
    /// For each checklist entry of a case, the locker items that cover it.
    pub fn checklist_coverage(&self, case_id: i64) -> CoreResult<BTreeMap<String, Vec<CoveringItem>>> {
        let mut statement = self.conn.prepare(
            "SELECT c.checklist_id, i.id, i.title FROM checklist_coverage AS c
             JOIN evidence_items AS i ON i.id = c.item_id WHERE c.case_id = ?1 ORDER BY i.id",
        )?;
        let rows = statement.query_map([case_id], |row| {
            Ok((row.get::<_, String>(0)?, CoveringItem { item_id: row.get(1)?, title: row.get(2)? }))
        })?;
        let mut map: BTreeMap<String, Vec<CoveringItem>> = BTreeMap::new();
        for row in rows {
            let (entry, item) = row?;
            map.entry(entry).or_default().push(item);
        }
        Ok(map)
    }
}

/// A checklist entry an item could cover: one of the case's current weak points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CoverageOption {
    pub checklist_id: String,
    pub title: String,
    pub weak_point: String,
    /// This item is recorded as covering it.
    pub covered_by_this: bool,
}

/// What the Evidence detail's "Covers weak point…" selector offers for one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ItemCoverage {
    pub item_id: i64,
    pub options: Vec<CoverageOption>,
}

/// The checklist entries of the case's current weak points, and which this item covers. An entry
/// the item covers stays listed even when its weak point no longer applies, so it can be removed.
pub fn item_coverage(
    store: &Store,
    case_id: i64,
    item_id: i64,
    now: DateTime<Utc>,
    language: &str,
) -> CoreResult<ItemCoverage> {
    if !item_in_case(store, case_id, item_id)? {
        store.get_case(case_id)?;
        return Err(CoreError::EvidenceNotFound(item_id));
    }
    let view = triage::view(store, case_id, now, language)?;
    let mine: BTreeSet<String> = store
        .checklist_coverage(case_id)?
        .into_iter()
        .filter(|(_, items)| items.iter().any(|i| i.item_id == item_id))
        .map(|(entry, _)| entry)
        .collect();
    let mut seen = BTreeSet::new();
    let mut options = Vec::new();
    for point in &view.weak_points {
        for entry in &point.evidence {
            if seen.insert(entry.id.clone()) {
                options.push(CoverageOption {
                    checklist_id: entry.id.clone(),
                    title: entry.title.clone(),
                    weak_point: point.title.clone(),
                    covered_by_this: mine.contains(&entry.id),
                });
            }
        }
    }
    let text = crate::text::shipped(language);
    for entry in mine.iter().filter(|entry| !seen.contains(*entry)) {
        options.push(CoverageOption {
            checklist_id: entry.clone(),
            title: text.get(&format!("evidence.{entry}.title")),
            weak_point: String::new(),
            covered_by_this: true,
        });
    }
    Ok(ItemCoverage { item_id, options })
}
