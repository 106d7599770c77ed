// What the browser tests and bench/browser share: a real `webgames serve`
// (sdk/js's test helper, compiled into the build tree) with Shifumi
// registered, and Debian's Chromium driven by playwright-core (never a
// downloaded browser). The environment comes from ctest (web/play/CMakeLists.txt):
// $WEBGAMES_BINARY, $SHIFUMI_SERVER, $WEBGAMES_SDK_JS (build/sdk/js),
// $WEBGAMES_STATIC_DIR (build/pages), $WEBGAMES_SCREENSHOTS.
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`$${name} is not set (ctest sets it; see web/play/CMakeLists.txt)`);
  return value;
}

export const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const screenshotDir = resolve(process.env.WEBGAMES_SCREENSHOTS ?? "screenshots");

/** Headless Chromium with the flags this machine's closed network needs (no background connections). */
export async function launchChromium() {
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: run scripts/install-deps`);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    timeout: 30_000,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

/**
 * `webgames serve` on a free port, temp data dir, serving build/pages (with
 * `flags` added), with the demo games registered by `games(server)`: by
 * default Shifumi (best of 3), and Arena when $ARENA_SERVER is set (no
 * countdown, a 60-second time limit as a backstop: the tests play to the last
 * player standing; a match starts below 4 players after 3 s).
 */
export async function startWebgames({ flags = [], games = registerDemoGames } = {}) {
  const support = join(required("WEBGAMES_SDK_JS"), "test/support/webgames.js");
  const { Webgames } = await import(pathToFileURL(support).href);
  const server = await Webgames.start(["--static-dir", required("WEBGAMES_STATIC_DIR"), "--access-log", "false", ...flags]);
  try {
    await games(server);
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}

/** Shifumi as the page's game list names it (game shifumi, queue duel), its server from $SHIFUMI_SERVER. */
export function shifumiSpec() {
  return {
    name: "shifumi",
    server: {
      command: required("SHIFUMI_SERVER"),
      ports: [
        { name: "game", protocol: "tcp" },
        { name: "ws", protocol: "ws" },
      ],
      max_duration_s: 120,
      env: { SHIFUMI_ROUNDS: "3" },
    },
    queues: [{ name: "duel", teams: 2, team_size: 1 }],
  };
}

async function registerDemoGames(server) {
  await server.registerGame(shifumiSpec());
  if (process.env.ARENA_SERVER)
    await server.registerGame({
      name: "arena",
      server: {
        command: process.env.ARENA_SERVER,
        ports: [
          { name: "game", protocol: "tcp" },
          { name: "ws", protocol: "ws" },
        ],
        max_duration_s: 120,
        env: { ARENA_TIME_LIMIT_S: "60", ARENA_COUNTDOWN_MS: "0", ARENA_JOIN_TIMEOUT_S: "30" },
      },
      queues: [{ name: "ffa", teams: 4, team_size: 1, min_players: 2, rules: { start_below_max_after_s: 3 } }],
    });
}

/** A phone-sized page of its own context (its own storage: another guest), on /play. */
export async function openPlayer(browser, baseUrl) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, hasTouch: true });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${baseUrl}/play`);
  return { context, page, errors };
}

/** Logs in as a guest and makes a party of one. */
export async function guestWithParty(page) {
  await page.getByRole("button", { name: "Play as a guest" }).click();
  await page.getByRole("heading", { name: "Choose a game" }).waitFor();
  await page.getByRole("button", { name: "Create a party" }).click();
  await page.getByText(/Party code [A-Z0-9]+/).waitFor();
}

/** Logs in as a guest, makes a party of one, queues (for `title`, the game list's label; default the first). */
export async function guestQueues(page, title) {
  await guestWithParty(page);
  if (title) await page.getByLabel("Game and queue").selectOption({ label: title });
  await page.getByRole("button", { name: "Queue", exact: true }).click();
}

/** Clicks `move` each round until the end screen shows; returns the page's outcome text. */
export async function playShifumiToTheEnd(page, move, deadline) {
  const button = page.getByRole("button", { name: new RegExp(move, "i") });
  const end = page.locator("#end");
  while (!(await end.isVisible())) {
    if (Date.now() > deadline) throw new Error(`the game did not end in time; the page says: ${await page.locator("main").innerText()}`);
    if (await button.isEnabled().catch(() => false)) await button.click({ timeout: 5_000 }).catch(() => undefined);
    else await page.waitForTimeout(25);
  }
  return page.locator("#outcome").innerText();
}

export const arenaTitle = "Arena — free for all (2 to 4 players, real time)";

/** The page's view of the match (window.webgamesPlay.arena, set at each state). */
export const arenaSnapshot = (page) => page.evaluate(() => window.webgamesPlay.arena);

/**
 * Arena's hunter: once the match plays, aims the mouse at each living
 * opponent in turn (where the page's latest state says they stand) and holds
 * the button to fire, until the end screen shows. From the four spawn corners
 * every other corner is in sight (docs/arena.md), so opponents who stand
 * still are all eliminated. Returns the ids in the order they were eliminated.
 */
export async function huntInArena(page, deadline) {
  await page.waitForFunction(() => window.webgamesPlay.arena?.state?.phase === "playing", undefined, { timeout: 60_000 });
  const canvas = page.locator("#arena-canvas");
  const eliminated = [];
  let firing = false;
  while (!(await page.locator("#end").isVisible())) {
    if (Date.now() > deadline) throw new Error(`the match did not end in time; the page says: ${await page.locator("main").innerText()}`);
    const view = await arenaSnapshot(page);
    for (const p of view?.state?.players ?? []) if (!p.alive && !eliminated.includes(p.id)) eliminated.push(p.id);
    const target = view?.state?.phase === "playing" && view.state.players.find((p) => p.id !== view.me && p.alive);
    const box = target && (await canvas.boundingBox()); // none once the end screen replaced the game
    if (!box) {
      await page.waitForTimeout(50);
      continue;
    }
    await page.mouse.move(box.x + (target.x / view.width) * box.width, box.y + (target.y / view.height) * box.height);
    if (!firing) {
      await page.mouse.down();
      firing = true;
    }
    await page.waitForTimeout(100);
  }
  if (firing) await page.mouse.up();
  for (const p of (await arenaSnapshot(page)).state.players) if (!p.alive && !eliminated.includes(p.id)) eliminated.push(p.id);
  return eliminated;
}

export function ensureScreenshotDir() {
  mkdirSync(screenshotDir, { recursive: true });
  return screenshotDir;
}
