// The /play page's error messages in Chromium, each provoked for real
// against `webgames serve`: a party of two too big for a duel (and its
// member, who may not queue for it), the game deleted while the player is queued
// (ticket.cancelled, reason game_deleted), a game server that fails before
// it is ready and puts the players back in the queue (session.failed with
// requeued: true) until Webgames gives up (ticket.cancelled, servers_failed),
// a full queue (the developer's waiting-tickets quota, 429 quota_exceeded),
// the API out of reach (every request of the queueing refused by the
// network), and the events WebSocket cut and kept away while the match forms
// (the page says it reconnects, then plays the match from the replayed events). Each test asserts the exact words the page shows and saves a
// screenshot, build/screenshots/play-*.png.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";

import { arenaTitle, ensureScreenshotDir, guestQueues, guestWithParty, launchChromium, openPlayer, playShifumiToTheEnd, shifumiSpec, startWebgames } from "./support.mjs";

let server;
let browser;
let shifumiOwner; // the developer who registered shifumi: their client (and token)

before(async () => {
  server = await startWebgames({
    games: async (s) => {
      shifumiOwner = await s.registerGame(shifumiSpec());
      // "arena" here is a game whose server exits 1 s after it starts,
      // never ready: every session of it fails and its players are requeued.
      await s.registerGame({
        name: "arena",
        server: { command: "/bin/sh", args: ["-c", "sleep 1; exit 3"], ports: [{ name: "ws", protocol: "ws" }], max_duration_s: 60 },
        queues: [{ name: "ffa", teams: 2, team_size: 1 }],
      });
    },
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Every text the element `id` shows from now on, in order, in window.shown[id] (#error: the alert, #status). */
async function recordTexts(page, id) {
  await page.evaluate((id) => {
    const box = document.getElementById(id);
    const shown = [];
    window.shown = { ...window.shown, [id]: shown };
    new MutationObserver(() => {
      if (!box.hidden && box.textContent && shown.at(-1) !== box.textContent) shown.push(box.textContent);
    }).observe(box, { childList: true, characterData: true, subtree: true, attributes: true, attributeFilter: ["hidden"] });
  }, id);
}
const recordAlerts = (page) => recordTexts(page, "error");

async function screenshot(page, name) {
  await page.screenshot({ path: join(ensureScreenshotDir(), `play-${name}.png`), fullPage: true });
}

/** The lobby offers Queue again and no step of the progress is done. */
async function assertBackInLobby(page) {
  await page.getByRole("button", { name: "Queue", exact: true }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Cancel" }).isVisible(), false);
  assert.equal(await page.locator("#progress li.done").count(), 0);
}

test("a party of two, joined by code: too big for a duel, only its leader queues, then disbanded", { timeout: 60_000 }, async () => {
  const players = [await openPlayer(browser, server.baseUrl), await openPlayer(browser, server.baseUrl)];
  try {
    const [alice, bob] = players.map((p) => p.page);
    await guestWithParty(alice);
    const code = /Party code ([A-Z0-9]+)/.exec(await alice.locator("#party-status").innerText())[1];
    await bob.getByRole("button", { name: "Play as a guest" }).click();
    await bob.getByLabel("Party code").fill(code);
    await bob.getByRole("button", { name: "Join", exact: true }).click();
    await bob.getByText(`Party code ${code} — the leader queues for the party`).waitFor();
    // Both list both members; alice learns bob's name from party.joined.
    for (const page of [alice, bob]) await page.getByRole("list", { name: "Party members" }).getByRole("listitem").nth(1).waitFor();
    assert.match(await bob.getByRole("list", { name: "Party members" }).innerText(), /— leader\n.*\(you\)$/);
    assert.match(await alice.getByRole("list", { name: "Party members" }).innerText(), /^guest-\S+ \(you\) — leader\nguest-\S+$/);

    await bob.getByLabel("Game and queue").selectOption({ label: arenaTitle });
    await bob.getByRole("button", { name: "Queue", exact: true }).click();
    await bob.getByRole("alert").filter({ hasText: "Queueing" }).waitFor();
    assert.equal(await bob.getByRole("alert").innerText(), "Queueing: Only the party's leader can queue for the party.");

    await alice.getByLabel("Game and queue").selectOption({ label: arenaTitle });
    await alice.getByRole("button", { name: "Queue", exact: true }).click();
    await alice.getByRole("alert").filter({ hasText: "Queueing" }).waitFor();
    assert.equal(
      await alice.getByRole("alert").innerText(),
      "Queueing: Your party is too big for this queue (a party of 2 does not fit teams of 1 in matches of 2): a party always plays on one team. Leave the party to queue alone, or choose a game with larger teams.",
    );
    await screenshot(alice, "party-too-big");

    await alice.getByRole("button", { name: "Leave the party" }).click();
    await bob.getByRole("alert").filter({ hasText: "disbanded" }).waitFor();
    assert.equal(await bob.getByRole("alert").innerText(), "The party's leader disbanded the party.");
    assert.equal(await bob.locator("#party-status").innerText(), "You play alone (a party of one).");
    for (const { errors } of players) assert.deepEqual(errors, []);
  } finally {
    for (const { context } of players) await context.close();
  }
});

test("the events connection drops while queued: the page says so, and plays the match it missed once back", { timeout: 90_000 }, async () => {
  const players = [await openPlayer(browser, server.baseUrl), await openPlayer(browser, server.baseUrl)];
  try {
    const [alice, bob] = players.map((p) => p.page);
    // alice's events WebSocket passes through the test, which can cut it and
    // keep it away (each new connection closed at once) for a while.
    let away = false;
    const connections = [];
    await alice.routeWebSocket(/\/v1\/events/, (ws) => {
      if (away) {
        ws.close({ code: 1011, reason: "the test keeps the events away" });
        return;
      }
      ws.connectToServer();
      connections.push(ws);
    });
    await alice.reload(); // the route applies to pages loaded after it
    await recordTexts(alice, "status");
    await guestQueues(alice);
    await alice.getByRole("status").filter({ hasText: "Queued" }).waitFor();
    away = true;
    for (const ws of connections.splice(0)) await ws.close({ code: 1011, reason: "the test cut the events" });
    await alice.waitForFunction(() => window.shown.status.includes("Connection lost; reconnecting…"), undefined, { polling: "raf" });
    await screenshot(alice, "events-reconnecting");

    // While alice hears nothing, bob queues: they are matched and the server is ready.
    await guestQueues(bob);
    await bob.locator("#game-view").waitFor({ state: "visible" });
    away = false;
    // Back: the events missed are replayed, alice joins the match, and both play it out.
    const deadline = Date.now() + 60_000;
    const outcomes = await Promise.all([playShifumiToTheEnd(alice, "rock", deadline), playShifumiToTheEnd(bob, "scissors", deadline)]);
    assert.deepEqual(outcomes, ["You won!", "You lost."]);
    const statuses = await alice.evaluate(() => window.shown.status);
    const lost = statuses.indexOf("Connection lost; reconnecting…");
    assert.deepEqual(statuses.slice(0, lost + 1), ["Queued: waiting for other players…", "Connection lost; reconnecting…"], JSON.stringify(statuses));
    assert.ok(statuses.includes("Ready: joining the game…"), JSON.stringify(statuses));
    for (const { errors } of players) assert.deepEqual(errors, []);
  } finally {
    for (const { context } of players) await context.close();
  }
});

test("the game is deleted while the player is queued: the page says it is gone", { timeout: 60_000 }, async () => {
  const player = await openPlayer(browser, server.baseUrl);
  try {
    const { page } = player;
    await guestQueues(page);
    await page.getByRole("status").filter({ hasText: "Queued" }).waitFor();
    const answer = await fetch(`${server.baseUrl}/v1/games/shifumi`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${shifumiOwner.tokens.access_token}` },
    });
    assert.equal(answer.status, 204, await answer.text());
    const alert = page.getByRole("alert");
    await alert.filter({ hasText: "removed" }).waitFor();
    assert.equal(await alert.innerText(), "This game was removed while you were queued, so your ticket was cancelled. Choose another game.");
    await assertBackInLobby(page);
    await screenshot(page, "game-deleted");

    // Queueing for it again: refused, in the same words.
    await page.getByRole("button", { name: "Queue", exact: true }).click();
    await alert.filter({ hasText: "Queueing" }).waitFor();
    assert.equal(await alert.innerText(), "Queueing: This game is gone: it is no longer offered. Choose another.");
    assert.deepEqual(player.errors, []);
  } finally {
    await player.context.close();
  }
});

test("the game server fails before it is ready: the players are requeued, then told Webgames gave up", { timeout: 90_000 }, async () => {
  const players = [await openPlayer(browser, server.baseUrl), await openPlayer(browser, server.baseUrl)];
  try {
    for (const { page } of players) await recordAlerts(page);
    await Promise.all(players.map(({ page }) => guestQueues(page, arenaTitle)));
    const failed =
      "The game server failed (the server exited with status 3 before ending the session). You are back at the head of the queue: a new match is on its way.";
    const lastFailed = "The game could not be played (the server exited with status 3 before ending the session). Queue again when you are ready.";
    const gaveUp = "The game's servers failed three times in a row, so your ticket was cancelled. Try again later.";
    const first = players[0].page;
    await first.getByRole("alert").filter({ hasText: "back at the head of the queue" }).waitFor({ timeout: 30_000 });
    assert.equal(await first.getByRole("alert").innerText(), failed);
    await screenshot(first, "server-failed-requeued");

    for (const { page, errors } of players) {
      await page.getByRole("alert").filter({ hasText: "three times" }).waitFor({ timeout: 60_000 });
      await assertBackInLobby(page);
      // Each failure said it (the same words: the first session and its
      // three requeues, docs/hosting.md), then the fourth, which requeued
      // nobody, then the cancellation; nothing else.
      assert.deepEqual(await page.evaluate(() => window.shown.error), [failed, lastFailed, gaveUp]);
      assert.deepEqual(errors, []);
    }
    await screenshot(first, "servers-failed");
  } finally {
    for (const { context } of players) await context.close();
  }
});

test("the API cannot be reached while queueing: the page says so", { timeout: 60_000 }, async () => {
  const player = await openPlayer(browser, server.baseUrl);
  try {
    const { page } = player;
    await page.route("**/v1/queues/*/*/tickets", (route) => route.abort("internetdisconnected"));
    await guestQueues(page, arenaTitle);
    const alert = page.getByRole("alert");
    await alert.filter({ hasText: "Queueing" }).waitFor();
    assert.equal(await alert.innerText(), "Queueing: The server cannot be reached; check your connection.");
    await assertBackInLobby(page);
    await screenshot(page, "network-error");
  } finally {
    await player.context.close();
  }
});

test("the queue is full (the developer's waiting tickets quota): the page says so", { timeout: 60_000 }, async () => {
  const full = await startWebgames({ flags: ["--quota-tickets", "1"], games: (s) => s.registerGame(shifumiSpec()) });
  const players = [await openPlayer(browser, full.baseUrl), await openPlayer(browser, full.baseUrl)];
  try {
    const [alice, bob] = players.map((p) => p.page);
    await guestQueues(alice);
    await alice.getByRole("status").filter({ hasText: "Queued" }).waitFor();
    await guestQueues(bob);
    const alert = bob.getByRole("alert");
    await alert.filter({ hasText: "Queueing" }).waitFor();
    assert.equal(await alert.innerText(), "Queueing: This game's queues are full right now; try again in a moment.");
    await assertBackInLobby(bob);
    await screenshot(bob, "queue-full");
  } finally {
    for (const { context } of players) await context.close();
    await full.stop();
  }
});
