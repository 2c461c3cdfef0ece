//! The TypeScript types of the UI, generated from the Rust types that cross the IPC boundary.
//! `ui/src/bindings/` is committed; a test fails when it differs from what this module generates.

use std::path::Path;

use ts_rs::{Config, TS};

use crate::case::{Case, CaseInput, CaseSummary};
use crate::error::ApiError;
use crate::knowledge::{Currency, Regulator};
use crate::ladder::{DueItem, ItemSteps, LadderView, OutcomeView, RecipientView, StepInput};
use crate::locker::{
    EvidenceContent, EvidenceItem, ExhibitOverride, ExportPolicy, ExportedCopy, ImportOutcome,
    ImportProgress, ItemEdit, LockerState, PlannedExhibit, RecoveryKey, RedactionBox, ThumbnailProgress,
    VerifyReport,
};
use crate::money::UnderstoodAmount;
use crate::overview::{AppInfo, Welcome};
use crate::package::preview::{PackageBuilt, PackagePreview, PackageProgress, PackageRecipients};
use crate::package::record::BuiltPackage;
use crate::package::{PackageCheck, PackageReport};
use crate::timeline::{EventInput, ItemCoverage, Timeline};
use crate::triage::{AnswerInput, CaseClosing, TriageView};

/// Writes every exported type (and the types they use) into `dir`, one file per type.
pub fn export_all(dir: &Path) -> Result<(), ts_rs::ExportError> {
    // i64 ids and amounts stay far below 2^53, so plain `number` is exact and easy to use.
    let config = Config::new().with_out_dir(dir).with_large_int("number");
    Case::export_all(&config)?;
    CaseInput::export_all(&config)?;
    CaseSummary::export_all(&config)?;
    ApiError::export_all(&config)?;
    UnderstoodAmount::export_all(&config)?;
    Currency::export_all(&config)?;
    Regulator::export_all(&config)?;
    Welcome::export_all(&config)?;
    AppInfo::export_all(&config)?;
    TriageView::export_all(&config)?;
    AnswerInput::export_all(&config)?;
    CaseClosing::export_all(&config)?;
    LadderView::export_all(&config)?;
    StepInput::export_all(&config)?;
    ItemSteps::export_all(&config)?;
    DueItem::export_all(&config)?;
    RecipientView::export_all(&config)?;
    OutcomeView::export_all(&config)?;
    EvidenceItem::export_all(&config)?;
    EvidenceContent::export_all(&config)?;
    ImportOutcome::export_all(&config)?;
    ImportProgress::export_all(&config)?;
    ThumbnailProgress::export_all(&config)?;
    LockerState::export_all(&config)?;
    RecoveryKey::export_all(&config)?;
    VerifyReport::export_all(&config)?;
    PackageCheck::export_all(&config)?;
    PackageReport::export_all(&config)?;
    BuiltPackage::export_all(&config)?;
    PackageRecipients::export_all(&config)?;
    PackagePreview::export_all(&config)?;
    PackageBuilt::export_all(&config)?;
    PackageProgress::export_all(&config)?;
    ItemEdit::export_all(&config)?;
    RedactionBox::export_all(&config)?;
    ExportPolicy::export_all(&config)?;
    ExportedCopy::export_all(&config)?;
    ExhibitOverride::export_all(&config)?;
    PlannedExhibit::export_all(&config)?;
    Timeline::export_all(&config)?;
    EventInput::export_all(&config)?;
    ItemCoverage::export_all(&config)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fs;
    use std::path::{Path, PathBuf};

    fn read_dir_files(dir: &Path) -> BTreeMap<String, String> {
        fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "ts"))
                    .map(|e| {
                        (e.file_name().to_string_lossy().into_owned(), fs::read_to_string(e.path()).unwrap())
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Fails when `ui/src/bindings` is not what the Rust types generate. Run with
    /// `CASEFILE_UPDATE_BINDINGS=1` to rewrite the committed files.
    #[test]
    fn committed_typescript_bindings_match_the_rust_types() {
        let committed_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings");
        let generated_dir = tempfile::tempdir().unwrap();
        super::export_all(generated_dir.path()).unwrap();
        let generated = read_dir_files(generated_dir.path());
        assert!(generated.contains_key("Case.ts"), "export produced {:?}", generated.keys());
        if std::env::var_os("CASEFILE_UPDATE_BINDINGS").is_some() {
            let _ = fs::remove_dir_all(&committed_dir);
            fs::create_dir_all(&committed_dir).unwrap();
            for (name, text) in &generated {
                fs::write(committed_dir.join(name), text).unwrap();
            }
        }
        let committed = read_dir_files(&committed_dir);
        let stale: Vec<&String> = generated
            .keys()
            .chain(committed.keys())
            .filter(|name| generated.get(*name) != committed.get(*name))
            .collect();
        assert!(
            stale.is_empty(),
            "ui/src/bindings is out of date for {stale:?}; run `CASEFILE_UPDATE_BINDINGS=1 cargo test -p casefile-core bindings` and commit the result"
        );
    }
}
