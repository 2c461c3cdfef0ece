//! The locker with real files in a temp data folder: import, dedup, bad input, tamper detection.

use std::fs;
use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use image::GenericImageView;

use super::*;

pub(super) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap()
}

/// A locker in a temp data folder (passphrase vault, the demo's case), shared with the other
/// locker test modules.
pub(super) struct Locker {
    pub(super) dir: tempfile::TempDir,
    pub(super) home: DataHome,
    pub(super) store: Store,
    pub(super) key: VaultKey,
    pub(super) case_id: i64,
}

impl Locker {
    pub(super) fn new() -> Locker {
        let dir = tempfile::tempdir().unwrap();
        let home = DataHome::at(dir.path().join("data"));
        let key = vault::create_with_passphrase(&home, "correct horse battery", now()).unwrap();
        let mut store = Store::open_home(&home, &key.database_key()).unwrap();
        let case_id = store.create_case(&crate::demo::demo_input(now()), now()).unwrap().id;
        Locker { dir, home, store, key, case_id }
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        path
    }

    fn import(&mut self, files: &[PathBuf]) -> Vec<ImportOutcome> {
        import_files(&mut self.store, &self.home, &self.key, self.case_id, files, now()).unwrap()
    }
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]))
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

#[test]
fn the_passphrase_opens_the_vault_and_a_wrong_one_says_so() {
    let locker = Locker::new();
    let again = vault::unlock(&locker.home, Some("correct horse battery")).unwrap();
    assert_eq!(again.id(), locker.key.id());
    let wrong = vault::unlock(&locker.home, Some("correct horse battery!")).unwrap_err();
    assert!(matches!(wrong, CoreError::VaultKeyWrong { .. }), "{wrong}");
    assert!(wrong.to_string().contains("passphrase does not open"), "{wrong}");
    assert!(matches!(vault::unlock(&locker.home, None), Err(CoreError::PassphraseNeeded)));
    let recovery = locker.key.recovery_text();
    let opened =
        vault::unlock_with_recovery(&locker.home, &recovery.to_lowercase().replace('-', " ")).unwrap();
    assert_eq!(opened.id(), locker.key.id());
    assert!(vault::unlock_with_recovery(&locker.home, &VaultKey::random().recovery_text()).is_err());
    assert!(
        !format!("{:?}", locker.key).contains(&format!("{:?}", locker.key.bytes())),
        "Debug never prints the key"
    );
}

#[test]
fn a_short_passphrase_is_refused_and_a_second_vault_too() {
    let locker = Locker::new();
    assert!(matches!(
        vault::create_with_passphrase(&locker.home, "long enough pass", now()),
        Err(CoreError::VaultExists)
    ));
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        vault::create_with_passphrase(&DataHome::at(dir.path()), "short", now()),
        Err(CoreError::PassphraseTooShort { .. })
    ));
}

#[test]
fn import_records_hash_type_size_and_dedups() {
    let mut locker = Locker::new();
    let screenshot = locker.file("withdrawal.png", &png(640, 400));
    let chat = locker.file("chat.txt", b"[12:01] Agent: finance is checking\n");
    let outcomes = locker.import(&[screenshot.clone(), chat]);
    let ImportOutcome::Added { item, .. } = &outcomes[0] else { panic!("{outcomes:?}") };
    assert_eq!((item.kind, item.media_type.as_str()), (EvidenceKind::Image, "image/png"));
    assert_eq!((item.width, item.height), (Some(640), Some(400)));
    assert_eq!(item.sha256, data_encoding::HEXLOWER.encode(&Sha256::digest(fs::read(&screenshot).unwrap())));
    assert!(
        matches!(&outcomes[1], ImportOutcome::Added { item, .. } if item.kind == EvidenceKind::Chat && item.chat_messages == Some(1))
    );
    let copy = locker.file("same-picture-other-name.png", &png(640, 400));
    let again = locker.import(&[copy]);
    assert!(matches!(again[0], ImportOutcome::Duplicate { of_item, .. } if of_item == item.id), "{again:?}");
    assert_eq!(locker.store.evidence_items(locker.case_id).unwrap().len(), 2);
}

