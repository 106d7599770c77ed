// A whole player's flow against a real `webgames serve` and real game
// servers (tests/hosting/servers/good.sh): guests, a party of two, tickets,
// the match and each player's assignment, a reconnect of the events stream
// with replay (nothing lost, nothing doubled), the end and the ratings, a
// cancelled ticket, the API's errors, logout.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { WebSocket as WsWebSocket } from "ws";

import { ApiError, ClientError, type EventStream, type WebgamesClient, type WebgamesEvent } from "../src/index.js";
import { goodServer, Webgames } from "./support/webgames.js";

let server: Webgames;
let endFile: string;
const game = "sdk-flow";

before(async () => {
  server = await Webgames.start();
  endFile = join(server.dir, "end");
  await server.registerGame({
    name: game,
    server: goodServer(endFile),
    // Two teams of two: a party of two on one side, two lone players on the other.
    queues: [{ name: "duo", teams: 2, team_size: 2 }],
  });
});

after(async () => {
  await server?.stop();
});

/** Ids strictly increasing: no event delivered twice, none out of order. */
function assertIncreasing(events: readonly WebgamesEvent[]): void {
  for (let i = 1; i < events.length; i++)
    assert.ok(events[i]!.id > events[i - 1]!.id, `event ${events[i]!.id} after ${events[i - 1]!.id}`);
}

