//! Copies of evidence made for someone else: areas of an image the player hid (boxes in the image's
//! pixel space, stored beside the item; the original never changes) are filled black, and a photo's
//! location is removed. Every change of the boxes and every copy is logged in the custody log.

use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::{CustodyEntryInput, EvidenceKind, MAX_IMAGE_PIXELS, VaultKey, blob, formats, stored_blob};
use crate::error::{CoreError, CoreResult};
use crate::home::DataHome;
use crate::storage::Store;

/// A rectangle to hide, in the original image's pixels (origin top left).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RedactionBox {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// More boxes than this on one image is a mistake (or a runaway script), not a redaction.
const MAX_BOXES: usize = 200;

/// Images larger than this are not decoded to make a copy (the import refuses far larger ones).
const MAX_COPY_SOURCE_BYTES: u64 = 200 * 1024 * 1024;

/// The hidden areas of an item, in the order they were drawn.
pub fn redaction_boxes(store: &Store, case_id: i64, item_id: i64) -> CoreResult<Vec<RedactionBox>> {
    store.evidence_item(case_id, item_id)?;
    let mut statement = store
        .conn
        .prepare("SELECT x, y, width, height FROM redaction_boxes WHERE item_id = ?1 ORDER BY position")?;
    let rows = statement.query_map([item_id], |row| {
        Ok(RedactionBox { x: row.get(0)?, y: row.get(1)?, width: row.get(2)?, height: row.get(3)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Replaces an image item's hidden areas (an empty list clears them) and logs a "redact" entry
/// with the number of boxes. Boxes must lie inside the image; nothing is stored otherwise.
pub fn set_redactions(
    store: &Store,
    case_id: i64,
    item_id: i64,
    boxes: &[RedactionBox],
    now: DateTime<Utc>,
) -> CoreResult<Vec<RedactionBox>> {
    let item = store.evidence_item(case_id, item_id)?;
    let (Some(width), Some(height), EvidenceKind::Image) = (item.width, item.height, item.kind) else {
        return Err(CoreError::Refused(format!(
            "Item {item_id} is not an image: areas can only be hidden in screenshots and photos."
        )));
    };
    if boxes.len() > MAX_BOXES {
        return Err(CoreError::Refused(format!("At most {MAX_BOXES} areas can be hidden in one image.")));
    }
    for (index, b) in boxes.iter().enumerate() {
        let fits = b.width > 0
            && b.height > 0
            && u64::from(b.x) + u64::from(b.width) <= u64::from(width)
            && u64::from(b.y) + u64::from(b.height) <= u64::from(height);
        if !fits {
            return Err(CoreError::Refused(format!(
                "Area {} ({},{} {}×{}) does not fit inside the {width}×{height} image; draw it again inside the picture.",
                index + 1,
                b.x,
                b.y,
                b.width,
                b.height
            )));
        }
    }
    if redaction_boxes(store, case_id, item_id)? == boxes {
        return Ok(boxes.to_vec());
    }
    let tx = store.conn.unchecked_transaction()?;
    tx.execute("DELETE FROM redaction_boxes WHERE item_id = ?1", [item_id])?;
    for (position, b) in boxes.iter().enumerate() {
        tx.execute(
            "INSERT INTO redaction_boxes (item_id, position, x, y, width, height) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![item_id, i64::try_from(position).unwrap_or(i64::MAX), b.x, b.y, b.width, b.height],
        )?;
    }
    let detail = match boxes.len() {
        0 => "all hidden areas cleared".to_owned(),
        1 => "1 area hidden".to_owned(),
        n => format!("{n} areas hidden"),
    };
    store.append_custody(&CustodyEntryInput {
        case_id,
        at: now,
        action: "redact",
        item_id: Some(item_id),
        item_sha256: Some(&item.sha256),
        detail: &detail,
    })?;
    tx.commit()?;
    Ok(boxes.to_vec())
}

/// Decodes an image under the same limits as import and preview, so a hostile file cannot exhaust
/// memory while a copy is made.
fn decode(bytes: &[u8]) -> CoreResult<image::DynamicImage> {
    let refused = |why: String| CoreError::Refused(format!("The image could not be copied: {why}."));
    let reader = || {
        image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| refused(e.to_string()))
    };
    let (width, height) = reader()?.into_dimensions().map_err(|e| refused(e.to_string()))?;
    if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
        return Err(refused(format!("it claims {width} × {height} pixels")));
    }
    let mut reader = reader()?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(512 * 1024 * 1024);
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    reader.limits(limits);
    reader.decode().map_err(|e| refused(e.to_string()))
}

/// The image with every box filled solid black, encoded as a fresh PNG: no metadata of the
/// original (EXIF, GPS, text chunks) is carried over.
pub fn redacted_png(bytes: &[u8], boxes: &[RedactionBox]) -> CoreResult<Vec<u8>> {
    let mut image = decode(bytes)?.into_rgba8();
    let (width, height) = image.dimensions();
    for b in boxes {
        let x_end = b.x.saturating_add(b.width).min(width);
        let y_end = b.y.saturating_add(b.height).min(height);
        for y in b.y.min(height)..y_end {
            for x in b.x.min(width)..x_end {
                image.put_pixel(x, y, image::Rgba([0, 0, 0, 255]));
            }
        }
    }
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| CoreError::Refused(format!("The redacted copy could not be written: {e}.")))?;
    Ok(png)
}

/// A JPEG without its location: the EXIF block is replaced by one that carries only the
/// orientation (so the photo still shows the right way up), and XMP (which can repeat the GPS
/// position) is dropped. Pixel data is copied byte for byte. `None` when the file is not a JPEG
/// whose segments can be walked.
pub fn jpeg_without_location(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    if let Some(exif) = orientation_only_exif(bytes) {
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&u16::try_from(exif.len() + 2).ok()?.to_be_bytes());
        out.extend_from_slice(&exif);
    }
    let mut at = 2;
    loop {
        // Markers may be preceded by fill bytes (0xFF).
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        if bytes.get(at) != Some(&0xFF) {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        if marker == 0xD9 || (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            out.extend_from_slice(&bytes[at..at + 2]);
            at += 2;
            if marker == 0xD9 {
                return Some(out);
            }
            continue;
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at + 2)?, *bytes.get(at + 3)?]));
        let end = at.checked_add(2 + length)?;
        let segment = bytes.get(at..end)?;
        if marker == 0xDA {
            // Start of scan: the entropy-coded data and everything after it are kept as they are.
            out.extend_from_slice(&bytes[at..]);
            return Some(out);
        }
        let payload = &segment[4..];
        let located = marker == 0xE1
            && (payload.starts_with(b"Exif\0") || payload.starts_with(b"http://ns.adobe.com/xap/1.0/"));
        if !located {
            out.extend_from_slice(segment);
        }
        at = end;
    }
}

