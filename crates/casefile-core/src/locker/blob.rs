//! Encrypted, content-addressed blobs: a file is streamed once, hashed (SHA-256 of the original
//! bytes) and encrypted (XChaCha20-Poly1305 in the STREAM construction, 64 KiB chunks) into a temp
//! file, which is synced and renamed into place, so a crash leaves the whole blob or nothing.

use std::fs::{self, File};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::KeyInit;
use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::vault::VaultKey;
use crate::error::{CoreError, CoreResult};

const MAGIC: &[u8; 4] = b"CFB1";
/// How much of the start of a file is kept while sealing: enough for type detection, an image's
/// header and its EXIF block, so images are never read a second time.
pub const HEAD_BYTES: usize = 1024 * 1024;
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
/// XChaCha20's 24-byte nonce minus STREAM's 5-byte counter and flag.
const NONCE_PREFIX: usize = 19;

/// What writing a blob found out about the original bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub sha256: String,
    pub size: u64,
    /// The first `HEAD_BYTES`, for type detection and image facts without reading the file twice.
    pub head: Vec<u8>,
}

/// The blob's name on disk: a keyed hash of the content hash, so the folder reveals nothing about
/// which files it holds, while equal content still lands on the same name (deduplication).
pub fn blob_name(key: &VaultKey, sha256: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.bytes()).expect("HMAC takes any key length");
    mac.update(sha256.as_bytes());
    data_encoding::HEXLOWER.encode(&mac.finalize().into_bytes())
}

pub fn blob_path(blobs_dir: &Path, name: &str) -> PathBuf {
    blobs_dir.join(&name[..2]).join(name)
}

/// Streams `source` into an encrypted temp file in `blobs_dir`. Returns the temp path and what was
/// learnt; the caller renames it into place once it knows the name (or deletes it as a duplicate).
pub fn seal_to_temp(
    source: impl Read,
    key: &VaultKey,
    blobs_dir: &Path,
) -> CoreResult<(tempfile::TempPath, Sealed)> {
    seal_to_temp_with(source, key, blobs_dir, true)
}

/// As `seal_to_temp`, without waiting for the disk: for caches that are remade when lost.
pub fn seal_to_temp_unsynced(
    source: impl Read,
    key: &VaultKey,
    dir: &Path,
) -> CoreResult<(tempfile::TempPath, Sealed)> {
    seal_to_temp_with(source, key, dir, false)
}

fn seal_to_temp_with(
    source: impl Read,
    key: &VaultKey,
    blobs_dir: &Path,
    sync: bool,
) -> CoreResult<(tempfile::TempPath, Sealed)> {
    fs::create_dir_all(blobs_dir).map_err(|e| CoreError::io("Could not create the evidence folder", e))?;
    let temp = tempfile::Builder::new()
        .prefix(".incoming-")
        .tempfile_in(blobs_dir)
        .map_err(|e| CoreError::io("Could not create a file in the evidence folder", e))?;
    let (file, path) = temp.into_parts();
    // Held until this import finishes or its process dies: the next import's sweep skips it meanwhile.
    file.lock().map_err(|e| CoreError::io("Could not lock a file in the evidence folder", e))?;
    let sealed = seal(source, key, &file).map_err(|e| match e {
        SealError::Read(e) => CoreError::io("Could not read the file", e),
        SealError::Write(e) => CoreError::io("Could not write to the evidence folder (is the disk full?)", e),
        SealError::Crypto => CoreError::Crypto("encryption failed".into()),
    })?;
    if sync {
        file.sync_all()
            .map_err(|e| CoreError::io("Could not save to the evidence folder (is the disk full?)", e))?;
    }
    Ok((path, sealed))
}

enum SealError {
    Read(io::Error),
    Write(io::Error),
    Crypto,
}

fn seal(source: impl Read, key: &VaultKey, mut out: &File) -> Result<Sealed, SealError> {
    let mut nonce = [0u8; NONCE_PREFIX];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    out.write_all(MAGIC).map_err(SealError::Write)?;
    out.write_all(&nonce).map_err(SealError::Write)?;
    let cipher = XChaCha20Poly1305::new(key.bytes().into());
    let mut encryptor = EncryptorBE32::from_aead(cipher, (&nonce).into());
    let mut reader = BufReader::with_capacity(CHUNK, source);
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut head = Vec::new();
    let mut current = vec![0u8; CHUNK];
    let mut filled = read_full(&mut reader, &mut current).map_err(SealError::Read)?;
    let mut remember = |chunk: &[u8]| {
        hasher.update(chunk);
        size += chunk.len() as u64;
        if head.len() < HEAD_BYTES {
            head.extend_from_slice(&chunk[..chunk.len().min(HEAD_BYTES - head.len())]);
        }
    };
    // A full chunk may still be the last one: look one chunk ahead before deciding.
    loop {
        if filled < CHUNK {
            break;
        }
        let mut next = vec![0u8; CHUNK];
        let next_filled = read_full(&mut reader, &mut next).map_err(SealError::Read)?;
        if next_filled == 0 {
            break;
        }
        remember(&current);
        let sealed = encryptor.encrypt_next(&current[..]).map_err(|_| SealError::Crypto)?;
        out.write_all(&sealed).map_err(SealError::Write)?;
        current = next;
        filled = next_filled;
    }
    remember(&current[..filled]);
    let sealed = encryptor.encrypt_last(&current[..filled]).map_err(|_| SealError::Crypto)?;
    out.write_all(&sealed).map_err(SealError::Write)?;
    Ok(Sealed { sha256: data_encoding::HEXLOWER.encode(&hasher.finalize()), size, head })
}

