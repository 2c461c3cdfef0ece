//! The record of packages already built: the proof of what went to whom and when, linked to the
//! ladder step that carried it once the player records that message.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Row, params};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::ladder;
use crate::storage::Store;

/// A package as it was built, and whether its folder is still where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BuiltPackage {
    pub id: i64,
    pub case_id: i64,
    pub recipient_id: String,
    pub recipient_name: String,
    pub built_at: DateTime<Utc>,
    pub draft: bool,
    pub folder: String,
    pub zip_path: Option<String>,
    pub manifest_sha256: String,
    pub exhibits: u32,
    /// The ladder step ("sent") that carried this package, once recorded.
    pub step_id: Option<i64>,
    /// False when the folder was moved or deleted since (the record stays).
    pub folder_exists: bool,
}

/// What a build wrote, as the record needs it.
pub struct NewPackageRecord<'a> {
    pub case_id: i64,
    pub recipient_id: &'a str,
    pub draft: bool,
    pub folder: &'a Path,
    pub zip_path: Option<&'a Path>,
    pub manifest_sha256: &'a str,
    pub exhibits: u32,
}

const COLUMNS: &str =
    "id, case_id, recipient_id, built_at, draft, folder, zip_path, manifest_sha256, exhibits, step_id";

fn from_row(row: &Row<'_>) -> rusqlite::Result<BuiltPackage> {
    let recipient_id: String = row.get(2)?;
    let folder: String = row.get(5)?;
    Ok(BuiltPackage {
        id: row.get(0)?,
        case_id: row.get(1)?,
        recipient_name: ladder::shipped_directory()
            .get(&recipient_id)
            .map_or_else(|| recipient_id.clone(), |r| r.name.clone()),
        recipient_id,
        built_at: row.get(3)?,
        draft: row.get(4)?,
        folder_exists: Path::new(&folder).exists(),
        folder,
        zip_path: row.get(6)?,
        manifest_sha256: row.get(7)?,
        exhibits: row.get(8)?,
        step_id: row.get(9)?,
    })
}

impl Store {
    /// Records a package that was just written.
    pub fn record_package(&self, new: &NewPackageRecord<'_>, now: DateTime<Utc>) -> CoreResult<BuiltPackage> {
        self.conn.execute(
            "INSERT INTO packages (case_id, recipient_id, built_at, draft, folder, zip_path, manifest_sha256, exhibits)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                new.case_id,
                new.recipient_id,
                now,
                new.draft,
                new.folder.display().to_string(),
                new.zip_path.map(|p| p.display().to_string()),
                new.manifest_sha256,
                new.exhibits,
            ],
        )?;
        self.package(new.case_id, self.conn.last_insert_rowid())
    }

    /// The case's packages, newest first.
    pub fn packages(&self, case_id: i64) -> CoreResult<Vec<BuiltPackage>> {
        self.get_case(case_id)?;
        let mut statement = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM packages WHERE case_id = ?1 ORDER BY built_at DESC, id DESC"
        ))?;
        let rows = statement.query_map([case_id], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One package of the case.
    pub fn package(&self, case_id: i64, package_id: i64) -> CoreResult<BuiltPackage> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM packages WHERE case_id = ?1 AND id = ?2"),
                params![case_id, package_id],
                from_row,
            )
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => CoreError::PackageNotFound(package_id),
                other => other.into(),
            })
    }

    /// Links the newest final package for `recipient_id` that no step carries yet to the step that
    /// sent it: recording "sent to X" after building X's package closes the loop.
    pub(crate) fn link_package_to_step(
        &self,
        case_id: i64,
        recipient_id: &str,
        step_id: i64,
    ) -> CoreResult<()> {
        self.conn.execute(
            "UPDATE packages SET step_id = ?3 WHERE id = (
                 SELECT id FROM packages
                 WHERE case_id = ?1 AND recipient_id = ?2 AND step_id IS NULL AND draft = 0
                 ORDER BY built_at DESC, id DESC LIMIT 1)",
            params![case_id, recipient_id, step_id],
        )?;
        Ok(())
    }
}

/// Builds the package and records it, so the player can later show what went to whom.
#[allow(clippy::too_many_arguments)]
pub fn build_and_record(
    store: &Store,
    home: &crate::home::DataHome,
    key: &crate::locker::VaultKey,
    case_id: i64,
    recipient_id: &str,
    out: &Path,
    options: &super::BuildOptions,
    progress: &mut dyn FnMut(super::preview::PackageProgress),
) -> CoreResult<(super::PackageReport, BuiltPackage)> {
    let report = super::build(store, home, key, case_id, recipient_id, out, options, progress)?;
    let absolute = |path: &str| std::fs::canonicalize(path).unwrap_or_else(|_| Path::new(path).to_path_buf());
    let zip = report.zip.as_deref().map(absolute);
    // A ZIP-only package is recorded by its ZIP in both places.
    let folder = report.folder.as_deref().map(absolute).or_else(|| zip.clone()).unwrap_or_default();
    // An email's text rendering shares its exhibit number: count the numbers.
    let numbers: std::collections::BTreeSet<&str> = report
        .files
        .iter()
        .filter_map(|f| f.path.strip_prefix("exhibits/"))
        .filter_map(|name| name.split('-').next())
        .collect();
    let exhibits = numbers.len() as u32;
    let record = store.record_package(
        &NewPackageRecord {
            case_id,
            recipient_id,
            draft: options.draft,
            folder: &folder,
            zip_path: zip.as_deref(),
            manifest_sha256: &report.manifest_sha256,
            exhibits,
        },
        options.now,
    )?;
    Ok((report, record))
}
