//! The vault key that encrypts the evidence locker and the database, and where it is kept: in the
//! OS keyring, or wrapped by a passphrase (Argon2id) when no keyring is available. Never a silent
//! plaintext fallback. The vault's description (`vault.json`: mode, key id, KDF salt, the wrapped
//! key — nothing that opens anything without the passphrase or keyring) sits beside the database,
//! because the key must be known before the encrypted database can be opened.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{CoreError, CoreResult};
use crate::home::DataHome;

/// The 256-bit key of the locker. Its `Debug` never prints the bytes.
#[derive(Clone)]
pub struct VaultKey(Zeroizing<[u8; 32]>);

impl fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VaultKey(id {})", self.id())
    }
}

/// The key of the SQLCipher database, derived from the vault key so one secret opens both, but
/// never equal to it (a leak of one use cannot be replayed against the other).
#[derive(Clone)]
pub struct DbKey(Zeroizing<[u8; 32]>);

impl fmt::Debug for DbKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DbKey(…)")
    }
}

impl DbKey {
    /// SQLCipher's raw-key literal (`x'…'`, 64 hex digits): used as given, without SQLCipher's own
    /// PBKDF2, since the key is already random and 256 bits. Public for tests that open the file
    /// with SQL of their own.
    pub fn sql_literal(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", data_encoding::HEXLOWER.encode(self.0.as_ref())))
    }
}

impl VaultKey {
    pub fn random() -> VaultKey {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(bytes.as_mut());
        VaultKey(bytes)
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The database key: HMAC-SHA256 keyed with the vault key over a fixed context string.
    pub fn database_key(&self) -> DbKey {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(self.0.as_ref()).expect("HMAC takes any key length");
        mac.update(b"casefile database v1");
        let mut bytes = Zeroizing::new([0u8; 32]);
        bytes.copy_from_slice(&mac.finalize().into_bytes());
        DbKey(bytes)
    }

    /// A short fingerprint stored beside the data: it tells a wrong key from a right one without
    /// revealing the key.
    pub fn id(&self) -> String {
        let digest = Sha256::new_with_prefix(b"casefile vault key id\0").chain_update(&self.0[..]).finalize();
        data_encoding::HEXLOWER.encode(&digest[..8])
    }

    /// The recovery key a person writes down: the key in groups of four base32 letters.
    pub fn recovery_text(&self) -> Zeroizing<String> {
        let encoded = data_encoding::BASE32_NOPAD.encode(self.0.as_ref());
        let groups: Vec<&str> =
            encoded.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).unwrap_or("")).collect();
        Zeroizing::new(groups.join("-"))
    }

    /// Reads a recovery key as typed (case, spaces and dashes do not matter).
    pub fn from_recovery_text(text: &str) -> CoreResult<VaultKey> {
        let cleaned: String =
            text.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
        let bytes = data_encoding::BASE32_NOPAD
            .decode(cleaned.as_bytes())
            .ok()
            .filter(|b| b.len() == 32)
            .ok_or(CoreError::VaultKeyWrong { how: "recovery key".into() })?;
        let mut key = Zeroizing::new([0u8; 32]);
        key.copy_from_slice(&bytes);
        Ok(VaultKey(key))
    }
}

/// Where the vault key lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum KeyMode {
    Keyring,
    Passphrase,
}

/// The OS keyring entry of a data folder, namespaced per build so development never touches a
/// release install's key.
pub struct Keyring {
    entry: keyring::Entry,
}

const KEYRING_SERVICE: &str =
    if cfg!(debug_assertions) { "app.casefile.desktop.dev vault" } else { "app.casefile.desktop vault" };

impl Keyring {
    /// The entry for the data folder with this vault id; fails when no keyring service answers.
    pub fn for_vault(vault_id: &str) -> CoreResult<Keyring> {
        let entry = keyring::Entry::new(KEYRING_SERVICE, vault_id).map_err(keyring_unavailable)?;
        Ok(Keyring { entry })
    }

    fn store(&self, key: &VaultKey) -> CoreResult<()> {
        self.entry.set_secret(key.bytes()).map_err(keyring_unavailable)
    }

    fn load(&self) -> CoreResult<VaultKey> {
        let secret = Zeroizing::new(self.entry.get_secret().map_err(keyring_unavailable)?);
        if secret.len() != 32 {
            return Err(CoreError::VaultKeyWrong { how: "keyring entry".into() });
        }
        let mut key = Zeroizing::new([0u8; 32]);
        key.copy_from_slice(&secret);
        Ok(VaultKey(key))
    }
}

fn keyring_unavailable(error: keyring::Error) -> CoreError {
    CoreError::KeyringUnavailable(error.to_string())
}

/// Argon2id settings: 64 MiB, 3 passes (OWASP's minimum is 19 MiB, 2 passes).
const KDF_MEMORY_KIB: u32 = 64 * 1024;
const KDF_PASSES: u32 = 3;
pub const MIN_PASSPHRASE_CHARS: usize = 10;

