//! The complaint package for one recipient: the letter (text and PDF), paste-ready web-form
//! answers, the timeline and evidence index (PDF and text), the numbered exhibits (decrypted copies,
//! each export logged; emails with a readable .txt beside them), a README in the recipient's
//! language, a manifest and SHA256SUMS that `sha256sum -c` accepts. Written as a folder, a ZIP or
//! both, each under a temporary name renamed into place, so a failure leaves nothing half-written.

mod assemble;
mod email;
mod files;
mod letter;
mod output;
pub mod pdf;
pub mod preview;
mod readme;
pub mod record;
mod timeline;
mod webform;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::ladder::{self, RungStatus};
use crate::storage::Store;
use crate::triage;

pub use assemble::build;
pub use pdf::TimelineRow;

/// How to build a package. Grows with the package (exhibit overrides, redaction profiles, …);
/// callers build it with `BuildOptions::new(now)` and set what they need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildOptions {
    /// Build even when the recipient is not ready; every page and the README say DRAFT.
    pub draft: bool,
    /// Also write a ZIP: `<out>.zip` beside the folder `<out>`. When `out` itself ends in `.zip`,
    /// only the ZIP is written (its entries sit in one folder named after the ZIP), whatever this says.
    pub zip: bool,
    /// The clock: the readiness check, the letter's dates, the PDFs' date and the ZIP's times.
    pub now: DateTime<Utc>,
    /// The player's choices over the recipient's redaction profile (which items go in).
    pub exhibits: Vec<crate::locker::ExhibitOverride>,
}

impl BuildOptions {
    pub fn new(now: DateTime<Utc>) -> Self {
        BuildOptions { draft: false, zip: false, now, exhibits: Vec::new() }
    }
}

/// What stands between the case and a package for this recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PackageCheck {
    pub recipient_id: String,
    /// Reasons the recipient would refuse the package now; a draft can still be built.
    pub blocking: Vec<String>,
    /// Facts a letter should have that the case lacks.
    pub warnings: Vec<String>,
}

/// What was built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PackageReport {
    /// The package folder, unless only a ZIP was asked for.
    pub folder: Option<String>,
    /// The ZIP, when one was asked for.
    pub zip: Option<String>,
    pub draft: bool,
    /// Which letter template of knowledge/letters.toml was used.
    pub template: String,
    pub files: Vec<PackageFile>,
    /// SHA-256 of manifest.json.
    pub manifest_sha256: String,
    /// The language README.txt is written in.
    pub readme_language: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PackageFile {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

/// Checks the recipient against the case's ladder and triage.
pub fn check(
    store: &Store,
    case_id: i64,
    recipient_id: &str,
    now: DateTime<Utc>,
) -> CoreResult<PackageCheck> {
    let recipient = ladder::shipped_directory().get(recipient_id).ok_or_else(|| {
        CoreError::Refused(format!(
            "'{recipient_id}' is not in the directory. `casefile recipients` lists the ids."
        ))
    })?;
    let view = ladder::ladder_view(store, case_id, now, "en")?;
    let mut blocking = Vec::new();
    match view.rungs.iter().find(|rung| rung.recipient_id == recipient.id) {
        None => blocking.push(format!("{} is not a step on this case's ladder (check the licence, the ADR body named, and the deposit method).", recipient.name)),
        Some(rung) if matches!(rung.status, RungStatus::NotStarted | RungStatus::NotApplicable) => {
            // The last reason is the one holding the rung back.
            blocking.extend(rung.why.last().cloned());
        }
        Some(_) => {}
    }
    let triage = triage::view(store, case_id, now, "en")?;
    let warnings = triage
        .completeness
        .facts
        .iter()
        .filter(|f| !f.present)
        .map(|f| format!("Missing: {}", f.title))
        .collect();
    Ok(PackageCheck { recipient_id: recipient.id.clone(), blocking, warnings })
}