#[test]
fn bad_files_are_rejected_one_by_one_and_the_rest_go_on() {
    let mut locker = Locker::new();
    let empty = locker.file("empty.png", b"");
    let truncated_bytes = png(50, 50);
    let truncated = locker.file("truncated.png", &truncated_bytes[..30]);
    let liar = locker.file("invoice.pdf", &png(20, 20));
    let good = locker.file("good.txt", b"keep me");
    let missing = locker.dir.path().join("vanished.jpg");
    let folder = locker.dir.path().to_path_buf();
    let outcomes = locker.import(&[empty, truncated, liar, missing, folder, good]);
    let reasons: Vec<String> = outcomes
        .iter()
        .map(|o| match o {
            ImportOutcome::Rejected { reason, .. } => reason.clone(),
            ImportOutcome::Added { item, .. } => format!("added {}", item.media_type),
            ImportOutcome::Duplicate { .. } => "duplicate".into(),
        })
        .collect();
    assert!(reasons[0].contains("empty"), "{reasons:?}");
    assert!(reasons[1].contains("damaged or incomplete"), "{reasons:?}");
    assert_eq!(reasons[2], "added image/png", "the type comes from the content, not the .pdf name");
    assert!(reasons[3].contains("could not be opened"), "{reasons:?}");
    assert!(reasons[4].contains("not a file"), "{reasons:?}");
    assert_eq!(reasons[5], "added text/plain");
    let leftovers: Vec<_> = walk(&locker.home.root().join("evidence"))
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".incoming-"))
        .collect();
    assert!(leftovers.is_empty(), "rejected imports leave no temp files: {leftovers:?}");
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let mut locker = Locker::new();
    // A valid PNG header claiming 100,000 × 100,000 pixels, with no real image data behind it.
    let mut bomb = png(1, 1);
    bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let path = locker.file("bomb.png", &bomb);
    let outcome = locker.import(&[path]);
    assert!(
        matches!(&outcome[0], ImportOutcome::Rejected { reason, .. } if reason.contains("decompression bomb") || reason.contains("damaged")),
        "{outcome:?}"
    );
}

#[test]
fn no_plaintext_of_a_marker_reaches_the_evidence_folder() {
    let mut locker = Locker::new();
    let marker = b"MARKER-7f3a9c-passport-number-X1234567";
    let mut content = b"Chat transcript\n".repeat(5000);
    content.extend_from_slice(marker);
    let path = locker.file("chat.txt", &content);
    locker.import(&[path]);
    for file in walk(&locker.home.root().join("evidence")) {
        let bytes = fs::read(&file).unwrap();
        assert!(!bytes.windows(marker.len()).any(|w| w == marker), "plaintext in {}", file.display());
    }
}

/// Every file of the data folder, read raw: no marker may be readable in any of them.
fn assert_no_marker_on_disk(home: &DataHome, markers: &[&str]) {
    let files = walk(home.root());
    assert!(files.iter().any(|f| f.ends_with("casefile.db")), "{files:?}");
    for file in files {
        let bytes = fs::read(&file).unwrap();
        for marker in markers {
            assert!(
                !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
                "{marker:?} readable in {}",
                file.display()
            );
        }
    }
}

#[test]
fn no_case_name_casino_file_name_or_subject_is_readable_in_any_file_of_the_folder() {
    let mut locker = Locker::new();
    let title = "MARKER-title-Withdrawal-Zq81";
    let casino = "MARKER-casino-Lagoon-Zq82";
    let input = crate::case::CaseInput {
        title: title.into(),
        casino_name: casino.into(),
        ..crate::demo::demo_input(now())
    };
    let case = locker.store.create_case(&input, now()).unwrap();
    locker.case_id = case.id;
    let subject = "MARKER-subject-Your-withdrawal-Zq83";
    let email = format!(
        "From: support@casino.example\r\nTo: me@example.org\r\nSubject: {subject}\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\nMessage-ID: <a@b>\r\n\r\nWe are reviewing your withdrawal.\r\n"
    );
    let file_name = "MARKER-file-bank-statement-Zq84.eml";
    let path = locker.file(file_name, email.as_bytes());
    let outcomes = locker.import(std::slice::from_ref(&path));
    assert!(matches!(&outcomes[0], ImportOutcome::Added { .. }), "{outcomes:?}");
    fs::remove_file(&path).unwrap();
    // The database is still open: its WAL holds the latest pages, and is checked too.
    assert_no_marker_on_disk(&locker.home, &[title, casino, subject, file_name]);
    let items = locker.store.evidence_items(case.id).unwrap();
    assert_eq!(
        items[0].email.as_ref().unwrap().subject.as_deref(),
        Some(subject),
        "readable through the key"
    );
}

