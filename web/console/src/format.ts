// How the console writes numbers, times and errors.
import { ApiError, ClientError } from "../../../sdk/js/src/index.js";

/** Unix seconds, or an RFC 3339 string, as a local date and time; "—" for none. */
export function formatTime(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === "" || value === 0) return "—";
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

export function formatNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return value.toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Whether `message` starts with `field` ("queues[0].teams: must be…"), as the game checks' do. */
export function namesField(message: string, field: string): boolean {
  return message.startsWith(`${field}:`);
}

/** `message` without the field it starts with, if it does. */
export function withoutField(message: string, field: string): string {
  return namesField(message, field) ? message.slice(field.length + 1).trimStart() : message;
}

/** What the page says for an error: the API's message and the field it names. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "unauthenticated" || error.code === "token_expired")
      return error.field === "password" || error.field === "username" ? "Wrong username or password." : "Your login has ended; log in again.";
    if (error.code === "forbidden") return `Not allowed: ${error.message}`;
    // A message that starts with its field ("queues[0].teams: must be…") names it already.
    if (error.field && namesField(error.message, error.field)) return error.message;
    return `${error.message}${error.field ? ` (field ${error.field})` : ""}`;
  }
  if (error instanceof ClientError) {
    if (error.code === "network") return "The server cannot be reached; check your connection.";
    if (error.code === "not_logged_in") return "Log in first.";
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
