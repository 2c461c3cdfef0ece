//! What the Packages screen shows before and after a build: the recipients to offer (the ladder's
//! rungs), the check and the exhibits a recipient would get, a default folder name, and the result
//! of a build with the number of files it wrote. Kept apart from the builder so the builder can grow
//! (PDFs, ZIP, exhibit plans) without the screen's shapes changing under it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

use super::record::{self, BuiltPackage};
use super::{PackageCheck, PackageReport};
use crate::error::{CoreError, CoreResult};
use crate::home::DataHome;
use crate::ladder::{self, RecipientKind, RungStatus};
use crate::locker::{EvidenceKind, VaultKey};
use crate::storage::Store;

/// One recipient the package screen offers: a rung of the case's ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PackageRecipient {
    pub recipient_id: String,
    pub name: String,
    pub kind: RecipientKind,
    pub status: RungStatus,
    /// The rung the ladder says to act on next.
    pub is_next: bool,
}

/// The recipients to offer, in ladder order, and the one to preselect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PackageRecipients {
    pub recipients: Vec<PackageRecipient>,
    /// The next rung when it is offered, else the first offered rung.
    pub preselected: Option<String>,
}

/// An exhibit as the recipient will get it, numbered in build order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExhibitPreview {
    /// "E01", "E02", … among the items the recipient gets by default; empty when left out.
    pub number: String,
    pub item_id: i64,
    pub kind: EvidenceKind,
    pub title: String,
    pub original_name: String,
    /// What the recipient's redaction profile does with the item (in or out, what is changed).
    pub plan: crate::locker::PlannedExhibit,
}

/// Everything the screen shows before building for one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PackagePreview {
    pub check: PackageCheck,
    pub recipient_name: String,
    pub exhibits: Vec<ExhibitPreview>,
    /// A folder name for the save dialog: "Casefile - <casino> - <recipient> - <date>".
    pub default_name: String,
}

/// What a finished build reports to the screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PackageBuilt {
    pub package: BuiltPackage,
    pub report: PackageReport,
    /// Every file written into the folder, SHA256SUMS included.
    pub file_count: u32,
}

/// Progress of a build, sent to the window while it runs (`done` of `total` steps).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PackageProgress {
    pub done: u32,
    pub total: u32,
    pub finished: bool,
}

/// The ladder's rungs the player may build for: every rung they have not skipped and that applies.
pub fn recipients(
    store: &Store,
    case_id: i64,
    now: DateTime<Utc>,
    language: &str,
) -> CoreResult<PackageRecipients> {
    let view = ladder::ladder_view(store, case_id, now, language)?;
    let next = view.next.as_ref().and_then(|n| n.recipient_id.clone());
    let recipients: Vec<PackageRecipient> = view
        .rungs
        .into_iter()
        .filter(|rung| !matches!(rung.status, RungStatus::Skipped | RungStatus::NotApplicable))
        .map(|rung| PackageRecipient {
            is_next: next.as_deref() == Some(rung.recipient_id.as_str()),
            recipient_id: rung.recipient_id,
            name: rung.name,
            kind: rung.kind,
            status: rung.status,
        })
        .collect();
    let preselected =
        recipients.iter().find(|r| r.is_next).or_else(|| recipients.first()).map(|r| r.recipient_id.clone());
    Ok(PackageRecipients { recipients, preselected })
}

/// The check, the exhibits and a default folder name for one recipient.
pub fn preview(
    store: &Store,
    case_id: i64,
    recipient_id: &str,
    now: DateTime<Utc>,
) -> CoreResult<PackagePreview> {
    let check = super::check(store, case_id, recipient_id, now)?;
    let case = store.get_case(case_id)?;
    let recipient = ladder::shipped_directory().get(&check.recipient_id).expect("the check found it");
    // The same items in the same order as `build` numbers them; left-out items get no number.
    let plan = crate::locker::plan_exhibits(store, case_id, recipient.kind, &[])?;
    let items = store.evidence_items(case_id)?;
    let included = plan.iter().filter(|p| p.include).count();
    let mut next = 0;
    let exhibits = items
        .into_iter()
        .zip(plan)
        .map(|(item, plan)| {
            let number = if plan.include {
                next += 1;
                super::files::exhibit_number(next - 1, included)
            } else {
                String::new()
            };
            ExhibitPreview {
                number,
                item_id: item.id,
                kind: item.kind,
                title: item.title,
                original_name: item.original_name,
                plan,
            }
        })
        .collect();
    let today = crate::triage::case_today(&case, now);
    Ok(PackagePreview {
        default_name: default_name(&case.casino.name, &short_name(recipient), today),
        // The casino's own process goes by the casino's name, as on the ladder.
        recipient_name: if recipient.kind == RecipientKind::CasinoSupport {
            case.casino.name.clone()
        } else {
            recipient.name.clone()
        },
        check,
        exhibits,
    })
}