test("guests, a party of two, a match, a reconnect with replay, the end, ratings", async (t) => {
  const [alice, bob, carol, dave] = await Promise.all([server.guest(), server.guest(), server.guest(), server.guest()]);
  const clients = [alice, bob, carol, dave] as WebgamesClient[];
  const streams = clients.map((c) => c.events()) as EventStream[];
  t.after(() => streams.forEach((s) => s.close()));
  await Promise.all(streams.map((s) => s.opened()));
  const aliceEvents = streams[0]!;

  // The party: alice leads, bob joins by code; alice is told.
  const party = await alice!.createParty();
  assert.equal(party.leader_id, alice!.account!.id);
  assert.match(party.code, /^[A-Z0-9]{8}$/);
  const joined = await bob!.joinParty(party.code);
  assert.deepEqual(joined.members, [alice!.account!.id, bob!.account!.id]);
  const told = await aliceEvents.waitFor("party.joined", (e) => e.data.party_id === party.id, { timeoutMs: 15_000 });
  assert.equal(told.data.player, bob!.account!.id);
  assert.equal(told.data.name, bob!.account!.username);
  assert.deepEqual((await alice!.getParty(party.id)).members, joined.members);

  // alice's events stream drops and stays away (its reconnects fail) while the match forms.
  const gate = new Gate();
  const aliceGated = server.client({ WebSocket: gate.WebSocket, tokens: alice!.tokens! });
  const gated = aliceGated.events({ reconnectDelayMs: 50, maxReconnectDelayMs: 200 });
  t.after(() => gated.close());
  const seenByGated: WebgamesEvent[] = [];
  gated.subscribe((e) => seenByGated.push(e));
  const failedToReconnect = new Promise<void>((resolve) => {
    const off = gated.onStatus((s) => {
      if (s.state === "reconnecting" && s.attempt > 1) {
        off();
        resolve();
      }
    });
  });
  await gated.opened();
  const queuedAt = gated.lastId;
  gate.shut();
  gated.dropConnection();

  // The leader queues the party, with attributes; carol and dave queue alone.
  const ticket = await alice!.createTicket(game, "duo", { skill: 30, pings: { eu: 20, "us-east": 90 }, tags: { mode: "ranked" } });
  assert.equal(ticket.state === "queued" || ticket.state === "matched", true);
  assert.deepEqual(ticket.players, [alice!.account!.id, bob!.account!.id]);
  assert.equal(ticket.party_id, party.id);
  assert.deepEqual(ticket.attributes.pings, { eu: 20, "us-east": 90 });
  const carolTicket = await carol!.createTicket(game, "duo");
  const daveTicket = await dave!.createTicket(game, "duo");

  // Every player gets an assignment to the same session.
  const tickets = [ticket.id, ticket.id, carolTicket.id, daveTicket.id];
  const assignments = await Promise.all(streams.map((s, i) => s.waitForAssignment(tickets[i]!, { timeoutMs: 30_000 })));
  const sessionId = assignments[0]!.session_id;
  for (const a of assignments) {
    assert.equal(a.session_id, sessionId);
    assert.ok(a.port > 0 && a.join_token.split(".").length === 3, "an address and a join token");
  }
  assert.equal((await alice!.getTicket(ticket.id)).state, "matched");
  const session = await bob!.getSession(sessionId);
  assert.ok(session.state === "ready" || session.state === "running");
  assert.equal(session.players.length, 4);
  assert.equal(session.assignment?.session_id, sessionId, "the session's view holds a fresh assignment");
  await assert.rejects(
    alice!.cancelTicket(ticket.id),
    (e: unknown) => e instanceof ApiError && e.status === 409 && e.code === "conflict" && e.field === "ticket",
    "a matched ticket cannot be cancelled",
  );

  // The gated stream comes back: it resumes after the last id it saw, and
  // gets what it missed (the match and the assignment), once each.
  assert.equal(seenByGated.some((e) => e.type === "session.ready"), false, "nothing arrived while away");
  const reopened = new Promise<{ since: number; awayMs: number }>((resolve) => {
    const off = gated.onStatus((s) => {
      if (s.state === "open") {
        off();
        resolve(s);
      }
    });
  });
  await failedToReconnect; // it tried to come back while away, and could not
  gate.open();
  const back = await reopened;
  assert.equal(back.since, queuedAt, "reconnected with since=<last id seen>");
  assert.ok(back.awayMs > 0, "says how long it was away");

  const replayed = await gated.waitForAssignment(ticket.id, { timeoutMs: 15_000 });
  assert.equal(replayed.session_id, sessionId);

  // The game ends: everyone is told, with the results.
  writeFileSync(endFile, "");
  const ends = await Promise.all(streams.map((s) => s.waitForEnd(sessionId, { timeoutMs: 30_000 })));
  for (const end of ends) assert.equal(end.results.length, 2);
  await gated.waitForEnd(sessionId, { timeoutMs: 15_000 });

  // Nothing lost, nothing doubled: the gated stream saw exactly what a fresh
  // stream replays of alice's events after the point where it dropped.
  assertIncreasing(seenByGated);
  const fresh = aliceGated.events({ since: queuedAt });
  t.after(() => fresh.close());
  await fresh.waitForEnd(sessionId, { timeoutMs: 15_000 });
  const lastSeen = seenByGated[seenByGated.length - 1]!.id;
  assert.deepEqual(
    seenByGated.filter((e) => e.id > queuedAt).map((e) => e.id),
    fresh.events().filter((e) => e.id <= lastSeen).map((e) => e.id),
  );
  assertIncreasing(aliceEvents.events());
  assert.deepEqual(
    aliceEvents.events().filter((e) => e.id > queuedAt && e.id <= lastSeen).map((e) => [e.id, e.type]),
    seenByGated.filter((e) => e.id > queuedAt).map((e) => [e.id, e.type]),
    "the stream that never dropped saw the same events",
  );

  // Ratings follow: the winners (team 0, the party) went up.
  const rating = await alice!.getRating(game, "duo");
  assert.equal(rating.matches, 1);
  assert.ok(rating.mu > 25, `the winner's mu went up: ${rating.mu}`);
  const loser = await carol!.getRating(game, "duo");
  assert.ok(loser.mu < 25);
  const board = await dave!.getLeaderboard(game, "duo", { limit: 10 });
  assert.equal(board.items.length, 4);
  assert.equal(board.items[0]!.rank, 1);
  assert.deepEqual(new Set(board.items.slice(0, 2).map((i) => i.player_id)), new Set([alice!.account!.id, bob!.account!.id]));

  // After the end, bob leaves the party (alice is told) and alice disbands it.
  await bob!.leaveParty(party.id);
  await aliceEvents.waitFor("party.left", (e) => e.data.party_id === party.id, { timeoutMs: 15_000 });
  await alice!.disbandParty(party.id);
});

