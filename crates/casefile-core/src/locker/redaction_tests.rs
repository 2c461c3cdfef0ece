//! Editing, deleting, hiding areas and copies for recipients, with real files in a temp locker.

use std::fs;
use std::path::PathBuf;

use super::tests::{Locker, now};
use super::*;
use crate::ladder::RecipientKind;

impl Locker {
    /// Imports one file and returns its item.
    fn add(&mut self, name: &str, bytes: &[u8]) -> EvidenceItem {
        let path = self.dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        match import_files(&mut self.store, &self.home, &self.key, self.case_id, &[path], now())
            .unwrap()
            .remove(0)
        {
            ImportOutcome::Added { item, .. } => *item,
            other => panic!("not added: {other:?}"),
        }
    }

    fn out(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn copy(&self, item: i64, policy: ExportPolicy, name: &str) -> ExportedCopy {
        export_for_recipient(
            &self.store,
            &self.home,
            &self.key,
            self.case_id,
            item,
            &policy,
            &self.out(name),
            now(),
        )
        .unwrap()
    }

    fn verify_clean(&self) -> VerifyReport {
        let report = verify(&self.store, &self.home, &self.key, self.case_id).unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        report
    }

    fn custody(&self) -> Vec<(String, String)> {
        let mut statement =
            self.store.conn.prepare("SELECT action, detail FROM custody_log ORDER BY seq").unwrap();
        statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().map(Result::unwrap).collect()
    }
}

const BOTH: ExportPolicy = ExportPolicy { apply_redactions: true, strip_gps: true };

/// A PNG whose every pixel differs from its neighbours, so a shifted or missed box shows.
fn gradient_png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([u8::try_from(x % 250).unwrap() + 3, u8::try_from(y % 250).unwrap() + 3, 77])
    });
    let mut bytes = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

/// A JPEG with a capture time, an orientation and (if asked) a GPS position, as phones write them.
fn jpeg_with_exif(gps: bool) -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([u8::try_from(x * 3).unwrap(), u8::try_from(y * 5).unwrap(), 90])
    })
    .write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
    .unwrap();
    let field = |tag, value| exif::Field { tag, ifd_num: exif::In::PRIMARY, value };
    let mut fields = vec![
        field(exif::Tag::DateTimeOriginal, exif::Value::Ascii(vec![b"2026:03:02 10:30:00".to_vec()])),
        field(exif::Tag::Orientation, exif::Value::Short(vec![6])),
    ];
    if gps {
        fields.push(field(exif::Tag::GPSLatitudeRef, exif::Value::Ascii(vec![b"N".to_vec()])));
        fields.push(field(
            exif::Tag::GPSLatitude,
            exif::Value::Rational(vec![(51, 1).into(), (30, 1).into(), (1234, 100).into()]),
        ));
    }
    let mut writer = exif::experimental::Writer::new();
    for f in &fields {
        writer.push_field(f);
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

fn gps_fields(bytes: &[u8]) -> usize {
    exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .map(|e| e.fields().filter(|f| f.tag.context() == exif::Context::Gps).count())
        .unwrap_or(0)
}

fn pixels(bytes: &[u8]) -> image::RgbaImage {
    image::load_from_memory(bytes).unwrap().into_rgba8()
}

fn sha(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(bytes))
}

#[test]
fn hidden_areas_are_black_in_the_copy_and_the_original_never_changes() {
    let mut locker = Locker::new();
    let original = gradient_png(120, 80);
    let item = locker.add("card.png", &original);
    let boxes = [
        RedactionBox { x: 10, y: 20, width: 30, height: 15 },
        RedactionBox { x: 100, y: 70, width: 20, height: 10 },
    ];
    set_redactions(&locker.store, locker.case_id, item.id, &boxes, now()).unwrap();
    assert_eq!(locker.store.evidence_item(locker.case_id, item.id).unwrap().hidden_areas, 2);

    let copy = locker.copy(item.id, BOTH, "card-redacted.png");
    assert!(copy.redacted && !copy.gps_removed);
    assert_eq!(copy.media_type, "image/png");
    let written = fs::read(locker.out("card-redacted.png")).unwrap();
    assert_eq!((copy.sha256.as_str(), copy.size), (sha(&written).as_str(), written.len() as u64));
    let (before, after) = (pixels(&original), pixels(&written));
    let inside = |x: u32, y: u32| {
        boxes.iter().any(|b| x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height)
    };
    for (x, y, pixel) in after.enumerate_pixels() {
        if inside(x, y) {
            assert_eq!(pixel.0, [0, 0, 0, 255], "({x},{y}) is inside a box");
        } else {
            assert_eq!(pixel, before.get_pixel(x, y), "({x},{y}) is outside every box");
        }
    }

    // The plain export is still the byte-exact original, and the item's hash is unchanged.
    export_item(
        &locker.store,
        &locker.home,
        &locker.key,
        locker.case_id,
        item.id,
        &locker.out("plain.png"),
        now(),
    )
    .unwrap();
    assert_eq!(fs::read(locker.out("plain.png")).unwrap(), original);
    assert_eq!(locker.store.evidence_item(locker.case_id, item.id).unwrap().sha256, sha(&original));
    let actions: Vec<String> = locker.custody().into_iter().map(|(a, _)| a).collect();
    assert_eq!(actions, ["import", "redact", "export", "export"]);
    assert_eq!(locker.custody()[1].1, "2 areas hidden");
    locker.verify_clean();
}