/// "Exif\0\0" and a TIFF block holding only the photo's orientation, when it has one.
fn orientation_only_exif(bytes: &[u8]) -> Option<Vec<u8>> {
    let exif = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)).ok()?;
    let orientation = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
    let mut writer = exif::experimental::Writer::new();
    writer.push_field(orientation);
    let mut tiff = std::io::Cursor::new(Vec::new());
    writer.write(&mut tiff, false).ok()?;
    let mut out = b"Exif\0\0".to_vec();
    out.extend_from_slice(&tiff.into_inner());
    Some(out)
}

/// A PNG without the chunks that can carry a location or other camera data (eXIf, text chunks
/// with raw EXIF or XMP, tIME); image data chunks are copied byte for byte.
pub fn png_without_location(bytes: &[u8]) -> Option<Vec<u8>> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !bytes.starts_with(SIGNATURE) {
        return None;
    }
    let mut out = SIGNATURE.to_vec();
    let mut at = SIGNATURE.len();
    while at < bytes.len() {
        let length = usize::try_from(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?)).ok()?;
        let end = at.checked_add(12)?.checked_add(length)?;
        let chunk = bytes.get(at..end)?;
        let kind = &chunk[4..8];
        if !matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME") {
            out.extend_from_slice(chunk);
        }
        at = end;
        if kind == b"IEND" {
            return Some(out);
        }
    }
    None
}

/// What a copy for a recipient applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExportPolicy {
    /// Fill the hidden areas black (only images with boxes are affected).
    pub apply_redactions: bool,
    /// Remove a photo's location (only items with GPS data are affected).
    pub strip_gps: bool,
}

/// The copy that was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExportedCopy {
    /// SHA-256 of the copy as written (differs from the item's when anything was changed).
    pub sha256: String,
    pub size: u64,
    /// The copy's type: a redacted or re-encoded image is always `image/png`.
    pub media_type: String,
    pub redacted: bool,
    pub gps_removed: bool,
}

