//! Helpers shared by the scenario and end-to-end tests: where the workspace and its binaries are,
//! throwaway data folders, and running the real `casefile` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The repository root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// Where cargo puts binaries (honours CARGO_TARGET_DIR).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| if dir.is_absolute() { dir } else { workspace_root().join(dir) })
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// Builds the workspace with the same cargo that runs the tests (a no-op when it is fresh) and
/// returns the path of one of its binaries. Tests of another package cannot use `CARGO_BIN_EXE_*`,
/// hence this. The whole workspace, all targets, as scripts/test builds it: cargo enables a shared
/// dependency's features by the packages selected, so `-p one-package` would compile a second copy
/// of much of the tree (OpenSSL included) and put a differently built binary in its place.
pub fn built_binary(binary: &str) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--workspace", "--all-targets"])
        .current_dir(workspace_root())
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building the workspace failed");
    let path = target_dir().join("debug").join(format!("{binary}{}", std::env::consts::EXE_SUFFIX));
    assert!(path.exists(), "{} missing after build", path.display());
    path
}

/// The `casefile` CLI binary, built once per test process.
pub fn cli_binary() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| built_binary("casefile"))
}

/// The passphrase of every test data folder's vault (the tests run without a keyring).
pub const TEST_PASSPHRASE: &str = "a sentence only the tests know";

/// A fresh data folder that disappears with the value: protected by a passphrase vault
/// ([`TEST_PASSPHRASE`], given to every CLI run) and holding an empty encrypted database.
pub struct TempHome {
    dir: tempfile::TempDir,
}

impl TempHome {
    pub fn new() -> TempHome {
        let home = TempHome::bare();
        let data = casefile_core::DataHome::at(home.path());
        let key =
            casefile_core::locker::vault::create_with_passphrase(&data, TEST_PASSPHRASE, chrono::Utc::now())
                .expect("test vault");
        casefile_core::Store::open_home(&data, &key.database_key()).expect("test database");
        home
    }

    /// A folder with nothing in it: no vault, no database (a first run).
    pub fn bare() -> TempHome {
        TempHome { dir: tempfile::Builder::new().prefix("casefile-test-").tempdir().expect("temp dir") }
    }

    /// A raw SQLite connection to the folder's encrypted database, keyed, for tests that look
    /// under the core (the journal mode, the schema version).
    pub fn connection(&self) -> rusqlite::Connection {
        let data = casefile_core::DataHome::at(self.path());
        let key =
            casefile_core::locker::vault::unlock(&data, Some(TEST_PASSPHRASE)).expect("test vault opens");
        let conn = rusqlite::Connection::open(self.database()).expect("database opens");
        conn.pragma_update(None, "key", key.database_key().sql_literal().as_str()).expect("key");
        conn
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn database(&self) -> PathBuf {
        self.path().join("casefile.db")
    }

    /// Runs `casefile --home <this> ARGS…` with no terminal on stdin and the vault's passphrase.
    pub fn casefile(&self, args: &[&str]) -> CliRun {
        let output = Command::new(cli_binary())
            .arg("--home")
            .arg(self.path())
            .args(args)
            .env_remove("CASEFILE_HOME")
            .env("CASEFILE_PASSPHRASE", TEST_PASSPHRASE)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("casefile runs");
        CliRun::from(output)
    }
}

impl Default for TempHome {
    fn default() -> Self {
        TempHome::new()
    }
}

/// What one CLI run printed and how it ended.
#[derive(Debug)]
pub struct CliRun {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for CliRun {
    fn from(output: Output) -> Self {
        CliRun {
            status: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl CliRun {
    /// Asserts success and returns stdout.
    pub fn ok(&self) -> &str {
        assert_eq!(self.status, 0, "casefile failed: {}", self.stderr);
        &self.stdout
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.ok()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}
