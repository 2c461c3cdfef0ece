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
];

fn main() {
    let attributes =
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
