// Turning backend errors into sentences in the active language. The UI branches on `code` and
// `problem`, never on the English text; that text is the fallback when no translation fits.

import type { CaseField } from "../bindings/CaseField";
import type { FieldError } from "../bindings/FieldError";
import type { AppError } from "./api";
import { formatDate, isIsoDate } from "./format";
import { t, tryT, type Params } from "./i18n/index.svelte";

/** The label of each form field, as its error summary names it. */
export function fieldLabel(field: CaseField): string {
  return t(`field.${field}`);
}

/** The sentence for one rejected field, without the field's name (it sits under the field). */
export function problemMessage(error: FieldError): string {
  const params: Params = {};
  for (const [key, value] of Object.entries(error.params)) {
    params[key] = isIsoDate(value) ? formatDate(value) : value;
  }
  return (
    tryT(`problem_for.${error.field}_${error.problem}`, params) ??
    tryT(`problem.${error.problem}`, params) ??
    error.message
  );
}

/** A plain sentence for an error that is not about one field. */
export function errorSummary(error: AppError): string {
  return tryT(`error.${error.code}`) ?? t("error.unexpected");
}
