//! The evidence locker: files a player keeps as proof, stored encrypted and content-addressed, each
//! import recorded in an append-only, hash-chained custody log that `verify` re-checks end to end.

pub mod blob;
pub mod edit;
pub mod formats;
pub mod masking;
pub mod profiles;
pub mod redaction;
#[cfg(test)]
mod redaction_tests;
#[cfg(test)]
mod tests;
pub mod thumbs;
pub mod vault;

pub use edit::{ItemEdit, delete_item, edit_item};
pub use profiles::{ExhibitOverride, PlannedExhibit, RedactionProfile, plan_exhibits};
pub use redaction::{
    ExportPolicy, ExportedCopy, RedactionBox, export_for_recipient, redaction_boxes, set_redactions,
};

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::home::DataHome;
use crate::storage::Store;
pub use thumbs::{
    THUMBNAIL_EDGE, ThumbnailJobs, ThumbnailProgress, make_thumbnails, plan_thumbnails, sweep_thumbnails,
    thumbnail_data_url,
};
pub use vault::VaultKey;

/// What kind of evidence an item is, from its content (not its file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    Image,
    Pdf,
    Email,
    Chat,
    Note,
    Document,
}

impl EvidenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Image => "image",
            EvidenceKind::Pdf => "pdf",
            EvidenceKind::Email => "email",
            EvidenceKind::Chat => "chat",
            EvidenceKind::Note => "note",
            EvidenceKind::Document => "document",
        }
    }

    pub(crate) fn from_name(name: &str) -> EvidenceKind {
        match name {
            "image" => EvidenceKind::Image,
            "pdf" => EvidenceKind::Pdf,
            "email" => EvidenceKind::Email,
            "chat" => EvidenceKind::Chat,
            "note" => EvidenceKind::Note,
            _ => EvidenceKind::Document,
        }
    }
}

/// An item of the locker. Named `LockerItem` in TypeScript: triage has its own `EvidenceItem`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(rename = "LockerItem")]
pub struct EvidenceItem {
    pub id: i64,
    pub case_id: i64,
    pub sha256: String,
    pub size: u64,
    pub media_type: String,
    pub kind: EvidenceKind,
    pub original_name: String,
    pub title: String,
    pub description: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub imported_at: DateTime<Utc>,
    /// The email or mailbox this item was lifted out of.
    pub parent_id: Option<i64>,
    pub email: Option<formats::EmailHeaders>,
    /// A photo's EXIF capture time, as the camera wrote it (no time zone).
    pub captured_at: Option<chrono::NaiveDateTime>,
    /// The photo holds GPS coordinates (removed from exported copies later).
    pub has_gps: bool,
    /// For a chat transcript: how many messages could be read.
    pub chat_messages: Option<u32>,
    /// The player's own labels (e.g. `id-document`, which keeps the item out of public complaints).
    pub tags: Vec<String>,
    /// How many areas of the image are hidden in copies sent out (see `redaction`).
    pub hidden_areas: u32,
}

/// The result of importing one file; a batch reports one per file and never stops early.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ImportOutcome {
    Added { file: String, item: Box<EvidenceItem> },
    Duplicate { file: String, of_item: i64 },
    Rejected { file: String, reason: String },
}

/// Images larger than this are refused before decoding (a decompression bomb claims huge sizes).
const MAX_IMAGE_PIXELS: u64 = 100_000_000;

fn blobs_dir(home: &DataHome) -> PathBuf {
    home.root().join("evidence")
}

/// A file name safe to show and store: the last path part, control characters removed, at most
/// 200 characters; non-UTF-8 bytes are replaced.
fn display_name(path: &Path) -> String {
    let raw = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let cleaned: String = raw.chars().filter(|c| !c.is_control()).take(200).collect();
    if cleaned.trim().is_empty() { "unnamed file".to_owned() } else { cleaned }
}

