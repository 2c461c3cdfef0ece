//! The SQLite database of one data folder: connection settings, embedded migrations, and the case
//! queries. Every write validates first and runs in one transaction, so a rejected or failed write
//! leaves the database as it was.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, ToSql, params};

use crate::case::{Case, CaseClosure, CaseInput, CaseSummary, Casino, KeyDates, ProblemCategory, ValidCase};
use crate::error::{CoreError, CoreResult};
use crate::home::DataHome;
use crate::locker::vault::DbKey;
use crate::money::Money;

/// Migrations in order; the database's `user_version` counts how many were applied.
/// An applied migration is never edited: add a new file instead.
pub(crate) const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_cases", include_str!("../migrations/0001_cases.sql")),
    ("0002_triage", include_str!("../migrations/0002_triage.sql")),
    ("0003_ladder", include_str!("../migrations/0003_ladder.sql")),
    ("0004_locker", include_str!("../migrations/0004_locker.sql")),
    ("0005_locker_metadata", include_str!("../migrations/0005_locker_metadata.sql")),
    ("0006_redaction", include_str!("../migrations/0006_redaction.sql")),
    ("0007_timeline", include_str!("../migrations/0007_timeline.sql")),
    ("0008_vault_file", include_str!("../migrations/0008_vault_file.sql")),
    ("0010_packages", include_str!("../migrations/0010_packages.sql")),
    ("0011_step_evidence", include_str!("../migrations/0011_step_evidence.sql")),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// An open database.
pub struct Store {
    pub(crate) conn: Connection,
}

/// Which cases a listing includes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub include_archived: bool,
}

impl Store {
    /// Opens (creating if needed) the encrypted database of a data folder and brings its schema up
    /// to date. A plaintext database from before encryption is converted first.
    pub fn open_home(home: &DataHome, key: &DbKey) -> CoreResult<Store> {
        home.ensure_exists()?;
        Store::open_encrypted(&home.database_path(), key)
    }

