//! One error type for the whole core, and the `{code, message}` shape it takes when it crosses into
//! the UI or a script. The UI matches on `code` and `fields[].problem`, never on message text.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

use crate::case::CaseField;

/// What kind of failure happened, stable across versions so the UI and scripts can branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input was rejected by validation; `fields` says which field and why. Nothing was written.
    InvalidInput,
    /// The case (or other record) asked for does not exist.
    NotFound,
    /// The data folder was written by a newer Casefile than this one.
    DatabaseTooNew,
    /// The data folder holds a file that is not a Casefile database.
    NotADatabase,
    /// Another Casefile window already has this data folder open.
    DataFolderInUse,
    /// Reading or writing the database failed.
    Storage,
    /// Reading or writing a file failed.
    Io,
    /// A knowledge file shipped with the app is inconsistent (a bug, caught by tests).
    Knowledge,
    /// A destructive action was asked for without confirmation.
    ConfirmationRequired,
    /// The key, passphrase or recovery key does not open the locker.
    WrongKey,
    /// The OS keyring could not store or return the vault key.
    KeyringUnavailable,
    /// The locker is not set up, or needs its passphrase.
    VaultLocked,
    /// An encrypted evidence file was altered, truncated or damaged.
    EvidenceDamaged,
}

/// Why one field was rejected. Each value has a translated sentence in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldProblem {
    Required,
    TooLong,
    AmountUnreadable,
    AmountTooManyDecimals,
    AmountNotPositive,
    AmountTooLarge,
    CurrencyUnknown,
    DateUnreadable,
    DateInFuture,
    DateBeforeAccountOpened,
    TimeZoneUnknown,
    CountryUnreadable,
    WebsiteUnreadable,
    RegulatorUnknown,
    TimeUnreadable,
    KindUnknown,
    EvidenceUnknown,
}

/// One rejected field: which, why, and an English sentence saying how to fix it. `params` carries
/// the values the sentence mentions so a translation can say the same thing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldError {
    pub field: CaseField,
    pub problem: FieldProblem,
    pub message: String,
    pub params: BTreeMap<String, String>,
}

impl FieldError {
    pub fn new(field: CaseField, problem: FieldProblem, message: impl Into<String>) -> Self {
        FieldError { field, problem, message: message.into(), params: BTreeMap::new() }
    }

    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.params.insert(key.to_owned(), value.into());
        self
    }
}

/// The error shape that crosses the IPC boundary and the CLI's `--json` output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// For `invalid_input`: every rejected field, in form order.
    pub fields: Vec<FieldError>,
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// Validation failed; the list holds every problem found, not only the first.
    #[error("{}", invalid_summary(.0))]
    Invalid(Vec<FieldError>),

    /// No case with this id exists (it may have been deleted).
    #[error("There is no case number {0}. List the cases to see which numbers exist.")]
    CaseNotFound(i64),

    /// The database's schema version is ahead of what this build knows.
    #[error(
        "This data folder was written by a newer version of Casefile (data version {found}; this version understands up to {known}). Install the newer Casefile, or choose another data folder."
    )]
    DatabaseTooNew { found: u32, known: u32 },

    /// The database file exists but is not SQLite (or is damaged beyond reading).
    #[error(
        "{path} is not a Casefile database or is damaged. Move it aside (keep a copy) and start again, or choose another data folder."
    )]
    NotADatabase { path: PathBuf },

    /// The key does not open the encrypted database (another vault's key, or a damaged file).
    #[error(
        "The key does not open the database {path}: it belongs to another vault, or the file is damaged. Nothing was changed. Check that vault.json in the same folder is the one that came with it."
    )]
    DatabaseKeyWrong { path: PathBuf },

    /// The data folder's lock is held by another running Casefile.
    #[error(
        "Casefile is already open with the data folder {path}. Switch to that window, or close it first."
    )]
    DataFolderInUse { path: PathBuf },

    /// A destructive action needs an explicit yes that was not given.
    #[error(
        "{action} needs confirmation: run it in a terminal and answer yes, or add --yes if you are sure."
    )]
    ConfirmationRequired { action: String },

    /// A triage answer names a question the knowledge does not have.
    #[error("There is no triage question '{0}'. Run `casefile triage CASE --json` to see the question ids.")]
    UnknownQuestion(String),

    /// A triage answer is of the wrong kind for its question (e.g. a date for a yes/no question).
    #[error("The answer to '{question}' does not fit: it expects {expected}.")]
    AnswerDoesNotFit { question: String, expected: String },

    /// A triage answer of the right kind was refused; the message says why and how to fix it.
    #[error("{question}: {message}")]
    AnswerRejected { question: String, message: String },

    /// A closing outcome or label that `knowledge/outcomes.toml` does not list.
    #[error("'{outcome}/{label}' is not an outcome Casefile knows; see knowledge/outcomes.toml.")]
    UnknownOutcome { outcome: String, label: String },

    /// The key given does not open the locker (a wrong passphrase, recovery key or keyring entry).
    #[error(
        "That {how} does not open this data folder's vault. Check it and try again; nothing was changed."
    )]
    VaultKeyWrong { how: String },

    /// The OS keyring could not be used.
    #[error("The system keyring could not be used ({0}). Set a passphrase for the locker instead.")]
    KeyringUnavailable(String),

    /// A cryptographic library failed (not a wrong key).
    #[error("Encryption failed: {0}")]
    Crypto(String),

    /// The locker is already set up.
    #[error("This data folder is already protected (its vault is set up).")]
    VaultExists,

    /// The locker is not set up yet.
    #[error(
        "This data folder is not protected yet. Run `casefile vault init` (or `casefile vault init --passphrase` without a system keyring), or open the app, first."
    )]
    VaultMissing,

    /// The app's data folder has not been unlocked yet.
    #[error("This data folder is locked. Unlock it with its passphrase or recovery key first.")]
    FolderLocked,

    /// A passphrase that is too short to resist guessing.
    #[error(
        "Choose a passphrase of at least {min} characters; a short sentence you can remember works well."
    )]
    PassphraseTooShort { min: usize },

    /// The locker uses a passphrase and none was given.
    #[error(
        "This data folder is locked: set CASEFILE_PASSPHRASE or run in a terminal to type the passphrase."
    )]
    PassphraseNeeded,

    /// An encrypted blob failed authentication.
    #[error("An evidence file was altered, truncated or damaged, or does not belong to this locker.")]
    BlobDamaged,

    /// The item is not an image that can be previewed (or is too large, or damaged).
    #[error("Evidence item {0} has no preview: it is not an image Casefile can show, or it is damaged.")]
    NoPreview(i64),

    /// No such evidence item in the case.
    #[error("There is no evidence item {0} in this case. `casefile evidence list CASE` shows them.")]
    EvidenceNotFound(i64),

    /// No such built package in the case.
    #[error(
        "There is no package {0} in this case. The Packages tab (or `casefile packages CASE`) lists them."
    )]
    PackageNotFound(i64),

    /// A ladder step, a skip, a closing or a listing filter was refused; the message says what was
    /// not done, why, and how to fix it.
    #[error("{0}")]
    Refused(String),

    /// The CLI's answers file is not in the expected shape.
    #[error("The answers file is not usable: {0}")]
    AnswersFile(String),

    /// Any other SQLite failure.
    #[error("The database could not be read or written: {0}")]
    Sqlite(#[from] rusqlite::Error),

    /// A file-system operation failed; `context` says which.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },

    /// A knowledge file is inconsistent; names the file and entry.
    #[error("knowledge/{file}, entry '{entry}': {problem}")]
    Knowledge { file: String, entry: String, problem: String },
}

