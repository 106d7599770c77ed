// Names for the API's types, taken from the types generated from
// docs/api/openapi.yaml (openapi.ts): what the SDK takes and returns.
import type { components, operations } from "./openapi.js";

type Schemas = components["schemas"];

export type Account = Schemas["Account"];
export type Tokens = Schemas["Tokens"];
export type Party = Schemas["Party"];
export type Ticket = Schemas["Ticket"];
export type TicketAttributes = Schemas["TicketAttributes"];
/** A session as its players see it (`results` typed as Result, below). */
export type Session = Omit<Schemas["Session"], "results"> & { results?: Result[] | null };
export type SessionPlayer = Schemas["SessionPlayer"];
export type Assignment = Schemas["Assignment"];
/**
 * One line of a session's results, for a player or a team (at least one of
 * `player_id` and `team`), other members as the game sent them. Written out
 * here: the schema's `anyOf` of two `required` lists comes out of the
 * generator as `unknown`.
 */
export interface Result {
  player_id?: string;
  team?: number;
  score?: number;
  /** 1 for the winner. */
  rank?: number;
  data?: unknown;
  [member: string]: unknown;
}
/** `session.ended`'s data: the session and its results. */
export interface SessionEnd {
  session_id: string;
  results: Result[];
}
export type Rating = Schemas["Rating"];
export type Leaderboard =
  operations["getLeaderboard"]["responses"]["200"]["content"]["application/json"];
export type LeaderboardEntry = Leaderboard["items"][number];

/** The codes of the API's error answers (docs/errors.md). */
export type ApiErrorCode = Schemas["Error"]["error"]["code"];

/** One frame of the events WebSocket. Switch on `type`. */
export type WebgamesEvent = Schemas["Event"];
export type EventType = WebgamesEvent["type"];
/** The event of one type, e.g. `EventOf<"session.ready">`. */
export type EventOf<T extends EventType> = Extract<WebgamesEvent, { type: T }>;

/** The body of POST /v1/auth/register. */
export type RegisterRequest =
  operations["register"]["requestBody"]["content"]["application/json"];
