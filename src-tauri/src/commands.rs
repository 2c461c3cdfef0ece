//! The IPC commands. Each one: take the state, call one core function with the clock read here,
//! return the result or the core error as `ApiError`.

use std::sync::Mutex;

use crate::clock;
use casefile_core::case::{Case, CaseInput, CaseSummary};
use casefile_core::home::FolderLock;
use casefile_core::knowledge::{self, Currency, Regulator};
use casefile_core::ladder::{self, DueItem, ItemSteps, LadderView, OutcomeView, RecipientView, StepInput};
use casefile_core::locker::{VaultKey, vault};
use casefile_core::overview::{AppInfo, Welcome};
use casefile_core::storage::CaseFilter;
use casefile_core::triage::{self, AnswerInput, CaseClosing, TriageView};
use casefile_core::{ApiError, CoreError, DataHome, Store, UnderstoodAmount, demo, money, overview};
use tauri::State;

type Reply<T> = Result<T, ApiError>;

/// The data folder, or the reason it could not be opened (shown by the UI in place of the case
/// list, so a locked or too-new folder explains itself instead of crashing the app). The database
/// is encrypted, so it opens only once the vault is unlocked: by itself with a keyring, after the
/// passphrase or recovery key otherwise. Until then every command but the vault's says
/// `vault_locked`.
pub struct AppState {
    opened: Result<OpenFolder, ApiError>,
}

struct OpenFolder {
    home: DataHome,
    unlocked: Mutex<Option<Unlocked>>,
    _lock: FolderLock,
}

/// The open database and the vault key, kept only in this process's memory.
pub(crate) struct Unlocked {
    pub store: Store,
    pub key: VaultKey,
}

impl AppState {
    pub fn open(home: Result<DataHome, CoreError>) -> AppState {
        let opened = home
            .and_then(|home| {
                let lock = home.lock_for_app()?;
                let unlocked = open_with_keyring(&home)?;
                Ok(OpenFolder { home, unlocked: Mutex::new(unlocked), _lock: lock })
            })
            .map_err(|error| error.to_api());
        AppState { opened }
    }

    /// The data folder, when it opened.
    pub fn home(&self) -> Option<DataHome> {
        self.opened.as_ref().ok().map(|folder| folder.home.clone())
    }

    fn folder(&self) -> Reply<&OpenFolder> {
        self.opened.as_ref().map_err(Clone::clone)
    }

    /// Runs `work` on the unlocked folder: its database, data folder and vault key.
    pub(crate) fn with_unlocked<T>(
        &self,
        work: impl FnOnce(&mut Store, &DataHome, &VaultKey) -> Result<T, CoreError>,
    ) -> Reply<T> {
        let folder = self.folder()?;
        // A panic while holding the lock leaves the connection usable: SQLite rolled back its transaction.
        let mut slot = folder.unlocked.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let unlocked = slot.as_mut().ok_or_else(|| CoreError::FolderLocked.to_api())?;
        work(&mut unlocked.store, &folder.home, &unlocked.key).map_err(ApiError::from)
    }

    pub(crate) fn with_store<T>(
        &self,
        work: impl FnOnce(&mut Store, &DataHome) -> Result<T, CoreError>,
    ) -> Reply<T> {
        self.with_unlocked(|store, home, _| work(store, home))
    }

    /// Runs `work` with the data folder alone (for the vault commands, which run while locked).
    pub(crate) fn with_home<T>(&self, work: impl FnOnce(&DataHome) -> Result<T, CoreError>) -> Reply<T> {
        work(&self.folder()?.home).map_err(ApiError::from)
    }

    pub(crate) fn is_unlocked(&self) -> bool {
        self.folder().is_ok_and(|folder| folder.unlocked.lock().unwrap_or_else(|p| p.into_inner()).is_some())
    }

    /// Opens the database with `key` and keeps both until the app closes.
    pub(crate) fn unlock_with(&self, key: VaultKey) -> Reply<()> {
        let folder = self.folder()?;
        let store = Store::open_home(&folder.home, &key.database_key())?;
        *folder.unlocked.lock().unwrap_or_else(|p| p.into_inner()) = Some(Unlocked { store, key });
        Ok(())
    }
}

