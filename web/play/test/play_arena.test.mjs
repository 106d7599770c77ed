// Arena, the real-time game, in the /play page in Chromium: two, then four
// guests (browser contexts, phone-sized) queue and play a match to its real
// end (docs/arena.md: it ends when one player is left standing; the time
// limit, 60 s here, is only a backstop). The first page is the hunter: it
// aims with the mouse at each opponent in turn (where the page's latest state
// says they stand) and holds the button to fire; the others stand still. From
// the four spawn corners every other corner is in sight (no wall between), so
// the hunter eliminates everyone and wins. Each page must have drawn the
// canvas and end on its outcome, the results (ranks, kills) and the rating
// change. End screens under the build tree.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";

import { arenaSnapshot as snapshot, arenaTitle as title, ensureScreenshotDir, guestQueues, huntInArena as hunt, launchChromium, openPlayer, startWebgames } from "./support.mjs";

let server;
let browser;

before(async () => {
  if (!process.env.ARENA_SERVER) throw new Error("$ARENA_SERVER is not set (ctest sets it)");
  server = await startWebgames();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function playArena(count) {
  const deadline = Date.now() + 90_000;
  const players = [];
  for (let i = 0; i < count; ++i) players.push(await openPlayer(browser, server.baseUrl));
  try {
    await Promise.all(players.map(({ page }) => guestQueues(page, title)));
    await Promise.all(players.map(({ page }) => page.locator("#arena-canvas").waitFor({ state: "visible", timeout: 60_000 })));
    const hunter = players[0];
    const [eliminated] = await Promise.all([
      hunt(hunter.page, deadline),
      ...players.slice(1).map(({ page }) => page.locator("#end").waitFor({ state: "visible", timeout: 90_000 })),
    ]);
    const me = (await snapshot(hunter.page)).me;
    const last = (await snapshot(hunter.page)).state;
    // A real end: one player left standing, before the time limit.
    assert.equal(last.phase, "over");
    assert.ok(last.remaining_ms > 0, `the match ended on its time limit: ${JSON.stringify(last)}`);
    assert.deepEqual(
      last.players.filter((p) => p.alive).map((p) => p.id),
      [me],
    );
    assert.equal(last.players.find((p) => p.id === me).kills, count - 1);
    assert.equal(eliminated.length, count - 1);

    for (const [i, { page, errors }] of players.entries()) {
      const won = i === 0;
      assert.equal(await page.locator("#outcome").innerText(), won ? "You won!" : "You lost.");
      const change = page.locator("#rating-change");
      await change.filter({ hasText: "Rating" }).waitFor();
      const m = /^Rating 25\.0 → (\d+\.\d) \(([+−])(\d+\.\d)\)$/.exec(await change.innerText());
      assert.ok(m, `rating change shown: ${await change.innerText()}`);
      if (won) assert.equal(m[2], "+", "the winner's rating rises");
      assert.ok(Number(m[3]) > 0);
      const rows = page.getByRole("table", { name: "Results" }).locator("tbody tr");
      await rows.nth(count - 1).waitFor();
      assert.equal(await rows.count(), count);
      // Ranks in order, the winner first with a kill for each opponent.
      const texts = await rows.allInnerTexts();
      assert.match(texts[0], won ? new RegExp(`^1\\s+you\\s+${count - 1}$`) : new RegExp(`^1\\s+guest-\\S+\\s+${count - 1}$`));
      texts.forEach((text, rank) => assert.match(text, new RegExp(`^${rank + 1}\\s`)));
      const metrics = await page.evaluate(() => window.webgamesPlay);
      assert.equal(metrics.readyAt.length, 1);
      assert.equal(metrics.firstDrawAt.length, 1, "the canvas drew the game");
      assert.deepEqual(errors, []);
    }
    // The later eliminated rank better: the first one out is last.
    for (const { page } of players.slice(1)) {
      const out = eliminated.indexOf((await snapshot(page)).me);
      assert.ok(out >= 0);
      const rows = await page.getByRole("table", { name: "Results" }).locator("tbody tr").allInnerTexts();
      assert.deepEqual(
        rows.filter((row) => /^\d+\s+you\s/.test(row)),
        [`${count - out}\tyou\t0`],
      );
    }
    const dir = ensureScreenshotDir();
    await hunter.page.screenshot({ path: join(dir, `play-arena-${count}-players.png`), fullPage: true });
  } finally {
    for (const { context } of players) await context.close();
  }
}

test("two guests play Arena in the page until one is left standing", { timeout: 150_000 }, () => playArena(2));
test("four guests play Arena in the page until one is left standing", { timeout: 150_000 }, () => playArena(4));