fn read_full(reader: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Decrypts a blob into `sink`, returning the SHA-256 of what came out. Any tampering, truncation
/// or a wrong key fails authentication.
pub fn open(path: &Path, key: &VaultKey, mut sink: impl Write) -> CoreResult<String> {
    let file =
        File::open(path).map_err(|e| CoreError::io(format!("Could not open {}", path.display()), e))?;
    let mut reader = BufReader::with_capacity(CHUNK + TAG, file);
    let mut header = [0u8; 4 + NONCE_PREFIX];
    read_exact_or_damaged(&mut reader, &mut header)?;
    if &header[..4] != MAGIC {
        return Err(CoreError::BlobDamaged);
    }
    let cipher = XChaCha20Poly1305::new(key.bytes().into());
    let mut decryptor = DecryptorBE32::from_aead(cipher, header[4..].into());
    let mut hasher = Sha256::new();
    let mut current = vec![0u8; CHUNK + TAG];
    let mut filled =
        read_full(&mut reader, &mut current).map_err(|e| CoreError::io("Could not read a blob", e))?;
    // A full chunk may still be the last one: look one chunk ahead before deciding.
    loop {
        if filled < CHUNK + TAG {
            break;
        }
        let mut next = vec![0u8; CHUNK + TAG];
        let next_filled =
            read_full(&mut reader, &mut next).map_err(|e| CoreError::io("Could not read a blob", e))?;
        if next_filled == 0 {
            break;
        }
        let plain = decryptor.decrypt_next(&current[..filled]).map_err(|_| CoreError::BlobDamaged)?;
        hasher.update(&plain);
        sink.write_all(&plain).map_err(|e| CoreError::io("Could not write the decrypted copy", e))?;
        current = next;
        filled = next_filled;
    }
    let plain = decryptor.decrypt_last(&current[..filled]).map_err(|_| CoreError::BlobDamaged)?;
    hasher.update(&plain);
    sink.write_all(&plain).map_err(|e| CoreError::io("Could not write the decrypted copy", e))?;
    Ok(data_encoding::HEXLOWER.encode(&hasher.finalize()))
}

fn read_exact_or_damaged(reader: &mut impl Read, buffer: &mut [u8]) -> CoreResult<()> {
    match read_full(reader, buffer) {
        Ok(n) if n == buffer.len() => Ok(()),
        Ok(_) => Err(CoreError::BlobDamaged),
        Err(e) => Err(CoreError::io("Could not read a blob", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(len: usize) {
        let dir = tempfile::tempdir().unwrap();
        let key = VaultKey::random();
        let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        let (temp, sealed) = seal_to_temp(&data[..], &key, dir.path()).unwrap();
        assert_eq!(sealed.size, len as u64);
        assert_eq!(sealed.sha256, data_encoding::HEXLOWER.encode(&Sha256::digest(&data)));
        let mut out = Vec::new();
        assert_eq!(open(&temp, &key, &mut out).unwrap(), sealed.sha256);
        assert_eq!(out, data);
        let on_disk = fs::read(&temp).unwrap();
        assert!(len < 32 || !on_disk.windows(32).any(|w| w == &data[..32]), "plaintext visible on disk");
    }

    #[test]
    fn round_trips_at_chunk_edges() {
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17] {
            round_trip(len);
        }
    }

    #[test]
    fn a_wrong_key_or_a_flipped_byte_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let key = VaultKey::random();
        let (temp, _) = seal_to_temp(&b"statement of account"[..], &key, dir.path()).unwrap();
        assert!(matches!(open(&temp, &VaultKey::random(), io::sink()), Err(CoreError::BlobDamaged)));
        let mut bytes = fs::read(&temp).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        fs::write(&temp, &bytes).unwrap();
        assert!(matches!(open(&temp, &key, io::sink()), Err(CoreError::BlobDamaged)));
    }
}