fn detect(head: &[u8], name: &str) -> (String, EvidenceKind) {
    if let Some(kind) = infer::get(head) {
        let mime = kind.mime_type().to_owned();
        let evidence = match kind.matcher_type() {
            infer::MatcherType::Image => EvidenceKind::Image,
            _ if mime == "application/pdf" => EvidenceKind::Pdf,
            _ if mime == "message/rfc822" => EvidenceKind::Email,
            // Text is looked at further: a saved live chat, or a note.
            _ if mime == "text/html" => EvidenceKind::Chat,
            _ if mime.starts_with("text/") => EvidenceKind::Note,
            _ => EvidenceKind::Document,
        };
        return (mime, evidence);
    }
    let text = std::str::from_utf8(&head[..head.len().min(4096)]).is_ok() || head.is_empty();
    let looks_like_email = head.len() > 5
        && ["From:", "Received:", "Return-Path:", "Message-ID:", "Date:", "MIME-Version:", "Delivered-To:"]
            .iter()
            .any(|h| head.starts_with(h.as_bytes()));
    match () {
        _ if looks_like_email => ("message/rfc822".into(), EvidenceKind::Email),
        _ if text && name.to_lowercase().ends_with(".html") => ("text/html".into(), EvidenceKind::Chat),
        _ if text => ("text/plain".into(), EvidenceKind::Note),
        _ => ("application/octet-stream".into(), EvidenceKind::Document),
    }
}

/// Reads an image's size from its header only, refusing absurd sizes before any decoding.
fn image_size(bytes: &[u8]) -> Result<(u32, u32), String> {
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("the image could not be read ({e})"))?;
    let (width, height) =
        reader.into_dimensions().map_err(|e| format!("the image is damaged or incomplete ({e})"))?;
    if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
        return Err(format!(
            "the image claims {width} × {height} pixels, far more than any screenshot; it may be a decompression bomb"
        ));
    }
    Ok((width, height))
}

impl Store {
    /// The hash of the last custody entry: quoting it pins the log's state at that moment.
    pub fn custody_head(&self) -> CoreResult<String> {
        Ok(self
            .conn
            .query_row("SELECT entry_hash FROM custody_log ORDER BY seq DESC LIMIT 1", [], |row| row.get(0))
            .optional()?
            .unwrap_or_else(|| GENESIS.to_owned()))
    }

    fn append_custody(&self, entry: &CustodyEntryInput<'_>) -> CoreResult<()> {
        let prev = self.custody_head()?;
        let hash = custody_hash(&prev, entry);
        self.conn.execute(
            "INSERT INTO custody_log (case_id, at, action, item_id, item_sha256, detail, prev_hash, entry_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![entry.case_id, entry.at, entry.action, entry.item_id, entry.item_sha256, entry.detail, prev, hash],
        )?;
        Ok(())
    }

    pub fn evidence_items(&self, case_id: i64) -> CoreResult<Vec<EvidenceItem>> {
        self.select_evidence("case_id = ?1 AND ?2 IS NULL", case_id, None)
    }

    /// One item of a case.
    pub fn evidence_item(&self, case_id: i64, item_id: i64) -> CoreResult<EvidenceItem> {
        self.select_evidence("case_id = ?1 AND id = ?2", case_id, Some(item_id))?
            .pop()
            .ok_or(CoreError::EvidenceNotFound(item_id))
    }

