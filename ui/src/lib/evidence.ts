// Types and small helpers for the Evidence tab. The item and import types are the generated ones,
// under the names the Evidence components use.

import type { ImportOutcome } from "../bindings/ImportOutcome";
import type { LockerItem } from "../bindings/LockerItem";
import { evidenceApi } from "./api";
import { i18n } from "./i18n/index.svelte";

export type { LockerItem };
export type LockerImportOutcome = ImportOutcome;

/** Passphrases shorter than this are refused by the backend. */
export const MIN_PASSPHRASE = 10;

/** The date that best says when the evidence is from, and which one it is. */
export function itemDate(item: LockerItem): {
  which: "email" | "captured" | "imported";
  value: string;
} {
  if (item.email?.date) return { which: "email", value: item.email.date };
  if (item.captured_at) return { which: "captured", value: item.captured_at };
  return { which: "imported", value: item.imported_at };
}

/** A date and time for the locale: "2 March 2026, 10:01". Camera times have no zone: as written. */
export function formatDateTime(value: string, zoned = true): string {
  const date = new Date(zoned || /[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(i18n.formatLocale, {
    dateStyle: "long",
    timeStyle: "short",
    ...(zoned ? {} : { timeZone: "UTC" }),
  }).format(date);
}

/** "12.4 KB", in the locale's digits. */
export function formatSize(bytes: number): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(i18n.formatLocale, {
    style: "unit",
    unit: units[unit],
    unitDisplay: unit === 0 ? "long" : "short",
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/** Top-level items, each followed by what was lifted out of it (an email's attachments). */
export function grouped(items: LockerItem[]): { item: LockerItem; children: LockerItem[] }[] {
  const ids = new Set(items.map((i) => i.id));
  const children = new Map<number, LockerItem[]>();
  for (const item of items) {
    if (item.parent_id !== null && ids.has(item.parent_id)) {
      const list = children.get(item.parent_id) ?? [];
      list.push(item);
      children.set(item.parent_id, list);
    }
  }
  return items
    .filter((i) => i.parent_id === null || !ids.has(i.parent_id))
    .map((item) => ({ item, children: children.get(item.id) ?? [] }));
}

// Previews already asked for, by "case:item": the grid and the detail view share them, and each
// is made once per window. Not reactive on purpose: it only caches promises.
const thumbnails = new Map<string, Promise<string>>();

/** An image item's `data:` preview, asked for once; a failure is forgotten so it can be retried. */
export function thumbnail(caseId: number, itemId: number): Promise<string> {
  const key = `${caseId}:${itemId}`;
  let promise = thumbnails.get(key);
  if (!promise) {
    promise = evidenceApi.evidenceThumbnail(caseId, itemId);
    thumbnails.set(key, promise);
    promise.catch(() => thumbnails.delete(key));
  }
  return promise;
}
