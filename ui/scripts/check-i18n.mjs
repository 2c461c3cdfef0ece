#!/usr/bin/env node
// Checks the translation catalogues (`src/lib/i18n/*.json`) against the code and each other.
// Fails (exit 1) when:
//   - a key used in the source as t("…") / tryT("…") is missing from en.json;
//   - a key family built from a backend value (problem.<FieldProblem>, field.<CaseField>,
//     error.<ErrorCode>, category.<ProblemCategory>.*) lacks an entry for some value the generated
//     bindings allow;
//   - a locale file lacks a key en.json has, has a key en.json lacks, or uses a {placeholder}
//     that the English message does not have.
// Keys in en.json that nothing uses are listed as a warning only.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");
const i18nDir = join(src, "lib", "i18n");
const bindingsDir = join(src, "bindings");
const PLURAL_RULES = new Set(["zero", "one", "two", "few", "many", "other"]);

const errors = [];
const warnings = [];

function flatten(catalog, prefix = "", into = new Map()) {
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix + key;
    if (typeof value === "string") {
      into.set(path, [value]);
    } else if (value && typeof value === "object") {
      const keys = Object.keys(value);
      if (keys.includes("other") && keys.every((k) => PLURAL_RULES.has(k))) {
        into.set(path, Object.values(value));
      } else {
        flatten(value, `${path}.`, into);
      }
    } else {
      errors.push(`${prefix}${key}: value must be a string or an object`);
    }
  }
  return into;
}

function placeholders(texts) {
  const names = new Set();
  for (const text of texts) for (const m of text.matchAll(/\{(\w+)\}/g)) names.add(m[1]);
  return names;
}

/** The string literals of a generated union type, e.g. FieldProblem.ts. */
function unionValues(file) {
  const text = readFileSync(join(bindingsDir, file), "utf8");
  const line = text.split("\n").find((l) => l.startsWith("export type"));
  if (!line) throw new Error(`${file}: no exported type`);
  return [...line.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === bindingsDir) continue;
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|svelte|js)$/.test(name)) out.push(path);
  }
  return out;
}

// 1. Catalogues.
const locales = new Map();
for (const name of readdirSync(i18nDir)
  .filter((n) => n.endsWith(".json"))
  .sort()) {
  const path = join(i18nDir, name);
  try {
    locales.set(name.slice(0, -5), flatten(JSON.parse(readFileSync(path, "utf8"))));
  } catch (e) {
    errors.push(`${relative(root, path)}: ${e.message}`);
  }
}
const en = locales.get("en");
if (!en) {
  console.error("check-i18n: src/lib/i18n/en.json is missing");
  process.exit(1);
}

for (const [locale, messages] of locales) {
  if (locale === "en") continue;
  for (const key of en.keys()) {
    if (!messages.has(key)) errors.push(`${locale}.json: missing key "${key}"`);
  }
  for (const [key, texts] of messages) {
    if (!en.has(key)) {
      errors.push(`${locale}.json: key "${key}" is not in en.json (renamed or removed?)`);
      continue;
    }
    const known = placeholders(en.get(key));
    for (const name of placeholders(texts)) {
      if (!known.has(name) && name !== "count") {
        errors.push(`${locale}.json: "${key}" uses {${name}}, which en.json's message does not`);
      }
    }
  }
}

// 2. Keys used in the source.
const used = new Set();
const patterns = [];
const callPattern = /\b(t|tryT)\(\s*(?:"([^"\\]+)"|'([^'\\]+)'|`([^`]+)`)/g;
for (const file of sourceFiles(src)) {
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(callPattern)) {
    const line = text.slice(0, m.index).split("\n").length;
    const where = `${relative(root, file)}:${line}`;
    const fn = m[1];
    const literal = m[2] ?? m[3];
    if (literal !== undefined) {
      used.add(literal);
      if (!en.has(literal)) errors.push(`${where}: t("${literal}") is not in en.json`);
    } else {
      const template = m[4];
      if (!template.includes("${")) {
        used.add(template);
        if (!en.has(template)) errors.push(`${where}: t(\`${template}\`) is not in en.json`);
        continue;
      }
      const regex = new RegExp(
        "^" +
          template
            .split(/\$\{[^}]*\}/)
            .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, "\\$&"))
            .join("[A-Za-z0-9_-]+") +
          "$",
      );
      patterns.push({ regex, where, template, fn });
    }
  }
}

for (const { regex, where, template, fn } of patterns) {
  let matched = false;
  for (const key of en.keys()) {
    if (regex.test(key)) {
      matched = true;
      used.add(key);
    }
  }
  // tryT families may legitimately be empty today (e.g. stage names before the ladder exists).
  if (!matched && fn !== "tryT") {
    errors.push(`${where}: no key in en.json matches t(\`${template}\`)`);
  }
}

// 3. Families keyed by values the backend sends: every value must have a message.
const families = [
  { file: "FieldProblem.ts", keys: (v) => [`problem.${v}`] },
  { file: "CaseField.ts", keys: (v) => [`field.${v}`] },
  { file: "ErrorCode.ts", keys: (v) => [`error.${v}`] },
  { file: "ProblemCategory.ts", keys: (v) => [`category.${v}.title`, `category.${v}.hint`] },
];
for (const { file, keys } of families) {
  for (const value of unionValues(file)) {
    for (const key of keys(value)) {
      used.add(key);
      if (!en.has(key)) errors.push(`en.json: missing "${key}" (${file} has "${value}")`);
    }
  }
}

for (const key of en.keys()) {
  if (!used.has(key)) warnings.push(`en.json: "${key}" is not used anywhere`);
}

for (const w of warnings) console.warn(`warning: ${w}`);
if (errors.length > 0) {
  for (const e of errors) console.error(`error: ${e}`);
  console.error(`check-i18n: ${errors.length} problem(s)`);
  process.exit(1);
}
console.log(
  `check-i18n: ${en.size} keys, ${locales.size} locale(s) (${[...locales.keys()].join(", ")}), all complete`,
);