    /// Opens the SQLCipher database at `path` with `key`. Refuses, without changing the file, a
    /// key that does not open it, a file that is not a database, and a database from a newer build.
    pub fn open_encrypted(path: &Path, key: &DbKey) -> CoreResult<Store> {
        if is_plaintext_sqlite(path)? {
            encrypt_plaintext(path, key)?;
        }
        let conn = Connection::open(path).map_err(|e| classify_open_error(path, e))?;
        apply_key(&conn, key).map_err(|e| classify_open_error(path, e))?;
        // The first read tells a wrong key apart before anything is written (WAL mode included).
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0))
            .map_err(|e| classify_open_error(path, e))?;
        configure(&conn).map_err(|e| classify_open_error(path, e))?;
        let mut store = Store { conn };
        store.migrate()?;
        Ok(store)
    }

    /// An in-memory database for unit tests.
    pub fn open_in_memory() -> CoreResult<Store> {
        let conn = Connection::open_in_memory()?;
        configure(&conn)?;
        let mut store = Store { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> CoreResult<()> {
        let applied: u32 = self.conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if applied > SCHEMA_VERSION {
            return Err(CoreError::DatabaseTooNew { found: applied, known: SCHEMA_VERSION });
        }
        for (index, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(applied as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", index as u32 + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    pub fn schema_version(&self) -> CoreResult<u32> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }

    /// Validates and stores a new case; returns it with its id.
    pub fn create_case(&mut self, input: &CaseInput, now: DateTime<Utc>) -> CoreResult<Case> {
        let valid = input.validate(input.latest_allowed_date(now)).map_err(CoreError::Invalid)?;
        self.insert_case(&valid, false, now)
    }

    pub(crate) fn insert_case(
        &mut self,
        valid: &ValidCase,
        is_demo: bool,
        now: DateTime<Utc>,
    ) -> CoreResult<Case> {
        let tx = self.conn.transaction()?;
        let mut values = case_values(valid);
        values.extend([(":is_demo", &is_demo as &dyn ToSql), (":now", &now)]);
        tx.execute(
            &format!(
                "INSERT INTO cases ({CASE_FORM_COLUMNS}, is_demo, created_at, updated_at)
                 VALUES ({}, :is_demo, :now, :now)",
                CASE_FORM_PARAMS.join(", ")
            ),
            values.as_slice(),
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        self.get_case(id)
    }

    /// Validates and replaces the editable fields of a case.
    pub fn update_case(&mut self, id: i64, input: &CaseInput, now: DateTime<Utc>) -> CoreResult<Case> {
        let valid = input.validate(input.latest_allowed_date(now)).map_err(CoreError::Invalid)?;
        let tx = self.conn.transaction()?;
        let mut values = case_values(&valid);
        values.extend([(":id", &id as &dyn ToSql), (":now", &now)]);
        let assignments: Vec<String> = CASE_FORM_COLUMNS
            .split(", ")
            .zip(CASE_FORM_PARAMS)
            .map(|(column, param)| format!("{column} = {param}"))
            .collect();
        let changed = tx.execute(
            &format!("UPDATE cases SET {}, updated_at = :now WHERE id = :id", assignments.join(", ")),
            values.as_slice(),
        )?;
        if changed == 0 {
            return Err(CoreError::CaseNotFound(id));
        }
        tx.commit()?;
        self.get_case(id)
    }

    pub fn get_case(&self, id: i64) -> CoreResult<Case> {
        self.conn
            .query_row(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = ?1"), [id], case_from_row)
            .optional()?
            .ok_or(CoreError::CaseNotFound(id))
    }

    /// Cases for the home screen, most recently changed first.
    pub fn list_cases(&self, filter: CaseFilter) -> CoreResult<Vec<CaseSummary>> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE ?1 OR archived_at IS NULL ORDER BY updated_at DESC, id DESC"
        ))?;
        let rows = statement.query_map([filter.include_archived], case_from_row)?;
        let mut summaries = Vec::new();
        for case in rows {
            summaries.push(summarise(case?));
        }
        Ok(summaries)
    }

    pub fn count_cases(&self) -> CoreResult<i64> {
        Ok(self.conn.query_row("SELECT count(*) FROM cases", [], |row| row.get(0))?)
    }

    /// Archives (hides from the default list) or restores a case; nothing is deleted.
    pub fn set_archived(&mut self, id: i64, archived: bool, now: DateTime<Utc>) -> CoreResult<Case> {
        let archived_at = archived.then_some(now);
        let changed = self.conn.execute(
            "UPDATE cases SET archived_at = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, archived_at, now],
        )?;
        if changed == 0 {
            return Err(CoreError::CaseNotFound(id));
        }
        self.get_case(id)
    }

    /// Deletes a case for good. Callers confirm with the person first.
    pub fn delete_case(&mut self, id: i64) -> CoreResult<()> {
        let changed = self.conn.execute("DELETE FROM cases WHERE id = ?1", [id])?;
        if changed == 0 {
            return Err(CoreError::CaseNotFound(id));
        }
        Ok(())
    }

    pub(crate) fn meta(&self, key: &str) -> CoreResult<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM app_meta WHERE key = ?1", [key], |row| row.get(0))
            .optional()?)
    }

    pub(crate) fn set_meta(&mut self, key: &str, value: &str) -> CoreResult<()> {
        self.conn.execute(
            "INSERT INTO app_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}

/// The columns the case form fills, and their parameters, in the same order.
const CASE_FORM_COLUMNS: &str = "title, casino_name, casino_website, licensee, regulator_id, licence_number, named_adr, \
account_id, player_country, player_time_zone, amount_minor, currency, category, account_opened, first_deposit, \
withdrawal_requested, description";
const CASE_FORM_PARAMS: [&str; 17] = [
    ":title",
    ":casino_name",
    ":casino_website",
    ":licensee",
    ":regulator_id",
    ":licence_number",
    ":named_adr",
    ":account_id",
    ":player_country",
    ":player_time_zone",
    ":amount_minor",
    ":currency",
    ":category",
    ":account_opened",
    ":first_deposit",
    ":withdrawal_requested",
    ":description",
];

/// The validated form as named SQL parameters, shared by insert and update.
fn case_values(valid: &ValidCase) -> Vec<(&'static str, &dyn ToSql)> {
    let category: &dyn ToSql = match valid.category {
        ProblemCategory::Deposit => &"deposit",
        ProblemCategory::Withdrawal => &"withdrawal",
        ProblemCategory::Account => &"account",
        ProblemCategory::Software => &"software",
    };
    let values: [&dyn ToSql; 17] = [
        &valid.title,
        &valid.casino.name,
        &valid.casino.website,
        &valid.casino.licensee,
        &valid.casino.regulator,
        &valid.casino.licence_number,
        &valid.casino.named_adr,
        &valid.account_id,
        &valid.player_country,
        &valid.player_time_zone,
        &valid.disputed.minor_units,
        &valid.disputed.currency,
        category,
        &valid.key_dates.account_opened,
        &valid.key_dates.first_deposit,
        &valid.key_dates.withdrawal_requested,
        &valid.description,
    ];
    CASE_FORM_PARAMS.into_iter().zip(values).collect()
}

/// The first 16 bytes of every plaintext SQLite file; an SQLCipher file starts with random salt.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Whether `path` is an unencrypted SQLite database (one written before encryption).
pub(crate) fn is_plaintext_sqlite(path: &Path) -> CoreResult<bool> {
    let mut head = [0u8; 16];
    match fs::File::open(path) {
        Ok(mut file) => Ok(file.read_exact(&mut head).is_ok() && &head == SQLITE_HEADER),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(CoreError::io(format!("Could not read {}", path.display()), e)),
    }
}

fn apply_key(conn: &Connection, key: &DbKey) -> rusqlite::Result<()> {
    // A wrong key is reported as an error value; SQLCipher's own log lines on stderr would only
    // confuse a terminal user.
    let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE");
    conn.pragma_update(None, "key", key.sql_literal().as_str())
}

/// SQLite says "not a database" both for a wrong key and for a file that is no database at all.
/// An SQLCipher file is whole pages of random-looking bytes; a file of another size is not one.
fn classify_open_error(path: &Path, error: rusqlite::Error) -> CoreError {
    if error.sqlite_error_code() != Some(rusqlite::ErrorCode::NotADatabase) {
        return CoreError::Sqlite(error);
    }
    let len = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let has_log = fs::metadata(sibling(path, "-wal")).is_ok_and(|m| m.len() > 0);
    if len.is_multiple_of(1024) && (len > 0 || has_log) {
        CoreError::DatabaseKeyWrong { path: path.to_path_buf() }
    } else {
        CoreError::NotADatabase { path: path.to_path_buf() }
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Converts a plaintext database into an SQLCipher one in place. The encrypted copy is written
/// beside it, synced, and renamed over the original, so a crash leaves either the old file or the
/// new one. The original leaves WAL mode first, which folds its log into the file and removes the
/// `-wal`, so no stale log can ever be replayed against the new file.
fn encrypt_plaintext(path: &Path, key: &DbKey) -> CoreResult<()> {
    let temp = sibling(path, ".encrypting");
    let _ = fs::remove_file(&temp);
    {
        let conn = Connection::open(path).map_err(|e| classify_open_error(path, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let _: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0))?;
        let version: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        let temp_text = temp.to_str().ok_or_else(|| {
            CoreError::io(
                format!("The data folder path {} is not valid Unicode", path.display()),
                std::io::Error::from(std::io::ErrorKind::InvalidInput),
            )
        })?;
        conn.execute(
            "ATTACH DATABASE ?1 AS encrypted KEY ?2",
            params![temp_text, key.sql_literal().as_str()],
        )?;
        conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        conn.pragma_update(Some("encrypted"), "user_version", version)?;
        conn.execute_batch("DETACH DATABASE encrypted")?;
    }
    let failed = |e: std::io::Error| CoreError::io(format!("Could not encrypt {}", path.display()), e);
    fs::File::open(&temp).and_then(|f| f.sync_all()).map_err(failed)?;
    fs::rename(&temp, path).map_err(failed)?;
    for suffix in ["-wal", "-shm"] {
        let _ = fs::remove_file(sibling(path, suffix));
    }
    if let Some(dir) = path.parent() {
        crate::home::sync_dir(dir);
    }
    Ok(())
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // WAL lets the CLI read while the app writes; NORMAL is durable at each checkpoint in WAL mode.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

const CASE_COLUMNS: &str = "id, title, casino_name, casino_website, licensee, regulator_id, licence_number,
    named_adr, account_id, player_country, player_time_zone, amount_minor, currency, category,
    account_opened, first_deposit, withdrawal_requested, description, is_demo, archived_at, created_at, updated_at,
    closed_at, outcome, outcome_label, closing_note, amount_recovered_minor";

fn case_from_row(row: &Row<'_>) -> rusqlite::Result<Case> {
    let category: String = row.get("category")?;
    let category = ProblemCategory::from_name(&category).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            13,
            rusqlite::types::Type::Text,
            format!("unknown category {category}").into(),
        )
    })?;
    Ok(Case {
        id: row.get("id")?,
        title: row.get("title")?,
        casino: Casino {
            name: row.get("casino_name")?,
            website: row.get("casino_website")?,
            licensee: row.get("licensee")?,
            regulator: row.get("regulator_id")?,
            licence_number: row.get("licence_number")?,
            named_adr: row.get("named_adr")?,
        },
        account_id: row.get("account_id")?,
        player_country: row.get("player_country")?,
        player_time_zone: row.get("player_time_zone")?,
        disputed: Money { minor_units: row.get("amount_minor")?, currency: row.get("currency")? },
        category,
        key_dates: KeyDates {
            account_opened: row.get::<_, Option<NaiveDate>>("account_opened")?,
            first_deposit: row.get("first_deposit")?,
            withdrawal_requested: row.get("withdrawal_requested")?,
        },
        description: row.get("description")?,
        is_demo: row.get("is_demo")?,
        archived_at: row.get("archived_at")?,
        closure: closure_from_row(row)?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

fn closure_from_row(row: &Row<'_>) -> rusqlite::Result<Option<CaseClosure>> {
    let closed_at: Option<DateTime<Utc>> = row.get("closed_at")?;
    let Some(closed_at) = closed_at else {
        return Ok(None);
    };
    let outcome: String = row.get("outcome")?;
    let label: String = row.get("outcome_label")?;
    Ok(Some(CaseClosure {
        closed_at,
        label_text: crate::text::shipped("en").get(&format!("outcome.{outcome}.{label}")),
        outcome,
        label,
        note: row.get("closing_note")?,
        amount_recovered: row
            .get::<_, Option<i64>>("amount_recovered_minor")?
            .map(|minor_units| Money { minor_units, currency: row.get("currency").unwrap_or_default() }),
    }))
}

fn summarise(case: Case) -> CaseSummary {
    CaseSummary {
        id: case.id,
        title: case.title,
        casino_name: case.casino.name,
        disputed: case.disputed,
        category: case.category,
        stage: None,
        next_action_due: None,
        is_demo: case.is_demo,
        archived: case.archived_at.is_some(),
        outcome: case.closure.map(|closure| closure.outcome),
        updated_at: case.updated_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap()
    }

    fn input() -> CaseInput {
        CaseInput {
            title: "Withdrawal stuck".into(),
            casino_name: "Lucky Lagoon".into(),
            amount: "2 350".into(),
            currency: "EUR".into(),
            category: Some(ProblemCategory::Withdrawal),
            withdrawal_requested: "2026-11-01".into(),
            ..CaseInput::default()
        }
    }

    #[test]
    fn create_then_read_back_every_field() {
        let mut store = Store::open_in_memory().unwrap();
        let created = store.create_case(&input(), now()).unwrap();
        let read = store.get_case(created.id).unwrap();
        assert_eq!(read, created);
        assert_eq!(read.disputed.minor_units, 235_000);
        assert_eq!(read.key_dates.withdrawal_requested, NaiveDate::from_ymd_opt(2026, 11, 1));
        assert_eq!(CaseInput::from_case(&read).validate(now().date_naive()).unwrap().disputed, read.disputed);
    }

    #[test]
    fn invalid_input_writes_nothing() {
        let mut store = Store::open_in_memory().unwrap();
        let error = store.create_case(&CaseInput { amount: "lots".into(), ..input() }, now()).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidInput);
        assert_eq!(store.count_cases().unwrap(), 0);
    }

    #[test]
    fn edit_archive_restore_delete() {
        let mut store = Store::open_in_memory().unwrap();
        let case = store.create_case(&input(), now()).unwrap();
        let later = now() + chrono::Duration::hours(1);
        let edited =
            store.update_case(case.id, &CaseInput { title: "Renamed".into(), ..input() }, later).unwrap();
        assert_eq!(edited.title, "Renamed");
        assert_eq!(edited.updated_at, later);

        let rejected = store.update_case(case.id, &CaseInput { currency: "".into(), ..input() }, later);
        assert!(rejected.is_err());
        assert_eq!(store.get_case(case.id).unwrap().title, "Renamed", "a rejected edit changes nothing");

        store.set_archived(case.id, true, later).unwrap();
        assert!(store.list_cases(CaseFilter::default()).unwrap().is_empty());
        assert_eq!(store.list_cases(CaseFilter { include_archived: true }).unwrap().len(), 1);
        store.set_archived(case.id, false, later).unwrap();
        assert_eq!(store.list_cases(CaseFilter::default()).unwrap().len(), 1);

        store.delete_case(case.id).unwrap();
        assert!(matches!(store.get_case(case.id), Err(CoreError::CaseNotFound(_))));
        assert!(matches!(store.delete_case(case.id), Err(CoreError::CaseNotFound(_))));
    }

    #[test]
    fn list_is_most_recent_first() {
        let mut store = Store::open_in_memory().unwrap();
        let first = store.create_case(&input(), now()).unwrap();
        let second = store.create_case(&input(), now() + chrono::Duration::minutes(1)).unwrap();
        let ids: Vec<i64> = store.list_cases(CaseFilter::default()).unwrap().iter().map(|c| c.id).collect();
        assert_eq!(ids, vec![second.id, first.id]);
    }
}
