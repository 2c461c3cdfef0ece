//! Where the package's files go: a staging folder (renamed into place at the end), a ZIP written
//! under a temporary name (renamed at the end), or both. Every file is hashed as it is written, and
//! the ZIP's entries carry the package's clock as their time, so the same input gives the same ZIP.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Timelike, Utc};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::PackageFile;
use super::files::{Hashing, Tee};
use crate::error::{CoreError, CoreResult};

pub(super) struct Output {
    folder: Option<PathBuf>,
    zip: Option<ZipWriter<BufWriter<File>>>,
    /// The folder every ZIP entry sits in, so unzipping gives one folder, not a scatter of files.
    zip_root: String,
    time: zip::DateTime,
    pub files: Vec<PackageFile>,
}

fn io_error(what: &str, path: &str) -> impl FnOnce(std::io::Error) -> CoreError {
    let message = format!("Could not write {what} {path} of the package");
    move |e| CoreError::io(message, e)
}

fn zip_error(path: &str) -> impl FnOnce(zip::result::ZipError) -> CoreError {
    let message = format!("Could not add {path} to the ZIP");
    move |e| CoreError::io(message, std::io::Error::other(e))
}

impl Output {
    pub fn new(folder: Option<PathBuf>, zip: Option<File>, zip_root: String, now: DateTime<Utc>) -> Self {
        // ZIP times are local calendar fields from 1980 on; the package's clock, in UTC, is used.
        let time = zip::DateTime::from_date_and_time(
            now.year().clamp(1980, 2107) as u16,
            now.month() as u8,
            now.day() as u8,
            now.hour() as u8,
            now.minute() as u8,
            now.second() as u8,
        )
        .unwrap_or_default();
        Output {
            folder,
            zip: zip.map(|file| ZipWriter::new(BufWriter::with_capacity(1 << 20, file))),
            zip_root,
            time,
            files: Vec::new(),
        }
    }

    fn options(&self, compress: bool, size: u64) -> SimpleFileOptions {
        SimpleFileOptions::default()
            .compression_method(if compress {
                CompressionMethod::Deflated
            } else {
                CompressionMethod::Stored
            })
            .last_modified_time(self.time)
            .unix_permissions(0o644)
            .large_file(size >= u32::MAX as u64)
    }

    /// Adds a file made in memory (letter, PDFs, index, README): small by construction.
    pub fn add(&mut self, path: &str, bytes: &[u8]) -> CoreResult<()> {
        let compress = !path.ends_with(".pdf");
        self.add_stream(path, bytes.len() as u64, compress, |sink| {
            sink.write_all(bytes).map_err(io_error("the file", path))
        })
    }

    /// Adds a file whose bytes `fill` streams into the sink (an exhibit being decrypted).
    pub fn add_stream(
        &mut self,
        path: &str,
        size: u64,
        compress: bool,
        fill: impl FnOnce(&mut dyn Write) -> CoreResult<()>,
    ) -> CoreResult<()> {
        self.add_entry(path, size, compress, None, fill)
    }

    /// Adds a file whose SHA-256 is known, and is checked by `fill` itself as the bytes pass (an
    /// exhibit's export fails on any other hash), so it is not computed a second time.
    pub fn add_checked_stream(
        &mut self,
        path: &str,
        size: u64,
        compress: bool,
        sha256: &str,
        fill: impl FnOnce(&mut dyn Write) -> CoreResult<()>,
    ) -> CoreResult<()> {
        self.add_entry(path, size, compress, Some(sha256), fill)
    }

    fn add_entry(
        &mut self,
        path: &str,
        size: u64,
        compress: bool,
        known_sha256: Option<&str>,
        fill: impl FnOnce(&mut dyn Write) -> CoreResult<()>,
    ) -> CoreResult<()> {
        let file = match &self.folder {
            Some(folder) => {
                let target = folder.join(path);
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent).map_err(io_error("the folder of", path))?;
                }
                Some(BufWriter::with_capacity(
                    1 << 20,
                    File::create(&target).map_err(io_error("the file", path))?,
                ))
            }
            None => None,
        };
        let options = self.options(compress, size);
        if let Some(zip) = self.zip.as_mut() {
            zip.start_file(format!("{}/{path}", self.zip_root), options).map_err(zip_error(path))?;
        }
        let tee = Tee { first: file, second: self.zip.as_mut() };
        let mut hashing = match known_sha256 {
            Some(sha256) => Hashing::with_known_hash(tee, sha256),
            None => Hashing::new(tee),
        };
        fill(&mut hashing)?;
        hashing.flush().map_err(io_error("the file", path))?;
        let (tee, sha256, size) = hashing.finish();
        if let Some(file) = tee.first {
            file.into_inner().map_err(|e| io_error("the file", path)(e.into_error()))?;
        }
        self.files.push(PackageFile { path: path.to_owned(), sha256, size });
        Ok(())
    }

    /// Closes the ZIP (its central directory written and flushed to disk).
    pub fn finish(mut self) -> CoreResult<Vec<PackageFile>> {
        if let Some(zip) = self.zip.take() {
            let writer = zip.finish().map_err(zip_error("the index"))?;
            let file = writer.into_inner().map_err(|e| io_error("the ZIP", "")(e.into_error()))?;
            file.sync_all().map_err(io_error("the ZIP", ""))?;
        }
        Ok(self.files)
    }
}

/// The two places a package may go, decided from `--out` and `--zip` (see `BuildOptions::zip`).
pub(super) fn targets(out: &Path, zip: bool) -> (Option<PathBuf>, Option<PathBuf>) {
    let is_zip = out.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if is_zip {
        (None, Some(out.to_path_buf()))
    } else if zip {
        let mut name = out.as_os_str().to_owned();
        name.push(".zip");
        (Some(out.to_path_buf()), Some(PathBuf::from(name)))
    } else {
        (Some(out.to_path_buf()), None)
    }
}
