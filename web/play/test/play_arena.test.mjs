// Arena, the real-time game, in the /play page in Chromium: two, then four
// guests (browser contexts, phone-sized) queue, play a short match (5 s,
// inputs from the keyboard) to its end, and each page shows the canvas
// drawn, then the results and the rating change. End screens under the build tree.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";

import { ensureScreenshotDir, guestQueues, launchChromium, openPlayer, startWebgames } from "./support.mjs";

const title = "Arena — free for all (2 to 4 players, real time)";
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
  const players = [];
  for (let i = 0; i < count; ++i) players.push(await openPlayer(browser, server.baseUrl));
  try {
    await Promise.all(players.map(({ page }) => guestQueues(page, title)));
    await Promise.all(
      players.map(async ({ page }, i) => {
        await page.locator("#arena-canvas").waitFor({ state: "visible", timeout: 60_000 });
        // Move and shoot with the keyboard while the match runs.
        await page.keyboard.down(i % 2 ? "ArrowLeft" : "ArrowRight");
        await page.keyboard.down(" ");
        await page.locator("#end").waitFor({ state: "visible", timeout: 60_000 });
        await page.keyboard.up(" ");
      }),
    );
    for (const { page, errors } of players) {
      assert.match(await page.locator("#outcome").innerText(), /^(You won!|You lost\.|Draw\.)$/);
      await page.locator("#rating-change").filter({ hasText: "Rating" }).waitFor();
      assert.match(await page.locator("#rating-change").innerText(), /^Rating 25\.0 → \d+\.\d \([+−]\d+\.\d\)$/);
      await page.getByRole("table", { name: "Results" }).locator("tbody tr").nth(count - 1).waitFor();
      const m = await page.evaluate(() => window.webgamesPlay);
      assert.equal(m.readyAt.length, 1);
      assert.equal(m.firstDrawAt.length, 1, "the canvas drew the game");
      assert.deepEqual(errors, []);
    }
    const dir = ensureScreenshotDir();
    await players[0].page.screenshot({ path: join(dir, `play-arena-${count}-players.png`), fullPage: true });
  } finally {
    for (const { context } of players) await context.close();
  }
}

test("two guests play Arena in the page, to the results", { timeout: 120_000 }, () => playArena(2));
test("four guests play Arena in the page, to the results", { timeout: 120_000 }, () => playArena(4));
