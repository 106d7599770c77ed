// bench/browser: from `session.ready` reaching the /play page to the first
// game state drawn (the frame after the game server's first message), over
// MATCHES Shifumi matches of two Chromium pages against a real webgames
// serve on loopback. The page records both instants (window.webgamesPlay);
// each match gives two samples. Last line of stdout: one JSON object.
import { guestQueues, launchChromium, openPlayer, playShifumiToTheEnd, startWebgames } from "../test/support.mjs";

const matches = Number(process.env.MATCHES ?? 20);
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

const server = await startWebgames();
const browser = await launchChromium();
try {
  const players = [await openPlayer(browser, server.baseUrl), await openPlayer(browser, server.baseUrl)];
  for (const { page } of players) {
    await page.getByRole("button", { name: "Play as a guest" }).click();
    await page.getByRole("heading", { name: "Choose a game" }).waitFor();
  }
  for (let i = 0; i < matches; ++i) {
    for (const { page } of players) {
      if (i > 0) await page.getByRole("button", { name: "Play again" }).click();
      await page.getByRole("button", { name: "Queue", exact: true }).click();
    }
    const deadline = Date.now() + 60_000;
    await Promise.all([playShifumiToTheEnd(players[0].page, "rock", deadline), playShifumiToTheEnd(players[1].page, "scissors", deadline)]);
    await Promise.all(players.map(({ page }) => page.locator("#rating-change").filter({ hasText: "Rating" }).waitFor()));
    process.stderr.write(`bench/browser: match ${i + 1}/${matches} played\n`);
  }
  const samples = [];
  for (const { page } of players) {
    const m = await page.evaluate(() => window.webgamesPlay);
    if (m.readyAt.length !== matches || m.firstDrawAt.length !== matches)
      throw new Error(`a page recorded ${m.readyAt.length} ready and ${m.firstDrawAt.length} drawn for ${matches} matches`);
    for (let i = 0; i < matches; ++i) samples.push(m.firstDrawAt[i] - m.readyAt[i]);
  }
  samples.sort((a, b) => a - b);
  const round = (x) => Math.round(x * 100) / 100;
  console.log(`bench/browser: ${matches} matches, ${samples.length} samples (ms): min ${round(samples[0])}, p50 ${round(percentile(samples, 50))}, p99 ${round(percentile(samples, 99))}, max ${round(samples.at(-1))}`);
  console.log(JSON.stringify({ matches, samples: samples.length, ready_to_first_draw_p50_ms: round(percentile(samples, 50)), ready_to_first_draw_p99_ms: round(percentile(samples, 99)), target_ms: 50 }));
} finally {
  await browser.close();
  await server.stop();
}