fn file_hash(path: &std::path::Path) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(fs::read(path).unwrap()))
}

#[test]
fn a_wrong_key_is_wrong_key_and_leaves_the_database_untouched() {
    let locker = Locker::new();
    let Locker { home, store, .. } = locker;
    drop(store);
    let database = home.database_path();
    let before = file_hash(&database);
    let error = Store::open_home(&home, &VaultKey::random().database_key()).err().unwrap();
    assert_eq!(error.code(), crate::error::ErrorCode::WrongKey, "{error}");
    assert!(error.to_string().contains("does not open the database"), "{error}");
    assert_eq!(file_hash(&database), before);
    let wrong = vault::unlock(&home, Some("not the passphrase at all")).unwrap_err();
    assert_eq!(wrong.code(), crate::error::ErrorCode::WrongKey);
    assert_eq!(file_hash(&database), before);
    let key = vault::unlock(&home, Some("correct horse battery")).unwrap();
    assert_eq!(Store::open_home(&home, &key.database_key()).unwrap().count_cases().unwrap(), 1);
}

#[test]
fn a_file_that_is_not_a_database_is_explained_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("casefile.db");
    fs::write(&path, b"these are my holiday notes").unwrap();
    let error = Store::open_encrypted(&path, &VaultKey::random().database_key()).err().unwrap();
    assert!(matches!(error, CoreError::NotADatabase { .. }), "{error}");
    assert_eq!(fs::read(&path).unwrap(), b"these are my holiday notes");
}

