//! The date an exhibit speaks for, as the evidence index shows it (the timeline itself comes from
//! the `timeline` module, the same one the app's Timeline tab shows).

use chrono::NaiveDate;

use crate::locker::EvidenceItem;

/// The date an exhibit speaks for: the email's date, else the photo's capture time, else its import.
pub(super) fn exhibit_date(item: &EvidenceItem) -> NaiveDate {
    item.email
        .as_ref()
        .and_then(|e| e.date)
        .map(|d| d.date_naive())
        .or(item.captured_at.map(|c| c.date()))
        .unwrap_or(item.imported_at.date_naive())
}
