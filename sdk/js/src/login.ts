// The tokens of one login and when to refresh them. Pure: the caller passes
// the time (milliseconds on its own clock).
import type { Tokens } from "./types.js";

/** At most this long before the access token expires, the SDK refreshes it. */
const kMaxRefreshMarginMs = 60_000;

export class Login {
  /** When the access token expires, on the local clock. */
  readonly accessExpiresAtMs: number;
  private readonly lifetimeMs: number;

  /**
   * `receivedAtMs`: when the tokens came, on the local clock. The access
   * token's lifetime is read from its own claims (exp − iat), so a client
   * whose clock differs from the server's still refreshes in time; tokens
   * restored from storage (`receivedAtMs` undefined) fall back on
   * `access_expires_at`.
   */
  constructor(
    readonly tokens: Tokens,
    receivedAtMs: number | undefined,
  ) {
    const claims = readClaims(tokens.access_token);
    const lifetimeS = claims ? claims.exp - claims.iat : undefined;
    if (receivedAtMs !== undefined && lifetimeS !== undefined && lifetimeS > 0) {
      this.lifetimeMs = lifetimeS * 1000;
      this.accessExpiresAtMs = receivedAtMs + this.lifetimeMs;
    } else {
      this.accessExpiresAtMs = tokens.access_expires_at * 1000;
      this.lifetimeMs = lifetimeS !== undefined && lifetimeS > 0 ? lifetimeS * 1000 : 900_000;
    }
  }

  /** When to refresh: a quarter of the lifetime before expiry, at most a minute before. */
  refreshAtMs(): number {
    return this.accessExpiresAtMs - Math.min(kMaxRefreshMarginMs, this.lifetimeMs / 4);
  }

  needsRefresh(nowMs: number): boolean {
    return nowMs >= this.refreshAtMs();
  }
}

/** The `iat` and `exp` claims of a JWT, or undefined when it cannot be read. */
function readClaims(jwt: string): { iat: number; exp: number } | undefined {
  const payload = jwt.split(".")[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4))) as Record<string, unknown>;
    if (typeof claims.iat === "number" && typeof claims.exp === "number") return { iat: claims.iat, exp: claims.exp };
  } catch {
    // not a JWT we can read
  }
  return undefined;
}
