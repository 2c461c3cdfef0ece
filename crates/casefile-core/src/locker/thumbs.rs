//! The encrypted thumbnail cache: a small PNG per image item, made once (in parallel after an
//! import, or on first view) and kept encrypted with the vault key under `thumbs/`, named by a
//! keyed hash so the folder reveals nothing. It is only a cache: a missing or damaged file is
//! simply made again, never an error to the person.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::DynamicImage;
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use super::{EvidenceKind, StoredBlob, VaultKey, blob, stored_blob};
use crate::error::{CoreError, CoreResult};
use crate::home::DataHome;
use crate::storage::Store;

/// The longer side of the thumbnails the grid shows.
pub const THUMBNAIL_EDGE: u32 = 320;

/// Images above this size are not decoded for a preview.
const MAX_PREVIEW_SOURCE_BYTES: u64 = 50 * 1024 * 1024;

pub(super) fn thumbs_dir(home: &DataHome) -> PathBuf {
    home.root().join("thumbs")
}

/// The cache file's name: a keyed hash of the content hash and the edge, so equal content shares
/// one thumbnail and the name says nothing about the picture.
fn thumb_name(key: &VaultKey, sha256: &str, edge: u32) -> String {
    blob::blob_name(key, &format!("thumbnail {edge} {sha256}"))
}

fn previewable(stored: &StoredBlob) -> bool {
    stored.kind == EvidenceKind::Image && stored.size <= MAX_PREVIEW_SOURCE_BYTES
}

/// The cached thumbnail's PNG bytes, made (and cached) when missing or unreadable.
pub(super) fn thumbnail_png(
    stored: &StoredBlob,
    key: &VaultKey,
    dir: &Path,
    edge: u32,
    item_id: i64,
) -> CoreResult<Vec<u8>> {
    if !previewable(stored) {
        return Err(CoreError::NoPreview(item_id));
    }
    let path = blob::blob_path(dir, &thumb_name(key, &stored.sha256, edge));
    let mut png = Vec::new();
    // Authenticated decryption: a damaged, truncated or foreign file fails here and is remade.
    if blob::open(&path, key, &mut png).is_ok() && png.starts_with(b"\x89PNG") {
        return Ok(png);
    }
    let png = render(stored, key, edge).ok_or(CoreError::NoPreview(item_id))?;
    // A cache that cannot be written still gives the preview this time.
    let _ = store_thumbnail(&png, key, dir, &path);
    Ok(png)
}

/// Decodes the item under the image crate's memory limits (a hostile file cannot exhaust memory)
/// and scales it to at most `edge` pixels on its longer side.
fn render(stored: &StoredBlob, key: &VaultKey, edge: u32) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(usize::try_from(stored.size).unwrap_or(0));
    blob::open(&stored.path, key, &mut bytes).ok()?;
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().ok()?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(512 * 1024 * 1024);
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    reader.limits(limits);
    let thumbnail = scale_down(reader.decode().ok()?, edge);
    let mut png = Vec::new();
    thumbnail.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).ok()?;
    Some(png)
}

/// The image at most `edge` pixels on its longer side, aspect kept, never enlarged.
/// fast_image_resize's SIMD convolution replaces the image crate's area averaging in f32, which
/// was a third of all CPU time of an import with thumbnails; a pixel layout it does not handle
/// falls back to the image crate.
pub(super) fn scale_down(image: DynamicImage, edge: u32) -> DynamicImage {
    let (width, height) = (image.width(), image.height());
    if width <= edge && height <= edge {
        return image;
    }
    let (long, short) = (width.max(height), width.min(height));
    let scaled_short = (u64::from(short) * u64::from(edge) + u64::from(long) / 2) / u64::from(long);
    let scaled_short = u32::try_from(scaled_short).unwrap_or(edge).max(1);
    let (to_width, to_height) = if width >= height { (edge, scaled_short) } else { (scaled_short, edge) };
    let mut scaled = DynamicImage::new(to_width, to_height, image.color());
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Bilinear));
    match Resizer::new().resize(&image, &mut scaled, &options) {
        Ok(()) => scaled,
        Err(_) => image.thumbnail(edge, edge),
    }
}

/// Encrypts into a temp file beside the target and renames it into place: a reader sees the old
/// file, the new one, or none, never half of one. Not synced: a cache lost to a power cut is remade.
fn store_thumbnail(png: &[u8], key: &VaultKey, dir: &Path, path: &Path) -> CoreResult<()> {
    let (temp, _) = blob::seal_to_temp_unsynced(png, key, dir)?;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| CoreError::io("Could not create the thumbnail folder", e))?;
    }
    temp.persist(path).map_err(|e| CoreError::io("Could not write a thumbnail", e.error))?;
    Ok(())
}

/// Sent after each thumbnail of a round (`evidence-thumbnails` in the app).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ThumbnailProgress {
    pub case_id: i64,
    pub done: usize,
    pub total: usize,
    /// The item just handled.
    pub item_id: i64,
    /// Its thumbnail is in the cache; false when none could be made (the kind's icon is shown).
    pub ready: bool,
}