test("a cancelled ticket, and errors with the API's code and field", async (t) => {
  const eve = await server.guest();
  const events = eve.events();
  t.after(() => events.close());
  await events.opened();

  const ticket = await eve.createTicket(game, "duo", { pings: { eu: 15 } });
  await events.waitFor("ticket.queued", (e) => e.data.ticket_id === ticket.id, { timeoutMs: 15_000 });
  assert.equal((await eve.getTicket(ticket.id)).state, "queued");
  await eve.cancelTicket(ticket.id);
  await events.waitFor("ticket.cancelled", (e) => e.data.ticket_id === ticket.id, { timeoutMs: 15_000 });
  const gone = await eve.getTicket(ticket.id).then(
    () => assert.fail("a cancelled ticket is gone"),
    (e: unknown) => e,
  );
  assert.ok(gone instanceof ApiError);
  assert.deepEqual([gone.status, gone.code, gone.field], [404, "not_found", "ticket"]);
  assert.ok(gone.requestId, "the server's request id");

  const expectError = async (call: Promise<unknown>, status: number, code: string, field: string) => {
    const error = await call.then(
      () => assert.fail(`expected ${code}`),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ApiError, String(error));
    assert.deepEqual([error.status, error.code, error.field], [status, code, field], error.message);
    assert.ok(error.message.length > 0);
  };
  await expectError(eve.joinParty("NOSUCH23"), 404, "not_found", "code");
  await expectError(eve.createTicket(game, "nope"), 404, "not_found", "queue");
  await expectError(eve.createTicket("no-such-game", "duo"), 404, "not_found", "game");
  await expectError(eve.createTicket(game, "duo", { pings: { eu: 20_000 } }), 422, "invalid_field", "pings.eu");
  await expectError(eve.createTicket(game, "duo", { colour: "red" } as never), 400, "invalid_request", "colour");
  await expectError(eve.getLeaderboard(game, "duo", { limit: 0 }), 422, "invalid_field", "limit");
  await expectError(server.client().login("nobody-here", "wrong password"), 401, "unauthenticated", "password");

  // A server that is not there: a ClientError, not an ApiError.
  const nowhere = server.client({ baseUrl: "http://127.0.0.1:1", requestTimeoutMs: 2000 });
  const unreachable = await nowhere.loginAsGuest("device-0000-nowhere").catch((e: unknown) => e);
  assert.ok(unreachable instanceof ClientError && unreachable.code === "network", String(unreachable));
});

test("a ticket whose answer is lost is asked again and made once (Idempotency-Key)", async (t) => {
  // The first create reaches the server and makes the ticket, and its answer
  // is lost on the way back (a network error for the caller); the SDK asks
  // again with the same key and is answered with that same ticket.
  const creates: { key: string | null; status: number }[] = [];
  const losing = async (url: string, init?: RequestInit): Promise<Response> => {
    const response = await fetch(url, init);
    if (init?.method === "POST" && url.endsWith("/tickets")) {
      creates.push({ key: new Headers(init.headers).get("Idempotency-Key"), status: response.status });
      if (creates.length === 1) {
        await response.text();
        throw new TypeError("fetch failed: the answer was lost");
      }
    }
    return response;
  };
  const frank = await server.guest({ fetch: losing });
  const events = frank.events();
  t.after(() => events.close());
  await events.opened();

  const ticket = await frank.createTicket(game, "duo");
  assert.equal(creates.length, 2, "asked twice");
  assert.deepEqual(
    creates.map((c) => c.status),
    [201, 201],
  );
  assert.ok(creates[0]!.key && creates[0]!.key === creates[1]!.key, "with one key");
  const queued = await events.waitFor("ticket.queued", () => true, { timeoutMs: 15_000 });
  assert.equal(queued.data.ticket_id, ticket.id, "the ticket the first attempt made");
  assert.equal((await frank.getTicket(ticket.id)).state, "queued");
  // One ticket: nothing else was queued for frank, and a new create is refused (he holds one).
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(
    events.events().filter((e) => e.type === "ticket.queued").map((e) => e.data.ticket_id),
    [ticket.id],
  );
  const again = await frank.createTicket(game, "duo").catch((e: unknown) => e);
  assert.ok(again instanceof ApiError && again.status === 409 && again.field === "ticket", String(again));
  await frank.cancelTicket(ticket.id);
});

