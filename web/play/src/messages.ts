// What the page says for each error: the API's codes (docs/errors.md) and the
// SDK's own (sdk/js/README.md), in words a player understands.
import { ApiError, ClientError } from "../../../sdk/js/src/index.js";

export function describeError(error: unknown): string {
  if (typeof error === "string") return error;
  if (error instanceof ApiError) {
    switch (error.code) {
      case "not_found":
        if (error.field === "game" || error.field === "queue") return "This game is gone: it is no longer offered. Choose another.";
        if (error.field === "code" || error.field === "party") return "No party has this code.";
        return `Not found: ${error.message}`;
      case "unavailable":
        return "The queue is full or the server is busy; try again in a moment.";
      case "outcome_unknown":
        return "The server stopped before answering; check whether it was done before trying again.";
      case "quota_exceeded":
        return "This game's queues are full right now; try again in a moment.";
      case "rate_limited":
        return "Too many attempts in a short time; wait a moment and try again.";
      case "conflict":
        if (error.field === "ticket") return "You (or a member of your party) are already queued.";
        return error.message;
      case "forbidden":
        if (error.field === "party") return "Only the party's leader can queue for the party.";
        return error.message;
      case "unauthenticated":
      case "token_expired":
        return error.field === "password" || error.field === "username" ? "Wrong username or password." : "Your login has ended; log in again.";
      case "invalid_field":
        if (error.field === "party")
          return `Your party is too big for this queue (${error.message}): a party always plays on one team. Leave the party to queue alone, or choose a game with larger teams.`;
        return `${error.message}${error.field ? ` (${error.field})` : ""}`;
      case "invalid_request":
        return `${error.message}${error.field ? ` (${error.field})` : ""}`;
      default:
        return `${error.message} (${error.code})`;
    }
  }
  if (error instanceof ClientError) {
    switch (error.code) {
      case "network":
        return "The server cannot be reached; check your connection.";
      case "timeout":
        return "The server took too long to answer.";
      case "session_failed":
        return "The game server failed.";
      default:
        return error.message;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * What the page says when Webgames cancels the player's ticket
 * (ticket.cancelled with a `reason`, docs/hosting.md), or when a member of
 * the party cancels it (no reason, and not this page's own Cancel).
 */
export function describeCancel(reason: string | undefined, message: string | undefined): string {
  switch (reason) {
    case "game_deleted":
      return "This game was removed while you were queued, so your ticket was cancelled. Choose another game.";
    case "queue_removed":
      return "This queue was removed from the game while you were queued, so your ticket was cancelled. Choose another game.";
    case "servers_failed":
      return "The game's servers failed three times in a row, so your ticket was cancelled. Try again later.";
    case "rules_changed":
      return `The queue's rules changed and no longer accept your ticket${message ? ` (${message})` : ""}. Queue again.`;
    case undefined:
      return "A member of your party cancelled the ticket.";
    default:
      return `Your ticket was cancelled: ${message ?? reason}.`;
  }
}

/** What the page says when the player's session fails (session.failed): back in the queue, or over. */
export function describeSessionFailed(reason: string, requeued: boolean): string {
  return requeued
    ? `The game server failed (${reason}). You are back at the head of the queue: a new match is on its way.`
    : `The game could not be played (${reason}). Queue again when you are ready.`;
}