/// Hashes what passes through, so the copy's hash is known without reading it back.
struct HashingWriter<W: Write> {
    inner: W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.hasher.update(&buf[..written]);
        self.size += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes the copy of an item that a recipient gets, to `dest`, atomically (a temp file beside it,
/// synced and renamed; nothing is left behind on failure), and logs an "export" custody entry that
/// says what was changed. Items that need no change are streamed from the blob byte for byte; a
/// JPEG or PNG whose location is removed keeps its pixel data byte for byte; an image with hidden
/// areas, or another format with a location, becomes a new PNG without any metadata.
#[expect(
    clippy::too_many_arguments,
    reason = "the locker's usual store, home, key, case, item and now, plus what and where"
)]
pub fn export_for_recipient(
    store: &Store,
    home: &DataHome,
    key: &VaultKey,
    case_id: i64,
    item_id: i64,
    policy: &ExportPolicy,
    dest: &Path,
    now: DateTime<Utc>,
) -> CoreResult<ExportedCopy> {
    let item = store.evidence_item(case_id, item_id)?;
    let stored = stored_blob(store, home, case_id, item_id)?;
    let boxes = if policy.apply_redactions && item.kind == EvidenceKind::Image {
        redaction_boxes(store, case_id, item_id)?
    } else {
        Vec::new()
    };
    let may_hold_location = policy.strip_gps && item.kind == EvidenceKind::Image;
    let parent = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let temp = tempfile::Builder::new()
        .prefix(".casefile-export-")
        .tempfile_in(parent)
        .map_err(|e| CoreError::io(format!("Could not write to {}", parent.display()), e))?;
    let file = temp.as_file().try_clone().map_err(|e| CoreError::io("Could not write the copy", e))?;
    let mut writer = HashingWriter { inner: BufWriter::new(file), hasher: Sha256::new(), size: 0 };
    let mut copy = ExportedCopy {
        sha256: String::new(),
        size: 0,
        media_type: item.media_type.clone(),
        redacted: false,
        gps_removed: false,
    };
    if boxes.is_empty() && !may_hold_location {
        let got = blob::open(&stored.path, key, &mut writer)?;
        if got != stored.sha256 {
            return Err(CoreError::BlobDamaged);
        }
    } else {
        if stored.size > MAX_COPY_SOURCE_BYTES {
            return Err(CoreError::Refused(format!(
                "Item {item_id} is too large ({} MB) to make a redacted or location-free copy.",
                stored.size / (1024 * 1024)
            )));
        }
        let mut bytes = Vec::new();
        if blob::open(&stored.path, key, &mut bytes)? != stored.sha256 {
            return Err(CoreError::BlobDamaged);
        }
        let has_gps = may_hold_location && (item.has_gps || formats::read_exif(&bytes).has_gps);
        let out = if !boxes.is_empty() {
            copy.redacted = true;
            copy.gps_removed = has_gps;
            copy.media_type = "image/png".into();
            redacted_png(&bytes, &boxes)?
        } else if has_gps {
            copy.gps_removed = true;
            match jpeg_without_location(&bytes).or_else(|| png_without_location(&bytes)) {
                Some(stripped) => stripped,
                None => {
                    copy.media_type = "image/png".into();
                    redacted_png(&bytes, &[])?
                }
            }
        } else {
            bytes
        };
        writer
            .write_all(&out)
            .map_err(|e| CoreError::io("Could not write the copy (is the disk full?)", e))?;
    }
    writer.flush().map_err(|e| CoreError::io("Could not write the copy (is the disk full?)", e))?;
    copy.sha256 = data_encoding::HEXLOWER.encode(&writer.hasher.finalize());
    copy.size = writer.size;
    drop(writer.inner);
    temp.as_file().sync_all().map_err(|e| CoreError::io("Could not save the copy (is the disk full?)", e))?;
    temp.persist(dest).map_err(|e| CoreError::io(format!("Could not write {}", dest.display()), e.error))?;
    let detail = match (copy.redacted, copy.gps_removed) {
        (false, false) => "decrypted copy written".to_owned(),
        (true, false) => format!("copy written with {} area(s) hidden", boxes.len()),
        (false, true) => "copy written without location data".to_owned(),
        (true, true) => format!("copy written with {} area(s) hidden and without location data", boxes.len()),
    };
    let logged = store.append_custody(&CustodyEntryInput {
        case_id,
        at: now,
        action: "export",
        item_id: Some(item_id),
        item_sha256: Some(&item.sha256),
        detail: &detail,
    });
    if let Err(error) = logged {
        // A copy the log does not know of must not stay behind.
        let _ = std::fs::remove_file(dest);
        return Err(error);
    }
    Ok(copy)
}