fn invalid_summary(fields: &[FieldError]) -> String {
    match fields {
        [] => "The input was not accepted.".to_owned(),
        [one] => one.message.clone(),
        [first, ..] => format!("{} fields were not accepted. First: {}", fields.len(), first.message),
    }
}

impl CoreError {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        CoreError::Io { context: context.into(), source }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::Invalid(_) => ErrorCode::InvalidInput,
            CoreError::CaseNotFound(_) => ErrorCode::NotFound,
            CoreError::DatabaseTooNew { .. } => ErrorCode::DatabaseTooNew,
            CoreError::NotADatabase { .. } => ErrorCode::NotADatabase,
            CoreError::DataFolderInUse { .. } => ErrorCode::DataFolderInUse,
            CoreError::Sqlite(_) => ErrorCode::Storage,
            CoreError::Io { .. } => ErrorCode::Io,
            CoreError::Knowledge { .. } => ErrorCode::Knowledge,
            CoreError::ConfirmationRequired { .. } => ErrorCode::ConfirmationRequired,
            CoreError::UnknownQuestion(_)
            | CoreError::EvidenceNotFound(_)
            | CoreError::PackageNotFound(_)
            | CoreError::NoPreview(_) => ErrorCode::NotFound,
            CoreError::VaultKeyWrong { .. } | CoreError::DatabaseKeyWrong { .. } => ErrorCode::WrongKey,
            CoreError::KeyringUnavailable(_) => ErrorCode::KeyringUnavailable,
            CoreError::VaultMissing
            | CoreError::PassphraseNeeded
            | CoreError::VaultExists
            | CoreError::FolderLocked => ErrorCode::VaultLocked,
            CoreError::PassphraseTooShort { .. } => ErrorCode::InvalidInput,
            CoreError::BlobDamaged | CoreError::Crypto(_) => ErrorCode::EvidenceDamaged,
            CoreError::AnswerDoesNotFit { .. }
            | CoreError::AnswerRejected { .. }
            | CoreError::AnswersFile(_)
            | CoreError::UnknownOutcome { .. }
            | CoreError::Refused(_) => ErrorCode::InvalidInput,
        }
    }

    pub fn to_api(&self) -> ApiError {
        ApiError {
            code: self.code(),
            message: self.to_string(),
            fields: match self {
                CoreError::Invalid(fields) => fields.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl From<CoreError> for ApiError {
    fn from(error: CoreError) -> Self {
        error.to_api()
    }
}

pub type CoreResult<T> = Result<T, CoreError>;
