// Small pure helpers for the Triage tab. The backend decides everything (the next question, the
// ideas, findings, weak points); these only turn its values into words and back.

import type { Answer } from "../bindings/Answer";
import type { AppError } from "./api";
import type { TriagePhase } from "../bindings/TriagePhase";
import type { TriageStep } from "../bindings/TriageStep";
import type { TriageView } from "../bindings/TriageView";
import { formatDate, formatMoney, isIsoDate } from "./format";
import { minorDigits } from "./reference.svelte";

export const PHASES: readonly TriagePhase[] = ["category", "follow_up", "eligibility", "done"];

/** An answer in words: dates and amounts written for the active locale, the rest as the backend says. */
export function answerInWords(answer: Answer, answerText: string): string {
  if (answer.kind === "date") return formatDate(answer.value);
  if (answer.kind === "amount") return formatMoney(answer.value);
  return answerText;
}

/** A recorded fact's value: a bare ISO date is written out; anything else is shown as sent. */
export function factInWords(value: string): string {
  return isIsoDate(value) ? formatDate(value) : value;
}

/**
 * Why the backend refused an answer, for the person. The core prefixes the question's id
 * ("fu-withdrawal-date: … is in the future"); that id means nothing to them.
 */
export function refusalText(error: AppError, questionId: string): string {
  const prefix = `${questionId}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** The steps the player answered in triage (not the ones filled in from the case form). */
export function ownSteps(view: TriageView): TriageStep[] {
  return view.steps.filter((step) => !step.from_case);
}

/** The last answered step that "Back" forgets, if any. */
export function lastOwnStep(view: TriageView): TriageStep | undefined {
  const own = ownSteps(view);
  return own[own.length - 1];
}

/** What to put back into an answer control when a question is asked again after "Change". */
export interface Prefill {
  text: string;
  choice: string;
  choices: string[];
}

export function prefillFrom(answer: Answer | undefined): Prefill {
  const empty: Prefill = { text: "", choice: "", choices: [] };
  if (!answer) return empty;
  switch (answer.kind) {
    case "date":
    case "text":
      return { ...empty, text: answer.value };
    case "amount": {
      const digits = minorDigits(answer.value.currency);
      return { ...empty, text: (answer.value.minor_units / 10 ** digits).toFixed(digits) };
    }
    case "choice":
      return { ...empty, choice: answer.value };
    case "choices":
      return { ...empty, choices: [...answer.value] };
    default:
      return empty;
  }
}
