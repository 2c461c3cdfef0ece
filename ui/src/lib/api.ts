// The one typed door to the Rust side: every IPC call goes through here, and this is the only
// module that calls `invoke`. Tauri converts the Rust commands' snake_case arguments to camelCase.

import { invoke } from "@tauri-apps/api/core";
import type { ApiError } from "../bindings/ApiError";
import type { ExhibitOverride } from "../bindings/ExhibitOverride";
import type { AnswerInput } from "../bindings/AnswerInput";
import type { AppInfo } from "../bindings/AppInfo";
import type { Case } from "../bindings/Case";
import type { CaseClosing } from "../bindings/CaseClosing";
import type { CaseInput } from "../bindings/CaseInput";
import type { CaseSummary } from "../bindings/CaseSummary";
import type { Currency } from "../bindings/Currency";
import type { EvidenceContent } from "../bindings/EvidenceContent";
import type { ItemEdit } from "../bindings/ItemEdit";
import type { RedactionBox } from "../bindings/RedactionBox";
import type { ImportProgress } from "../bindings/ImportProgress";
import type { LockerState } from "../bindings/LockerState";
import type { BuiltPackage } from "../bindings/BuiltPackage";
import type { PackageBuilt } from "../bindings/PackageBuilt";
import type { PackagePreview } from "../bindings/PackagePreview";
import type { PackageProgress } from "../bindings/PackageProgress";
import type { PackageRecipients } from "../bindings/PackageRecipients";
import type { RecoveryKey } from "../bindings/RecoveryKey";
import type { ThumbnailProgress } from "../bindings/ThumbnailProgress";
import type { VerifyReport } from "../bindings/VerifyReport";
import type { DueItem } from "../bindings/DueItem";
import type { EventInput } from "../bindings/EventInput";
import type { ItemCoverage } from "../bindings/ItemCoverage";
import type { ItemSteps } from "../bindings/ItemSteps";
import type { Timeline } from "../bindings/Timeline";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { LadderView } from "../bindings/LadderView";
import type { OutcomeView } from "../bindings/OutcomeView";
import type { RecipientView } from "../bindings/RecipientView";
import type { Regulator } from "../bindings/Regulator";
import type { TriageView } from "../bindings/TriageView";
import type { StepInput } from "../bindings/StepInput";
import type { UnderstoodAmount } from "../bindings/UnderstoodAmount";
import type { Welcome } from "../bindings/Welcome";
import type { LockerImportOutcome, LockerItem } from "./evidence";

type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

let backend: Promise<Invoke> | undefined;

function resolveBackend(): Promise<Invoke> {
  // `import.meta.env.DEV` is `false` in `vite build`, so the mock and its import vanish from the
  // production bundle. In `npm run dev` inside the Tauri window the real backend is used; in a plain
  // browser (no Tauri internals) the in-memory mock stands in, for looking at screens.
  if (import.meta.env.DEV && !("__TAURI_INTERNALS__" in window)) {
    return import("./dev/mock").then((mock) => mock.mockInvoke);
  }
  return Promise.resolve(invoke);
}

/** An `ApiError`, or a failure the backend did not describe (a crashed command, a missing one). */
export type AppError = ApiError | { code: "unexpected"; message: string; fields: [] };
export type AppErrorCode = ErrorCode | "unexpected";

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ApiError).code === "string" &&
    typeof (value as ApiError).message === "string" &&
    Array.isArray((value as ApiError).fields)
  );
}

/** Whatever a command rejected with, as an `AppError`. */
export function toAppError(error: unknown): AppError {
  if (isApiError(error)) return error;
  const message =
    error instanceof Error ? error.message : typeof error === "string" ? error : String(error);
  return { code: "unexpected", message, fields: [] };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  backend ??= resolveBackend();
  const run = await backend;
  try {
    return await run<T>(command, args);
  } catch (error) {
    throw toAppError(error);
  }
}

export const api = {
  listCases: (includeArchived: boolean) => call<CaseSummary[]>("list_cases", { includeArchived }),
  getCase: (id: number) => call<Case>("get_case", { id }),
  getCaseInput: (id: number) => call<CaseInput>("get_case_input", { id }),
  createCase: (input: CaseInput) => call<Case>("create_case", { input }),
  updateCase: (id: number, input: CaseInput) => call<Case>("update_case", { id, input }),
  setCaseArchived: (id: number, archived: boolean) =>
    call<Case>("set_case_archived", { id, archived }),
  deleteCase: (id: number) => call<null>("delete_case", { id }),
  understandAmount: (amount: string, currency: string) =>
    call<UnderstoodAmount>("understand_amount", { amount, currency }),
  welcome: () => call<Welcome>("welcome"),
  createDemoCase: () => call<Case>("create_demo_case"),
  declineDemo: () => call<null>("decline_demo"),
  listRegulators: () => call<Regulator[]>("list_regulators"),
  listCurrencies: () => call<Currency[]>("list_currencies"),
  appInfo: () => call<AppInfo>("app_info"),

  // Triage. `language` is the UI locale: the backend sends the knowledge text (questions, ideas,
  // findings) already translated into it. Every answer is saved the moment it is given, and each
  // call returns the whole view, recomputed.
  triageView: (caseId: number, language: string) =>
    call<TriageView>("triage_view", { caseId, language }),
  answerTriage: (caseId: number, questionId: string, answer: AnswerInput, language: string) =>
    call<TriageView>("answer_triage", { caseId, questionId, answer, language }),
  forgetTriageAnswer: (caseId: number, questionId: string, language: string) =>
    call<TriageView>("forget_triage_answer", { caseId, questionId, language }),
  setEvidenceInHand: (caseId: number, evidenceId: string, inHand: boolean, language: string) =>
    call<TriageView>("set_evidence_in_hand", { caseId, evidenceId, inHand, language }),
  /** "This solved it": closes the case as resolved without escalation. */
  resolveBySelfHelp: (caseId: number, note: string) =>
    call<Case>("resolve_by_self_help", { caseId, note }),
  reopenCase: (caseId: number) => call<Case>("reopen_case", { caseId }),
};