/// A keyring vault opens by itself at start; a passphrase vault, a folder without a vault, or a
/// keyring that does not answer wait for the person (the UI's setup or unlock screen).
fn open_with_keyring(home: &DataHome) -> Result<Option<Unlocked>, CoreError> {
    let Some(status) = vault::status(home)? else { return Ok(None) };
    if status.mode != vault::KeyMode::Keyring {
        return Ok(None);
    }
    let Ok(key) = vault::unlock(home, None) else { return Ok(None) };
    let store = Store::open_home(home, &key.database_key())?;
    Ok(Some(Unlocked { store, key }))
}

/// `language` is optional so a caller that does not name one gets English.
#[tauri::command]
pub fn list_cases(
    state: State<'_, AppState>,
    include_archived: bool,
    language: Option<String>,
) -> Reply<Vec<CaseSummary>> {
    let language = language.unwrap_or_else(|| "en".to_owned());
    state.with_store(|store, _| {
        ladder::summaries_with_ladder(store, CaseFilter { include_archived }, clock::now(), &language)
    })
}

#[tauri::command]
pub fn get_case(state: State<'_, AppState>, id: i64) -> Reply<Case> {
    state.with_store(|store, _| store.get_case(id))
}

#[tauri::command]
pub fn get_case_input(state: State<'_, AppState>, id: i64) -> Reply<CaseInput> {
    state.with_store(|store, _| store.get_case(id).map(|case| CaseInput::from_case(&case)))
}

#[tauri::command]
pub fn create_case(state: State<'_, AppState>, input: CaseInput) -> Reply<Case> {
    state.with_store(|store, _| store.create_case(&input, clock::now()))
}

#[tauri::command]
pub fn update_case(state: State<'_, AppState>, id: i64, input: CaseInput) -> Reply<Case> {
    state.with_store(|store, _| store.update_case(id, &input, clock::now()))
}

#[tauri::command]
pub fn set_case_archived(state: State<'_, AppState>, id: i64, archived: bool) -> Reply<Case> {
    state.with_store(|store, _| store.set_archived(id, archived, clock::now()))
}

#[tauri::command]
pub fn delete_case(state: State<'_, AppState>, id: i64) -> Reply<()> {
    state.with_store(|store, _| store.delete_case(id))
}

#[tauri::command]
pub fn understand_amount(amount: String, currency: String) -> Reply<UnderstoodAmount> {
    money::understand(&amount, &currency).map_err(ApiError::from)
}

#[tauri::command]
pub fn welcome(state: State<'_, AppState>) -> Reply<Welcome> {
    state.with_store(|store, _| overview::welcome(store))
}

#[tauri::command]
pub fn create_demo_case(state: State<'_, AppState>) -> Reply<Case> {
    state.with_unlocked(|store, home, key| {
        demo::create_demo_case_with_evidence(store, home, key, clock::now())
    })
}

#[tauri::command]
pub fn decline_demo(state: State<'_, AppState>) -> Reply<()> {
    state.with_store(|store, _| demo::decline_demo(store))
}

#[tauri::command]
pub fn list_regulators() -> Vec<Regulator> {
    knowledge::shipped().regulators.clone()
}