fn derive(passphrase: &str, salt: &[u8], memory_kib: u32, passes: u32) -> CoreResult<Zeroizing<[u8; 32]>> {
    let params =
        Params::new(memory_kib, passes, 1, Some(32)).map_err(|e| CoreError::Crypto(e.to_string()))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
        .map_err(|e| CoreError::Crypto(e.to_string()))?;
    Ok(out)
}

/// What the vault says about the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct VaultStatus {
    pub mode: KeyMode,
    pub key_id: String,
    /// Identifies this data folder's keyring entry.
    pub vault_id: String,
}

/// `vault.json`: everything needed to find or unwrap the key, and nothing that opens it alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaultFile {
    /// Bumped if the layout ever changes.
    pub format: u32,
    pub mode: KeyMode,
    pub key_id: String,
    pub vault_id: String,
    /// Argon2id salt, hex; empty in keyring mode.
    pub kdf_salt: String,
    pub kdf_memory_kib: u32,
    pub kdf_passes: u32,
    /// XChaCha20-Poly1305 nonce and the vault key sealed under the passphrase's key, hex; empty in
    /// keyring mode (the keyring holds the key).
    pub wrap_nonce: String,
    pub wrapped_key: String,
    pub created_at: DateTime<Utc>,
}

impl VaultFile {
    fn status(&self) -> VaultStatus {
        VaultStatus { mode: self.mode, key_id: self.key_id.clone(), vault_id: self.vault_id.clone() }
    }
}

/// The vault description's file in a data folder.
pub fn vault_path(home: &DataHome) -> PathBuf {
    home.root().join("vault.json")
}

/// Reads the vault of a data folder: `vault.json`, or (once, for folders from before the
/// database was encrypted) the `vault` row of a plaintext database, which is then written to
/// `vault.json`. `None`: the folder has no vault yet.
pub fn read(home: &DataHome) -> CoreResult<Option<VaultFile>> {
    let path = vault_path(home);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            CoreError::io(
                format!("{} is damaged; restore it from a backup, or use your recovery key", path.display()),
                std::io::Error::new(std::io::ErrorKind::InvalidData, e),
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let legacy = legacy_vault_row(&home.database_path())?;
            if let Some(file) = &legacy {
                write(home, file)?;
            }
            Ok(legacy)
        }
        Err(e) => Err(CoreError::io(format!("Could not read {}", path.display()), e)),
    }
}

/// How the vault of a data folder is protected, if it has one.
pub fn status(home: &DataHome) -> CoreResult<Option<VaultStatus>> {
    Ok(read(home)?.map(|file| file.status()))
}

/// The vault row of a database written before the database was encrypted (migration 0004).
fn legacy_vault_row(database: &Path) -> CoreResult<Option<VaultFile>> {
    if !crate::storage::is_plaintext_sqlite(database)? {
        return Ok(None);
    }
    let conn = rusqlite::Connection::open_with_flags(database, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let has_table: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'vault'",
        [],
        |row| row.get(0),
    )?;
    if !has_table {
        return Ok(None);
    }
    let hex = |bytes: Vec<u8>| data_encoding::HEXLOWER.encode(&bytes);
    Ok(conn
        .query_row(
            "SELECT mode, key_id, vault_id, kdf_salt, kdf_memory_kib, kdf_passes, wrap_nonce, wrapped_key, created_at
             FROM vault WHERE id = 1",
            [],
            |row| {
                let mode: String = row.get(0)?;
                Ok(VaultFile {
                    format: 1,
                    mode: if mode == "keyring" { KeyMode::Keyring } else { KeyMode::Passphrase },
                    key_id: row.get(1)?,
                    vault_id: row.get(2)?,
                    kdf_salt: hex(row.get(3)?),
                    kdf_memory_kib: row.get(4)?,
                    kdf_passes: row.get(5)?,
                    wrap_nonce: hex(row.get(6)?),
                    wrapped_key: hex(row.get(7)?),
                    created_at: row.get(8)?,
                })
            },
        )
        .optional()?)
}

/// Writes `vault.json` atomically: a synced temporary file renamed over the old one, so a crash
/// leaves the old file or the new one, never half of one.
fn write(home: &DataHome, file: &VaultFile) -> CoreResult<()> {
    home.ensure_exists()?;
    let path = vault_path(home);
    let failed = |e: std::io::Error| CoreError::io(format!("Could not write {}", path.display()), e);
    let mut temp = tempfile::NamedTempFile::new_in(home.root()).map_err(failed)?;
    let json = serde_json::to_vec_pretty(file).map_err(|e| failed(std::io::Error::other(e)))?;
    temp.write_all(&json).map_err(failed)?;
    temp.as_file().sync_all().map_err(failed)?;
    temp.persist(&path).map_err(|e| failed(e.error))?;
    crate::home::sync_dir(home.root());
    Ok(())
}

fn new_vault_id() -> String {
    let mut bytes = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    data_encoding::HEXLOWER.encode(&bytes)
}

