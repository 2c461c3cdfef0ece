//! Events Casefile derives from what is already recorded: the case form's dates, the ladder's steps
//! and the dates read inside evidence items. They are read-only on the timeline; to change one, the
//! player edits its origin.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use rusqlite::params;

use super::{EventKind, EventSource, LinkedItem, TimeBasis, TimelineEvent};
use crate::case::Case;
use crate::error::CoreResult;
use crate::ladder::{StepKind, StepRecord};
use crate::locker::EvidenceKind;
use crate::storage::Store;
use crate::text::TextTable;

fn fill(template: String, values: &[(&str, &str)]) -> String {
    values.iter().fold(template, |text, (key, value)| text.replace(&format!("{{{key}}}"), value))
}

/// Hours and minutes only: seconds would suggest a precision nobody typed.
fn minutes(time: NaiveTime) -> NaiveTime {
    time.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(time)
}

fn derived(
    key: String,
    source: EventSource,
    kind: EventKind,
    date: NaiveDate,
    title: String,
) -> TimelineEvent {
    TimelineEvent {
        key,
        source,
        kind,
        date,
        time: None,
        time_basis: None,
        until: None,
        title,
        detail: String::new(),
        entry_id: None,
        evidence: Vec::new(),
    }
}

/// The case form's own dates, and the day the case was closed.
pub(super) fn case_events(case: &Case, text: &TextTable, zone: Option<chrono_tz::Tz>) -> Vec<TimelineEvent> {
    let dates = &case.key_dates;
    let amount = case.disputed.display();
    let mut events = Vec::new();
    let mut add = |key: &str, kind, date: Option<NaiveDate>, title: String| {
        if let Some(date) = date {
            events.push(derived(format!("case-{key}"), EventSource::Case, kind, date, title));
        }
    };
    add(
        "account-opened",
        EventKind::AccountOpened,
        dates.account_opened,
        text.get("timeline.case.account_opened"),
    );
    add("first-deposit", EventKind::Deposit, dates.first_deposit, text.get("timeline.case.first_deposit"));
    add(
        "withdrawal-requested",
        EventKind::WithdrawalRequest,
        dates.withdrawal_requested,
        fill(text.get("timeline.case.withdrawal_requested"), &[("amount", &amount)]),
    );
    if let Some(closure) = &case.closure {
        let (date, time) = in_zone(closure.closed_at, zone);
        let mut event = derived(
            "case-closed".into(),
            EventSource::Case,
            EventKind::CaseClosed,
            date,
            fill(text.get("timeline.case.closed"), &[("label", &closure.label_text)]),
        );
        event.time = Some(time);
        event.time_basis = Some(TimeBasis::PlayerZone);
        event.detail = closure.note.clone();
        events.push(event);
    }
    events
}

/// An instant as the player's calendar date and clock time (UTC when the case has no zone).
fn in_zone(at: DateTime<Utc>, zone: Option<chrono_tz::Tz>) -> (NaiveDate, NaiveTime) {
    let local = match zone {
        Some(zone) => at.with_timezone(&zone).naive_local(),
        None => at.naive_utc(),
    };
    (local.date(), minutes(local.time()))
}

fn enum_key<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// Each recorded ladder step: what was sent to whom, what came back, milestones, with the items
/// linked to it. The casino's own process goes by the casino's name, as on the ladder and in the
/// letter.
pub(super) fn ladder_events(steps: &[StepRecord], casino: &str, text: &TextTable) -> Vec<TimelineEvent> {
    steps
        .iter()
        .map(|step| {
            let name = crate::ladder::recipient_name(&step.recipient_id, casino);
            let (kind, title) = match step.kind {
                StepKind::Sent => {
                    let channel =
                        step.channel.map(|c| text.get(&format!("timeline.channel.{}", enum_key(&c))));
                    (
                        EventKind::Complaint,
                        fill(
                            text.get("timeline.ladder.sent"),
                            &[("name", name), ("channel", channel.as_deref().unwrap_or("?"))],
                        ),
                    )
                }
                StepKind::Reply => {
                    let outcome =
                        step.outcome.map(|o| text.get(&format!("timeline.outcome.{}", enum_key(&o))));
                    (
                        EventKind::Reply,
                        fill(
                            text.get("timeline.ladder.reply"),
                            &[("name", name), ("outcome", outcome.as_deref().unwrap_or("?"))],
                        ),
                    )
                }
                StepKind::Milestone => {
                    let milestone = step.milestone.as_deref().map(|m| text.get(&format!("milestone.{m}")));
                    (
                        EventKind::Milestone,
                        fill(
                            text.get("timeline.ladder.milestone"),
                            &[("name", name), ("milestone", milestone.as_deref().unwrap_or("?"))],
                        ),
                    )
                }
            };
            let mut event = derived(format!("ladder-{}", step.id), EventSource::Ladder, kind, step.on, title);
            event.detail = [step.reference.as_str(), step.summary.as_str()]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" — ");
            // The items the player linked to the step are its evidence (and its exhibits).
            event.evidence = step.evidence.clone();
            event
        })
        .collect()
}