test("logout ends the login and closes the events streams", async () => {
  const frank = await server.guest();
  const events = frank.events();
  await events.opened();
  const token = frank.tokens!.access_token;
  const changes: unknown[] = [];
  frank.onLoginChange((tokens) => changes.push(tokens));

  await frank.logout();
  assert.equal(frank.account, undefined);
  assert.deepEqual(changes, [undefined]);
  assert.equal(events.state, "closed");
  await assert.rejects(events.waitFor("ticket.queued"), (e: unknown) => e instanceof ClientError && e.code === "closed");
  await assert.rejects(frank.getAccount(), (e: unknown) => e instanceof ClientError && e.code === "not_logged_in");
  const refused = await fetch(`${server.baseUrl}/v1/account`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(refused.status, 401, "the server refuses the old access token");
});

/**
 * A WebSocket class whose connections fail while the gate is shut (they are
 * sent to a port where nothing listens), as when the network is down.
 */
class Gate {
  private shutNow = false;
  readonly WebSocket;

  constructor() {
    const gate = this;
    this.WebSocket = class extends WsWebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(gate.shutNow ? url.replace(/\/\/[^/]+/, "//127.0.0.1:1") : url, protocols);
      }
    } as unknown as import("../src/index.js").WebSocketConstructor;
  }

  shut(): void {
    this.shutNow = true;
  }

  open(): void {
    this.shutNow = false;
  }
}

test("the platform's own WebSocket (the WHATWG one of browsers) works as well", async (t) => {
  assert.ok(globalThis.WebSocket, "run with --experimental-websocket (Node 20) or Node 22");
  const grace = await server.guest({ WebSocket: undefined });
  const events = grace.events({ reconnectDelayMs: 20 });
  t.after(() => events.close());
  await events.opened();
  const ticket = await grace.createTicket(game, "duo");
  await events.waitFor("ticket.queued", (e) => e.data.ticket_id === ticket.id, { timeoutMs: 15_000 });
  const reopened = new Promise<number>((resolve) => {
    events.onStatus((s) => {
      if (s.state === "open") resolve(s.since);
    });
  });
  events.dropConnection();
  await grace.cancelTicket(ticket.id);
  assert.ok((await reopened) > 0, "resumed after the last id");
  await events.waitFor("ticket.cancelled", (e) => e.data.ticket_id === ticket.id, { timeoutMs: 15_000 });
  assertIncreasing(events.events());
  assert.deepEqual(events.events().map((e) => e.type), ["ticket.queued", "ticket.cancelled"]);

  // The same events as a loop, which ends when the stream is closed.
  const looped: string[] = [];
  setTimeout(() => events.close(), 100);
  for await (const event of events) looped.push(event.type);
  assert.deepEqual(looped, ["ticket.queued", "ticket.cancelled"]);
});

test("a stream whose login ended elsewhere closes with the API's error instead of retrying", async (t) => {
  const henry = await server.guest();
  const events = henry.events({ reconnectDelayMs: 20 });
  t.after(() => events.close());
  await events.opened();
  const closed = new Promise<unknown>((resolve) => {
    events.onStatus((s) => {
      if (s.state === "closed") resolve(s.error);
    });
  });
  // The same login, logged out from another client (another tab, say).
  await server.client({ tokens: henry.tokens! }).logout();
  events.dropConnection();
  const error = await closed;
  assert.ok(error instanceof ApiError, String(error));
  assert.deepEqual([error.status, error.code], [401, "unauthenticated"]);
  await assert.rejects(
    (async () => {
      for await (const _ of events);
    })(),
    (e: unknown) => e === error,
    "a loop over the stream throws the refusal",
  );
  await assert.rejects(events.waitFor("ticket.queued"), (e: unknown) => e === error);
});

test("a player's ninth events stream replaces the oldest, which closes instead of taking its place back", async (t) => {
  const ivy = await server.guest();
  const streams: EventStream[] = [];
  t.after(() => streams.forEach((s) => s.close()));
  // One after the other, so that the server counts them in this order.
  const open = async () => {
    const stream = ivy.events({ reconnectDelayMs: 20 });
    streams.push(stream);
    await stream.opened();
    return stream;
  };
  const oldest = await open();
  for (let i = 1; i < 8; i++) await open();
  const oldestClosed = new Promise<unknown>((resolve) => {
    oldest.onStatus((s) => {
      if (s.state === "closed") resolve(s.error);
    });
  });
  await open();
  const error = await oldestClosed;
  assert.ok(error instanceof ClientError, String(error));
  assert.equal(error.code, "replaced");
  // The newest eight stay open and are told.
  const ticket = await ivy.createTicket(game, "duo");
  for (const s of streams.slice(1))
    await s.waitFor("ticket.queued", (e) => e.data.ticket_id === ticket.id, { timeoutMs: 15_000 });
  await ivy.cancelTicket(ticket.id);
});