fn refuse_if_exists(home: &DataHome) -> CoreResult<()> {
    match read(home)? {
        Some(_) => Err(CoreError::VaultExists),
        None => Ok(()),
    }
}

fn new_file(mode: KeyMode, key: &VaultKey, vault_id: String, now: DateTime<Utc>) -> VaultFile {
    VaultFile {
        format: 1,
        mode,
        key_id: key.id(),
        vault_id,
        kdf_salt: String::new(),
        kdf_memory_kib: KDF_MEMORY_KIB,
        kdf_passes: KDF_PASSES,
        wrap_nonce: String::new(),
        wrapped_key: String::new(),
        created_at: now,
    }
}

/// Creates the vault with a new random key kept in the OS keyring. Returns the key (to show the
/// recovery text once).
pub fn create_with_keyring(home: &DataHome, now: DateTime<Utc>) -> CoreResult<VaultKey> {
    refuse_if_exists(home)?;
    let key = VaultKey::random();
    let vault_id = new_vault_id();
    Keyring::for_vault(&vault_id)?.store(&key)?;
    // Read it back: some keyrings accept a write and then cannot read it (locked collection).
    if Keyring::for_vault(&vault_id)?.load()?.id() != key.id() {
        return Err(CoreError::KeyringUnavailable("the keyring did not return the key it was given".into()));
    }
    write(home, &new_file(KeyMode::Keyring, &key, vault_id, now))?;
    Ok(key)
}

/// Creates the vault with a new random key wrapped by a passphrase (for machines without a keyring).
pub fn create_with_passphrase(home: &DataHome, passphrase: &str, now: DateTime<Utc>) -> CoreResult<VaultKey> {
    refuse_if_exists(home)?;
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(CoreError::PassphraseTooShort { min: MIN_PASSPHRASE_CHARS });
    }
    let key = VaultKey::random();
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let kek = derive(passphrase, &salt, KDF_MEMORY_KIB, KDF_PASSES)?;
    let sealed = XChaCha20Poly1305::new(kek[..].into())
        .encrypt(XNonce::from_slice(&nonce), key.bytes().as_ref())
        .map_err(|e| CoreError::Crypto(e.to_string()))?;
    let hex = |bytes: &[u8]| data_encoding::HEXLOWER.encode(bytes);
    let file = VaultFile {
        kdf_salt: hex(&salt),
        wrap_nonce: hex(&nonce),
        wrapped_key: hex(&sealed),
        ..new_file(KeyMode::Passphrase, &key, new_vault_id(), now)
    };
    write(home, &file)?;
    Ok(key)
}

/// Opens the vault: from the keyring, or with the passphrase; a wrong one is a clear error.
pub fn unlock(home: &DataHome, passphrase: Option<&str>) -> CoreResult<VaultKey> {
    let file = read(home)?.ok_or(CoreError::VaultMissing)?;
    let key = match file.mode {
        KeyMode::Keyring => Keyring::for_vault(&file.vault_id)?.load()?,
        KeyMode::Passphrase => {
            let passphrase = passphrase.ok_or(CoreError::PassphraseNeeded)?;
            let unhex = |text: &str| {
                data_encoding::HEXLOWER
                    .decode(text.as_bytes())
                    .map_err(|_| CoreError::Crypto(format!("{} is damaged", vault_path(home).display())))
            };
            let (salt, nonce, sealed) =
                (unhex(&file.kdf_salt)?, unhex(&file.wrap_nonce)?, unhex(&file.wrapped_key)?);
            if nonce.len() != 24 {
                return Err(CoreError::Crypto(format!("{} is damaged", vault_path(home).display())));
            }
            let kek = derive(passphrase, &salt, file.kdf_memory_kib, file.kdf_passes)?;
            let opened = Zeroizing::new(
                XChaCha20Poly1305::new(kek[..].into())
                    .decrypt(XNonce::from_slice(&nonce), sealed.as_ref())
                    .map_err(|_| CoreError::VaultKeyWrong { how: "passphrase".into() })?,
            );
            if opened.len() != 32 {
                return Err(CoreError::VaultKeyWrong { how: "passphrase".into() });
            }
            let mut bytes = Zeroizing::new([0u8; 32]);
            bytes.copy_from_slice(&opened);
            VaultKey(bytes)
        }
    };
    check_key_id(&file.status(), &key, "keyring entry")?;
    Ok(key)
}

/// Opens the vault with the recovery key written down at setup.
pub fn unlock_with_recovery(home: &DataHome, recovery: &str) -> CoreResult<VaultKey> {
    let status = status(home)?.ok_or(CoreError::VaultMissing)?;
    let key = VaultKey::from_recovery_text(recovery)?;
    check_key_id(&status, &key, "recovery key")?;
    Ok(key)
}

fn check_key_id(status: &VaultStatus, key: &VaultKey, how: &str) -> CoreResult<()> {
    if key.id() == status.key_id { Ok(()) } else { Err(CoreError::VaultKeyWrong { how: how.into() }) }
}
