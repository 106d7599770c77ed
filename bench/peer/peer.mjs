// bench/peer: the same workload against Colyseus 0.18 and against Webgames,
// on this machine, in one run (see ./run for the targets and the output).
//
// Workload: pairs of clients arrive at a steady rate; each pair gets a room
// (Colyseus) or a match with its own dedicated server (Webgames), each client
// sends 10 messages one after the other and waits for each reply, then
// leaves. Then the same at saturation: every pair at once.
//
// join, per client: from its request to play until it can exchange messages
// with its room or server.
//   Colyseus: joinOrCreate("duel") resolved.
//   Webgames: its ticket created (POST /v1/queues/…/tickets), session.ready
//   on its events WebSocket (open before, as a logged-in player's is), the
//   game server's WebSocket connected, joined with its join token, and its
//   first message answered (one round trip more than Colyseus's).
// matches/s: pairs of clients done (joined, 10 messages each, left) over the
// span: as many as rooms or sessions.
//
// Env: PEER_MATCHES (100) pairs at PEER_RATE (10) pairs/s, PEER_SATURATION (100)
// pairs at once; WEBGAMES_BINARY, PEER_ECHO_SERVER; PEER_POOL (buffer size for
// the Webgames game's warm pool, when the build has pools; 0: cold starts).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@colyseus/sdk";
import WebSocket from "ws";

const MATCHES = Number(process.env.PEER_MATCHES ?? 100);
const RATE = Number(process.env.PEER_RATE ?? 10);
const SATURATION = Number(process.env.PEER_SATURATION ?? 100);
const MESSAGES = 10;
const TIMEOUT_MS = 30_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

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

function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS))),
  ]).finally(() => clearTimeout(timer));
}

// Starts `command`; `started` resolves once its output matches `ready` (at once when null).
function start(command, args, ready, env = process.env) {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const started = new Promise((resolve, reject) => {
    const onData = (d) => {
      log += d;
      if (ready && ready.test(log)) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`${command} exited (${code}) before it was ready:\n${log.slice(-2000)}`)));
    if (!ready) resolve();
  });
  return { child, started: withTimeout(started, command), log: () => log };
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const forced = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(forced);
}

// Runs `pairs` pairs at `rate` per second (Infinity: all at once); each
// resolves with its two clients' join times. Returns the figures.
async function drive(pairs, rate, runPair) {
  const joins = []; // per client
  const errors = [];
  let done = 0;
  const t0 = now();
  const tasks = [];
  for (let i = 0; i < pairs; i++) {
    if (Number.isFinite(rate)) {
      const at = t0 + (i * 1000) / rate;
      if (at > now()) await sleep(at - now());
    }
    tasks.push(
      runPair(i).then(
        (joinMs) => (joins.push(...joinMs), ++done),
        (e) => errors.push(String(e?.message ?? e)),
      ),
    );
  }
  await Promise.all(tasks);
  const seconds = (now() - t0) / 1000;
  return { pairs, done, errors, joins, matchesPerS: done / seconds };
}

// ---- Colyseus ------------------------------------------------------------

async function colyseusPair(client) {
  const t0 = now();
  const joinMs = [];
  const join = () => client.joinOrCreate("duel").then((room) => (joinMs.push(now() - t0), room));
  const rooms = await withTimeout(Promise.all([join(), join()]), "joinOrCreate");
  await Promise.all(
    rooms.map(
      (room) =>
        new Promise((resolve) => {
          let n = 0;
          room.onMessage("pong", () => (++n === MESSAGES ? resolve() : room.send("ping", n)));
          room.send("ping", 0);
        }),
    ),
  );
  await Promise.all(rooms.map((r) => r.leave()));
  return joinMs;
}

async function colyseus() {
  const port = await freePort();
  const server = start(process.execPath, [new URL("./colyseus_server.mjs", import.meta.url).pathname, String(port)], /colyseus listening/);
  try {
    await server.started;
    const client = new Client(`ws://127.0.0.1:${port}`);
    await drive(4, Infinity, () => colyseusPair(client)); // warm-up, not counted
    const steady = await drive(MATCHES, RATE, () => colyseusPair(client));
    const saturated = await drive(SATURATION, Infinity, () => colyseusPair(client));
    return { steady, saturated };
  } finally {
    await stop(server.child);
  }
}

// ---- Webgames ------------------------------------------------------------

