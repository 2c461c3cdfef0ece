//! The IPC commands. Each one: take the state, call one core function with the clock read here,
//! return the result or the core error as `ApiError`.

use std::sync::Mutex;

use casefile_core::case::{Case, CaseInput, CaseSummary};
use casefile_core::home::FolderLock;
use casefile_core::knowledge::{self, Currency, Regulator};
use casefile_core::overview::{AppInfo, Welcome};
use casefile_core::storage::CaseFilter;
use casefile_core::triage::{self, AnswerInput, TriageView};
use casefile_core::{ApiError, CoreError, DataHome, Store, UnderstoodAmount, demo, money, overview};
use chrono::Utc;
use tauri::State;

type Reply<T> = Result<T, ApiError>;

/// The open data folder, or the reason it could not be opened (shown by the UI in place of the
/// case list, so a locked or too-new folder explains itself instead of crashing the app).
pub struct AppState {
    opened: Result<OpenFolder, ApiError>,
}

struct OpenFolder {
    home: DataHome,
    store: Mutex<Store>,
    _lock: FolderLock,
}

impl AppState {
    pub fn open(home: Result<DataHome, CoreError>) -> AppState {
        let opened = home
            .and_then(|home| {
                let lock = home.lock_for_app()?;
                let store = Store::open_home(&home)?;
                Ok(OpenFolder { home, store: Mutex::new(store), _lock: lock })
            })
            .map_err(|error| error.to_api());
        AppState { opened }
    }

    fn with_store<T>(&self, work: impl FnOnce(&mut Store, &DataHome) -> Result<T, CoreError>) -> Reply<T> {
        let folder = self.opened.as_ref().map_err(Clone::clone)?;
        // A panic while holding the lock leaves the connection usable: SQLite rolled back its transaction.
        let mut store = folder.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        work(&mut store, &folder.home).map_err(ApiError::from)
    }
}

#[tauri::command]
pub fn list_cases(state: State<'_, AppState>, include_archived: bool) -> Reply<Vec<CaseSummary>> {
    state.with_store(|store, _| store.list_cases(CaseFilter { include_archived }))
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
    state.with_store(|store, _| store.create_case(&input, Utc::now()))
}

#[tauri::command]
pub fn update_case(state: State<'_, AppState>, id: i64, input: CaseInput) -> Reply<Case> {
    state.with_store(|store, _| store.update_case(id, &input, Utc::now()))
}

#[tauri::command]
pub fn set_case_archived(state: State<'_, AppState>, id: i64, archived: bool) -> Reply<Case> {
    state.with_store(|store, _| store.set_archived(id, archived, Utc::now()))
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
    state.with_store(|store, _| demo::create_demo_case(store, Utc::now()))
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
    state.with_store(|store, _| triage::view(store, case_id, Utc::now(), &language))
}

#[tauri::command]
pub fn answer_triage(
    state: State<'_, AppState>,
    case_id: i64,
    question_id: String,
    answer: AnswerInput,
    language: String,
) -> Reply<TriageView> {
    state.with_store(|store, _| triage::answer(store, case_id, &question_id, answer, Utc::now(), &language))
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
        triage::view(store, case_id, Utc::now(), &language)
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
        store.set_evidence_checked(case_id, &evidence_id, in_hand, Utc::now())?;
        triage::view(store, case_id, Utc::now(), &language)
    })
}

#[tauri::command]
pub fn resolve_by_self_help(state: State<'_, AppState>, case_id: i64, note: String) -> Reply<Case> {
    state.with_store(|store, _| {
        triage::resolve_by_self_help(store, case_id, &note, Utc::now())?;
        store.get_case(case_id)
    })
}

#[tauri::command]
pub fn reopen_case(state: State<'_, AppState>, case_id: i64) -> Reply<Case> {
    state.with_store(|store, _| {
        store.reopen_case(case_id, Utc::now())?;
        store.get_case(case_id)
    })
}
