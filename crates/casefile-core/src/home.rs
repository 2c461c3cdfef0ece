//! Where Casefile keeps its data: the per-user data folder, or `CASEFILE_HOME` for tests and portable
//! use. Debug and release builds use different folders so development never touches real cases.

use std::fs::{self, File, TryLockError};
use std::path::{Path, PathBuf};

use crate::error::{CoreError, CoreResult};

/// The environment variable that overrides the data folder.
pub const HOME_ENV: &str = "CASEFILE_HOME";

/// The application name in the per-user data folder; debug builds get their own.
pub const APP_DIR_NAME: &str = if cfg!(debug_assertions) { "Casefile Dev" } else { "Casefile" };

/// A resolved data folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataHome {
    root: PathBuf,
}

/// Held while an app window uses the folder; released when dropped or when the process dies.
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
}

impl DataHome {
    /// `explicit` (the CLI's `--home`) wins, then `CASEFILE_HOME`, then the per-user data folder.
    pub fn resolve(explicit: Option<PathBuf>) -> CoreResult<DataHome> {
        let from_env = std::env::var_os(HOME_ENV).filter(|v| !v.is_empty()).map(PathBuf::from);
        let root = match explicit.or(from_env) {
            Some(root) => root,
            None => directories::ProjectDirs::from("app", "Casefile", APP_DIR_NAME)
                .map(|dirs| dirs.data_dir().to_path_buf())
                .ok_or_else(|| {
                    CoreError::io(
                        "No per-user data folder could be found (is HOME set?). Set CASEFILE_HOME to a folder",
                        std::io::Error::from(std::io::ErrorKind::NotFound),
                    )
                })?,
        };
        Ok(DataHome { root })
    }

    pub fn at(root: impl Into<PathBuf>) -> DataHome {
        DataHome { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn database_path(&self) -> PathBuf {
        self.root.join("casefile.db")
    }

    /// Creates the folder if needed (readable by the user only, on Unix).
    pub fn ensure_exists(&self) -> CoreResult<()> {
        fs::create_dir_all(&self.root).map_err(|e| {
            CoreError::io(format!("Could not create the data folder {}", self.root.display()), e)
        })?;
        restrict_to_owner(&self.root);
        Ok(())
    }

    /// Takes the folder's app lock so two windows never write one database. The CLI does not take
    /// it: SQLite's own locking keeps a script and the app safe together.
    pub fn lock_for_app(&self) -> CoreResult<FolderLock> {
        self.ensure_exists()?;
        let path = self.root.join("app.lock");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| CoreError::io(format!("Could not open {}", path.display()), e))?;
        match file.try_lock() {
            Ok(()) => Ok(FolderLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(CoreError::DataFolderInUse { path: self.root.clone() }),
            Err(TryLockError::Error(e)) => {
                Err(CoreError::io(format!("Could not lock {}", path.display()), e))
            }
        }
    }
}

/// Makes a rename in `dir` durable (Unix); elsewhere the file system orders it itself.
pub(crate) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(unix)]
fn restrict_to_owner(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    // Best effort: a folder on a file system without Unix modes keeps its own.
    let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o700));
}

#[cfg(not(unix))]
fn restrict_to_owner(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_home_wins() {
        let home = DataHome::resolve(Some(PathBuf::from("/tmp/x"))).unwrap();
        assert_eq!(home.database_path(), PathBuf::from("/tmp/x/casefile.db"));
    }

    #[test]
    fn a_second_app_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let home = DataHome::at(dir.path());
        let first = home.lock_for_app().unwrap();
        let error = home.lock_for_app().unwrap_err();
        assert!(matches!(error, CoreError::DataFolderInUse { .. }), "{error}");
        drop(first);
        assert!(home.lock_for_app().is_ok());
    }
}
