// The SDK's pure parts, without a server: when a login refreshes, and how an
// answer that is not the API's error (a proxy's, say) still becomes an ApiError.
import assert from "node:assert/strict";
import { test } from "node:test";

import { ApiError, errorFromAnswer } from "../src/errors.js";
import { Login } from "../src/login.js";
import { WebgamesClient, type Tokens } from "../src/index.js";

function jwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "EdDSA", typ: "JWT" })}.${part(claims)}.c2ln`;
}

function tokens(accessToken: string, accessExpiresAt: number): Tokens {
  return {
    account: { id: "acc_x", username: "x", role: "player", guest: true, created_at: 0 },
    token_type: "Bearer",
    access_token: accessToken,
    access_expires_at: accessExpiresAt,
    refresh_token: "wgr_x",
    refresh_expires_at: accessExpiresAt + 1000,
  };
}

test("a login refreshes a quarter of its lifetime before expiry, at most a minute before, on the local clock", () => {
  // 900 s token from a server whose clock is an hour ahead: the claims' lifetime counts, not the date.
  const serverNow = 2_000_000_000;
  const long = new Login(tokens(jwt({ iat: serverNow, exp: serverNow + 900 }), serverNow + 900), 10_000);
  assert.equal(long.accessExpiresAtMs, 10_000 + 900_000);
  assert.equal(long.refreshAtMs(), 10_000 + 840_000);
  assert.equal(long.needsRefresh(10_000 + 839_999), false);
  assert.equal(long.needsRefresh(10_000 + 840_000), true);

  const short = new Login(tokens(jwt({ iat: 100, exp: 120 }), 120), 0);
  assert.equal(short.refreshAtMs(), 15_000, "20 s token: refreshed 5 s before");

  // Restored from storage: the date the server gave is all there is.
  const restored = new Login(tokens(jwt({ iat: 100, exp: 1000 }), 1000), undefined);
  assert.equal(restored.accessExpiresAtMs, 1_000_000);
  const opaque = new Login(tokens("not-a-jwt", 5000), 1234);
  assert.equal(opaque.accessExpiresAtMs, 5_000_000);
});

test("an error answer becomes an ApiError: the API's own, or one named after the status", () => {
  const api = errorFromAnswer(422, '{"error":{"code":"invalid_field","message":"bad","field":"pings.eu"}}', "rq-1");
  assert.deepEqual([api.status, api.code, api.message, api.field, api.requestId], [422, "invalid_field", "bad", "pings.eu", "rq-1"]);
  const proxy = errorFromAnswer(502, "<html>Bad Gateway</html>");
  assert.deepEqual([proxy.status, proxy.code, proxy.field], [502, "unavailable", undefined]);
  assert.match(proxy.message, /^HTTP 502: <html>Bad Gateway/);
  const unknownCode = errorFromAnswer(409, '{"error":{"code":"made_up","message":"?"}}');
  assert.equal(unknownCode.code, "conflict");
  assert.equal(errorFromAnswer(401, "").code, "unauthenticated");
  // The 429s: a full quota and a rate limit are the API's own codes.
  const quota = errorFromAnswer(429, '{"error":{"code":"quota_exceeded","message":"quota tickets: 1 of 1","field":"tickets"}}');
  assert.deepEqual([quota.status, quota.code, quota.message, quota.field], [429, "quota_exceeded", "quota tickets: 1 of 1", "tickets"]);
  const limited = errorFromAnswer(429, '{"error":{"code":"rate_limited","message":"slow down","field":"player"}}');
  assert.deepEqual([limited.code, limited.field], ["rate_limited", "player"]);
  assert.equal(errorFromAnswer(429, "Too Many Requests").code, "rate_limited");
});

test("a ticket whose answer is lost is asked again with the same Idempotency-Key; other errors are not retried", async () => {
  const far = 4_000_000_000;
  const login = tokens(jwt({ iat: far - 900, exp: far }), far);
  const seen: { key: string | null }[] = [];
  const answers: (() => Response)[] = [
    () => {
      throw new TypeError("fetch failed");
    },
    () => new Response('{"error":{"code":"unavailable","message":"the lobby is moving"}}', { status: 503 }),
    () => new Response('{"id":"tkt_1","state":"queued"}', { status: 201 }),
  ];
  const fetchFn = async (_url: string, init?: RequestInit) => {
    seen.push({ key: new Headers(init?.headers).get("Idempotency-Key") });
    return answers[seen.length - 1]!();
  };
  const client = new WebgamesClient({ baseUrl: "http://api.test", fetch: fetchFn, tokens: login, now: () => 0 });
  const ticket = await client.createTicket("shifumi", "duel");
  assert.equal(ticket.id, "tkt_1");
  assert.equal(seen.length, 3);
  assert.match(seen[0]!.key ?? "", /^[0-9a-f-]{36}$/);
  assert.ok(seen.every((s) => s.key === seen[0]!.key), "the same key on every attempt");

  // A refusal is the answer: no retry. A new ticket gets a new key.
  seen.length = 0;
  answers.splice(0, answers.length, () => new Response('{"error":{"code":"conflict","message":"queued already"}}', { status: 409 }));
  await assert.rejects(client.createTicket("shifumi", "duel"), (e: unknown) => e instanceof ApiError && e.code === "conflict");
  assert.equal(seen.length, 1);
});