async function api(base, method, path, body, token) {
  const res = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

// A logged-in player: a guest with the events WebSocket open.
async function player(base, wsBase, device) {
  const login = await api(base, "POST", "/v1/auth/guest", { device_id: device });
  const events = new WebSocket(`${wsBase}/v1/events?token=${login.access_token}`);
  const waiting = new Map(); // event type -> resolve
  events.on("message", (raw) => {
    const e = JSON.parse(raw.toString());
    const resolve = waiting.get(e.type);
    if (resolve) waiting.delete(e.type), resolve(e.data);
  });
  await new Promise((resolve, reject) => (events.once("open", resolve), events.once("error", reject)));
  return {
    token: login.access_token,
    next: (type) => withTimeout(new Promise((resolve) => waiting.set(type, resolve)), type),
    close: () => events.close(),
  };
}

// One client's game: its ticket, session.ready, the server's WebSocket (the
// join, then MESSAGES messages each answered), leaving. Resolves with its join time.
async function play(base, p) {
  const ready = p.next("session.ready");
  const t0 = now();
  await api(base, "POST", "/v1/queues/peer/duel/tickets", {}, p.token);
  const r = await ready;
  let joinMs = 0;
  await withTimeout(
    new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${r.host}:${r.port}/`);
      let n = 0;
      ws.on("open", () => {
        ws.send(JSON.stringify({ type: "join", token: r.join_token }));
        ws.send(JSON.stringify({ type: "ping", n }));
      });
      ws.on("message", () => {
        if (n === 0) joinMs = now() - t0;
        if (++n === MESSAGES) return ws.close();
        ws.send(JSON.stringify({ type: "ping", n }));
      });
      ws.on("close", () => (n === MESSAGES ? resolve() : reject(new Error(`closed after ${n} messages`))));
      ws.on("error", reject);
    }),
    "game server",
  );
  return joinMs;
}

// Two clients asking at once; the matchmaker decides who plays whom (at
// saturation, rarely each other): a pair is two clients' games, not one session.
const webgamesPair = (base, players, i) => Promise.all([play(base, players[2 * i]), play(base, players[2 * i + 1])]);

async function webgames() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "webgames-peer-"));
  const base = `http://127.0.0.1:${port}`;
  const server = start(
    process.env.WEBGAMES_BINARY,
    ["serve", "--port", String(port), "--data-dir", join(dir, "data"), "--password-cost", "minimum",
     "--access-log", "false", "--log-level", "warn", "--port-first", "22000", "--port-last", "23999"],
    null,
  );
  const everyone = [];
  try {
    await server.started;
    let up = false;
    for (let i = 0; i < 200 && !up; i++) up = await fetch(`${base}/readyz`).then((r) => r.ok, () => false), up || (await sleep(50));
    if (!up) throw new Error("webgames did not answer /readyz within 10 s");
    const dev = await api(base, "POST", "/v1/auth/register", { username: "peer-dev", password: "peer-bench-pass", role: "developer" });
    const pool = Number(process.env.PEER_POOL ?? 0);
    const game = {
      name: "peer",
      server: { command: process.env.PEER_ECHO_SERVER, ports: [{ name: "game", protocol: "ws" }], memory_mb: 64 },
      queues: [{ name: "duel", teams: 2, team_size: 1 }],
      ...(pool > 0 ? { pool: { policy: "buffer", buffer: pool } } : {}),
    };
    await api(base, "POST", "/v1/games", game, dev.access_token);
    const wsBase = `ws://127.0.0.1:${port}`;
    const make = async (n, tag) => {
      const out = [];
      for (let i = 0; i < 2 * n; i++) out.push(await player(base, wsBase, `peer-${tag}-${i}-device`));
      everyone.push(...out);
      return out;
    };
    const warm = await make(4, "warm");
    await drive(4, Infinity, (i) => webgamesPair(base, warm, i)); // warm-up, not counted
    const steadyPlayers = await make(MATCHES, "steady");
    const steady = await drive(MATCHES, RATE, (i) => webgamesPair(base, steadyPlayers, i));
    const saturatedPlayers = await make(SATURATION, "saturated");
    if (pool > 0) await sleep(2000); // the pool refills after the steady run
    const saturated = await drive(SATURATION, Infinity, (i) => webgamesPair(base, saturatedPlayers, i));
    return { steady, saturated };
  } catch (e) {
    throw new Error(`${e.message}\nwebgames log:\n${server.log().slice(-3000)}`);
  } finally {
    for (const p of everyone) p.close();
    await stop(server.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x) => Math.round(x * 1000) / 1000;
function report(name, r) {
  for (const [phase, f] of Object.entries(r)) {
    console.error(
      `${name} ${phase}: ${f.done}/${f.pairs} pairs, join p50 ${percentile(f.joins, 50).toFixed(2)} ms, ` +
        `p99 ${percentile(f.joins, 99).toFixed(2)} ms, ${f.matchesPerS.toFixed(1)} matches/s` +
        (f.errors.length ? `, ${f.errors.length} errors: ${f.errors.slice(0, 3).join(" | ")}` : ""),
    );
  }
}

const c = await colyseus();
report("colyseus", c);
const w = await webgames();
report("webgames", w);
const failures = [c, w].flatMap((r) => [...r.steady.errors, ...r.saturated.errors]);
console.log(
  JSON.stringify({
    colyseus_join_p99_ms: round(percentile(c.steady.joins, 99)),
    webgames_join_p99_ms: round(percentile(w.steady.joins, 99)),
    colyseus_matches_per_s: round(c.saturated.matchesPerS),
    webgames_matches_per_s: round(w.saturated.matchesPerS),
    colyseus_join_p50_ms: round(percentile(c.steady.joins, 50)),
    webgames_join_p50_ms: round(percentile(w.steady.joins, 50)),
    webgames_pool: Number(process.env.PEER_POOL ?? 0),
    pairs: MATCHES,
    rate: RATE,
    saturation_pairs: SATURATION,
    errors: failures.length,
  }),
);
process.exit(failures.length ? 1 : 0);