// The escalation ladder, the due list, the directory and closing a case. `language` is the UI
// locale: the backend sends its sentences (why, next action, clocks, summaries) in it.
export const ladderApi = {
  ladderView: (caseId: number, language: string) =>
    call<LadderView>("ladder_view", { caseId, language }),
  recordStep: (caseId: number, step: StepInput, language: string) =>
    call<LadderView>("record_step", { caseId, step, language }),
  deleteStep: (caseId: number, stepId: number, language: string) =>
    call<LadderView>("delete_step", { caseId, stepId, language }),
  linkStepEvidence: (caseId: number, stepId: number, itemId: number, language: string) =>
    call<LadderView>("link_step_evidence", { caseId, stepId, itemId, language }),
  unlinkStepEvidence: (caseId: number, stepId: number, itemId: number, language: string) =>
    call<LadderView>("unlink_step_evidence", { caseId, stepId, itemId, language }),
  /** The case's recorded steps as an item's detail lists them, each saying if the item is linked. */
  evidenceSteps: (caseId: number, itemId: number) =>
    call<ItemSteps>("evidence_steps", { caseId, itemId }),
  skipRung: (caseId: number, recipientId: string, reason: string, language: string) =>
    call<LadderView>("skip_rung", { caseId, recipientId, reason, language }),
  unskipRung: (caseId: number, recipientId: string, language: string) =>
    call<LadderView>("unskip_rung", { caseId, recipientId, language }),
  dueItems: (language: string) => call<DueItem[]>("due_items", { language }),
  listRecipients: (language: string) => call<RecipientView[]>("list_recipients", { language }),
  listOutcomes: (language: string) => call<OutcomeView[]>("list_outcomes", { language }),
  closeCase: (caseId: number, closing: CaseClosing) =>
    call<Case>("close_case", { caseId, closing }),
  reopenCase: (caseId: number) => call<Case>("reopen_case", { caseId }),
};

// The evidence locker. Files are imported by path (from the native dialog or a drop on the
// window); the backend hashes, encrypts and logs them and sends `evidence-progress` after each.
// The item type is `LockerItem` (lib/evidence.ts) until the generated `EvidenceItem` binding stops
// colliding with the triage type of the same name.
export const evidenceApi = {
  lockerState: () => call<LockerState>("locker_state"),
  /** `null` keeps the key in the system keyring; a passphrase (10 characters or more) wraps it. */
  setUpVault: (passphrase: string | null) => call<RecoveryKey>("set_up_vault", { passphrase }),
  unlockVault: (passphrase: string | null, recoveryKey: string | null) =>
    call<null>("unlock_vault", { passphrase, recoveryKey }),
  listEvidence: (caseId: number) => call<LockerItem[]>("list_evidence", { caseId }),
  pickEvidenceFiles: () => call<string[]>("pick_evidence_files"),
  importEvidence: (caseId: number, paths: string[]) =>
    call<LockerImportOutcome[]>("import_evidence", { caseId, paths }),
  /** A `data:image/png;base64,…` preview (320 px) of an image item. */
  evidenceThumbnail: (caseId: number, itemId: number) =>
    call<string>("evidence_thumbnail", { caseId, itemId }),
  evidenceContent: (caseId: number, itemId: number) =>
    call<EvidenceContent>("evidence_content", { caseId, itemId }),
  verifyEvidence: (caseId: number) => call<VerifyReport>("verify_evidence", { caseId }),
  /** Changes the given fields (`null` leaves one as it is); the edit is logged. */
  editEvidence: (caseId: number, itemId: number, edit: ItemEdit) =>
    call<LockerItem>("edit_evidence", { caseId, itemId, edit }),
  deleteEvidence: (caseId: number, itemId: number) =>
    call<null>("delete_evidence", { caseId, itemId }),
  /** The areas hidden in copies sent out, in the original image's pixels. */
  evidenceRedactions: (caseId: number, itemId: number) =>
    call<RedactionBox[]>("evidence_redactions", { caseId, itemId }),
  setEvidenceRedactions: (caseId: number, itemId: number, boxes: RedactionBox[]) =>
    call<RedactionBox[]>("set_evidence_redactions", { caseId, itemId, boxes }),
  /** A large (1600 px) preview to draw hidden areas on. */
  evidencePreview: (caseId: number, itemId: number) =>
    call<string>("evidence_preview", { caseId, itemId }),
  /** Pasted content as raw bytes (no JSON array of numbers); the case and name ride in headers. */
  pasteEvidence: async (caseId: number, name: string, bytes: Uint8Array) => {
    try {
      return await invoke<LockerImportOutcome[]>("paste_evidence", bytes, {
        headers: { "Casefile-Case": String(caseId), "Casefile-Name": encodeURIComponent(name) },
      });
    } catch (error) {
      throw toAppError(error);
    }
  },
};

