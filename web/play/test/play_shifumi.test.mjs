// The /play page in Chromium: two guests (two browser contexts, phone-sized),
// each a party of one, queue for Shifumi against a real `webgames serve`, see
// queued → matched → ready, play to the end, and see the results, the rating
// change and the leaderboard. The end screens are saved under the build tree.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";

import { ensureScreenshotDir, guestQueues, launchChromium, openPlayer, playShifumiToTheEnd, startWebgames } from "./support.mjs";

let server;
let browser;

before(async () => {
  server = await startWebgames();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("two guests play Shifumi in the page, to the results and the ratings", { timeout: 150_000 }, async () => {
  const deadline = Date.now() + 120_000;
  const alice = await openPlayer(browser, server.baseUrl);
  const bob = await openPlayer(browser, server.baseUrl);
  try {
    await guestQueues(alice.page);
    // Alice waits alone: the page says she is queued.
    await alice.page.getByRole("status").filter({ hasText: "Queued" }).waitFor();
    assert.match(await alice.page.locator('#progress li[data-step="queued"]').getAttribute("class"), /done/);
    await guestQueues(bob.page);

    // Rock beats scissors: Alice wins 2–0.
    const [aliceOutcome, bobOutcome] = await Promise.all([
      playShifumiToTheEnd(alice.page, "rock", deadline),
      playShifumiToTheEnd(bob.page, "scissors", deadline),
    ]);
    assert.equal(aliceOutcome, "You won!");
    assert.equal(bobOutcome, "You lost.");

    for (const [player, rises] of [
      [alice, true],
      [bob, false],
    ]) {
      const change = player.page.locator("#rating-change");
      await change.filter({ hasText: "Rating" }).waitFor();
      const m = /^Rating 25\.0 → (\d+\.\d) \(([+−])(\d+\.\d)\)$/.exec(await change.innerText());
      assert.ok(m, `rating change shown: ${await change.innerText()}`);
      assert.equal(m[2], rises ? "+" : "−");
      assert.ok(Number(m[3]) > 0);
      const board = player.page.getByRole("table", { name: "Leaderboard" });
      await board.locator("tbody tr").nth(1).waitFor();
      assert.match(await board.locator("tbody tr").first().innerText(), rises ? /\(you\)/ : /^1\s/);
      const results = player.page.getByRole("table", { name: "Results" });
      await results.locator("tbody tr").nth(1).waitFor();
      assert.equal(await results.locator("tbody tr").count(), 2);
      // The winner first, the other player named as the leaderboard names them.
      assert.match(await results.locator("tbody tr").first().innerText(), rises ? /^1\s+you\s+2$/ : /^1\s+guest-\S+\s+2$/);
    }
    // The rounds were drawn as they were played.
    assert.equal(await alice.page.locator("#rounds li").count(), 2);

    const dir = ensureScreenshotDir();
    await alice.page.screenshot({ path: join(dir, "play-shifumi-winner.png"), fullPage: true });
    await bob.page.screenshot({ path: join(dir, "play-shifumi-loser.png"), fullPage: true });
    assert.deepEqual(alice.errors, []);
    assert.deepEqual(bob.errors, []);
  } finally {
    await alice.context.close();
    await bob.context.close();
  }
});