#[tauri::command]
pub fn list_currencies() -> Vec<Currency> {
    knowledge::shipped().currencies.clone()
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> Reply<AppInfo> {
    state.with_store(|store, home| overview::app_info(store, home))
}

#[tauri::command]
pub fn triage_view(state: State<'_, AppState>, case_id: i64, language: String) -> Reply<TriageView> {
    state.with_store(|store, _| triage::view(store, case_id, clock::now(), &language))
}

#[tauri::command]
pub fn answer_triage(
    state: State<'_, AppState>,
    case_id: i64,
    question_id: String,
    answer: AnswerInput,
    language: String,
) -> Reply<TriageView> {
    state.with_store(|store, _| triage::answer(store, case_id, &question_id, answer, clock::now(), &language))
}

#[tauri::command]
pub fn forget_triage_answer(
    state: State<'_, AppState>,
    case_id: i64,
    question_id: String,
    language: String,
) -> Reply<TriageView> {
    state.with_store(|store, _| {
        store.clear_triage_answer(case_id, &question_id)?;
        triage::view(store, case_id, clock::now(), &language)
    })
}

#[tauri::command]
pub fn set_evidence_in_hand(
    state: State<'_, AppState>,
    case_id: i64,
    evidence_id: String,
    in_hand: bool,
    language: String,
) -> Reply<TriageView> {
    state.with_store(|store, _| {
        store.set_evidence_checked(case_id, &evidence_id, in_hand, clock::now())?;
        triage::view(store, case_id, clock::now(), &language)
    })
}

#[tauri::command]
pub fn resolve_by_self_help(state: State<'_, AppState>, case_id: i64, note: String) -> Reply<Case> {
    state.with_store(|store, _| {
        triage::resolve_by_self_help(store, case_id, &note, clock::now())?;
        store.get_case(case_id)
    })
}

#[tauri::command]
pub fn reopen_case(state: State<'_, AppState>, case_id: i64) -> Reply<Case> {
    state.with_store(|store, _| {
        store.reopen_case(case_id, clock::now())?;
        store.get_case(case_id)
    })
}

#[tauri::command]
pub fn ladder_view(state: State<'_, AppState>, case_id: i64, language: String) -> Reply<LadderView> {
    state.with_store(|store, _| ladder::ladder_view(store, case_id, clock::now(), &language))
}

#[tauri::command]
pub fn record_step(
    state: State<'_, AppState>,
    case_id: i64,
    step: StepInput,
    language: String,
) -> Reply<LadderView> {
    state.with_store(|store, _| ladder::record_step(store, case_id, &step, clock::now(), &language))
}

#[tauri::command]
pub fn delete_step(
    state: State<'_, AppState>,
    case_id: i64,
    step_id: i64,
    language: String,
) -> Reply<LadderView> {
    state.with_store(|store, _| {
        store.delete_ladder_step(case_id, step_id)?;
        ladder::ladder_view(store, case_id, clock::now(), &language)
    })
}

/// Links an evidence item to a recorded step; returns the recomputed ladder.
#[tauri::command]
pub fn link_step_evidence(
    state: State<'_, AppState>,
    case_id: i64,
    step_id: i64,
    item_id: i64,
    language: String,
) -> Reply<LadderView> {
    state.with_store(|store, _| {
        ladder::link_step_evidence(store, case_id, step_id, item_id)?;
        ladder::ladder_view(store, case_id, clock::now(), &language)
    })
}

#[tauri::command]
pub fn unlink_step_evidence(
    state: State<'_, AppState>,
    case_id: i64,
    step_id: i64,
    item_id: i64,
    language: String,
) -> Reply<LadderView> {
    state.with_store(|store, _| {
        ladder::unlink_step_evidence(store, case_id, step_id, item_id)?;
        ladder::ladder_view(store, case_id, clock::now(), &language)
    })
}

/// The case's recorded steps as an evidence item's detail lists them, each saying if it is linked.
#[tauri::command]
pub fn evidence_steps(state: State<'_, AppState>, case_id: i64, item_id: i64) -> Reply<ItemSteps> {
    state.with_store(|store, _| ladder::item_steps(store, case_id, item_id))
}

#[tauri::command]
pub fn skip_rung(
    state: State<'_, AppState>,
    case_id: i64,
    recipient_id: String,
    reason: String,
    language: String,
) -> Reply<LadderView> {
    state.with_store(|store, _| {
        ladder::skip_rung(store, case_id, &recipient_id, &reason, clock::now())?;
        ladder::ladder_view(store, case_id, clock::now(), &language)
    })
}

#[tauri::command]
pub fn unskip_rung(
    state: State<'_, AppState>,
    case_id: i64,
    recipient_id: String,
    language: String,
) -> Reply<LadderView> {
    state.with_store(|store, _| {
        ladder::unskip_rung(store, case_id, &recipient_id)?;
        ladder::ladder_view(store, case_id, clock::now(), &language)
    })
}

#[tauri::command]
pub fn due_items(state: State<'_, AppState>, language: String) -> Reply<Vec<DueItem>> {
    state.with_store(|store, _| ladder::due_items(store, clock::now(), &language))
}

#[tauri::command]
pub fn list_recipients(language: String) -> Vec<RecipientView> {
    ladder::recipient_views(&language)
}

#[tauri::command]
pub fn list_outcomes(language: String) -> Vec<OutcomeView> {
    ladder::outcome_views(&language)
}

#[tauri::command]
pub fn close_case(state: State<'_, AppState>, case_id: i64, closing: CaseClosing) -> Reply<Case> {
    state.with_store(|store, _| store.close_case(case_id, &closing, clock::now()))
}