/// A recipient's name short enough for a folder: "UKGC" for "UK Gambling Commission (UKGC)", the
/// name before any parenthesis otherwise, and "Casino support" for the casino's own process.
fn short_name(recipient: &ladder::Recipient) -> String {
    if recipient.kind == RecipientKind::CasinoSupport {
        return "Casino support".to_owned();
    }
    let name = recipient.name.trim();
    if let Some((head, tail)) = name.split_once(" (") {
        let inside = tail.trim_end_matches(')');
        let is_acronym = !inside.is_empty()
            && inside.len() <= 12
            && !inside.contains(' ')
            && inside.chars().filter(|c| c.is_uppercase()).count() >= 2;
        return if is_acronym { inside.to_owned() } else { head.trim().to_owned() };
    }
    name.chars().take(40).collect::<String>().trim().to_owned()
}

/// "Casefile - Lucky Lagoon - Casino support - 2026-11-22", without characters a file system refuses.
pub fn default_name(casino: &str, recipient: &str, today: NaiveDate) -> String {
    let clean = |text: &str| -> String {
        let kept: String = text
            .chars()
            .map(|c| if c.is_control() || r#"/\:*?"<>|"#.contains(c) { ' ' } else { c })
            .collect();
        kept.split_whitespace().collect::<Vec<_>>().join(" ").trim_matches('.').trim().to_owned()
    };
    let parts = [clean(casino), clean(recipient)];
    let mut name = String::from("Casefile");
    for part in parts.iter().filter(|p| !p.is_empty()) {
        name.push_str(" - ");
        name.push_str(part);
    }
    format!("{name} - {}", today.format("%Y-%m-%d"))
}

/// Builds and records the package, calling `progress` as each exhibit is written and once more,
/// `finished`, when the package is recorded; counts the files written.
#[allow(clippy::too_many_arguments)]
pub fn build(
    store: &Store,
    home: &DataHome,
    key: &VaultKey,
    case_id: i64,
    recipient_id: &str,
    out: &Path,
    options: &super::BuildOptions,
    progress: &mut dyn FnMut(PackageProgress),
) -> CoreResult<PackageBuilt> {
    let mut total = 1;
    let mut relay = |p: PackageProgress| {
        total = p.total;
        progress(p);
    };
    let (report, package) =
        record::build_and_record(store, home, key, case_id, recipient_id, out, options, &mut relay)?;
    progress(PackageProgress { done: total, total, finished: true });
    let file_count = report.files.len() as u32;
    Ok(PackageBuilt { package, report, file_count })
}

/// Where a recorded package is on disk now: its folder while that is there, else its ZIP (a
/// ZIP-only package records the ZIP as its folder too). Refused when neither is where it was written.
pub fn location(store: &Store, case_id: i64, package_id: i64) -> CoreResult<PathBuf> {
    let package = store.package(case_id, package_id)?;
    let folder = PathBuf::from(&package.folder);
    if folder.exists() {
        return Ok(folder);
    }
    if let Some(zip) = package.zip_path.as_deref().map(PathBuf::from).filter(|z| z.is_file()) {
        return Ok(zip);
    }
    Err(CoreError::Refused(format!(
        "The package folder {} was moved or deleted since it was built. Build the package again, or \
         open the folder where you moved it yourself.",
        package.folder
    )))
}

/// The letter PDF of a recorded package, to open in the player's PDF viewer. Refused for a package
/// saved only as a ZIP (the letter is inside it) and when the folder or letter is gone.
pub fn letter_location(store: &Store, case_id: i64, package_id: i64) -> CoreResult<PathBuf> {
    let package = store.package(case_id, package_id)?;
    if package.zip_path.as_deref() == Some(package.folder.as_str()) {
        return Err(CoreError::Refused(
            "This package was saved only as a ZIP: the letter is letter.pdf inside it. Show the ZIP \
             in its folder and open it from there."
                .to_owned(),
        ));
    }
    let letter = PathBuf::from(&package.folder).join("letter.pdf");
    if letter.is_file() {
        return Ok(letter);
    }
    Err(CoreError::Refused(format!(
        "The letter is no longer in {}: the folder was moved, or the letter deleted, since the package \
         was built. Build the package again, or open the letter where you moved it yourself.",
        package.folder
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> (Store, i64, DateTime<Utc>) {
        let mut store = Store::open_in_memory().unwrap();
        let now = "2026-11-22T12:00:00Z".parse().unwrap();
        let case = crate::demo::create_demo_case(&mut store, now).unwrap();
        (store, case.id, now)
    }

    #[test]
    fn the_demo_offers_its_rungs_with_the_casino_preselected() {
        let (store, id, now) = demo();
        let offer = recipients(&store, id, now, "en").unwrap();
        assert_eq!(offer.preselected.as_deref(), Some("casino-support"));
        let ids: Vec<&str> = offer.recipients.iter().map(|r| r.recipient_id.as_str()).collect();
        assert_eq!(ids[0], "casino-support");
        assert!(ids.contains(&"casino-guru"), "{ids:?}");
        // Not applicable to this case (a bank transfer has no chargeback): not offered.
        assert!(!ids.contains(&"bank-transfer"), "{ids:?}");
        assert_eq!(offer.recipients.iter().filter(|r| r.is_next).count(), 1);
    }

    #[test]
    fn the_preview_holds_the_check_and_a_dated_folder_name() {
        let (store, id, now) = demo();
        let ready = preview(&store, id, "casino-support", now).unwrap();
        assert!(ready.check.blocking.is_empty(), "{:?}", ready.check.blocking);
        assert_eq!(ready.recipient_name, "Lucky Lagoon Casino (demo)");
        assert_eq!(ready.default_name, "Casefile - Lucky Lagoon Casino (demo) - Casino support - 2026-11-22");
        assert!(ready.exhibits.is_empty());
        let held = preview(&store, id, "casino-guru", now).unwrap();
        assert!(held.check.blocking.iter().any(|b| b.contains("14 days")), "{:?}", held.check.blocking);
    }

    #[test]
    fn a_recorded_package_is_found_until_its_folder_is_moved() {
        let (store, id, now) = demo();
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("package");
        std::fs::create_dir(&folder).unwrap();
        let new = record::NewPackageRecord {
            case_id: id,
            recipient_id: "casino-support",
            draft: false,
            folder: &folder,
            zip_path: None,
            manifest_sha256: "00",
            exhibits: 0,
        };
        let package = store.record_package(&new, now).unwrap();
        assert_eq!(location(&store, id, package.id).unwrap(), folder);
        std::fs::remove_dir(&folder).unwrap();
        let error = location(&store, id, package.id).unwrap_err().to_string();
        assert!(error.contains("moved or deleted"), "{error}");
        assert!(matches!(location(&store, id, package.id + 1), Err(CoreError::PackageNotFound(_))));
    }

    #[test]
    fn the_letter_opens_from_a_folder_but_not_from_a_zip_only_package() {
        let (store, id, now) = demo();
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("package");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("letter.pdf"), b"%PDF-").unwrap();
        let zip = dir.path().join("only.zip");
        std::fs::write(&zip, b"PK").unwrap();
        let record = |folder: &Path, zip_path: Option<&Path>| {
            let new = record::NewPackageRecord {
                case_id: id,
                recipient_id: "casino-support",
                draft: false,
                folder,
                zip_path,
                manifest_sha256: "00",
                exhibits: 0,
            };
            store.record_package(&new, now).unwrap().id
        };
        let with_folder = record(&folder, None);
        assert_eq!(letter_location(&store, id, with_folder).unwrap(), folder.join("letter.pdf"));
        let zip_only = record(&zip, Some(&zip));
        let error = letter_location(&store, id, zip_only).unwrap_err().to_string();
        assert!(error.contains("only as a ZIP"), "{error}");
        std::fs::remove_file(folder.join("letter.pdf")).unwrap();
        let error = letter_location(&store, id, with_folder).unwrap_err().to_string();
        assert!(error.contains("no longer in"), "{error}");
    }

    #[test]
    fn the_build_reports_each_exhibit_then_the_documents_then_the_record() {
        let dir = tempfile::tempdir().unwrap();
        let home = DataHome::at(dir.path().join("data"));
        let now = "2026-11-22T12:00:00Z".parse().unwrap();
        let key = crate::locker::vault::create_with_passphrase(&home, "progress passphrase", now).unwrap();
        let mut store = Store::open_home(&home, &key.database_key()).unwrap();
        let case = crate::demo::create_demo_case_with_evidence(&mut store, &home, &key, now).unwrap();
        let exhibits = store.evidence_items(case.id).unwrap().len() as u32;
        assert!(exhibits >= 5, "the demo has {exhibits} items");
        let mut heard = Vec::new();
        let options = super::super::BuildOptions::new(now);
        let out = dir.path().join("package");
        let built = build(&store, &home, &key, case.id, "casino-support", &out, &options, &mut |p| {
            heard.push((p.done, p.total, p.finished))
        })
        .unwrap();
        assert_eq!(built.package.exhibits, exhibits);
        let total = exhibits + 1;
        let mut expected: Vec<_> = (0..=total).map(|done| (done, total, false)).collect();
        expected.push((total, total, true));
        assert_eq!(heard, expected);
    }

    #[test]
    fn short_names_of_recipients() {
        let directory = ladder::shipped_directory();
        let short = |id: &str| short_name(directory.get(id).unwrap());
        assert_eq!(short("casino-support"), "Casino support");
        assert_eq!(short("ukgc"), "UKGC");
        assert_eq!(short("ibas"), "IBAS");
        assert_eq!(short("casino-guru"), "Casino Guru complaint centre");
        assert_eq!(short("paypal"), "PayPal dispute");
    }

    #[test]
    fn default_names_are_safe_folder_names() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(
            default_name("Lucky Lagoon", "Casino support", day),
            "Casefile - Lucky Lagoon - Casino support - 2026-11-22"
        );
        assert_eq!(
            default_name("Win/Lose: \"Best\" *Casino*", "A\\B", day),
            "Casefile - Win Lose Best Casino - A B - 2026-11-22"
        );
        assert_eq!(default_name("...", "Regulator", day), "Casefile - Regulator - 2026-11-22");
    }
}