/// The dates an evidence item holds, as stored at import (no key needed to read them).
pub(super) struct DatedItem {
    id: i64,
    title: String,
    kind: EvidenceKind,
    email_date: Option<DateTime<Utc>>,
    email_subject: Option<String>,
    email_from: Option<String>,
    captured_at: Option<NaiveDateTime>,
    chat_first: Option<NaiveDateTime>,
    chat_last: Option<NaiveDateTime>,
    chat_messages: Option<u32>,
}

pub(super) fn dated_items(store: &Store, case_id: i64) -> CoreResult<Vec<DatedItem>> {
    let mut statement = store.conn.prepare(
        "SELECT id, title, kind, email_date, email_subject, email_from, captured_at, chat_first_at, chat_last_at, chat_messages
         FROM evidence_items
         WHERE case_id = ?1 AND (email_date IS NOT NULL OR captured_at IS NOT NULL OR chat_first_at IS NOT NULL)
         ORDER BY id",
    )?;
    let rows = statement.query_map(params![case_id], |row| {
        Ok(DatedItem {
            id: row.get(0)?,
            title: row.get(1)?,
            kind: EvidenceKind::from_name(&row.get::<_, String>(2)?),
            email_date: row.get(3)?,
            email_subject: row.get(4)?,
            email_from: row.get(5)?,
            captured_at: row.get(6)?,
            chat_first: row.get(7)?,
            chat_last: row.get(8)?,
            chat_messages: row.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An email on the day it was sent (in the player's zone), a photo when it was taken (as the camera
/// wrote it), a chat transcript from its first to its last dated message.
pub(super) fn locker_events(
    items: &[DatedItem],
    text: &TextTable,
    zone: Option<chrono_tz::Tz>,
) -> Vec<TimelineEvent> {
    items
        .iter()
        .filter_map(|item| {
            let link = LinkedItem { id: item.id, title: item.title.clone(), kind: item.kind };
            let (kind, date, time, basis, until, title, detail) = if let Some(sent) = item.email_date {
                let (date, time) = in_zone(sent, zone);
                let from = item.email_from.clone().unwrap_or_default();
                let title = match item.email_subject.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                    Some(subject) => fill(text.get("timeline.locker.email"), &[("subject", subject)]),
                    None => fill(text.get("timeline.locker.email_no_subject"), &[("from", &from)]),
                };
                (EventKind::Email, date, time, TimeBasis::PlayerZone, None, title, from)
            } else if let Some(taken) = item.captured_at {
                let title = fill(text.get("timeline.locker.photo"), &[("title", &item.title)]);
                (
                    EventKind::Photo,
                    taken.date(),
                    minutes(taken.time()),
                    TimeBasis::AsWritten,
                    None,
                    title,
                    String::new(),
                )
            } else {
                let first = item.chat_first?;
                let until = item.chat_last.map(|last| last.date()).filter(|last| *last > first.date());
                let count = item.chat_messages.unwrap_or(0).to_string();
                let title =
                    fill(text.get("timeline.locker.chat"), &[("title", &item.title), ("count", &count)]);
                (
                    EventKind::Chat,
                    first.date(),
                    minutes(first.time()),
                    TimeBasis::AsWritten,
                    until,
                    title,
                    String::new(),
                )
            };
            let mut event = derived(format!("locker-{}", item.id), EventSource::Locker, kind, date, title);
            event.time = Some(time);
            event.time_basis = Some(basis);
            event.until = until;
            event.detail = detail;
            event.evidence = vec![link];
            Some(event)
        })
        .collect()
}