#[test]
fn boxes_are_replaced_cleared_and_refused_outside_the_image() {
    let mut locker = Locker::new();
    let item = locker.add("shot.png", &gradient_png(50, 40));
    let (store, case) = (&locker.store, locker.case_id);
    let outside =
        set_redactions(store, case, item.id, &[RedactionBox { x: 40, y: 0, width: 11, height: 5 }], now());
    assert!(outside.unwrap_err().to_string().contains("does not fit inside the 50×40 image"));
    let empty =
        set_redactions(store, case, item.id, &[RedactionBox { x: 0, y: 0, width: 0, height: 5 }], now());
    assert!(empty.is_err());
    set_redactions(store, case, item.id, &[RedactionBox { x: 0, y: 0, width: 50, height: 40 }], now())
        .unwrap();
    // Saving the same boxes again changes nothing and logs nothing.
    set_redactions(store, case, item.id, &[RedactionBox { x: 0, y: 0, width: 50, height: 40 }], now())
        .unwrap();
    set_redactions(store, case, item.id, &[], now()).unwrap();
    assert!(redaction_boxes(store, case, item.id).unwrap().is_empty());
    let details: Vec<String> = locker.custody().into_iter().skip(1).map(|(_, d)| d).collect();
    assert_eq!(details, ["1 area hidden", "all hidden areas cleared"]);

    let note = locker.add("note.txt", b"just a note");
    let refused = set_redactions(
        &locker.store,
        case,
        note.id,
        &[RedactionBox { x: 0, y: 0, width: 1, height: 1 }],
        now(),
    );
    assert!(refused.unwrap_err().to_string().contains("is not an image"));
}

#[test]
fn a_jpeg_loses_its_location_but_not_a_single_pixel() {
    let mut locker = Locker::new();
    let original = jpeg_with_exif(true);
    assert!(gps_fields(&original) > 0);
    let item = locker.add("IMG_0001.jpg", &original);
    assert!(item.has_gps);

    let copy = locker.copy(item.id, BOTH, "photo.jpg");
    assert!(copy.gps_removed && !copy.redacted);
    assert_eq!(copy.media_type, "image/jpeg");
    let written = fs::read(locker.out("photo.jpg")).unwrap();
    assert_eq!(gps_fields(&written), 0, "no GPS tag in the copy");
    let exif = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(&written)).unwrap();
    assert!(exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY).is_some(), "orientation is kept");
    assert!(exif.get_field(exif::Tag::DateTimeOriginal, exif::In::PRIMARY).is_none());
    // Lossless: the compressed image data is the same bytes, so the decoded pixels are identical.
    let scan = |bytes: &[u8]| bytes.windows(2).position(|w| w == [0xFF, 0xDA]).map(|at| bytes[at..].to_vec());
    assert_eq!(scan(&written), scan(&original));
    assert_eq!(pixels(&written), pixels(&original));

    // Without GPS and without boxes, the copy is the original, byte for byte.
    let plain = locker.add("IMG_0002.jpg", &jpeg_with_exif(false));
    let copy = locker.copy(plain.id, BOTH, "plain.jpg");
    assert!(!copy.gps_removed && !copy.redacted);
    assert_eq!(fs::read(locker.out("plain.jpg")).unwrap(), jpeg_with_exif(false));
    locker.verify_clean();
    assert!(locker.custody().iter().any(|(a, d)| a == "export" && d == "copy written without location data"));
}

#[test]
fn a_jpeg_with_boxes_and_gps_becomes_a_png_without_metadata() {
    let mut locker = Locker::new();
    let item = locker.add("IMG_0003.jpg", &jpeg_with_exif(true));
    set_redactions(
        &locker.store,
        locker.case_id,
        item.id,
        &[RedactionBox { x: 0, y: 0, width: 8, height: 8 }],
        now(),
    )
    .unwrap();
    let copy = locker.copy(item.id, BOTH, "both.png");
    assert!(copy.redacted && copy.gps_removed);
    let written = fs::read(locker.out("both.png")).unwrap();
    assert!(written.starts_with(b"\x89PNG"));
    assert!(
        exif::Reader::new().read_from_container(&mut std::io::Cursor::new(&written)).is_err(),
        "no EXIF at all"
    );
    assert_eq!(pixels(&written).get_pixel(3, 3).0, [0, 0, 0, 255]);
}

