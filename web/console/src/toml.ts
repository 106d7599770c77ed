// A game spec (JSON as the API reads and answers it) written as TOML, for
// the editor's TOML tab: top-level tables as [sections], arrays of tables at
// the top as [[sections]], deeper ones inline. null values are left out
// (TOML has none). And read back (smol-toml), for the other tabs to show
// edited TOML without a save; what is saved is the text itself, which the
// server reads (POST/PUT /v1/games with Content-Type application/toml).
import { parse, TomlError } from "smol-toml";

type Value = unknown;

const bareKey = /^[A-Za-z0-9_-]+$/;

function key(k: string): string {
  return bareKey.test(k) ? k : basicString(k);
}

/** A TOML basic string: JSON's escapes are TOML's, but for DEL, which TOML wants escaped. */
function basicString(s: string): string {
  return JSON.stringify(s).replace(/\x7f/g, "\\u007F");
}

function isTable(v: Value): v is Record<string, Value> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function inline(v: Value): string {
  if (typeof v === "string") return basicString(v);
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "nan";
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.filter((x) => x !== null && x !== undefined).map(inline).join(", ")}]`;
  if (isTable(v)) {
    const entries = Object.entries(v).filter(([, x]) => x !== null && x !== undefined);
    return entries.length ? `{ ${entries.map(([k, x]) => `${key(k)} = ${inline(x)}`).join(", ")} }` : "{}";
  }
  return '""';
}

/** The entries of `table` that sit under its header (key = value), then its sub-tables. */
function section(table: Record<string, Value>, path: string[], out: string[], top: boolean): void {
  const later: [string, Value][] = [];
  for (const [k, v] of Object.entries(table)) {
    if (v === null || v === undefined) continue;
    const tableArray = top && Array.isArray(v) && v.length > 0 && v.every(isTable);
    if ((isTable(v) && Object.keys(v).length > 0) || tableArray) later.push([k, v]);
    else out.push(`${key(k)} = ${inline(v)}`);
  }
  for (const [k, v] of later) {
    const name = [...path, key(k)].join(".");
    if (Array.isArray(v)) {
      for (const item of v) {
        out.push("", `[[${name}]]`);
        section(item as Record<string, Value>, [...path, key(k)], out, false);
      }
    } else {
      out.push("", `[${name}]`);
      section(v as Record<string, Value>, [...path, key(k)], out, false);
    }
  }
}

/** `spec` (an object) as a TOML document. */
export function toToml(spec: Record<string, Value>): string {
  const out: string[] = [];
  section(spec, [], out, true);
  return `${out.join("\n").replace(/^\n+/, "")}\n`;
}

/** Where line `line` (from 1) of `text` starts and ends, for a selection. */
export function lineRange(text: string, line: number): [number, number] {
  let start = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf("\n", start);
    if (next < 0) return [text.length, text.length];
    start = next + 1;
  }
  const end = text.indexOf("\n", start);
  return [start, end < 0 ? text.length : end];
}

/** Why a TOML text does not read, and on which line (from 1). */
export class TomlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** The document `text` as the JSON value the server would read from it; throws TomlSyntaxError. */
export function fromToml(text: string): Record<string, Value> {
  try {
    return parse(text) as Record<string, Value>;
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    // smol-toml's message goes on with an excerpt of the text: its first line says what.
    throw new TomlSyntaxError(e.message.split("\n")[0]!.replace(/^Invalid TOML document: /, ""), e.line);
  }
}
