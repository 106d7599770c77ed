// bench/connections: idle players' events WebSockets held by one `webgames
// serve`: its memory per connection, and /healthz latency with them held.
// See ./run.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";

const COUNT = Number(process.env.CONNECTIONS ?? 10000);
const PROBES = Number(process.env.PROBES ?? 2000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

function rssKiB(pid) {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
  return Number(line.split(/\s+/)[1]);
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

// PROBES sequential GET /healthz on one kept-alive connection: p50 and p99 in ms.
async function probe(base) {
  const times = [];
  for (let i = 0; i < PROBES; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base}/healthz`);
    await res.text();
    times.push(performance.now() - t0);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

const port = await freePort();
const dir = mkdtempSync(join(tmpdir(), "webgames-connections-"));
const base = `http://127.0.0.1:${port}`;
const server = spawn(
  process.env.WEBGAMES_BINARY,
  ["serve", "--port", String(port), "--data-dir", join(dir, "data"), "--password-cost", "minimum", "--access-log",
   "false", "--log-level", "warn", "--threads", "1", "--max-connections", String(COUNT + 1000), "--max-connections-per-address", "0"],
  { stdio: ["ignore", "inherit", "inherit"] },
);
const sockets = [];
let warm = [];
try {
  let up = false;
  for (let i = 0; i < 200 && !up; i++) up = await fetch(`${base}/readyz`).then((r) => r.ok, () => false), up || (await sleep(50));
  if (!up) throw new Error("webgames did not answer /readyz");
  // One stream per player, as idle players hold them (a player's streams are
  // capped, http.event_streams_per_player): the guests are made first, so that
  // their accounts are in "before" and only the streams are in the difference.
  const guest = async (i) => {
    const res = await fetch(`${base}/v1/auth/guest`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ device_id: `connections-bench-${i}` }),
    });
    if (!res.ok) throw new Error(`guest login: ${res.status} ${await res.text()}`);
    return `ws://127.0.0.1:${port}/v1/events?token=${(await res.json()).access_token}`;
  };
  const urls = [];
  for (let i = 0; i < COUNT + 100; i += 50) {
    urls.push(...(await Promise.all(Array.from({ length: Math.min(50, COUNT + 100 - i) }, (_, k) => guest(i + k)))));
  }
  const closed = []; // close codes of the streams that closed while held
  const open = (url) => {
    const ws = new WebSocket(url);
    ws.once("close", (code) => closed.push(code));
    return new Promise((r, j) => (ws.once("open", () => r(ws)), ws.once("error", j)));
  };
  // Warm up: the first connections pay for pools and caches that later ones share.
  warm = await Promise.all(urls.slice(COUNT).map(open));
  await sleep(1000);
  const quiet = await probe(base);
  const before = rssKiB(server.pid);
  for (let opened = 0; opened < COUNT; ) {
    const batch = [];
    for (let i = 0; i < 500 && opened < COUNT; i++, opened++) batch.push(open(urls[opened]));
    sockets.push(...(await Promise.all(batch)));
  }
  await sleep(2000);
  const after = rssKiB(server.pid);
  if (closed.length > 0) throw new Error(`${closed.length} streams were closed while held (codes ${[...new Set(closed)]})`);
  const held = await probe(base);
  const perConnection = ((after - before) * 1024) / COUNT;
  console.error(`webgames RSS ${before} KiB -> ${after} KiB with ${COUNT} idle events WebSockets: ` +
    `${(perConnection / 1024).toFixed(2)} KiB per connection`);
  console.error(`/healthz p50/p99: ${quiet.p50.toFixed(3)}/${quiet.p99.toFixed(3)} ms quiet, ` +
    `${held.p50.toFixed(3)}/${held.p99.toFixed(3)} ms while they are held`);
  console.log(JSON.stringify({
    connections: COUNT,
    bytes_per_connection: Math.round(perConnection),
    rss_before_kib: before,
    rss_after_kib: after,
    healthz_p99_quiet_ms: Math.round(quiet.p99 * 1000) / 1000,
    healthz_p99_held_ms: Math.round(held.p99 * 1000) / 1000,
  }));
} finally {
  for (const ws of sockets) ws.terminate();
  for (const ws of warm) ws.terminate();
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
