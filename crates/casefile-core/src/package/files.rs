//! File names and checksums of the package: names safe on every file system, SHA-256 computed as
//! bytes pass through (never by reading a whole file into memory).

use std::io::{self, Write};

use sha2::{Digest, Sha256};

/// A file name safe on Windows, macOS and Linux: letters, digits, dot, dash and underscore. The
/// extension is kept apart, so a name of only non-Latin letters still ends in `.jpg`.
pub(super) fn safe_name(name: &str) -> String {
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension)) if !extension.is_empty() && extension.len() <= 10 => {
            (stem, clean(extension, 10))
        }
        _ => (name, String::new()),
    };
    let stem = clean(stem, 70);
    let stem = if stem.is_empty() { "file".to_owned() } else { stem };
    if extension.is_empty() { stem } else { format!("{stem}.{extension}") }
}

fn clean(part: &str, limit: usize) -> String {
    let mut cleaned = String::with_capacity(part.len());
    for c in part.chars() {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' };
        // Runs of dots or underscores collapse: no `..` that a tool could mistake for a parent folder.
        if matches!(c, '.' | '_') && cleaned.ends_with(c) {
            continue;
        }
        cleaned.push(c);
    }
    let trimmed: String = cleaned.trim_matches(['.', '_']).chars().take(limit).collect();
    trimmed.trim_end_matches(['.', '_']).to_owned()
}

/// `E01`, `E02`, … zero-padded so that every exhibit of the case sorts in order.
pub(super) fn exhibit_number(index: usize, count: usize) -> String {
    let width = count.to_string().len().max(2);
    format!("E{:0width$}", index + 1)
}

/// A writer that hashes and counts what passes through it on its way to `inner`; or only counts,
/// when the bytes' hash is already known and checked elsewhere (an exhibit's export checks the
/// decrypted bytes against the recorded hash, so a second SHA-256 pass would add nothing).
pub(super) struct Hashing<W> {
    pub inner: W,
    hasher: Option<Sha256>,
    known: Option<String>,
    pub size: u64,
}

impl<W: Write> Hashing<W> {
    pub fn new(inner: W) -> Self {
        Hashing { inner, hasher: Some(Sha256::new()), known: None, size: 0 }
    }

    pub fn with_known_hash(inner: W, sha256: &str) -> Self {
        Hashing { inner, hasher: None, known: Some(sha256.to_owned()), size: 0 }
    }

    pub fn finish(self) -> (W, String, u64) {
        let sha256 = match (self.hasher, self.known) {
            (Some(hasher), _) => data_encoding::HEXLOWER.encode(&hasher.finalize()),
            (None, known) => known.unwrap_or_default(),
        };
        (self.inner, sha256, self.size)
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf)?;
        if let Some(hasher) = self.hasher.as_mut() {
            hasher.update(&buf[..written]);
        }
        self.size += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes the same bytes to two places (the package folder and the ZIP entry), so an exhibit is
/// decrypted once however many copies the player asked for.
pub(super) struct Tee<A, B> {
    pub first: Option<A>,
    pub second: Option<B>,
}

impl<A: Write, B: Write> Write for Tee<A, B> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(first) = self.first.as_mut() {
            first.write_all(buf)?;
        }
        if let Some(second) = self.second.as_mut() {
            second.write_all(buf)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(first) = self.first.as_mut() {
            first.flush()?;
        }
        if let Some(second) = self.second.as_mut() {
            second.flush()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_everywhere() {
        assert_eq!(safe_name("../../etc/passwd"), "etc_passwd");
        assert_eq!(safe_name("Kontoauszug März.pdf"), "Kontoauszug_M_rz.pdf");
        assert_eq!(safe_name("CON:?*<>|"), "CON");
        assert_eq!(safe_name("con:..\\passport?.png"), "con_._passport.png");
        assert_eq!(safe_name("..."), "file");
        assert_eq!(safe_name("رسید واریز.jpg"), "file.jpg");
        assert_eq!(safe_name("chat log.txt"), "chat_log.txt");
        assert_eq!(safe_name("no-extension"), "no-extension");
    }

    #[test]
    fn exhibit_numbers_sort_in_order() {
        assert_eq!(exhibit_number(0, 5), "E01");
        assert_eq!(exhibit_number(99, 1000), "E0100");
        assert_eq!(exhibit_number(999, 1000), "E1000");
    }
}
