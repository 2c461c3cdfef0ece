//! The vault key that encrypts the evidence locker, and where it is kept: in the OS keyring, or
//! wrapped by a passphrase (Argon2id) when no keyring is available. Never a silent plaintext
//! fallback. A key id (not the key) is stored beside the data so a wrong key fails clearly.

use std::fmt;

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use rand::RngCore;
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{CoreError, CoreResult};
use crate::storage::Store;

/// The 256-bit key of the locker. Its `Debug` never prints the bytes.
#[derive(Clone)]
pub struct VaultKey(Zeroizing<[u8; 32]>);

impl fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VaultKey(id {})", self.id())
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
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
const MIN_PASSPHRASE_CHARS: usize = 10;

fn derive(passphrase: &str, salt: &[u8], memory_kib: u32, passes: u32) -> CoreResult<Zeroizing<[u8; 32]>> {
    let params =
        Params::new(memory_kib, passes, 1, Some(32)).map_err(|e| CoreError::Crypto(e.to_string()))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
        .map_err(|e| CoreError::Crypto(e.to_string()))?;
    Ok(out)
}

/// What the vault row says about the key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct VaultStatus {
    pub mode: KeyMode,
    pub key_id: String,
    /// Identifies this data folder's keyring entry.
    pub vault_id: String,
}

impl Store {
    pub fn vault_status(&self) -> CoreResult<Option<VaultStatus>> {
        Ok(self
            .conn
            .query_row("SELECT mode, key_id, vault_id FROM vault WHERE id = 1", [], |row| {
                let mode: String = row.get(0)?;
                Ok(VaultStatus {
                    mode: if mode == "keyring" { KeyMode::Keyring } else { KeyMode::Passphrase },
                    key_id: row.get(1)?,
                    vault_id: row.get(2)?,
                })
            })
            .optional()?)
    }

    fn insert_vault(
        &mut self,
        mode: &str,
        key: &VaultKey,
        vault_id: &str,
        wrapped: Option<(&[u8], &[u8], &[u8])>,
        now: DateTime<Utc>,
    ) -> CoreResult<()> {
        let (salt, nonce, sealed) = wrapped.unwrap_or((&[], &[], &[]));
        self.conn.execute(
            "INSERT INTO vault (id, mode, key_id, vault_id, kdf_salt, kdf_memory_kib, kdf_passes, wrap_nonce, wrapped_key, created_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![mode, key.id(), vault_id, salt, KDF_MEMORY_KIB, KDF_PASSES, nonce, sealed, now],
        )?;
        Ok(())
    }
}

fn new_vault_id() -> String {
    let mut bytes = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    data_encoding::HEXLOWER.encode(&bytes)
}

fn refuse_if_exists(store: &Store) -> CoreResult<()> {
    match store.vault_status()? {
        Some(_) => Err(CoreError::VaultExists),
        None => Ok(()),
    }
}

/// Creates the vault with a new random key kept in the OS keyring. Returns the key (to show the
/// recovery text once).
pub fn create_with_keyring(store: &mut Store, now: DateTime<Utc>) -> CoreResult<VaultKey> {
    refuse_if_exists(store)?;
    let key = VaultKey::random();
    let vault_id = new_vault_id();
    Keyring::for_vault(&vault_id)?.store(&key)?;
    // Read it back: some keyrings accept a write and then cannot read it (locked collection).
    if Keyring::for_vault(&vault_id)?.load()?.id() != key.id() {
        return Err(CoreError::KeyringUnavailable("the keyring did not return the key it was given".into()));
    }
    store.insert_vault("keyring", &key, &vault_id, None, now)?;
    Ok(key)
}

/// Creates the vault with a new random key wrapped by a passphrase (for machines without a keyring).
pub fn create_with_passphrase(
    store: &mut Store,
    passphrase: &str,
    now: DateTime<Utc>,
) -> CoreResult<VaultKey> {
    refuse_if_exists(store)?;
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
    store.insert_vault("passphrase", &key, &new_vault_id(), Some((&salt, &nonce, &sealed)), now)?;
    Ok(key)
}

/// Opens the vault: from the keyring, or with the passphrase; a wrong one is a clear error.
pub fn unlock(store: &Store, passphrase: Option<&str>) -> CoreResult<VaultKey> {
    let status = store.vault_status()?.ok_or(CoreError::VaultMissing)?;
    let key = match status.mode {
        KeyMode::Keyring => Keyring::for_vault(&status.vault_id)?.load()?,
        KeyMode::Passphrase => {
            let passphrase = passphrase.ok_or(CoreError::PassphraseNeeded)?;
            let (salt, memory, passes, nonce, sealed): (Vec<u8>, u32, u32, Vec<u8>, Vec<u8>) = store.conn.query_row(
                "SELECT kdf_salt, kdf_memory_kib, kdf_passes, wrap_nonce, wrapped_key FROM vault WHERE id = 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
            )?;
            let kek = derive(passphrase, &salt, memory, passes)?;
            let opened = Zeroizing::new(
                XChaCha20Poly1305::new(kek[..].into())
                    .decrypt(XNonce::from_slice(&nonce), sealed.as_ref())
                    .map_err(|_| CoreError::VaultKeyWrong { how: "passphrase".into() })?,
            );
            let mut bytes = Zeroizing::new([0u8; 32]);
            bytes.copy_from_slice(&opened);
            VaultKey(bytes)
        }
    };
    check_key_id(&status, &key, "keyring entry")?;
    Ok(key)
}

/// Opens the vault with the recovery key written down at setup.
pub fn unlock_with_recovery(store: &Store, recovery: &str) -> CoreResult<VaultKey> {
    let status = store.vault_status()?.ok_or(CoreError::VaultMissing)?;
    let key = VaultKey::from_recovery_text(recovery)?;
    check_key_id(&status, &key, "recovery key")?;
    Ok(key)
}

fn check_key_id(status: &VaultStatus, key: &VaultKey, how: &str) -> CoreResult<()> {
    if key.id() == status.key_id { Ok(()) } else { Err(CoreError::VaultKeyWrong { how: how.into() }) }
}
