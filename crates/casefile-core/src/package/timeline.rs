//! The rows of the package's timeline, for now gathered from what the case already records: its key
//! dates, the ladder's sent and reply steps, and each exhibit's own date. The PDF renderer takes
//! plain `TimelineRow`s, so a fuller timeline can feed it later without touching the layout.

use chrono::NaiveDate;

use super::pdf::TimelineRow;
use crate::case::Case;
use crate::ladder::{StepKind, StepRecord};
use crate::locker::EvidenceItem;
use crate::text::TextTable;

/// The date an exhibit speaks for: the email's date, else the photo's capture time, else its import.
pub(super) fn exhibit_date(item: &EvidenceItem) -> NaiveDate {
    item.email
        .as_ref()
        .and_then(|e| e.date)
        .map(|d| d.date_naive())
        .or(item.captured_at.map(|c| c.date()))
        .unwrap_or(item.imported_at.date_naive())
}

/// Every dated event, oldest first; events of the same day keep the order they are listed in here.
pub(super) fn rows(
    case: &Case,
    history: &[StepRecord],
    exhibits: &[(String, &EvidenceItem)],
    name_of: impl Fn(&str) -> String,
    text: &TextTable,
) -> Vec<TimelineRow> {
    let mut rows = Vec::new();
    let key_dates = [
        (case.key_dates.account_opened, "timeline.account-opened"),
        (case.key_dates.first_deposit, "timeline.first-deposit"),
        (case.key_dates.withdrawal_requested, "timeline.withdrawal-requested"),
    ];
    for (date, key) in key_dates {
        if let Some(date) = date {
            rows.push(TimelineRow { date, what: text.get(key), exhibits: Vec::new() });
        }
    }
    for step in history {
        let key = match step.kind {
            StepKind::Sent => "timeline.sent",
            StepKind::Reply => "timeline.reply",
            StepKind::Milestone => "timeline.milestone",
        };
        let mut what = text.get(key).replace("{recipient}", &name_of(&step.recipient_id));
        if let Some(outcome) = step.outcome {
            let id = serde_json::to_value(outcome).ok().and_then(|v| v.as_str().map(str::to_owned));
            what.push_str(&format!(
                " ({})",
                text.get(&format!("timeline.outcome.{}", id.unwrap_or_default()))
            ));
        }
        for extra in [&step.reference, &step.summary] {
            if !extra.is_empty() {
                what.push_str(&format!(" · {extra}"));
            }
        }
        rows.push(TimelineRow { date: step.on, what, exhibits: Vec::new() });
    }
    for (number, item) in exhibits {
        rows.push(TimelineRow {
            date: exhibit_date(item),
            what: item.title.clone(),
            exhibits: vec![number.clone()],
        });
    }
    rows.sort_by_key(|row| row.date);
    rows
}
