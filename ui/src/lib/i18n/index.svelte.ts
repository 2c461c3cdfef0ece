// The translation layer. Every user-visible string goes through `t`, with `{name}` placeholders
// for values: never build a sentence by joining translated pieces.
//
// Catalogues are the JSON files beside this module (`en.json` is the reference). Leaves are either
// strings or plural objects (`{ "one": "…", "other": "…" }`, chosen with `Intl.PluralRules` from
// the `count` parameter). `MessageKey` is derived from `en.json`, so a misspelt key fails type
// checking; `npm run check:i18n` also checks that every locale has every key.

import { catalogs, FALLBACK_LOCALE, type Entry, type MessageKey, type Params } from "./catalogs";

export type { MessageKey, Params };

/** Languages written right to left; the document's `dir` follows the active locale. */
const RTL_LANGUAGES = new Set(["ar", "fa", "he", "ps", "ur", "ckb", "dv", "yi"]);

/**
 * How each UI language writes dates and numbers. English uses en-GB: "1 October 2025" (day,
 * month in words, year) reads the same way to readers everywhere; a language without an entry
 * uses its own code.
 */
const FORMAT_LOCALES: Readonly<Record<string, string>> = { en: "en-GB" };

/** The locales that have a catalogue, e.g. `["en"]`. */
export const availableLocales: readonly string[] = [...catalogs.keys()].sort();

function pickLocale(): string {
  const wanted = typeof navigator === "undefined" ? [] : navigator.languages;
  for (const tag of wanted) {
    if (catalogs.has(tag)) return tag;
    const language = tag.split("-")[0];
    if (catalogs.has(language)) return language;
  }
  return FALLBACK_LOCALE;
}

const state = $state({ locale: pickLocale() });

/** The active locale, reactive: templates that read it re-render when it changes. */
export const i18n = {
  get locale(): string {
    return state.locale;
  },
  /**
   * The locale for dates and numbers: the UI language's own regional variant, never the
   * environment's (a window started under en_US would otherwise write "October 1, 2025", which
   * many readers take for a day-month mix-up). See `FORMAT_LOCALES`.
   */
  get formatLocale(): string {
    return FORMAT_LOCALES[state.locale] ?? state.locale;
  },
  get dir(): "ltr" | "rtl" {
    return RTL_LANGUAGES.has(state.locale.split("-")[0]) ? "rtl" : "ltr";
  },
};

/** Switches the language and sets `<html lang dir>` to match. */
export function setLocale(locale: string): void {
  state.locale = catalogs.has(locale) ? locale : FALLBACK_LOCALE;
  applyToDocument();
}

/** Sets `<html lang dir>` from the active locale. */
export function applyToDocument(): void {
  document.documentElement.lang = state.locale;
  document.documentElement.dir = i18n.dir;
}

function lookup(key: string): Entry | undefined {
  return catalogs.get(state.locale)?.get(key) ?? catalogs.get(FALLBACK_LOCALE)?.get(key);
}

function render(entry: Entry, params: Params): { text: string; complete: boolean } {
  let template: string;
  if (typeof entry === "string") {
    template = entry;
  } else {
    const count = Number(params.count ?? 0);
    const rule = new Intl.PluralRules(i18n.formatLocale).select(count);
    template = entry[rule] ?? entry.other;
  }
  let complete = true;
  const text = template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) {
      complete = false;
      return whole;
    }
    return typeof value === "number"
      ? new Intl.NumberFormat(i18n.formatLocale).format(value)
      : value;
  });
  return { text, complete };
}

/** The message for `key` in the active locale, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params: Params = {}): string {
  const entry = lookup(key);
  if (entry === undefined) {
    if (import.meta.env.DEV) console.warn(`i18n: no message for "${key}"`);
    return key;
  }
  const { text, complete } = render(entry, params);
  if (!complete && import.meta.env.DEV) console.warn(`i18n: "${key}" is missing a parameter`);
  return text;
}

/**
 * For keys built from values the backend sends (a problem code that a newer backend may add):
 * the message, or `undefined` when there is none or when a placeholder could not be filled, so
 * the caller can fall back to the backend's English sentence.
 */
export function tryT(key: string, params: Params = {}): string | undefined {
  const entry = lookup(key);
  if (entry === undefined) return undefined;
  const { text, complete } = render(entry, params);
  return complete ? text : undefined;
}
