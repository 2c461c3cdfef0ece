// Locale-aware formatting of the values the backend sends. All functions read the active locale,
// so a template that calls them re-renders when the language changes.

import type { Currency } from "../bindings/Currency";
import type { Money } from "../bindings/Money";
import type { Regulator } from "../bindings/Regulator";
import { i18n, t } from "./i18n/index.svelte";
import { minorDigits } from "./reference.svelte";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "EUR 2,350.00" in English: the code, not a symbol, so "$" never leaves the currency open. */
export function formatMoney(money: Money): string {
  const digits = minorDigits(money.currency);
  const major = money.minor_units / 10 ** digits;
  try {
    return new Intl.NumberFormat(i18n.formatLocale, {
      style: "currency",
      currency: money.currency,
      currencyDisplay: "code",
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(major);
  } catch {
    // A code Intl does not know: still show the number, grouped for the locale.
    const number = new Intl.NumberFormat(i18n.formatLocale, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(major);
    return `${money.currency}\u00a0${number}`;
  }
}

/** A calendar date ("2026-05-31") or a timestamp, written out for the locale: "31 May 2026". */
export function formatDate(value: string): string {
  const plain = ISO_DATE.exec(value);
  const date = plain
    ? new Date(Date.UTC(Number(plain[1]), Number(plain[2]) - 1, Number(plain[3])))
    : new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(i18n.formatLocale, {
    dateStyle: "long",
    // A calendar date has no zone: read it in UTC so it never shifts by a day.
    ...(plain ? { timeZone: "UTC" } : {}),
  }).format(date);
}

export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value);
}

/** "Germany" for "DE", in the active language; `undefined` for a code that names no region. */
export function countryName(code: string): string | undefined {
  const trimmed = code.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(trimmed)) return undefined;
  try {
    return new Intl.DisplayNames([i18n.formatLocale], { type: "region", fallback: "none" }).of(
      trimmed,
    );
  } catch {
    return undefined;
  }
}

/** The currency's name in the active language, or the English name from the knowledge file. */
export function currencyName(currency: Currency): string {
  try {
    return (
      new Intl.DisplayNames([i18n.formatLocale], { type: "currency", fallback: "none" }).of(
        currency.code,
      ) ?? currency.name
    );
  } catch {
    return currency.name;
  }
}

export function regulatorLabel(regulator: Regulator): string {
  return t("form.regulator_option", {
    name: regulator.name,
    jurisdiction: regulator.jurisdiction,
  });
}

/** This computer's IANA time zone, e.g. "Europe/Berlin". */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? "";
}

/** Every IANA zone the webview knows, for suggestions. */
export function timeZoneNames(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return [];
  }
}
