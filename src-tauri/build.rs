//! Generates one Tauri permission per command, so the capability file can allow exactly these.

const COMMANDS: &[&str] = &[
    "list_cases",
    "get_case",
    "get_case_input",
    "create_case",
    "update_case",
    "set_case_archived",
    "delete_case",
    "understand_amount",
    "welcome",
    "create_demo_case",
    "decline_demo",
    "list_regulators",
    "list_currencies",
    "app_info",
    "triage_view",
    "answer_triage",
    "forget_triage_answer",
    "set_evidence_in_hand",
    "resolve_by_self_help",
    "reopen_case",
    "ladder_view",
    "record_step",
    "delete_step",
    "skip_rung",
    "unskip_rung",
    "due_items",
    "list_recipients",
    "list_outcomes",
    "close_case",
    "locker_state",
    "set_up_vault",
    "unlock_vault",
    "list_evidence",
    "import_evidence",
    "pick_evidence_files",
    "evidence_thumbnail",
    "verify_evidence",
    "evidence_content",
    "paste_evidence",
    "test_drag_files",
];

fn main() {
    let attributes =
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
