// The /console page in Chromium against a real `webgames serve` (web/play's
// test helpers: a free port, a temp data dir, this build's pages, Debian's
// Chromium). A developer logs in, registers Shifumi in the form (first with a
// value the server refuses: the error shows on its field), two /play pages
// queue and play a match while the console's overview and session page follow
// it live (no reload: the events WebSocket), with its server log, to its end
// and results with each player's rating change; then API keys; then tenancy:
// another developer's game and session are invisible to the first developer
// and visible to an operator, in the page and through the API. A second
// developer edits a game as JSON and as TOML (the server's error placed on
// the line of its field; edited TOML shown in the form without a save, and
// TOML that does not parse kept in its tab with the fault on its line), sees its waiting tickets by wait, skill and region
// with the rules widening as they wait, and deletes it. Screenshots of each
// page go to $WEBGAMES_SCREENSHOTS/console-*.png.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

import { ensureScreenshotDir, guestQueues, launchChromium, openPlayer, playShifumiToTheEnd } from "../../play/test/support.mjs";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`$${name} is not set (ctest sets it; see web/console/CMakeLists.txt)`);
  return v;
};
const password = "correct horse battery";

let server;
let browser;
let support;

async function api(method, path, token, body) {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function register(username) {
  const response = await fetch(`${server.baseUrl}/v1/auth/register`, {
    method: "POST",
    body: JSON.stringify({ username, password, role: "developer" }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()).access_token;
}

async function login(username) {
  const response = await fetch(`${server.baseUrl}/v1/auth/login`, { method: "POST", body: JSON.stringify({ username, password }) });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()).access_token;
}

/** A desktop-sized console page of its own context, logged in as `username`. */
async function openConsole(username, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("dialog", (d) => void d.accept());
  await page.goto(`${server.baseUrl}/console`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("heading", { name: /^Overview/ }).waitFor();
  await page.locator("#live-status", { hasText: "Live" }).waitFor();
  return { context, page, errors };
}

const shot = (page, name) => page.screenshot({ path: join(ensureScreenshotDir(), `console-${name}.png`), fullPage: true });

before(async () => {
  support = await import(pathToFileURL(join(env("WEBGAMES_SDK_JS"), "test/support/webgames.js")).href);
  // A sample a second (instead of 10 s): the overview's figures move within the test.
  server = await support.Webgames.start(["--static-dir", env("WEBGAMES_STATIC_DIR"), "--access-log", "false", "--console-sample-s", "1"]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("a developer registers a game and follows a match live; an operator sees every tenant", { timeout: 280_000 }, async () => {
  const deadline = Date.now() + 240_000;
  // Another tenant, Bob, with a game and a live session (two guests queued through the API).
  const bobToken = await register("bob");
  await api("POST", "/v1/games", bobToken, {
    name: "bobs-game",
    server: support.goodServer(join(server.dir, "bob-end")),
    queues: [{ name: "duel", teams: 2, team_size: 1 }],
  });
  for (let i = 0; i < 2; i++) await (await server.guest()).createTicket("bobs-game", "duel");
  // The operator, made on the server's side as an administrator would.
  await promisify(execFile)(env("WEBGAMES_BINARY"), ["ctl", "operator", "create", "root", "--data-dir", join(server.dir, "data"), "--password-cost", "minimum"], {
    env: { ...process.env, WEBGAMES_PASSWORD: password },
  });
  const adaToken = await register("ada");

  // --- Ada logs in and registers Shifumi in the form --------------------------------
  const loginContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const loginPage = await loginContext.newPage();
  await loginPage.goto(`${server.baseUrl}/console`);
  await loginPage.getByRole("heading", { name: "Log in" }).waitFor();
  await shot(loginPage, "login");
  await loginContext.close();

  const ada = await openConsole("ada");
  const page = ada.page;
  await shot(page, "overview-empty");
  await page.getByRole("link", { name: "Games" }).click();
  await page.getByRole("link", { name: "Register a game" }).click();
  await page.getByLabel("Name", { exact: true }).fill("shifumi");
  await page.getByLabel("Title").fill("Shifumi");
  await page.getByLabel("Command (process runtime)").fill(env("SHIFUMI_SERVER"));
  await page.getByLabel("Environment, NAME=value per line").fill("SHIFUMI_ROUNDS=3");
  await page.getByLabel("Longest session (s)").fill("5");
  await page.getByRole("button", { name: "Add a port" }).click();
  await page.getByLabel("Port name").nth(1).fill("ws");
  await page.getByLabel("Protocol").nth(1).selectOption("ws");
  await page.getByLabel("Queue name").fill("duel");
  await page.getByLabel("Teams").fill("2");
  await page.getByLabel("Players per team").fill("1");
  await page.getByRole("button", { name: "Register the game" }).click();
  // The server refuses 5 s: its error is on that field.
  const longest = page.getByLabel("Longest session (s)");
  await page.locator('[data-field="server.max_duration_s"][aria-invalid="true"]').waitFor();
  const errorId = (await longest.getAttribute("aria-describedby")).split(" ")[0];
  const fieldError = page.locator(`#${errorId}`);
  assert.match(await fieldError.innerText(), /max_duration_s|10/);
  assert.ok(await fieldError.isVisible());
  assert.equal(await page.locator('[aria-invalid="true"]').count(), 1);
  await shot(page, "game-form-error");
  await longest.fill("120");
  await page.getByRole("button", { name: "Register the game" }).click();
  await page.getByRole("heading", { name: "Game shifumi" }).waitFor();
  assert.equal(await page.locator('[aria-invalid="true"]').count(), 0);
  assert.match(await page.locator("#queues-of-game").innerText(), /duel\s+2 team\(s\) of 1/);
  await shot(page, "game");

  // --- two players queue and play; the console follows without reloading -----------
  await page.getByRole("link", { name: "Overview" }).click();
  await page.getByRole("heading", { name: /^Overview/ }).waitFor();
  await page.evaluate(() => (window.consoleTestMarker = "same page"));
  const alice = await openPlayer(browser, server.baseUrl);
  const carol = await openPlayer(browser, server.baseUrl);
  try {
    await guestQueues(alice.page);
    await guestQueues(carol.page);
    const changeRow = page.locator("#session-changes tbody tr", { hasText: "shifumi" }).first();
    await changeRow.locator('td[data-state="ready"], td[data-state="running"]').waitFor();
    const sessionId = await changeRow.getAttribute("data-session");
    assert.match(sessionId, /^ses_/);
    // The figures follow, from the samples: one live session of Ada's (Bob's is not in her scope).
    await page.locator("#live-sessions", { hasText: /^1$/ }).waitFor();
    await page.waitForFunction(() => /^(ready|running)\s+1$/m.test(document.getElementById("sessions-by-state")?.innerText ?? ""));
    await shot(page, "overview-live");
    await changeRow.getByRole("link").click();
    await page.getByRole("heading", { name: `Session ${sessionId}` }).waitFor();
    await page.locator("#session-state [data-state]").filter({ hasText: /ready|running/ }).waitFor();
    await page.locator("#timeline li.reached[data-step=ready]").waitFor();
    assert.match(await page.locator("#players").innerText(), /guest-/);
    // The server's log shows up, tailed.
    await page.waitForFunction(() => (document.getElementById("server-log")?.textContent ?? "").trim().length > 0, undefined, { timeout: 30_000 });
    await shot(page, "session-live");

    const [aliceOutcome, carolOutcome] = await Promise.all([
      playShifumiToTheEnd(alice.page, "rock", deadline),
      playShifumiToTheEnd(carol.page, "scissors", deadline),
    ]);
    assert.equal(aliceOutcome, "You won!");
    assert.equal(carolOutcome, "You lost.");
    // The session page turns to ended with the results, by itself.
    await page.locator('#session-state [data-state="ended"]').waitFor();
    await page.locator("#results tbody tr").nth(1).waitFor();
    assert.match(await page.locator("#results tbody tr").first().innerText(), /^1\s+guest-\S+\s+2$/);
    // Each player's rating change, the winner's first: from a new player's 0.0 (25 − 3 × 25/3), up and down.
    await page.locator("#rating-changes tbody tr").nth(1).waitFor();
    const [winnerChange, loserChange] = await page.locator("#rating-changes tbody tr").allInnerTexts();
    assert.match(winnerChange, /^guest-\S+\s+\d\s+-?0\.0\s+\d+\.\d\s+\+\d+\.\d\s+25\.0 → 2[6-9]\.\d/);
    assert.match(loserChange, /^guest-\S+\s+\d\s+-?0\.0\s+-\d+\.\d\s+−\d+\.\d\s+25\.0 → 2[0-4]\.\d/);
    await page.locator("#timeline li.reached[data-step=ended]").waitFor();
    assert.equal(await page.evaluate(() => window.consoleTestMarker), "same page", "the page was not reloaded");
    await page.waitForFunction(() => /session is over/.test(document.getElementById("log-status")?.textContent ?? ""));
    await shot(page, "session-ended");

    // The sessions list, filtered by state.
    await page.getByRole("link", { name: "Sessions", exact: true }).click();
    await page.locator(`#sessions-table tr[data-session="${sessionId}"]`).waitFor();
    await page.getByLabel("State").selectOption("ended");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.locator(`#sessions-table tr[data-session="${sessionId}"] td[data-state="ended"]`).waitFor();
    await shot(page, "sessions");

    // The queue: its figures and its leaderboard with both players rated.
    await page.getByRole("link", { name: "Queues" }).click();
    await page.getByRole("link", { name: "shifumi / duel" }).click();
    await page.locator("#leaderboard tbody tr").nth(1).waitFor();
    await shot(page, "queue");
  } finally {
    await alice.context.close();
    await carol.context.close();
  }

  // --- API keys: created (shown once), listed, revoked ----------------------------------
  await page.getByRole("link", { name: "API keys" }).click();
  await page.getByLabel("Name").fill("ci");
  await page.getByRole("button", { name: "Create the key" }).click();
  assert.match(await page.locator("#key-secret").innerText(), /^wgk_/);
  await page.locator("#keys-table tbody tr", { hasText: "ci" }).waitFor();
  await shot(page, "keys");
  await page.getByRole("button", { name: /^Revoke ci/ }).click();
  await page.getByText("No key.").waitFor();

  // --- tenancy: Ada sees only her game and sessions, the operator both tenants' ------------
  await page.getByRole("link", { name: "Games" }).click();
  await page.locator("#games-table").waitFor();
  const adaGames = await page.locator("#games-table tbody").innerText();
  assert.match(adaGames, /shifumi/);
  assert.doesNotMatch(adaGames, /bobs-game/);
  await page.getByRole("link", { name: "Sessions", exact: true }).click();
  await page.locator("#sessions-table tbody tr").first().waitFor();
  assert.doesNotMatch(await page.locator("#sessions-table tbody").innerText(), /bobs-game/);
  assert.deepEqual((await api("GET", "/v1/games", adaToken)).items.map((g) => g.name), ["shifumi"]);
  const adaSessions = (await api("GET", "/v1/sessions", adaToken)).items;
  assert.ok(adaSessions.length >= 1 && adaSessions.every((s) => s.game === "shifumi"));

  const root = await openConsole("root");
  await shot(root.page, "operator-overview");
  await root.page.getByRole("link", { name: "Games" }).click();
  const rootGames = root.page.locator("#games-table tbody");
  await rootGames.locator("tr").nth(1).waitFor();
  assert.match(await rootGames.innerText(), /bobs-game[^\n]*bob/);
  assert.match(await rootGames.innerText(), /shifumi[^\n]*ada/);
  await shot(root.page, "operator-games");
  await root.page.getByRole("link", { name: "Sessions", exact: true }).click();
  await root.page.locator("#sessions-table tbody tr", { hasText: "bobs-game" }).first().waitFor();
  assert.match(await root.page.locator("#sessions-table tbody tr", { hasText: "bobs-game" }).first().innerText(), /bobs-game\s+bob\s/);
  await root.page.locator("#sessions-table tbody tr", { hasText: "shifumi" }).first().waitFor();
  await shot(root.page, "operator-sessions");
  const rootToken = await login("root");
  assert.deepEqual((await api("GET", "/v1/games", rootToken)).items.map((g) => g.name).sort(), ["bobs-game", "shifumi"]);
  const rootSessionGames = new Set((await api("GET", "/v1/sessions", rootToken)).items.map((s) => s.game));
  assert.ok(rootSessionGames.has("bobs-game") && rootSessionGames.has("shifumi"));

  // --- a narrow screen ---------------------------------------------------------------------
  const phone = await openConsole("ada", { width: 390, height: 844 });
  assert.ok(await phone.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), "no sideways scrolling");
  await shot(phone.page, "overview-narrow");

  for (const c of [ada, root, phone]) {
    assert.deepEqual(c.errors, []);
    await c.context.close();
  }
});

test("a game edited as JSON and as TOML, its waiting tickets broken down, then deleted after a confirmation that counts them", { timeout: 150_000 }, async () => {
  const token = await register("dora");
  await api("POST", "/v1/games", token, {
    name: "doras-game",
    // pids_limit has no field in the form: every save below must keep it.
    server: { ...support.goodServer(join(server.dir, "dora-end")), pids_limit: 77 },
    // Windows that widen 5 s into the wait: the queue's page shows the tickets reach the wider step.
    queues: [{ name: "duo", teams: 2, team_size: 1, rules: {
      skill: { window: [{ after_s: 0, max_difference: 1 }, { after_s: 5, max_difference: 5 }] },
      latency: { max_ping: [{ after_s: 0, max_ms: 10 }, { after_s: 5, max_ms: 100 }] },
    } }],
  });
  const dora = await openConsole("dora");
  const page = dora.page;
  await page.goto(`${server.baseUrl}/console#/games/doras-game/edit`);
  await page.getByRole("heading", { name: "Edit doras-game" }).waitFor();
  await page.getByRole("tab", { name: "JSON" }).click();
  const json = page.getByLabel(/The game as JSON/);
  const spec = JSON.parse(await json.inputValue());
  spec.queues[0].team_size = 0;
  await json.fill(JSON.stringify(spec, null, 2));
  await page.getByRole("button", { name: "Save the game" }).click();
  await page.locator('textarea[aria-invalid="true"]').waitFor();
  const errorId = (await json.getAttribute("aria-describedby")).split(" ")[0];
  assert.match(await page.locator(`#${errorId}`).innerText(), /^queues\[0\]\.team_size: must be between 1 and 100/);
  await shot(page, "game-json-error");
  spec.queues[0].team_size = 2;
  await json.fill(JSON.stringify(spec, null, 2));
  await page.getByRole("button", { name: "Save the game" }).click();
  await page.getByRole("heading", { name: "Game doras-game" }).waitFor();
  assert.match(await page.locator("#queues-of-game").innerText(), /duo\s+2 team\(s\) of 2/);

  // As TOML: the server reads it, and its error is placed on the line of the field it names.
  await page.getByRole("link", { name: "Edit the game" }).click();
  await page.getByRole("heading", { name: "Edit doras-game" }).waitFor();
  await page.getByRole("tab", { name: "TOML" }).click();
  const toml = page.getByLabel(/The game as TOML/);
  const written = await toml.inputValue();
  assert.match(written, /^\[\[queues\]\]$/m);
  assert.match(written, /^team_size = 2$/m);
  // Edited TOML goes back to the form without a save (the page reads it), the form showing what it says.
  await toml.fill(written.replace(/^team_size = 2$/m, "team_size = 3").replace(/^title = .*$/m, 'title = "Dora\'s edited TOML"'));
  const tab = (name) => page.getByRole("tab", { name });
  await tab("Form").click();
  await page.locator("#game-form").waitFor();
  assert.equal(await tab("Form").getAttribute("aria-selected"), "true");
  assert.equal(await page.getByLabel("Title", { exact: true }).inputValue(), "Dora's edited TOML");
  assert.equal(await page.getByLabel("Players per team").inputValue(), "3");
  await tab("TOML").click();
  assert.match(await toml.inputValue(), /^team_size = 3$/m, "the TOML is written again from the form");
  // A TOML that does not parse keeps its tab, the fault shown on its line, selected.
  const broken = (await toml.inputValue()).replace(/^\[server\]$/m, "[server");
  await toml.fill(broken);
  await tab("Form").click();
  await page.locator('#game-toml textarea[aria-invalid="true"]').waitFor();
  assert.equal(await tab("TOML").getAttribute("aria-selected"), "true");
  assert.equal(await page.locator("#game-form").isHidden(), true);
  const brokenLine = broken.split("\n").indexOf("[server") + 1;
  const syntaxErrorId = (await toml.getAttribute("aria-describedby")).split(" ")[0];
  assert.match(await page.locator(`#${syntaxErrorId}`).innerText(), new RegExp(`^Line ${brokenLine}: the TOML does not parse: `));
  assert.equal(await toml.evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd)), "[server", "the line of the fault is selected");
  await shot(page, "game-toml-syntax-error");
  await toml.fill(written.replace(/^team_size = 2$/m, "team_size = 0").replace(/^title = .*$/m, 'title = "Dora\'s TOML game"'));
  await page.getByRole("button", { name: "Save the game" }).click();
  await page.locator('#game-toml textarea[aria-invalid="true"]').waitFor();
  const tomlErrorId = (await toml.getAttribute("aria-describedby")).split(" ")[0];
  const lineOfError = (await toml.inputValue()).split("\n").findIndex((l) => l === "team_size = 0") + 1;
  assert.match(await page.locator(`#${tomlErrorId}`).innerText(), new RegExp(`^Line ${lineOfError}: queues\\[0\\]\\.team_size: must be between 1 and 100`));
  assert.equal(await toml.evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd)), "team_size = 0", "the line of the field is selected");
  await shot(page, "game-toml-error");
  await toml.fill((await toml.inputValue()).replace(/^team_size = 0$/m, "team_size = 2"));
  await page.getByRole("button", { name: "Save the game" }).click();
  await page.getByRole("heading", { name: "Game doras-game" }).waitFor();
  assert.match(await page.locator("h1 + dl").innerText(), /Dora's TOML game/);
  assert.equal((await api("GET", "/v1/games/doras-game", token)).server.pids_limit, 77, "what the form has no field for is kept");

  // Players wait (their skills too far apart for any match): the queue's page shows them by wait, skill and
  // region, and the rules widening as they wait.
  const waiting = [];
  for (const [skill, pings] of [[20, { eu: 30, us: 80 }], [40, { eu: 50 }], [71, { us: 20 }]]) {
    const guest = await server.guest();
    waiting.push({ guest, ticket: await guest.createTicket("doras-game", "duo", { skill, pings }) });
  }
  await page.goto(`${server.baseUrl}/console#/queues/doras-game/duo`);
  await page.locator("#queue-by-wait").waitFor();
  await page.locator("#queue-by-wait tbody tr[data-waiting='3']").waitFor();
  assert.match(await page.locator("#queue-by-region tbody").innerText(), /eu\s+2\s+2\s+us\s+1\s+1/);
  assert.match(await page.locator("#queue-by-skill tbody tr").first().innerText(), /^20(\.0)? to /);
  const firstStep = page.locator("#queue-by-wait tbody tr[data-waiting='3']");
  assert.match(await firstStep.innerText(), /^0 ms to 5\.0 s\s+3\s+3\s+1 \(step 1\)\s+10 ms \(step 1\)/);
  await shot(page, "queue-waiting");
  // 5 s into their wait (the page refreshes every 5 s), the same tickets are at the second step of both rules.
  await page.locator("#queue-by-wait tbody tr[data-waiting='3'] td[data-step='1']").first().waitFor({ timeout: 15_000 });
  assert.match(await page.locator("#queue-by-wait tbody tr[data-waiting='3']").innerText(), /5 \(step 2\)\s+100 ms \(step 2\)/);
  await shot(page, "queue-widened");
  for (const { guest, ticket } of waiting.slice(1)) await guest.cancelTicket(ticket.id);
  await page.goto(`${server.baseUrl}/console#/games/doras-game`);
  await page.getByRole("heading", { name: "Game doras-game" }).waitFor();

  // A player waits; the confirmation says what becomes of the ticket and of running sessions.
  const { guest: player, ticket } = waiting[0];
  await page.getByRole("button", { name: "Delete the game…" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Delete doras-game?" });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /Its 1 waiting ticket\(s\) are cancelled now/);
  assert.match(await dialog.innerText(), /Its 0 running session\(s\) go on to their end/);
  await shot(page, "game-delete");
  await dialog.getByRole("button", { name: "Delete doras-game" }).click();
  await page.getByRole("heading", { name: "Games" }).waitFor();
  await page.getByText("No game yet.").waitFor();
  await assert.rejects(player.getTicket(ticket.id), (e) => e.code === "not_found");
  assert.deepEqual(dora.errors, []);
  await dora.context.close();
});