/// A round of thumbnails to make: planned while holding the database, run without it, so the
/// app stays responsive while the pictures are decoded.
pub struct ThumbnailJobs {
    case_id: i64,
    dir: PathBuf,
    key: VaultKey,
    work: Vec<(i64, StoredBlob)>,
}

/// Finds which of these items need a thumbnail (images small enough to preview; others are
/// skipped) and drops the cached thumbnails of deleted cases on the way.
pub fn plan_thumbnails(
    store: &Store,
    home: &DataHome,
    key: &VaultKey,
    case_id: i64,
    item_ids: &[i64],
) -> CoreResult<ThumbnailJobs> {
    let mut work = Vec::new();
    for &id in item_ids {
        match stored_blob(store, home, case_id, id) {
            Ok(stored) if previewable(&stored) => work.push((id, stored)),
            Ok(_) | Err(CoreError::EvidenceNotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    sweep_thumbnails(store, home, key)?;
    Ok(ThumbnailJobs { case_id, dir: thumbs_dir(home), key: key.clone(), work })
}

impl ThumbnailJobs {
    pub fn len(&self) -> usize {
        self.work.len()
    }

    pub fn is_empty(&self) -> bool {
        self.work.is_empty()
    }

    /// Makes the thumbnails on `available_parallelism` threads, calling `progress` after each
    /// one. Returns the ids whose thumbnail is ready, in order.
    pub fn run(&self, progress: impl Fn(ThumbnailProgress) + Sync) -> Vec<i64> {
        let total = self.work.len();
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(total.max(1));
        let ready = std::sync::Mutex::new(Vec::with_capacity(total));
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    while let Some((id, stored)) = self.work.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let made = thumbnail_png(stored, &self.key, &self.dir, THUMBNAIL_EDGE, *id).is_ok();
                        if made {
                            ready.lock().unwrap_or_else(|p| p.into_inner()).push(*id);
                        }
                        progress(ThumbnailProgress {
                            case_id: self.case_id,
                            done: done.fetch_add(1, Ordering::Relaxed) + 1,
                            total,
                            item_id: *id,
                            ready: made,
                        });
                    }
                });
            }
        });
        let mut ready = ready.into_inner().unwrap_or_else(|p| p.into_inner());
        ready.sort_unstable();
        ready
    }
}

/// Plans and runs a round of thumbnails in one go (the CLI; the app plans, then runs on a thread).
pub fn make_thumbnails(
    store: &Store,
    home: &DataHome,
    key: &VaultKey,
    case_id: i64,
    item_ids: &[i64],
    progress: impl Fn(ThumbnailProgress) + Sync,
) -> CoreResult<Vec<i64>> {
    Ok(plan_thumbnails(store, home, key, case_id, item_ids)?.run(progress))
}

/// Removes cached thumbnails no item needs any more (its case was deleted), and temp files a
/// killed run left. They are encrypted anyway; this keeps the folder from growing.
pub fn sweep_thumbnails(store: &Store, home: &DataHome, key: &VaultKey) -> CoreResult<usize> {
    let dir = thumbs_dir(home);
    let Ok(shards) = fs::read_dir(&dir) else { return Ok(0) };
    let wanted: std::collections::HashSet<String> = {
        let mut statement =
            store.conn.prepare("SELECT DISTINCT sha256 FROM evidence_items WHERE kind = ?1")?;
        let rows =
            statement.query_map(params![EvidenceKind::Image.as_str()], |row| row.get::<_, String>(0))?;
        rows.map(|sha| sha.map(|sha| thumb_name(key, &sha, THUMBNAIL_EDGE))).collect::<Result<_, _>>()?
    };
    let mut removed = 0;
    for shard in shards.flatten() {
        let path = shard.path();
        let stale: Vec<PathBuf> = if path.is_dir() {
            fs::read_dir(&path)
                .into_iter()
                .flatten()
                .flatten()
                .filter(|f| !wanted.contains(&*f.file_name().to_string_lossy()))
                .map(|f| f.path())
                .collect()
        } else {
            vec![path]
        };
        for file in stale {
            if fs::remove_file(&file).is_ok() {
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// A PNG preview of an image item, at most `edge` pixels on its longer side, as a `data:` URL:
/// served from the encrypted cache, made and cached when missing or damaged.
pub fn thumbnail_data_url(
    store: &Store,
    home: &DataHome,
    key: &VaultKey,
    case_id: i64,
    item_id: i64,
    edge: u32,
) -> CoreResult<String> {
    let stored = stored_blob(store, home, case_id, item_id)?;
    let png = thumbnail_png(&stored, key, &thumbs_dir(home), edge, item_id)?;
    Ok(format!("data:image/png;base64,{}", data_encoding::BASE64.encode(&png)))
}
