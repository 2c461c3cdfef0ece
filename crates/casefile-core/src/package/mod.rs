//! The complaint package for one recipient: the letter (text and PDF), paste-ready web-form
//! answers, the timeline and evidence index (PDF and text), the numbered exhibits (decrypted copies,
//! each export logged; emails with a readable .txt beside them), a README in the recipient's
//! language, a manifest and SHA256SUMS that `sha256sum -c` accepts. Written as a folder, a ZIP or
//! both, each under a temporary name renamed into place, so a failure leaves nothing half-written.

mod assemble;
mod check;
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

pub use assemble::build;
pub use check::{CheckWarning, FixPlace, check};
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
    /// What the recipient would want that the case lacks (facts for the letter, documents it asks
    /// for, what its kind needs, its language), each with how to fix it.
    pub warnings: Vec<CheckWarning>,
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
