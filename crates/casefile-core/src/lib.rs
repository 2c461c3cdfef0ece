//! Casefile's domain, kept free of any UI framework so the desktop app, the CLI and the tests all
//! run the same rules against the same database.
//!
//! Every function that depends on the time takes `now` as an argument: the clock is read only at the
//! edges (the Tauri commands and the CLI), so tests control it.

pub mod bindings;
pub mod case;
pub mod demo;
pub mod error;
pub mod home;
pub mod knowledge;
pub mod ladder;
pub mod locker;
pub mod money;
pub mod overview;
pub mod package;
pub mod storage;
pub mod text;
pub mod timeline;
pub mod triage;

pub use case::{Case, CaseField, CaseInput, CaseSummary, Casino, KeyDates, ProblemCategory};
pub use error::{ApiError, CoreError, ErrorCode, FieldError, FieldProblem};
pub use home::DataHome;
pub use money::{Money, UnderstoodAmount};
pub use storage::Store;

/// The version written into manifests and shown in the app's About line.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
