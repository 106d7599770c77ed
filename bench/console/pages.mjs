// bench/console with real pages: CONSOLES /console pages open in Debian's
// Chromium (headless, web/play's playwright-core and launcher; nothing
// downloads a browser) against one `webgames serve` for DURATION seconds,
// each logged in through its form and left on the overview, as an operator
// or developer would leave it on a screen. Same contract and JSON line as
// consoles.mjs (frames counted from the pages' WebSockets, overviews from
// their requests). See ./run (CONSOLE_CLIENT=pages, the default).
//
// Opening the pages takes seconds: they are held DURATION seconds from the
// moment all are live, and READY_FILE (when set) is written then, so that
// ./run starts its window after the logins.
//
// Env: WEBGAMES_URL, WEBGAMES_USERNAME, WEBGAMES_PASSWORD, CONSOLES (10),
//      DURATION (60) s, READY_FILE.
import { writeFileSync } from "node:fs";

import { launchChromium } from "../../web/play/test/support.mjs";

const BASE = process.env.WEBGAMES_URL;
const CONSOLES = Number(process.env.CONSOLES ?? 10);
const DURATION = Number(process.env.DURATION ?? 60);

const counts = { overviews: 0, frames: 0, samples: 0, changes: 0, bytes: 0, page_errors: 0 };
const browser = await launchChromium();
try {
  const pages = [];
  for (let i = 0; i < CONSOLES; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on("pageerror", () => (counts.page_errors += 1));
    page.on("request", (r) => {
      if (r.url().includes("/v1/console/overview")) counts.overviews += 1;
    });
    page.on("websocket", (ws) => {
      if (!ws.url().includes("/v1/console/events")) return;
      ws.on("framereceived", ({ payload }) => {
        counts.frames += 1;
        counts.bytes += payload.length;
        const type = JSON.parse(String(payload)).type;
        if (type === "overview.sample") counts.samples += 1;
        else if (type === "session.changed") counts.changes += 1;
      });
    });
    await page.goto(`${BASE}/console#/overview`);
    await page.getByLabel("Username").fill(process.env.WEBGAMES_USERNAME);
    await page.getByLabel("Password").fill(process.env.WEBGAMES_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.locator("#live-status", { hasText: "Live" }).waitFor({ timeout: 30_000 });
    pages.push(page);
  }
  if (process.env.READY_FILE) writeFileSync(process.env.READY_FILE, "ready\n");
  await new Promise((r) => setTimeout(r, DURATION * 1000));
  for (const page of pages) if (!(await page.locator("#tiles").isVisible())) counts.page_errors += 1;
} finally {
  await browser.close();
}
console.log(JSON.stringify({ consoles: CONSOLES, client: "chromium", ...counts }));
