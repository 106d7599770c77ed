// What the SDK throws: an ApiError when the API answered with an error, a
// ClientError when no usable answer came (or the SDK itself gave up).
import type { ApiErrorCode } from "./types.js";

/**
 * Codes of the failures the SDK reports itself:
 * - `network`: the server could not be reached, or the connection broke;
 * - `timeout`: no answer (or no awaited event) in time;
 * - `aborted`: the caller's AbortSignal fired;
 * - `closed`: the events stream (or game connection) was closed;
 * - `not_logged_in`: a call that needs a login, made without one;
 * - `bad_response`: the server answered something the API does not describe;
 * - `ticket_cancelled`, `ticket_expired`: the awaited ticket is gone;
 * - `session_failed`: the awaited session failed and its players were not requeued.
 */
export type ClientErrorCode =
  | "network"
  | "timeout"
  | "aborted"
  | "closed"
  | "replaced"
  | "not_logged_in"
  | "bad_response"
  | "ticket_cancelled"
  | "ticket_expired"
  | "session_failed";

/** The base of every error the SDK throws: switch on `code`. */
export class WebgamesError extends Error {
  readonly code: ApiErrorCode | ClientErrorCode;

  constructor(code: ApiErrorCode | ClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WebgamesError";
    this.code = code;
  }
}

/**
 * The API's error answer, `{"error":{"code","message","field"}}`: `status`
 * the HTTP status, `code` stable (docs/errors.md), `message` for people,
 * `field` the offending input when there is one (`queues[1].team_size`).
 */
export class ApiError extends WebgamesError {
  declare readonly code: ApiErrorCode;
  readonly status: number;
  readonly field: string | undefined;
  /** The server's X-Request-Id, as written in its access log. */
  readonly requestId: string | undefined;
  /** For a body sent as TOML (a game): the line `field` is on, from 1. */
  readonly line: number | undefined;

  constructor(status: number, code: ApiErrorCode, message: string, field?: string, requestId?: string, line?: number) {
    super(code, message);
    this.name = "ApiError";
    this.status = status;
    this.field = field;
    this.requestId = requestId;
    this.line = line;
  }
}

/** A failure without an API error answer; see ClientErrorCode. */
export class ClientError extends WebgamesError {
  declare readonly code: ClientErrorCode;

  constructor(code: ClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "ClientError";
  }
}

// Every code of the API's Error schema: a Record, so that the compiler
// fails when openapi.yaml gains a code this list lacks.
const apiCodeList: Record<ApiErrorCode, true> = {
  invalid_request: true,
  invalid_field: true,
  unauthenticated: true,
  token_expired: true,
  forbidden: true,
  not_found: true,
  conflict: true,
  payload_too_large: true,
  quota_exceeded: true,
  rate_limited: true,
  unavailable: true,
  outcome_unknown: true,
  internal: true,
};
const apiCodes: ReadonlySet<string> = new Set(Object.keys(apiCodeList));

/**
 * The error an answer of status `status` carries: the API's error object when
 * the body holds one, else an ApiError named after the status (a proxy's
 * answer, for instance).
 */
export function errorFromAnswer(status: number, body: string, requestId?: string): ApiError {
  try {
    const parsed: unknown = JSON.parse(body);
    const e = (parsed as { error?: unknown } | null)?.error as Record<string, unknown> | undefined;
    if (e && typeof e.code === "string" && apiCodes.has(e.code) && typeof e.message === "string") {
      const field = typeof e.field === "string" ? e.field : undefined;
      const line = typeof e.line === "number" ? e.line : undefined;
      return new ApiError(status, e.code as ApiErrorCode, e.message, field, requestId, line);
    }
  } catch {
    // not JSON: described below
  }
  const code: ApiErrorCode =
    status === 401 ? "unauthenticated" : status === 403 ? "forbidden" : status === 404 ? "not_found"
    : status === 409 ? "conflict" : status === 413 ? "payload_too_large" : status === 422 ? "invalid_field"
    : status === 429 ? "rate_limited" : status >= 500 ? "unavailable" : "invalid_request";
  const text = body.length > 200 ? `${body.slice(0, 200)}…` : body;
  return new ApiError(status, code, `HTTP ${status}${text ? `: ${text}` : ""}`, undefined, requestId);
}
