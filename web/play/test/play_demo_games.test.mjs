// What `make run` offers a newcomer, in Chromium: the demo games registered
// by scripts/demo-games (the setup of scripts/run-demo) from
// examples/shifumi/game.toml and examples/arena/game.toml as they are (the
// 3-second countdown, the 2-minute limit, Arena's match of two after 10 s),
// on a `webgames serve` whose working directory holds `build` as the
// examples' relative commands expect. Two pages play Shifumi, then Arena to
// its last player standing.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { symlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { after, before, test } from "node:test";

import { arenaSnapshot, arenaTitle, ensureScreenshotDir, guestQueues, huntInArena, launchChromium, openPlayer, playShifumiToTheEnd, startWebgames } from "./support.mjs";

let server;
let browser;

before(async () => {
  const binary = resolve(process.env.WEBGAMES_BINARY);
  const source = resolve(process.env.WEBGAMES_SOURCE_DIR);
  server = await startWebgames({
    games: async (s) => {
      // The examples name their servers build/games/…, from webgames' working directory.
      symlinkSync(dirname(binary), join(s.dir, "build"));
      await promisify(execFile)(join(source, "scripts/demo-games"), [s.baseUrl, join(s.dir, "demo")], {
        env: { ...process.env, WEBGAMES_BIN: binary },
      });
    },
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("make run's Shifumi plays in two pages", { timeout: 120_000 }, async () => {
  const players = [await openPlayer(browser, server.baseUrl), await openPlayer(browser, server.baseUrl)];
  try {
    const [alice, bob] = players.map((p) => p.page);
    await guestQueues(alice);
    await guestQueues(bob);
    const deadline = Date.now() + 90_000;
    const outcomes = await Promise.all([playShifumiToTheEnd(alice, "paper", deadline), playShifumiToTheEnd(bob, "rock", deadline)]);
    assert.deepEqual(outcomes, ["You won!", "You lost."]);
    for (const { page, errors } of players) {
      await page.locator("#rating-change").filter({ hasText: "Rating" }).waitFor();
      assert.deepEqual(errors, []);
    }
  } finally {
    for (const { context } of players) await context.close();
  }
});

test("make run's Arena plays in two pages to the last player standing", { timeout: 150_000 }, async () => {
  const players = [await openPlayer(browser, server.baseUrl), await openPlayer(browser, server.baseUrl)];
  try {
    const [hunter, target] = players.map((p) => p.page);
    await Promise.all(players.map(({ page }) => guestQueues(page, arenaTitle)));
    const deadline = Date.now() + 120_000;
    const [eliminated] = await Promise.all([huntInArena(hunter, deadline), target.locator("#end").waitFor({ state: "visible", timeout: 120_000 })]);
    const last = (await arenaSnapshot(hunter)).state;
    assert.equal(last.phase, "over");
    assert.ok(last.remaining_ms > 0, "ended before the time limit");
    assert.deepEqual(eliminated, [(await arenaSnapshot(target)).me]);
    assert.equal(await hunter.locator("#outcome").innerText(), "You won!");
    assert.equal(await target.locator("#outcome").innerText(), "You lost.");
    for (const { page, errors } of players) {
      await page.locator("#rating-change").filter({ hasText: "Rating" }).waitFor();
      assert.deepEqual(errors, []);
    }
    await hunter.screenshot({ path: join(ensureScreenshotDir(), "play-demo-arena.png"), fullPage: true });
  } finally {
    for (const { context } of players) await context.close();
  }
});