// The complaint package. The webview names a recorded package by id to show it in the file
// manager; it never passes a path to open. Building sends `package-progress` while it runs.
export const packageApi = {
  /** The ladder's rungs to build for, the next one preselected. */
  packageRecipients: (caseId: number, language: string) =>
    call<PackageRecipients>("package_recipients", { caseId, language }),
  /** The completeness check, the exhibits and a default folder name for one recipient. */
  packageCheck: (caseId: number, recipientId: string) =>
    call<PackagePreview>("package_check", { caseId, recipientId }),
  /** The native save dialog; `null` when the player cancels. */
  choosePackageFolder: (defaultName: string) =>
    call<string | null>("choose_package_folder", { defaultName }),
  buildPackage: (
    caseId: number,
    recipientId: string,
    folder: string,
    draft: boolean,
    zip: boolean,
    exhibits: ExhibitOverride[],
  ) => call<PackageBuilt>("build_package", { caseId, recipientId, folder, draft, zip, exhibits }),
  listPackages: (caseId: number) => call<BuiltPackage[]>("list_packages", { caseId }),
  revealPackage: (caseId: number, packageId: number) =>
    call<null>("reveal_package", { caseId, packageId }),
  openPackageLetter: (caseId: number, packageId: number) =>
    call<null>("open_package_letter", { caseId, packageId }),
};

// The timeline: derived events plus the player's own entries, and which evidence item covers which
// weak-points checklist entry. Writes return nothing; the caller reloads what it shows.
export const timelineApi = {
  caseTimeline: (caseId: number, language: string) =>
    call<Timeline>("case_timeline", { caseId, language }),
  addEvent: (caseId: number, event: EventInput) =>
    call<number>("add_timeline_event", { caseId, event }),
  updateEvent: (caseId: number, eventId: number, event: EventInput) =>
    call<null>("update_timeline_event", { caseId, eventId, event }),
  deleteEvent: (caseId: number, eventId: number) =>
    call<null>("delete_timeline_event", { caseId, eventId }),
  evidenceCoverage: (caseId: number, itemId: number, language: string) =>
    call<ItemCoverage>("evidence_coverage", { caseId, itemId, language }),
  setEvidenceCovers: (caseId: number, itemId: number, checklistId: string, covers: boolean) =>
    call<null>("set_evidence_covers", { caseId, itemId, checklistId, covers }),
};

const inTauri = (): boolean => "__TAURI_INTERNALS__" in window;

/** Calls `handler` with each `evidence-progress` event; resolves to the function that stops it. */
export async function onImportProgress(
  handler: (progress: ImportProgress) => void,
): Promise<() => void> {
  if (!inTauri()) return () => {};
  const { listen } = await import("@tauri-apps/api/event");
  return listen<ImportProgress>("evidence-progress", (event) => handler(event.payload));
}

/** Calls `handler` with each `package-progress` event; resolves to the function that stops it. */
export async function onPackageProgress(
  handler: (progress: PackageProgress) => void,
): Promise<() => void> {
  if (!inTauri()) return () => {};
  const { listen } = await import("@tauri-apps/api/event");
  return listen<PackageProgress>("package-progress", (event) => handler(event.payload));
}

/** Calls `handler` as each thumbnail of the background round after an import is ready. */
export async function onThumbnails(
  handler: (progress: ThumbnailProgress) => void,
): Promise<() => void> {
  if (!inTauri()) return () => {};
  const { listen } = await import("@tauri-apps/api/event");
  return listen<ThumbnailProgress>("evidence-thumbnails", (event) => handler(event.payload));
}

export type FileDrag = { type: "enter" | "over" | "leave" } | { type: "drop"; paths: string[] };

/** Files dragged from the system onto the window; resolves to the function that stops listening. */
export async function onFileDrag(handler: (drag: FileDrag) => void): Promise<() => void> {
  if (!inTauri()) return () => {};
  const { getCurrentWebview } = await import("@tauri-apps/api/webview");
  return getCurrentWebview().onDragDropEvent((event) => {
    const payload = event.payload;
    if (payload.type === "drop") handler({ type: "drop", paths: payload.paths });
    else handler({ type: payload.type });
  });
}
