// bench/console: CONSOLES consoles held open against one `webgames serve`
// for DURATION seconds, as the /console page holds them: each logs in, reads
// GET /v1/console/overview, opens the WebSocket /v1/console/events, and
// reads the overview again every OVERVIEW_EVERY seconds. Prints one JSON
// line: frames and overviews read, bytes received. See ./run.
//
// Env: WEBGAMES_URL, WEBGAMES_USERNAME, WEBGAMES_PASSWORD, CONSOLES (10),
//      DURATION (60) s, OVERVIEW_EVERY (60) s.
// To drive real pages instead, replace openConsole() (its contract: hold the
// console until `until`, return its counts).
import WebSocket from "ws";

const BASE = process.env.WEBGAMES_URL;
const CONSOLES = Number(process.env.CONSOLES ?? 10);
const DURATION = Number(process.env.DURATION ?? 60);
const OVERVIEW_EVERY = Number(process.env.OVERVIEW_EVERY ?? 60);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function login() {
  const res = await fetch(`${BASE}/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: process.env.WEBGAMES_USERNAME, password: process.env.WEBGAMES_PASSWORD }),
  });
  if (!res.ok) throw new Error(`login: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()).access_token;
}

async function overview(token, counts) {
  const res = await fetch(`${BASE}/v1/console/overview`, { headers: { Authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (!res.ok) throw new Error(`overview: HTTP ${res.status} ${text}`);
  counts.overviews += 1;
  counts.bytes += text.length;
}

async function openConsole(until) {
  const counts = { overviews: 0, frames: 0, samples: 0, changes: 0, bytes: 0 };
  const token = await login();
  await overview(token, counts);
  const ws = new WebSocket(`${BASE.replace(/^http/, "ws")}/v1/console/events?token=${token}`);
  ws.on("message", (data) => {
    counts.frames += 1;
    counts.bytes += data.length;
    const type = JSON.parse(data.toString()).type;
    if (type === "overview.sample") counts.samples += 1;
    else if (type === "session.changed") counts.changes += 1;
  });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  let next = Date.now() + OVERVIEW_EVERY * 1000;
  while (Date.now() < until) {
    await sleep(Math.min(1000, Math.max(0, until - Date.now())));
    if (Date.now() >= next && Date.now() < until) {
      await overview(token, counts);
      next += OVERVIEW_EVERY * 1000;
    }
  }
  ws.close();
  return counts;
}

const until = Date.now() + DURATION * 1000;
const all = await Promise.all(Array.from({ length: CONSOLES }, () => openConsole(until)));
const sum = (key) => all.reduce((n, c) => n + c[key], 0);
console.log(
  JSON.stringify({
    consoles: CONSOLES,
    overviews: sum("overviews"),
    frames: sum("frames"),
    samples: sum("samples"),
    changes: sum("changes"),
    bytes: sum("bytes"),
  }),
);
