// The catalogues: every JSON file beside this module, flattened to dotted keys. Plain data, not
// reactive: only the active locale (in index.svelte.ts) changes at run time.

import en from "./en.json";

export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Entry = string | PluralForms;
export type Params = Record<string, string | number>;
interface Catalog {
  [key: string]: string | Catalog;
}

type Leaves<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string
    ? `${P}${K}`
    : T[K] extends { other: string }
      ? `${P}${K}`
      : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every key of `en.json`, dotted: `"home.title"`, `"category.deposit.hint"`, … */
export type MessageKey = Leaves<typeof en>;

export const FALLBACK_LOCALE = "en";

const PLURAL_RULES = new Set(["zero", "one", "two", "few", "many", "other"]);

function isPlural(value: Catalog): boolean {
  const keys = Object.keys(value);
  return keys.includes("other") && keys.every((k) => PLURAL_RULES.has(k));
}

function flatten(catalog: Catalog, prefix: string, into: Map<string, Entry>): Map<string, Entry> {
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix + key;
    if (typeof value === "string") into.set(path, value);
    else if (isPlural(value)) into.set(path, value as PluralForms);
    else flatten(value, `${path}.`, into);
  }
  return into;
}

const modules = import.meta.glob<Catalog>("./*.json", { eager: true, import: "default" });

/** Locale code ("en") → dotted key → message. */
export const catalogs: ReadonlyMap<string, ReadonlyMap<string, Entry>> = new Map(
  Object.entries(modules).map(([path, catalog]) => [
    path.replace(/^\.\/(.*)\.json$/, "$1"),
    flatten(catalog, "", new Map()),
  ]),
);