    fn select_evidence(
        &self,
        condition: &str,
        case_id: i64,
        item_id: Option<i64>,
    ) -> CoreResult<Vec<EvidenceItem>> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT id, case_id, sha256, size, media_type, kind, original_name, title, description, width, height, imported_at,
                parent_id, email_from, email_to, email_subject, email_date, message_id, captured_at, has_gps, chat_messages,
                tags, (SELECT COUNT(*) FROM redaction_boxes WHERE redaction_boxes.item_id = evidence_items.id)
             FROM evidence_items WHERE {condition} ORDER BY id"
        ))?;
        let rows = statement.query_map(params![case_id, item_id], |row| {
            Ok(EvidenceItem {
                id: row.get(0)?,
                case_id: row.get(1)?,
                sha256: row.get(2)?,
                size: u64::try_from(row.get::<_, i64>(3)?).unwrap_or(0),
                media_type: row.get(4)?,
                kind: EvidenceKind::from_name(&row.get::<_, String>(5)?),
                original_name: row.get(6)?,
                title: row.get(7)?,
                description: row.get(8)?,
                width: row.get(9)?,
                height: row.get(10)?,
                imported_at: row.get(11)?,
                parent_id: row.get(12)?,
                email: {
                    let headers = formats::EmailHeaders {
                        from: row.get(13)?,
                        to: row.get(14)?,
                        subject: row.get(15)?,
                        date: row.get(16)?,
                        message_id: row.get(17)?,
                    };
                    (headers != formats::EmailHeaders::default()).then_some(headers)
                },
                captured_at: row.get(18)?,
                has_gps: row.get(19)?,
                chat_messages: row.get(20)?,
                tags: edit::parse_tags(&row.get::<_, String>(21)?),
                hidden_areas: row.get(22)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

const GENESIS: &str = "casefile custody log v1";

/// Where an item's encrypted bytes are, and what the row says about them.
struct StoredBlob {
    path: PathBuf,
    sha256: String,
    size: u64,
    kind: EvidenceKind,
    media_type: String,
}

fn stored_blob(store: &Store, home: &DataHome, case_id: i64, item_id: i64) -> CoreResult<StoredBlob> {
    let (blob_name, sha256, size, kind, media_type): (String, String, i64, String, String) = store
        .conn
        .query_row(
            "SELECT blob_name, sha256, size, kind, media_type FROM evidence_items WHERE case_id = ?1 AND id = ?2",
            params![case_id, item_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
        )
        .optional()?
        .ok_or(CoreError::EvidenceNotFound(item_id))?;
    Ok(StoredBlob {
        path: blob::blob_path(&blobs_dir(home), &blob_name),
        sha256,
        size: u64::try_from(size).unwrap_or(u64::MAX),
        kind: EvidenceKind::from_name(&kind),
        media_type,
    })
}

struct CustodyEntryInput<'a> {
    case_id: i64,
    at: DateTime<Utc>,
    action: &'a str,
    item_id: Option<i64>,
    item_sha256: Option<&'a str>,
    detail: &'a str,
}

fn custody_hash(prev: &str, entry: &CustodyEntryInput<'_>) -> String {
    let line = serde_json::json!([
        prev,
        entry.case_id,
        entry.at.to_rfc3339(),
        entry.action,
        entry.item_id,
        entry.item_sha256,
        entry.detail
    ]);
    data_encoding::HEXLOWER.encode(&Sha256::digest(line.to_string().as_bytes()))
}

/// Imports files into a case's locker, one result per file (and per attachment or mailbox message
/// lifted out of them). A bad file is rejected with its reason and the others go on; an added item
/// is in the database and its blob on disk, or neither.
pub fn import_files(
    store: &mut Store,
    home: &DataHome,
    key: &VaultKey,
    case_id: i64,
    files: &[PathBuf],
    now: DateTime<Utc>,
) -> CoreResult<Vec<ImportOutcome>> {
    import_files_with_progress(store, home, key, case_id, files, now, |_| {})
}

/// Files sealed ahead of the one being committed: bounds the memory and temp files in flight.
const SEALED_AHEAD: usize = 4;

/// `import_files`, calling `progress` after each file. Files are read, hashed and encrypted on
/// `available_parallelism` threads while this one commits them strictly in order, each on its own:
/// blob synced and renamed into place, then its row and custody entry in one transaction.
pub fn import_files_with_progress(
    store: &mut Store,
    home: &DataHome,
    key: &VaultKey,
    case_id: i64,
    files: &[PathBuf],
    now: DateTime<Utc>,
    mut progress: impl FnMut(ImportProgress),
) -> CoreResult<Vec<ImportOutcome>> {
    store.get_case(case_id)?;
    let dir = blobs_dir(home);
    sweep_abandoned_imports(&dir);
    let mut outcomes = Vec::new();
    let total = files.len();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4).min(total.max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let committed = std::sync::Mutex::new(0usize);
    let turn = std::sync::Condvar::new();
    let (sender, receiver) = std::sync::mpsc::channel::<(usize, Result<Prepared, String>)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let (next, committed, turn, dir) = (&next, &committed, &turn, &dir);
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(path) = files.get(index) else { break };
                    {
                        let mut done = committed.lock().unwrap_or_else(|p| p.into_inner());
                        while index >= *done + SEALED_AHEAD {
                            done = turn.wait(done).unwrap_or_else(|p| p.into_inner());
                        }
                    }
                    let prepared = prepare_file(path, &display_name(path), key, dir);
                    if sender.send((index, prepared)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut waiting = std::collections::BTreeMap::new();
        for (index, file) in files.iter().enumerate() {
            let prepared = loop {
                if let Some(found) = waiting.remove(&index) {
                    break found;
                }
                match receiver.recv() {
                    Ok((at, prepared)) => {
                        waiting.insert(at, prepared);
                    }
                    Err(_) => break Err("it could not be read (the import stopped)".to_owned()),
                }
            };
            let name = display_name(file);
            let mut importer =
                Importer { store: &mut *store, dir: &dir, key, case_id, now, outcomes: &mut outcomes };
            if let Err(reason) = prepared.and_then(|p| importer.record(p, &name, None)) {
                outcomes.push(ImportOutcome::Rejected { file: name.clone(), reason });
            }
            *committed.lock().unwrap_or_else(|p| p.into_inner()) = index + 1;
            turn.notify_all();
            progress(ImportProgress { done: index + 1, total, file: name });
        }
    });
    Ok(outcomes)
}

/// Pasted content larger than this is refused (it arrives in memory, not as a file).
pub const MAX_PASTED_BYTES: usize = 200 * 1024 * 1024;

/// Imports bytes that are not a file on disk (a pasted screenshot or text) under `name`, through
/// the same checks, deduplication and custody log as a file; no plaintext copy touches the disk.
pub fn import_bytes(
    store: &mut Store,
    home: &DataHome,
    key: &VaultKey,
    case_id: i64,
    name: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> CoreResult<Vec<ImportOutcome>> {
    store.get_case(case_id)?;
    let dir = blobs_dir(home);
    sweep_abandoned_imports(&dir);
    let name = display_name(Path::new(name.trim_start_matches(['/', '\\'])));
    let mut outcomes = Vec::new();
    let result = if bytes.len() > MAX_PASTED_BYTES {
        Err(format!("it is larger than {} MB; save it as a file and add the file", MAX_PASTED_BYTES >> 20))
    } else {
        Importer { store, dir: &dir, key, case_id, now, outcomes: &mut outcomes }.bytes(bytes, &name, None)
    };
    if let Err(reason) = result {
        outcomes.push(ImportOutcome::Rejected { file: name, reason });
    }
    Ok(outcomes)
}

/// The ids of the items a batch added: what the thumbnail round after an import works on.
pub fn added_ids(outcomes: &[ImportOutcome]) -> Vec<i64> {
    outcomes
        .iter()
        .filter_map(|o| match o {
            ImportOutcome::Added { item, .. } => Some(item.id),
            _ => None,
        })
        .collect()
}

/// Removes temp files an import killed mid-way left behind. A live import holds a lock on its
/// temp file (released by the OS when a process dies), so only abandoned ones can be locked here.
fn sweep_abandoned_imports(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(".incoming-") {
            continue;
        }
        let abandoned = File::open(entry.path()).is_ok_and(|file| file.try_lock().is_ok());
        if abandoned {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// What the locker learnt by looking inside a file.
#[derive(Default)]
struct Inspected {
    media_type: String,
    kind: Option<EvidenceKind>,
    size: Option<(u32, u32)>,
    photo: formats::PhotoFacts,
    email: Option<formats::EmailHeaders>,
    chat_messages: Option<u32>,
    /// The first and last dated message of a chat, for the timeline.
    chat_span: Option<(chrono::NaiveDateTime, chrono::NaiveDateTime)>,
    /// Attachments or mailbox messages to keep as items of their own.
    children: Vec<formats::Attachment>,
}

/// Reads deeper into small enough files: the whole content of an email, mailbox or chat.
const MAX_INSPECTED_BYTES: u64 = formats::MAX_EMAIL_BYTES;

fn inspect(content: Option<&[u8]>, head: &[u8], name: &str) -> Result<Inspected, String> {
    let (mut media_type, mut kind) = detect(head, name);
    let mut inspected = Inspected::default();
    let Some(bytes) = content else {
        inspected.media_type = media_type;
        inspected.kind = Some(kind);
        return Ok(inspected);
    };
    match kind {
        EvidenceKind::Image => {
            inspected.size = Some(image_size(bytes)?);
            inspected.photo = formats::read_exif(bytes);
        }
        EvidenceKind::Email => {
            if let Some((headers, attachments)) = formats::read_email(bytes) {
                inspected.email = Some(headers);
                inspected.children = attachments;
            }
        }
        EvidenceKind::Note | EvidenceKind::Chat if formats::looks_like_mbox(head) => {
            media_type = "application/mbox".into();
            kind = EvidenceKind::Email;
            inspected.children = formats::split_mbox(bytes)
                .into_iter()
                .enumerate()
                .map(|(index, message)| formats::Attachment {
                    name: format!("{name} message {}.eml", index + 1),
                    bytes: message,
                })
                .collect();
        }
        EvidenceKind::Note | EvidenceKind::Chat => {
            let is_html = media_type == "text/html";
            let text = String::from_utf8_lossy(bytes);
            let messages = formats::read_chat(&text, is_html);
            let dated = messages.iter().filter(|m| m.at.is_some() || m.time.is_some()).count();
            kind = match (dated > 0, is_html) {
                (true, _) => EvidenceKind::Chat,
                (false, true) => EvidenceKind::Document,
                (false, false) => EvidenceKind::Note,
            };
            if kind == EvidenceKind::Chat {
                inspected.chat_messages = u32::try_from(messages.len()).ok();
                let dates = messages.iter().filter_map(|m| m.at);
                inspected.chat_span = dates.clone().min().zip(dates.max());
            }
        }
        EvidenceKind::Pdf | EvidenceKind::Document => {}
    }
    inspected.media_type = media_type;
    inspected.kind = Some(kind);
    Ok(inspected)
}

/// A file sealed into a temp blob and looked into, ready to be committed.
struct Prepared {
    temp: tempfile::TempPath,
    sealed: blob::Sealed,
    inspected: Inspected,
}

/// Seals one file into a temp blob and inspects it: the work that needs no database, done on
/// the import's worker threads.
fn prepare_file(path: &Path, name: &str, key: &VaultKey, dir: &Path) -> Result<Prepared, String> {
    let metadata = fs::metadata(path).map_err(|e| format!("it could not be opened ({e})"))?;
    if !metadata.is_file() {
        return Err("it is not a file (a folder or a device)".into());
    }
    if metadata.len() == 0 {
        return Err("the file is empty (0 bytes); there is nothing to keep".into());
    }
    let file = File::open(path).map_err(|e| format!("it could not be opened ({e})"))?;
    let (temp, sealed) = blob::seal_to_temp(file, key, dir).map_err(|e| e.to_string())?;
    // A second read, only as far as the kind needs: an image's header and EXIF sit at its start;
    // emails, mailboxes and text are read whole when small enough; other files not at all.
    let limit = match detect(&sealed.head, name).1 {
        // The sealing pass kept the image's first megabyte: header and EXIF are in it.
        EvidenceKind::Image => 0,
        EvidenceKind::Email | EvidenceKind::Chat | EvidenceKind::Note
            if sealed.size <= MAX_INSPECTED_BYTES =>
        {
            sealed.size
        }
        _ => 0,
    };
    let content = if limit > 0 {
        let mut buffer = Vec::with_capacity(usize::try_from(limit).unwrap_or(0));
        File::open(path)
            .and_then(|file| file.take(limit).read_to_end(&mut buffer))
            .map_err(|e| format!("it could not be read to the end ({e})"))?;
        if buffer.len() as u64 != limit {
            return Err(
                "the file changed while it was being imported; import it again once it is complete".into()
            );
        }
        Some(buffer)
    } else {
        None
    };
    let is_image = detect(&sealed.head, name).1 == EvidenceKind::Image;
    // The sealing pass kept an image's first megabyte: its header and EXIF are in it.
    let looked_at = content.as_deref().or(is_image.then_some(&sealed.head[..]));
    let inspected = inspect(looked_at, &sealed.head, name)?;
    // Only what the row needs stays in memory while the file waits for its turn to commit.
    let sealed = blob::Sealed { head: Vec::new(), ..sealed };
    Ok(Prepared { temp, sealed, inspected })
}

struct Importer<'a> {
    store: &'a mut Store,
    dir: &'a Path,
    key: &'a VaultKey,
    case_id: i64,
    now: DateTime<Utc>,
    outcomes: &'a mut Vec<ImportOutcome>,
}

impl Importer<'_> {
    fn bytes(&mut self, bytes: &[u8], name: &str, parent: Option<i64>) -> Result<(), String> {
        if bytes.is_empty() {
            return Err(match parent {
                Some(_) => "the attachment is empty".into(),
                None => "it is empty (0 bytes); there is nothing to keep".into(),
            });
        }
        let (temp, sealed) = blob::seal_to_temp(bytes, self.key, self.dir).map_err(|e| e.to_string())?;
        let inspected = inspect(Some(bytes), &sealed.head, name)?;
        self.record(Prepared { temp, sealed, inspected }, name, parent)
    }

    fn record(&mut self, prepared: Prepared, name: &str, parent: Option<i64>) -> Result<(), String> {
        let Prepared { temp, sealed, inspected } = prepared;
        let existing = self
            .store
            .conn
            .query_row(
                "SELECT id FROM evidence_items WHERE case_id = ?1 AND sha256 = ?2",
                params![self.case_id, sealed.sha256],
                |row| row.get::<_, i64>(0),
            )
            .optional()
            .map_err(|e| e.to_string())?;
        if let Some(existing) = existing {
            self.outcomes.push(ImportOutcome::Duplicate { file: name.to_owned(), of_item: existing });
            return Ok(());
        }
        let item_id = self.insert(temp, &sealed, &inspected, name, parent)?;
        let item = self.store.evidence_item(self.case_id, item_id).map_err(|e| e.to_string())?;
        self.outcomes.push(ImportOutcome::Added { file: name.to_owned(), item: Box::new(item) });
        for child in inspected.children {
            let child_name: String =
                child.name.chars().filter(|c| !c.is_control() && *c != '/' && *c != '\\').take(200).collect();
            if let Err(reason) = self.bytes(&child.bytes, &child_name, Some(item_id)) {
                self.outcomes.push(ImportOutcome::Rejected { file: child_name, reason });
            }
        }
        Ok(())
    }

    /// Writes the row and its custody entry in a transaction that commits only once the blob is in
    /// place: a crash leaves at worst an orphan blob (harmless), never a row without its blob.
    fn insert(
        &mut self,
        temp: tempfile::TempPath,
        sealed: &blob::Sealed,
        inspected: &Inspected,
        name: &str,
        parent: Option<i64>,
    ) -> Result<i64, String> {
        let blob_name = blob::blob_name(self.key, &sealed.sha256);
        let final_path = blob::blob_path(self.dir, &blob_name);
        let email = inspected.email.clone().unwrap_or_default();
        let tx = self.store.conn.unchecked_transaction().map_err(|e| e.to_string())?;
        tx.execute(
            "INSERT INTO evidence_items (case_id, sha256, size, blob_name, media_type, kind, original_name, title, width, height,
                imported_at, parent_id, email_from, email_to, email_subject, email_date, message_id, captured_at, has_gps, chat_messages,
                chat_first_at, chat_last_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
            params![
                self.case_id,
                sealed.sha256,
                i64::try_from(sealed.size).unwrap_or(i64::MAX),
                blob_name,
                inspected.media_type,
                inspected.kind.unwrap_or(EvidenceKind::Document).as_str(),
                name,
                inspected.size.map(|s| s.0),
                inspected.size.map(|s| s.1),
                self.now,
                parent,
                email.from,
                email.to,
                email.subject,
                email.date,
                email.message_id,
                inspected.photo.captured_at,
                inspected.photo.has_gps,
                inspected.chat_messages,
                inspected.chat_span.map(|span| span.0),
                inspected.chat_span.map(|span| span.1),
            ],
        )
        .map_err(|e| e.to_string())?;
        let item_id = tx.last_insert_rowid();
        let detail = match parent {
            Some(parent) => format!("{name} (from item {parent})"),
            None => name.to_owned(),
        };
        self.store
            .append_custody(&CustodyEntryInput {
                case_id: self.case_id,
                at: self.now,
                action: "import",
                item_id: Some(item_id),
                item_sha256: Some(&sealed.sha256),
                detail: &detail,
            })
            .map_err(|e| e.to_string())?;
        if let Some(parent_dir) = final_path.parent() {
            fs::create_dir_all(parent_dir)
                .map_err(|e| format!("the evidence folder could not be written ({e})"))?;
        }
        temp.persist(&final_path)
            .map_err(|e| format!("the evidence folder could not be written ({})", e.error))?;
        tx.commit().map_err(|e| e.to_string())?;
        Ok(item_id)
    }
}

/// Writes a decrypted copy of an item to `out` and records the export in the custody log.
pub fn export_item(
    store: &Store,
    home: &DataHome,
    key: &VaultKey,
    case_id: i64,
    item_id: i64,
    out: &Path,
    now: DateTime<Utc>,
) -> CoreResult<()> {
    let file =
        File::create(out).map_err(|e| CoreError::io(format!("Could not create {}", out.display()), e))?;
    export_item_to(store, home, key, case_id, item_id, file, now).inspect_err(|_| {
        let _ = fs::remove_file(out);
    })
}

/// Streams the decrypted item into `sink` (a file, a ZIP entry, both) and logs the export; the
/// bytes are checked against the recorded hash as they pass, so a damaged blob fails the export
/// (the caller discards what the sink received).
pub fn export_item_to(
    store: &Store,
    home: &DataHome,
    key: &VaultKey,
    case_id: i64,
    item_id: i64,
    sink: impl std::io::Write,
    now: DateTime<Utc>,
) -> CoreResult<()> {
    let stored = stored_blob(store, home, case_id, item_id)?;
    let got = blob::open(&stored.path, key, sink)?;
    if got != stored.sha256 {
        return Err(CoreError::BlobDamaged);
    }
    let sha256 = stored.sha256;
    store.append_custody(&CustodyEntryInput {
        case_id,
        at: now,
        action: "export",
        item_id: Some(item_id),
        item_sha256: Some(&sha256),
        detail: "decrypted copy written",
    })
}

/// One problem `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct VerifyProblem {
    pub item_id: Option<i64>,
    pub what: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct VerifyReport {
    pub case_id: i64,
    pub items_checked: usize,
    pub log_entries_checked: usize,
    /// The hash of the last custody entry: quote it in a package to pin the log's state.
    pub custody_head: String,
    pub problems: Vec<VerifyProblem>,
}

/// Re-hashes every item of the case from its encrypted blob and checks the whole custody chain.
pub fn verify(store: &Store, home: &DataHome, key: &VaultKey, case_id: i64) -> CoreResult<VerifyReport> {
    store.get_case(case_id)?;
    let mut problems = Vec::new();
    let dir = blobs_dir(home);
    let items: Vec<(i64, String, String)> = {
        let mut statement =
            store.conn.prepare("SELECT id, sha256, blob_name FROM evidence_items WHERE case_id = ?1")?;
        let rows = statement.query_map([case_id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (id, sha256, blob_name) in &items {
        let path = blob::blob_path(&dir, blob_name);
        if !path.exists() {
            problems.push(VerifyProblem {
                item_id: Some(*id),
                what: format!("item {id}: its encrypted file is missing"),
            });
            continue;
        }
        match blob::open(&path, key, std::io::sink()) {
            Ok(got) if &got == sha256 => {}
            Ok(got) => problems.push(VerifyProblem {
                item_id: Some(*id),
                what: format!("item {id}: its content hashes to {got}, not the recorded {sha256}"),
            }),
            Err(_) => problems.push(VerifyProblem {
                item_id: Some(*id),
                what: format!("item {id}: its encrypted file was altered or damaged"),
            }),
        }
    }
    let (entries, chain_problems, head) = check_chain(store, case_id, &items)?;
    problems.extend(chain_problems);
    Ok(VerifyReport {
        case_id,
        items_checked: items.len(),
        log_entries_checked: entries,
        custody_head: head,
        problems,
    })
}

type ChainCheck = (usize, Vec<VerifyProblem>, String);

fn check_chain(store: &Store, case_id: i64, items: &[(i64, String, String)]) -> CoreResult<ChainCheck> {
    let mut statement = store.conn.prepare(
        "SELECT seq, case_id, at, action, item_id, item_sha256, detail, prev_hash, entry_hash FROM custody_log ORDER BY seq",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, DateTime<Utc>>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, Option<i64>>(4)?,
            row.get::<_, Option<String>>(5)?,
            row.get::<_, String>(6)?,
            row.get::<_, String>(7)?,
            row.get::<_, String>(8)?,
        ))
    })?;
    let mut problems = Vec::new();
    let mut expected_prev = GENESIS.to_owned();
    let mut count = 0;
    let mut logged_imports = std::collections::BTreeSet::new();
    let mut logged_deletes = std::collections::BTreeSet::new();
    let mut last_at: Option<DateTime<Utc>> = None;
    for row in rows {
        let (seq, entry_case, at, action, item_id, item_sha256, detail, prev, hash) = row?;
        count += 1;
        let input = CustodyEntryInput {
            case_id: entry_case,
            at,
            action: &action,
            item_id,
            item_sha256: item_sha256.as_deref(),
            detail: &detail,
        };
        if prev != expected_prev {
            problems.push(VerifyProblem { item_id, what: format!("custody entry {seq}: it does not follow the entry before it (an entry was removed or reordered)") });
        }
        if custody_hash(&prev, &input) != hash {
            problems.push(VerifyProblem {
                item_id,
                what: format!("custody entry {seq}: its content was altered"),
            });
        }
        if last_at.is_some_and(|last| at < last) {
            problems.push(VerifyProblem {
                item_id,
                what: format!(
                    "custody entry {seq}: its time is earlier than the entry before it (out of order)"
                ),
            });
        }
        last_at = Some(at);
        if entry_case == case_id && action == "import" {
            logged_imports.insert((item_id, item_sha256));
        } else if entry_case == case_id && action == edit::DELETE_ACTION {
            logged_deletes.insert(item_id);
        }
        expected_prev = hash;
    }
    for (id, sha256, _) in items {
        if !logged_imports.contains(&(Some(*id), Some(sha256.clone()))) {
            problems.push(VerifyProblem {
                item_id: Some(*id),
                what: format!(
                    "item {id}: its import is not in the custody log, or its recorded hash was changed"
                ),
            });
        }
    }
    problems.extend(edit::vanished_items(items, &logged_imports, &logged_deletes));
    Ok((count, problems, expected_prev))
}

/// What the Evidence screen needs to know first: is the locker set up, and is it open.
#[derive(Debug, Clone, Serialize, TS)]
pub struct LockerState {
    pub set_up: Option<vault::VaultStatus>,
    pub unlocked: bool,
}

/// Shown once after setup, to write down or print.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RecoveryKey {
    pub text: String,
}

/// Progress of a batch import, after each file.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportProgress {
    pub done: usize,
    pub total: usize,
    pub file: String,
}

/// What an item holds, readable and inert: the text of a note, the messages of a chat, an email's
/// body as plain text (HTML is reduced to its text, so nothing in it can run or load).
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct EvidenceContent {
    pub text: Option<String>,
    pub chat: Vec<formats::ChatMessage>,
    pub email_body: Option<String>,
}

/// Texts larger than this are not shown in full.
const MAX_SHOWN_TEXT_BYTES: usize = 2 * 1024 * 1024;

/// Decrypts an item in memory and returns what can be shown of it.
pub fn evidence_content(
    store: &Store,
    home: &DataHome,
    key: &VaultKey,
    case_id: i64,
    item_id: i64,
) -> CoreResult<EvidenceContent> {
    let stored = stored_blob(store, home, case_id, item_id)?;
    let kind = stored.kind;
    let readable = matches!(kind, EvidenceKind::Note | EvidenceKind::Chat | EvidenceKind::Email)
        && stored.size <= MAX_INSPECTED_BYTES
        && stored.media_type != "application/mbox";
    if !readable {
        return Ok(EvidenceContent::default());
    }
    let mut bytes = Vec::new();
    blob::open(&stored.path, key, &mut bytes)?;
    let media_type = stored.media_type;
    let mut content = EvidenceContent::default();
    match kind {
        EvidenceKind::Email => content.email_body = formats::email_body_text(&bytes),
        EvidenceKind::Chat => {
            let text = String::from_utf8_lossy(&bytes);
            content.chat = formats::read_chat(&text, media_type == "text/html");
        }
        _ => {
            let mut text = String::from_utf8_lossy(&bytes).into_owned();
            if text.len() > MAX_SHOWN_TEXT_BYTES {
                let mut cut = MAX_SHOWN_TEXT_BYTES;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text.truncate(cut);
            }
            content.text = Some(text);
        }
    }
    Ok(content)
}