/// The CRC-32 of PNG chunks (ISO 3309), for building a PNG with an eXIf chunk by hand.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[test]
fn a_png_loses_its_exif_chunk_and_keeps_its_image_data() {
    let plain = gradient_png(30, 20);
    let jpeg = jpeg_with_exif(true);
    let tiff_at = jpeg.windows(6).position(|w| w == b"Exif\0\0").unwrap() + 6;
    let tiff_len = usize::from(u16::from_be_bytes([jpeg[4], jpeg[5]])) - 8;
    let tiff = &jpeg[tiff_at..tiff_at + tiff_len];
    let mut chunk = b"eXIf".to_vec();
    chunk.extend_from_slice(tiff);
    let mut png = plain[..33].to_vec(); // signature and IHDR
    png.extend_from_slice(&u32::try_from(tiff.len()).unwrap().to_be_bytes());
    png.extend_from_slice(&chunk);
    png.extend_from_slice(&crc32(&chunk).to_be_bytes());
    png.extend_from_slice(&plain[33..]);
    assert!(gps_fields(&png) > 0);

    let mut locker = Locker::new();
    let item = locker.add("map.png", &png);
    assert!(item.has_gps);
    let copy = locker.copy(item.id, BOTH, "map-copy.png");
    assert!(copy.gps_removed);
    assert_eq!(
        fs::read(locker.out("map-copy.png")).unwrap(),
        plain,
        "exactly the PNG without its eXIf chunk"
    );
}

