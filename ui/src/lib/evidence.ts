// Types and small helpers for the Evidence tab. The item and import types are the generated ones,
// under the names the Evidence components use.

import type { ImportOutcome } from "../bindings/ImportOutcome";
import type { LockerItem } from "../bindings/LockerItem";
import type { ThumbnailProgress } from "../bindings/ThumbnailProgress";
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

// Thumbnails the backend is making after an import, by "case:item": the grid keeps their
// placeholder until `evidence-thumbnails` says each is ready (then it is read from the cache).
const pending = new Map<string, () => void>();
const gates = new Map<string, Promise<void>>();
const finished = new Set<string>();

/** Holds back the previews of these new items until their thumbnails are made. */
export function awaitThumbnails(caseId: number, itemIds: number[]): void {
  for (const id of itemIds) {
    const key = `${caseId}:${id}`;
    if (finished.has(key) || gates.has(key)) continue;
    gates.set(
      key,
      new Promise<void>((resolve) => {
        pending.set(key, resolve);
        // Never wait for ever: past this the preview is asked for (and made) directly.
        setTimeout(resolve, 60_000);
      }),
    );
  }
}

/** One thumbnail of the background round is done (made, or not possible). */
export function thumbnailDone(progress: ThumbnailProgress): void {
  const key = `${progress.case_id}:${progress.item_id}`;
  finished.add(key);
  pending.get(key)?.();
  pending.delete(key);
}

/** An image item's `data:` preview, asked for once; a failure is forgotten so it can be retried. */
export function thumbnail(caseId: number, itemId: number): Promise<string> {
  const key = `${caseId}:${itemId}`;
  let promise = thumbnails.get(key);
  if (!promise) {
    const gate = gates.get(key) ?? Promise.resolve();
    promise = gate.then(() => evidenceApi.evidenceThumbnail(caseId, itemId));
    thumbnails.set(key, promise);
    promise.catch(() => thumbnails.delete(key));
  }
  return promise;
}

/** The new image items of an import: the ones whose thumbnails are made in the background. */
export function addedImages(outcomes: LockerImportOutcome[]): number[] {
  return outcomes.flatMap((o) =>
    o.result === "added" && o.item.kind === "image" ? [o.item.id] : [],
  );
}

/** "2026-11-22 14.03", local time: the stamp of a pasted item's name (a file-name-safe clock). */
export function pasteStamp(at: Date): string {
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}.${two(at.getMinutes())}`;
}

const IMAGE_EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/gif": "gif",
  "image/bmp": "bmp",
  "image/tiff": "tiff",
};

/** The extension for a pasted image's media type (the content decides its kind, not this). */
export function imageExtension(mediaType: string): string {
  return IMAGE_EXTENSIONS[mediaType] ?? "png";
}
