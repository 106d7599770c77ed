// Logins and tokens against a real `webgames serve`: register and log in,
// refresh before expiry (the SDK's clock is moved forward), the refresh and
// retry of a call whose token expired (10 s, the shortest lifetime the
// server allows), the events stream reopening with a refreshed token, a
// refused refresh token, tokens restored from storage.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { ApiError, newDeviceId, type FetchFunction } from "../src/index.js";
import { Webgames } from "./support/webgames.js";

let server: Webgames;
let shortLived: Webgames;

before(async () => {
  [server, shortLived] = await Promise.all([Webgames.start(), Webgames.start(["--access-ttl-s", "10"])]);
});

after(async () => {
  await Promise.all([server?.stop(), shortLived?.stop()]);
});

/** The real fetch, noting the path of every call. */
function recordingFetch(): { fetch: FetchFunction; paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    fetch: (input, init) => {
      paths.push(new URL(input).pathname);
      return fetch(input, init);
    },
  };
}

test("register, log in, the account", async () => {
  const username = `ada-${Math.random().toString(36).slice(2, 8)}`;
  const first = server.client();
  const created = await first.register({ username, password: "correct horse battery" });
  assert.deepEqual([created.username, created.role, created.guest], [username, "player", false]);
  const again = server.client();
  const account = await again.login(username, "correct horse battery");
  assert.equal(account.id, created.id);
  assert.deepEqual(await again.getAccount(), account);
  await assert.rejects(
    server.client().register({ username, password: "correct horse battery" }),
    (e: unknown) => e instanceof ApiError && e.status === 409 && e.code === "conflict" && e.field === "username",
  );
  await assert.rejects(
    server.client().register({ username: "x", password: "correct horse battery" }),
    (e: unknown) => e instanceof ApiError && e.code === "invalid_field" && e.field === "username",
  );
});

test("the access token is refreshed before it expires, once for concurrent calls", async () => {
  let offsetMs = 0;
  const recorder = recordingFetch();
  const client = server.client({ fetch: recorder.fetch, now: () => Date.now() + offsetMs });
  const logins: unknown[] = [];
  client.onLoginChange((tokens) => logins.push(tokens));
  const deviceId = newDeviceId();
  await client.loginAsGuest(deviceId);
  const first = client.tokens!;

  await client.getAccount();
  assert.deepEqual(recorder.paths, ["/v1/auth/guest", "/v1/account"]);

  // 30 s before the 900 s token expires: the next call refreshes first.
  offsetMs = 870_000;
  recorder.paths.length = 0;
  await client.getAccount();
  assert.deepEqual(recorder.paths, ["/v1/auth/refresh", "/v1/account"]);
  const second = client.tokens!;
  // (The access token may be the same string: a JWT issued in the same second.)
  assert.notEqual(second.refresh_token, first.refresh_token);
  assert.equal(logins.length, 2);

  // The new token's clock starts at its receipt: still fresh, no refresh.
  recorder.paths.length = 0;
  await client.getAccount();
  assert.deepEqual(recorder.paths, ["/v1/account"]);

  offsetMs += 870_000;
  recorder.paths.length = 0;
  const accounts = await Promise.all([client.getAccount(), client.getAccount(), client.getRating("x", "y").catch(() => null)]);
  assert.equal(accounts[0]!.id, accounts[1]!.id);
  assert.equal(recorder.paths.filter((p) => p === "/v1/auth/refresh").length, 1, recorder.paths.join(" "));
  assert.equal(recorder.paths[0], "/v1/auth/refresh");
});

test("a call whose access token expired is refreshed and sent again; the events stream reopens", async () => {
  const frozen = Date.now();
  const recorder = recordingFetch();
  // The SDK's clock stands still, so that it never refreshes by itself: the
  // server's answer (token_expired) must make it.
  const client = shortLived.client({ fetch: recorder.fetch, now: () => frozen });
  await client.loginAsGuest(newDeviceId());
  const account = await client.getAccount();
  await new Promise((r) => setTimeout(r, 11_000));

  recorder.paths.length = 0;
  assert.deepEqual(await client.getAccount(), account);
  assert.deepEqual(recorder.paths, ["/v1/account", "/v1/auth/refresh", "/v1/account"]);

  // Let the new token expire too: the events stream's upgrade is refused,
  // the stream asks the REST API why, refreshes, and opens.
  await new Promise((r) => setTimeout(r, 11_000));
  recorder.paths.length = 0;
  const events = client.events({ reconnectDelayMs: 20 });
  try {
    await events.opened();
    assert.deepEqual(recorder.paths, ["/v1/account", "/v1/auth/refresh", "/v1/account"]);
  } finally {
    events.close();
  }
});

test("a refused refresh token: a guest logs in again, a password login ends", async () => {
  const deviceId = newDeviceId();
  const guest = server.client();
  const account = await guest.loginAsGuest(deviceId);
  // Another client with the same tokens uses the refresh token first.
  const copy = server.client({ tokens: guest.tokens! });
  await copy.refresh();
  await guest.refresh();
  assert.equal(guest.account!.id, account.id, "logged in again as the same guest");
  assert.notEqual(guest.tokens!.refresh_token, copy.tokens!.refresh_token);

  const username = `bob-${Math.random().toString(36).slice(2, 8)}`;
  const member = server.client();
  await member.register({ username, password: "correct horse battery" });
  const changes: unknown[] = [];
  member.onLoginChange((t) => changes.push(t));
  await server.client({ tokens: member.tokens! }).refresh();
  await assert.rejects(member.refresh(), (e: unknown) => e instanceof ApiError && e.code === "unauthenticated" && e.field === "refresh_token");
  assert.equal(member.account, undefined);
  assert.deepEqual(changes, [undefined]);
});

test("tokens restored from storage go on working", async () => {
  const first = server.client();
  const account = await first.loginAsGuest(newDeviceId());
  const saved = JSON.parse(JSON.stringify(first.tokens));
  const restored = server.client({ tokens: saved });
  assert.deepEqual(await restored.getAccount(), account);
});