/// A data folder as an earlier Casefile left it: the migrations of that version run with plain
/// SQL on an unencrypted file in WAL mode, the vault row inside it, and a case.
fn plaintext_folder(home: &DataHome, vault: &vault::VaultFile, title: &str) {
    home.ensure_exists().unwrap();
    let conn = rusqlite::Connection::open(home.database_path()).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    for (index, (name, sql)) in crate::storage::MIGRATIONS.iter().enumerate() {
        if name.starts_with("0008") {
            break;
        }
        conn.execute_batch(sql).unwrap();
        conn.pragma_update(None, "user_version", index as u32 + 1).unwrap();
    }
    let unhex = |text: &str| data_encoding::HEXLOWER.decode(text.as_bytes()).unwrap();
    conn.execute(
        "INSERT INTO vault (id, mode, key_id, vault_id, kdf_salt, kdf_memory_kib, kdf_passes, wrap_nonce, wrapped_key, created_at)
         VALUES (1, 'passphrase', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        rusqlite::params![
            vault.key_id,
            vault.vault_id,
            unhex(&vault.kdf_salt),
            vault.kdf_memory_kib,
            vault.kdf_passes,
            unhex(&vault.wrap_nonce),
            unhex(&vault.wrapped_key),
            vault.created_at
        ],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO cases (title, casino_name, amount_minor, currency, category, is_demo, created_at, updated_at)
         VALUES (?1, 'Old Casino', 1000, 'EUR', 'withdrawal', 0, ?2, ?2)",
        rusqlite::params![title, now()],
    )
    .unwrap();
    drop(conn);
}

#[test]
fn a_plaintext_database_from_an_earlier_version_is_converted_once() {
    let dir = tempfile::tempdir().unwrap();
    // A vault made the usual way, then put where an earlier version kept it: the database's row.
    let donor = DataHome::at(dir.path().join("donor"));
    vault::create_with_passphrase(&donor, "correct horse battery", now()).unwrap();
    let made = vault::read(&donor).unwrap().unwrap();
    let home = DataHome::at(dir.path().join("old"));
    let title = "MARKER-old-case-Zq85";
    plaintext_folder(&home, &made, title);
    assert!(crate::storage::is_plaintext_sqlite(&home.database_path()).unwrap());
    assert!(!vault::vault_path(&home).exists());

    let status = vault::status(&home).unwrap().unwrap();
    assert_eq!(status.key_id, made.key_id);
    assert_eq!(vault::read(&home).unwrap().unwrap(), made, "the row moved to vault.json as it was");
    let key = vault::unlock(&home, Some("correct horse battery")).unwrap();
    let store = Store::open_home(&home, &key.database_key()).unwrap();
    assert!(!crate::storage::is_plaintext_sqlite(&home.database_path()).unwrap());
    assert_eq!(store.get_case(1).unwrap().title, title);
    assert_eq!(store.schema_version().unwrap(), crate::storage::SCHEMA_VERSION);
    let leftovers: Vec<_> =
        walk(home.root()).into_iter().filter(|p| p.to_string_lossy().ends_with(".encrypting")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_no_marker_on_disk(&home, &[title, "Old Casino"]);
    drop(store);
    // Opened again: already encrypted, nothing to convert, same data.
    let again = Store::open_home(&home, &key.database_key()).unwrap();
    assert_eq!(again.count_cases().unwrap(), 1);
    assert!(Store::open_home(&home, &VaultKey::random().database_key()).is_err());
}

#[test]
fn verify_finds_altered_missing_and_unlogged_items() {
    let mut locker = Locker::new();
    let a = locker.file("a.txt", b"first piece of evidence");
    let b = locker.file("b.txt", b"second piece of evidence");
    locker.import(&[a, b]);
    let clean = verify(&locker.store, &locker.home, &locker.key, locker.case_id).unwrap();
    assert!(clean.problems.is_empty(), "{:?}", clean.problems);
    assert_eq!((clean.items_checked, clean.log_entries_checked), (2, 2));

    let blobs: Vec<PathBuf> = walk(&locker.home.root().join("evidence"));
    let mut bytes = fs::read(&blobs[0]).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    fs::write(&blobs[0], bytes).unwrap();
    fs::remove_file(&blobs[1]).unwrap();
    locker.store.conn.execute("UPDATE evidence_items SET sha256 = 'f00d' WHERE id = 1", []).unwrap();
    let report = verify(&locker.store, &locker.home, &locker.key, locker.case_id).unwrap();
    let what: Vec<&str> = report.problems.iter().map(|p| p.what.as_str()).collect();
    assert!(what.iter().any(|w| w.contains("missing")), "{what:?}");
    assert!(what.iter().any(|w| w.contains("altered or damaged") || w.contains("hashes to")), "{what:?}");
    assert!(what.iter().any(|w| w.contains("recorded hash was changed")), "{what:?}");
}

#[test]
fn the_custody_log_refuses_edits_and_verify_sees_a_forged_chain() {
    let mut locker = Locker::new();
    let a = locker.file("a.txt", b"evidence");
    locker.import(&[a]);
    let edit = locker.store.conn.execute("UPDATE custody_log SET detail = 'x'", []);
    assert!(edit.unwrap_err().to_string().contains("append-only"));
    assert!(locker.store.conn.execute("DELETE FROM custody_log", []).is_err());
    // Someone who drops the trigger and rewrites an entry is still caught by the hash chain.
    locker
        .store
        .conn
        .execute_batch("DROP TRIGGER custody_log_no_update; UPDATE custody_log SET detail = 'other.txt';")
        .unwrap();
    let report = verify(&locker.store, &locker.home, &locker.key, locker.case_id).unwrap();
    assert!(report.problems.iter().any(|p| p.what.contains("content was altered")), "{:?}", report.problems);
}

#[test]
fn export_writes_the_original_bytes_and_logs_it() {
    let mut locker = Locker::new();
    let original = png(33, 21);
    let path = locker.file("proof.png", &original);
    locker.import(&[path]);
    let out = locker.dir.path().join("copy.png");
    export_item(&locker.store, &locker.home, &locker.key, locker.case_id, 1, &out, now()).unwrap();
    assert_eq!(fs::read(&out).unwrap(), original);
    let report = verify(&locker.store, &locker.home, &locker.key, locker.case_id).unwrap();
    assert_eq!(report.log_entries_checked, 2, "import and export are both logged");
    assert!(matches!(
        export_item(&locker.store, &locker.home, &VaultKey::random(), locker.case_id, 1, &out, now()),
        Err(CoreError::BlobDamaged)
    ));
}

#[test]
fn odd_file_names_are_kept_safely() {
    use std::os::unix::ffi::OsStrExt;
    let mut locker = Locker::new();
    let long = locker.file(&format!("{}\u{7}.txt", "a".repeat(240)), b"x");
    let latin1 = locker.dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9 receipt.txt"));
    fs::write(&latin1, b"y").unwrap();
    let outcome = locker.import(&[long, latin1]);
    let names: Vec<&str> = outcome
        .iter()
        .map(|o| match o {
            ImportOutcome::Added { item, .. } => item.original_name.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(names[0].chars().count(), 200, "long names are cut, control characters dropped");
    assert!(!names[0].contains('\u{7}'));
    assert_eq!(names[1], "caf\u{fffd} receipt.txt", "non-UTF-8 bytes are replaced, not fatal");
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files.sort();
    files
}

fn jpeg_with_exif(gps: bool) -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::RgbImage::from_pixel(64, 48, image::Rgb([10, 120, 200]))
        .write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let taken = exif::Field {
        tag: exif::Tag::DateTimeOriginal,
        ifd_num: exif::In::PRIMARY,
        value: exif::Value::Ascii(vec![b"2026:03:02 10:30:00".to_vec()]),
    };
    let north = exif::Field {
        tag: exif::Tag::GPSLatitudeRef,
        ifd_num: exif::In::PRIMARY,
        value: exif::Value::Ascii(vec![b"N".to_vec()]),
    };
    let mut writer = exif::experimental::Writer::new();
    writer.push_field(&taken);
    if gps {
        writer.push_field(&north);
    }
    let mut tiff = std::io::Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();
    let tiff = tiff.into_inner();
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&u16::try_from(tiff.len() + 8).unwrap().to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[test]
fn a_photo_keeps_its_capture_time_and_gps_is_flagged() {
    let mut locker = Locker::new();
    let with_gps = locker.file("IMG_0001.jpg", &jpeg_with_exif(true));
    let without = locker.file("IMG_0002.JPG", &jpeg_with_exif(false));
    let outcomes = locker.import(&[with_gps, without]);
    let items: Vec<&EvidenceItem> = outcomes
        .iter()
        .map(|o| match o {
            ImportOutcome::Added { item, .. } => item.as_ref(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(items[0].media_type, "image/jpeg");
    assert_eq!(items[0].captured_at.unwrap().to_string(), "2026-03-02 10:30:00");
    assert!(items[0].has_gps);
    assert!(!items[1].has_gps);
    assert_eq!((items[1].width, items[1].height), (Some(64), Some(48)));
}

#[test]
fn an_email_is_kept_with_its_headers_and_its_attachments_become_items() {
    let mut locker = Locker::new();
    let eml = "From: Lucky Lagoon <support@luckylagoon.example>\r\nTo: me@example.com\r\n\
Subject: =?windows-1252?Q?Verifizierung_n=F6tig?=\r\nDate: Tue, 03 Mar 2026 08:00:00 +0000\r\n\
Message-ID: <m1@luckylagoon.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n\
--B\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Send your ID</p><script>steal()</script><img src=\"https://t.example/x.gif\">\r\n\
--B\r\nContent-Type: image/png; name=\"proof.png\"\r\nContent-Disposition: attachment; filename=\"../../proof.png\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\n"
        .to_owned()
        + &data_encoding::BASE64.encode(&png(8, 8))
        + "\r\n--B--\r\n";
    let path = locker.file("reply.eml", eml.as_bytes());
    let outcomes = locker.import(&[path]);
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    let ImportOutcome::Added { item: email, .. } = &outcomes[0] else { panic!("{outcomes:?}") };
    assert_eq!(email.kind, EvidenceKind::Email);
    let headers = email.email.as_ref().unwrap();
    assert_eq!(headers.subject.as_deref(), Some("Verifizierung nötig"));
    assert_eq!(headers.message_id.as_deref(), Some("m1@luckylagoon.example"));
    let ImportOutcome::Added { item: attachment, .. } = &outcomes[1] else { panic!("{outcomes:?}") };
    assert_eq!(attachment.parent_id, Some(email.id));
    assert_eq!(attachment.kind, EvidenceKind::Image);
    assert!(!attachment.original_name.contains('/'), "no path separators: {}", attachment.original_name);
    let report = verify(&locker.store, &locker.home, &locker.key, locker.case_id).unwrap();
    assert!(report.problems.is_empty() && report.items_checked == 2, "{report:?}");
    let content =
        evidence_content(&locker.store, &locker.home, &locker.key, locker.case_id, email.id).unwrap();
    let body = content.email_body.unwrap();
    assert!(body.contains("Send your ID"), "{body}");
    assert!(!body.contains("steal()") && !body.contains("<img"), "the HTML body is inert text: {body}");
}

#[test]
fn a_mailbox_splits_into_emails_and_a_chat_export_into_messages() {
    let mut locker = Locker::new();
    let mbox = "From a@b Mon Mar  2 10:00:00 2026\nFrom: a@b.example\nSubject: One\n\nFirst\n\n\
From c@d Tue Mar  3 10:00:00 2026\nFrom: c@d.example\nSubject: Two\n\nSecond\n";
    let chat = "<html><body><div>[02/03/2026 10:01] Agent: Your withdrawal is pending</div>\
<div>[02/03/2026 10:03] Me: Since 10 days</div></body></html>";
    let mbox_path = locker.file("export.mbox", mbox.as_bytes());
    let chat_path = locker.file("livechat.html", chat.as_bytes());
    let outcomes = locker.import(&[mbox_path, chat_path]);
    let added: Vec<&EvidenceItem> = outcomes
        .iter()
        .filter_map(|o| match o {
            ImportOutcome::Added { item, .. } => Some(item.as_ref()),
            _ => None,
        })
        .collect();
    assert_eq!(added.len(), 4, "{outcomes:?}");
    assert_eq!(added[0].media_type, "application/mbox");
    let subjects: Vec<Option<&str>> =
        added[1..3].iter().map(|i| i.email.as_ref().and_then(|e| e.subject.as_deref())).collect();
    assert_eq!(subjects, [Some("One"), Some("Two")]);
    assert!(added[1..3].iter().all(|i| i.parent_id == Some(added[0].id)));
    assert_eq!((added[3].kind, added[3].chat_messages), (EvidenceKind::Chat, Some(2)));
}

fn added_id(outcome: &ImportOutcome) -> i64 {
    match outcome {
        ImportOutcome::Added { item, .. } => item.id,
        other => panic!("not added: {other:?}"),
    }
}

fn cached_thumbnails(locker: &Locker) -> Vec<PathBuf> {
    walk(&thumbs::thumbs_dir(&locker.home))
}

#[test]
fn thumbnails_are_made_once_encrypted_and_served_from_the_cache() {
    let mut locker = Locker::new();
    let shot = locker.file("shot.png", &png(1200, 600));
    let note = locker.file("note.txt", b"not an image");
    let outcomes = locker.import(&[shot, note]);
    let ids = added_ids(&outcomes);
    assert_eq!(ids.len(), 2);
    let seen = std::sync::Mutex::new(Vec::new());
    let ready = make_thumbnails(&locker.store, &locker.home, &locker.key, locker.case_id, &ids, |p| {
        seen.lock().unwrap().push((p.done, p.total, p.item_id, p.ready));
    })
    .unwrap();
    assert_eq!(ready, vec![ids[0]], "only the image has a thumbnail");
    assert_eq!(seen.into_inner().unwrap(), vec![(1, 1, ids[0], true)]);
    let files = cached_thumbnails(&locker);
    assert_eq!(files.len(), 1, "{files:?}");
    let on_disk = fs::read(&files[0]).unwrap();
    assert!(!on_disk.windows(4).any(|w| w == b"\x89PNG"), "the cached thumbnail is not encrypted");
    assert!(!on_disk.windows(4).any(|w| w == b"IHDR"), "the cached thumbnail is not encrypted");
    let modified = fs::metadata(&files[0]).unwrap().modified().unwrap();

    let url =
        thumbnail_data_url(&locker.store, &locker.home, &locker.key, locker.case_id, ids[0], THUMBNAIL_EDGE)
            .unwrap();
    let png_bytes =
        data_encoding::BASE64.decode(url.trim_start_matches("data:image/png;base64,").as_bytes()).unwrap();
    let shown = image::load_from_memory(&png_bytes).unwrap();
    assert_eq!((shown.width(), shown.height()), (320, 160), "320 px on the longer side, aspect kept");
    assert_eq!(
        fs::metadata(&files[0]).unwrap().modified().unwrap(),
        modified,
        "served from the cache, not remade"
    );
    assert!(matches!(
        thumbnail_data_url(&locker.store, &locker.home, &locker.key, locker.case_id, ids[1], THUMBNAIL_EDGE),
        Err(CoreError::NoPreview(_))
    ));
}

#[test]
fn thumbnails_average_the_pixels_they_shrink_and_never_enlarge() {
    // One-pixel black and white columns: a scaler that picks pixels instead of averaging them
    // would show stripes or a solid colour; a real reduction shows mid grey.
    let stripes = image::RgbImage::from_fn(1280, 640, |x, _| {
        if x % 2 == 0 { image::Rgb([0; 3]) } else { image::Rgb([255; 3]) }
    });
    let small = thumbs::scale_down(image::DynamicImage::ImageRgb8(stripes), THUMBNAIL_EDGE).to_rgb8();
    assert_eq!(small.dimensions(), (320, 160));
    for pixel in small.pixels() {
        assert!((100..=155).contains(&pixel[0]), "averaged to grey, got {pixel:?}");
    }

    let tall = image::DynamicImage::new_rgb8(300, 1000);
    assert_eq!(thumbs::scale_down(tall, THUMBNAIL_EDGE).dimensions(), (96, 320), "aspect kept");
    let sliver = image::DynamicImage::new_rgb8(5000, 3);
    assert_eq!(thumbs::scale_down(sliver, THUMBNAIL_EDGE).dimensions(), (320, 1), "never zero pixels");
    let icon = image::DynamicImage::new_rgba8(64, 48);
    assert_eq!(
        thumbs::scale_down(icon, THUMBNAIL_EDGE).dimensions(),
        (64, 48),
        "a small image is not enlarged"
    );

    // A half-transparent red over transparent black keeps its colour: alpha is weighted.
    let glass = image::RgbaImage::from_fn(800, 800, |x, _| {
        if x % 2 == 0 { image::Rgba([255, 0, 0, 255]) } else { image::Rgba([0, 0, 0, 0]) }
    });
    let glass = thumbs::scale_down(image::DynamicImage::ImageRgba8(glass), THUMBNAIL_EDGE).to_rgba8();
    let pixel = glass.get_pixel(100, 100);
    assert!(pixel[0] > 240 && pixel[1] < 10 && (100..=155).contains(&pixel[3]), "{pixel:?}");

    let deep =
        image::DynamicImage::ImageRgb16(image::ImageBuffer::from_pixel(640, 640, image::Rgb([40_000u16; 3])));
    let deep = thumbs::scale_down(deep, THUMBNAIL_EDGE);
    assert_eq!(deep.dimensions(), (320, 320));
    assert_eq!(deep.to_rgb16().get_pixel(5, 5)[0], 40_000, "16-bit images keep their depth");
}

#[test]
fn a_damaged_or_missing_thumbnail_is_simply_made_again() {
    let mut locker = Locker::new();
    let shot = locker.file("shot.png", &png(400, 400));
    let id = added_id(&locker.import(&[shot])[0]);
    let first =
        thumbnail_data_url(&locker.store, &locker.home, &locker.key, locker.case_id, id, THUMBNAIL_EDGE)
            .unwrap();
    let file = cached_thumbnails(&locker).pop().expect("the cached thumbnail");
    let mut bytes = fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    fs::write(&file, &bytes).unwrap();
    let again =
        thumbnail_data_url(&locker.store, &locker.home, &locker.key, locker.case_id, id, THUMBNAIL_EDGE)
            .unwrap();
    assert_eq!(again, first, "the damaged cache file was remade from the item");
    assert_ne!(fs::read(&file).unwrap(), bytes, "the damaged file was replaced");
    fs::write(&file, b"").unwrap();
    assert_eq!(
        thumbnail_data_url(&locker.store, &locker.home, &locker.key, locker.case_id, id, THUMBNAIL_EDGE)
            .unwrap(),
        first
    );
    fs::remove_file(&file).unwrap();
    assert_eq!(
        thumbnail_data_url(&locker.store, &locker.home, &locker.key, locker.case_id, id, THUMBNAIL_EDGE)
            .unwrap(),
        first
    );
    assert!(file.exists(), "the missing cache file was made again");
}

#[test]
fn a_deleted_cases_thumbnails_are_swept() {
    let mut locker = Locker::new();
    let shot = locker.file("shot.png", &png(300, 200));
    let id = added_id(&locker.import(&[shot])[0]);
    make_thumbnails(&locker.store, &locker.home, &locker.key, locker.case_id, &[id], |_| {}).unwrap();
    assert_eq!(cached_thumbnails(&locker).len(), 1);
    assert_eq!(sweep_thumbnails(&locker.store, &locker.home, &locker.key).unwrap(), 0, "still needed");
    locker.store.delete_case(locker.case_id).unwrap();
    assert_eq!(sweep_thumbnails(&locker.store, &locker.home, &locker.key).unwrap(), 1);
    assert!(cached_thumbnails(&locker).is_empty());
}

#[test]
fn pasted_bytes_go_through_the_same_checks_dedup_and_custody() {
    let mut locker = Locker::new();
    let shot = png(64, 48);
    let pasted = import_bytes(
        &mut locker.store,
        &locker.home,
        &locker.key,
        locker.case_id,
        "Pasted screenshot 2026-11-22 14.03.png",
        &shot,
        now(),
    )
    .unwrap();
    let ImportOutcome::Added { file, item } = &pasted[0] else { panic!("{pasted:?}") };
    assert_eq!(file, "Pasted screenshot 2026-11-22 14.03.png");
    assert_eq!((item.kind, item.width, item.height), (EvidenceKind::Image, Some(64), Some(48)));
    let same_file = locker.file("same.png", &shot);
    assert!(
        matches!(&locker.import(&[same_file])[0], ImportOutcome::Duplicate { of_item, .. } if *of_item == item.id),
        "a file with the pasted bytes is a duplicate of the pasted item"
    );
    let again =
        import_bytes(&mut locker.store, &locker.home, &locker.key, locker.case_id, "again.png", &shot, now())
            .unwrap();
    assert!(
        matches!(&again[0], ImportOutcome::Duplicate { of_item, .. } if *of_item == item.id),
        "{again:?}"
    );

    let mut bomb = png(1, 1);
    bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let refused =
        import_bytes(&mut locker.store, &locker.home, &locker.key, locker.case_id, "bomb.png", &bomb, now())
            .unwrap();
    assert!(
        matches!(&refused[0], ImportOutcome::Rejected { reason, .. } if reason.contains("decompression bomb") || reason.contains("damaged")),
        "{refused:?}"
    );
    let empty =
        import_bytes(&mut locker.store, &locker.home, &locker.key, locker.case_id, "x.png", b"", now())
            .unwrap();
    assert!(
        matches!(&empty[0], ImportOutcome::Rejected { reason, .. } if reason.contains("empty")),
        "{empty:?}"
    );

    let chat =
        "[2026-03-02 10:01] Agent: Your withdrawal is with our finance team.\n[2026-03-02 10:02] Me: When?\n";
    let text = import_bytes(
        &mut locker.store,
        &locker.home,
        &locker.key,
        locker.case_id,
        "Pasted text 2026-11-22 14.05.txt",
        chat.as_bytes(),
        now(),
    )
    .unwrap();
    assert!(
        matches!(&text[0], ImportOutcome::Added { item, .. } if item.kind == EvidenceKind::Chat && item.chat_messages == Some(2)),
        "{text:?}"
    );

    let report = verify(&locker.store, &locker.home, &locker.key, locker.case_id).unwrap();
    assert!(report.problems.is_empty(), "{report:?}");
    assert_eq!(report.items_checked, 2);
    let on_disk: Vec<u8> =
        walk(&locker.home.root().join("evidence")).iter().flat_map(|p| fs::read(p).unwrap()).collect();
    assert!(!on_disk.windows(20).any(|w| w == &chat.as_bytes()[..20]), "no plaintext on disk");
}