#[test]
fn a_failed_copy_leaves_nothing_behind() {
    let mut locker = Locker::new();
    let item = locker.add("shot.png", &gradient_png(20, 20));
    let dest = locker.out("copy.png");
    let wrong = VaultKey::random();
    let failed = export_for_recipient(
        &locker.store,
        &locker.home,
        &wrong,
        locker.case_id,
        item.id,
        &BOTH,
        &dest,
        now(),
    );
    assert!(matches!(failed, Err(CoreError::BlobDamaged)));
    let left: Vec<_> = fs::read_dir(locker.dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(
        left.iter()
            .all(|n| !n.to_string_lossy().contains("copy")
                && !n.to_string_lossy().starts_with(".casefile-export")),
        "{left:?}"
    );
    assert_eq!(locker.custody().len(), 1, "nothing logged");
}

#[test]
fn edits_change_the_words_and_log_which_fields_changed() {
    let mut locker = Locker::new();
    let item = locker.add("scan.png", &gradient_png(10, 10));
    let edit = ItemEdit {
        title: Some("  Passport scan ".into()),
        description: None,
        tags: Some(vec!["ID-Document".into(), "kyc".into(), "kyc".into(), " ".into()]),
    };
    let edited = edit_item(&locker.store, locker.case_id, item.id, &edit, now()).unwrap();
    assert_eq!(edited.title, "Passport scan");
    assert_eq!(edited.tags, ["id-document", "kyc"]);
    assert_eq!(edited.sha256, item.sha256);
    // The same edit again changes nothing and logs nothing.
    edit_item(&locker.store, locker.case_id, item.id, &edit, now()).unwrap();
    let empty = ItemEdit { title: Some("   ".into()), ..ItemEdit::default() };
    assert!(
        edit_item(&locker.store, locker.case_id, item.id, &empty, now())
            .unwrap_err()
            .to_string()
            .contains("cannot be empty")
    );
    let description =
        ItemEdit { description: Some("Sent to support on 2 March".into()), ..ItemEdit::default() };
    edit_item(&locker.store, locker.case_id, item.id, &description, now()).unwrap();
    assert_eq!(
        locker.custody()[1..],
        [
            ("edit".to_owned(), "changed title, tags".to_owned()),
            ("edit".to_owned(), "changed description".to_owned())
        ]
    );
    assert!(matches!(
        edit_item(&locker.store, locker.case_id, 99, &edit, now()),
        Err(CoreError::EvidenceNotFound(99))
    ));
    locker.verify_clean();
}

#[test]
fn a_deleted_item_is_logged_and_verify_does_not_miss_it_but_a_vanished_one_is_caught() {
    let mut locker = Locker::new();
    let kept = locker.add("kept.txt", b"kept evidence");
    let gone = locker.add("gone.png", &gradient_png(12, 12));
    set_redactions(
        &locker.store,
        locker.case_id,
        gone.id,
        &[RedactionBox { x: 1, y: 1, width: 2, height: 2 }],
        now(),
    )
    .unwrap();
    let blobs_before = fs::read_dir(locker.home.root().join("evidence")).unwrap().count();
    delete_item(&locker.store, &locker.home, locker.case_id, gone.id, now()).unwrap();
    assert!(matches!(
        locker.store.evidence_item(locker.case_id, gone.id),
        Err(CoreError::EvidenceNotFound(_))
    ));
    let blob =
        blob::blob_path(&locker.home.root().join("evidence"), &blob::blob_name(&locker.key, &gone.sha256));
    assert!(!blob.exists(), "its encrypted file is removed");
    assert!(fs::read_dir(locker.home.root().join("evidence")).unwrap().count() <= blobs_before);
    let last = locker.custody().pop().unwrap();
    assert_eq!(last, ("delete".to_owned(), "gone.png".to_owned()));
    let hash: String = locker
        .store
        .conn
        .query_row("SELECT item_sha256 FROM custody_log ORDER BY seq DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(hash, gone.sha256);
    let report = locker.verify_clean();
    assert_eq!(report.items_checked, 1);

    // A row removed behind the locker's back is reported.
    locker.store.conn.execute("DELETE FROM evidence_items WHERE id = ?1", [kept.id]).unwrap();
    let report = verify(&locker.store, &locker.home, &locker.key, locker.case_id).unwrap();
    assert!(
        report.problems.iter().any(|p| p.item_id == Some(kept.id) && p.what.contains("no delete is logged")),
        "{:?}",
        report.problems
    );
}

#[test]
fn a_blob_shared_with_another_case_survives_a_delete() {
    let mut locker = Locker::new();
    let bytes = gradient_png(16, 16);
    let first = locker.add("same.png", &bytes);
    let other_case = locker.store.create_case(&crate::demo::demo_input(now()), now()).unwrap().id;
    let path = locker.out("same.png");
    import_files(&mut locker.store, &locker.home, &locker.key, other_case, &[path], now()).unwrap();
    delete_item(&locker.store, &locker.home, locker.case_id, first.id, now()).unwrap();
    let report = verify(&locker.store, &locker.home, &locker.key, other_case).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn each_recipient_kind_gets_its_own_plan() {
    let mut locker = Locker::new();
    let passport = locker.add("passport.png", &gradient_png(40, 30));
    let tags = ItemEdit { tags: Some(vec![edit::ID_DOCUMENT_TAG.into()]), ..ItemEdit::default() };
    edit_item(&locker.store, locker.case_id, passport.id, &tags, now()).unwrap();
    let shot = locker.add("shot.png", &gradient_png(41, 30));
    set_redactions(
        &locker.store,
        locker.case_id,
        shot.id,
        &[RedactionBox { x: 0, y: 0, width: 5, height: 5 }],
        now(),
    )
    .unwrap();
    let photo = locker.add("IMG_0001.jpg", &jpeg_with_exif(true));
    let note = locker.add("chat.txt", b"card 4111 1111 1111 1111");

    let plan = |kind, overrides: &[ExhibitOverride]| {
        plan_exhibits(&locker.store, locker.case_id, kind, overrides).unwrap()
    };
    let portal = plan(RecipientKind::Portal, &[]);
    let by_id = |plan: &[PlannedExhibit], id: i64| plan.iter().find(|p| p.item_id == id).unwrap().clone();
    let left_out = by_id(&portal, passport.id);
    assert!(!left_out.include);
    assert!(left_out.reason_excluded.unwrap().contains("identity document"));
    assert!(by_id(&portal, shot.id).redacted);
    assert!(by_id(&portal, photo.id).gps_removed);
    assert!(by_id(&portal, note.id).masked);

    let legal = plan(RecipientKind::Legal, &[]);
    assert!(by_id(&legal, passport.id).include);
    assert!(!by_id(&legal, shot.id).redacted, "the player's lawyer sees originals");
    assert!(!by_id(&legal, note.id).masked);
    assert!(by_id(&legal, photo.id).gps_removed);

    let overridden = plan(
        RecipientKind::Portal,
        &[
            ExhibitOverride { item_id: passport.id, include: true },
            ExhibitOverride { item_id: note.id, include: false },
        ],
    );
    assert!(by_id(&overridden, passport.id).include);
    let dropped = by_id(&overridden, note.id);
    assert!(!dropped.include && !dropped.masked);
    assert!(dropped.reason_excluded.unwrap().contains("you chose"));
    assert!(
        plan_exhibits(
            &locker.store,
            locker.case_id,
            RecipientKind::Portal,
            &[ExhibitOverride { item_id: 999, include: true }]
        )
        .is_err()
    );
    assert_eq!(
        by_id(&portal, shot.id).export_policy(),
        ExportPolicy { apply_redactions: true, strip_gps: false }
    );
}
