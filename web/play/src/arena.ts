// Arena in the page (docs/arena.md): the server's states drawn on a canvas at
// the display's rate (60 fps), interpolated between the two states around
// "now minus two ticks" so movement stays smooth at the server's 30 ticks a
// second; inputs from the keyboard (arrows or WASD to move, the mouse to aim,
// space or a click to fire) or touch (touch where to go and shoot at).
// Resolves with game_over.
import type { GameConnection } from "../../../sdk/js/src/index.js";
import { $, setText, show } from "../../shared/dom.js";

interface Wall { x: number; y: number; w: number; h: number }
interface PlayerState { id: string; x: number; y: number; aim: number; hp: number; alive: boolean; kills: number }
interface Bullet { id: number; x: number; y: number; vx: number; vy: number }
interface State { tick: number; time_ms: number; phase: string; remaining_ms: number; players: PlayerState[]; bullets: Bullet[] }
interface ArenaMessage {
  type: string;
  arena?: { width: number; height: number; walls: Wall[] };
  players?: { id: string; name: string; slot: number }[];
  tick_rate?: number;
  winner?: string | null;
  reason?: string;
  code?: string;
  standings?: { player: string; rank: number }[];
  [key: string]: unknown;
}

/** The latest state as the page knows it, for tests and benchmarks (window.webgamesPlay.arena). */
export interface ArenaSnapshot {
  me: string;
  width: number;
  height: number;
  state?: State;
}

const colors = ["#60a5fa", "#f87171", "#4ade80", "#facc15"];
const lerp = (a: number, b: number, t: number) => a + (b - a) * t;
function lerpAngle(a: number, b: number, t: number): number {
  let d = b - a;
  while (d > Math.PI) d -= 2 * Math.PI;
  while (d < -Math.PI) d += 2 * Math.PI;
  return a + d * t;
}

export async function playArena(
  connection: GameConnection,
  me: string,
  onFirstDraw: () => void,
  onState: (snapshot: ArenaSnapshot) => void = () => undefined,
): Promise<ArenaMessage> {
  show("shifumi", false);
  show("arena", true);
  const canvas = $("arena-canvas") as HTMLCanvasElement;
  const ctx = canvas.getContext("2d")!;
  let width = 800;
  let height = 600;
  let walls: Wall[] = [];
  let tickMs = 1000 / 30;
  const names = new Map<string, string>();
  const slots = new Map<string, number>();
  const states: State[] = []; // the last few, oldest first
  let clockOffset: number | undefined; // performance.now() − time_ms of the newest state
  let over: ArenaMessage | undefined;
  let drawnOnce = false;
  setText("round", "Waiting for the other players…");
  setText("score", "");

  // --- inputs ---
  const keys = new Set<string>();
  let aim = 0;
  let fire = false;
  let touchTarget: { x: number; y: number } | undefined;
  let seq = 0;
  let sent = "";
  const toArena = (clientX: number, clientY: number) => {
    const r = canvas.getBoundingClientRect();
    return { x: ((clientX - r.left) / r.width) * width, y: ((clientY - r.top) / r.height) * height };
  };
  const mine = () => states.at(-1)?.players.find((p) => p.id === me);
  const aimAt = (p: { x: number; y: number }) => {
    const m = mine();
    if (m) aim = Math.atan2(p.y - m.y, p.x - m.x);
  };
  const sendInput = () => {
    let dx = (keys.has("ArrowRight") || keys.has("d") ? 1 : 0) - (keys.has("ArrowLeft") || keys.has("a") ? 1 : 0);
    let dy = (keys.has("ArrowDown") || keys.has("s") ? 1 : 0) - (keys.has("ArrowUp") || keys.has("w") ? 1 : 0);
    const m = mine();
    if (touchTarget && m) {
      const ddx = touchTarget.x - m.x;
      const ddy = touchTarget.y - m.y;
      dx = Math.abs(ddx) > 20 ? Math.sign(ddx) : 0;
      dy = Math.abs(ddy) > 20 ? Math.sign(ddy) : 0;
    }
    const key = `${dx},${dy},${aim.toFixed(2)},${fire || keys.has(" ")}`;
    if (key === sent) return;
    sent = key;
    connection.send({ type: "input", seq: ++seq, dx, dy, aim: Number(aim.toFixed(4)), fire: fire || keys.has(" ") });
  };
  const onKey = (e: KeyboardEvent) => {
    const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (!["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "w", "a", "s", "d", " "].includes(k)) return;
    e.preventDefault();
    if (e.type === "keydown") keys.add(k);
    else keys.delete(k);
    sendInput();
  };
  const onPointer = (e: PointerEvent) => {
    const p = toArena(e.clientX, e.clientY);
    aimAt(p);
    if (e.pointerType === "touch") touchTarget = e.type === "pointerup" || e.type === "pointercancel" ? undefined : p;
    if (e.type === "pointerdown") fire = true;
    if (e.type === "pointerup" || e.type === "pointercancel") fire = false;
    sendInput();
  };
  window.addEventListener("keydown", onKey);
  window.addEventListener("keyup", onKey);
  for (const t of ["pointerdown", "pointermove", "pointerup", "pointercancel"]) canvas.addEventListener(t, onPointer as EventListener);
  const inputTimer = setInterval(sendInput, 100); // touch steering follows the player

  // --- drawing ---
  const draw = () => {
    if (states.length === 0 || clockOffset === undefined) return;
    const renderTime = performance.now() - clockOffset - 2 * tickMs;
    let a = states[0]!;
    let b = a;
    for (const s of states) {
      if (s.time_ms <= renderTime) a = s;
      if (s.time_ms >= renderTime) {
        b = s;
        break;
      }
      b = s;
    }
    const t = b.time_ms > a.time_ms ? Math.min(1, Math.max(0, (renderTime - a.time_ms) / (b.time_ms - a.time_ms))) : 1;
    ctx.setTransform(canvas.width / width, 0, 0, canvas.height / height, 0, 0);
    ctx.fillStyle = "#111";
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = "#555";
    for (const w of walls) ctx.fillRect(w.x, w.y, w.w, w.h);
    for (const bullet of b.bullets) {
      const from = a.bullets.find((x) => x.id === bullet.id);
      ctx.fillStyle = "#fff";
      ctx.beginPath();
      ctx.arc(from ? lerp(from.x, bullet.x, t) : bullet.x, from ? lerp(from.y, bullet.y, t) : bullet.y, 4, 0, 2 * Math.PI);
      ctx.fill();
    }
    for (const p of b.players) {
      const q = a.players.find((x) => x.id === p.id) ?? p;
      const x = lerp(q.x, p.x, t);
      const y = lerp(q.y, p.y, t);
      const angle = lerpAngle(q.aim, p.aim, t);
      ctx.globalAlpha = p.alive ? 1 : 0.3;
      ctx.fillStyle = colors[slots.get(p.id) ?? 0] ?? "#fff";
      ctx.beginPath();
      ctx.arc(x, y, 16, 0, 2 * Math.PI);
      ctx.fill();
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = p.id === me ? 3 : 1;
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(x + Math.cos(angle) * 26, y + Math.sin(angle) * 26);
      ctx.stroke();
      ctx.globalAlpha = 1;
      ctx.fillStyle = "#fff";
      ctx.font = "14px system-ui";
      ctx.fillText(`${names.get(p.id) ?? p.id}${p.id === me ? " (you)" : ""} ♥${p.hp}`, x - 30, y - 22);
    }
    if (!drawnOnce) {
      drawnOnce = true;
      onFirstDraw();
    }
  };
  let frame = 0;
  const loop = () => {
    draw();
    if (!over) frame = requestAnimationFrame(loop);
  };
  frame = requestAnimationFrame(loop);

  try {
    for (;;) {
      const m = (await connection.next({ timeoutMs: 120_000 })) as ArenaMessage;
      if (m.type === "welcome") {
        width = m.arena?.width ?? width;
        height = m.arena?.height ?? height;
        walls = m.arena?.walls ?? [];
        tickMs = 1000 / (m.tick_rate ?? 30);
        for (const p of m.players ?? []) {
          names.set(p.id, p.name);
          slots.set(p.id, p.slot);
        }
        canvas.height = Math.round((canvas.width * height) / width);
      } else if (m.type === "lobby") {
        setText("round", `Waiting for the players: ${(m.connected as string[] | undefined)?.length ?? 0} here.`);
      } else if (m.type === "state") {
        const s = m as unknown as State;
        states.push(s);
        if (states.length > 30) states.shift();
        clockOffset = performance.now() - s.time_ms;
        onState({ me, width, height, state: s });
        const you = s.players.find((p) => p.id === me);
        setText("round", s.phase === "countdown" ? "Get ready…" : s.phase === "playing" ? `${Math.ceil(s.remaining_ms / 1000)} s left` : "Over");
        if (you) setText("score", `Hit points ${you.hp}, kills ${you.kills}${you.alive ? "" : " — eliminated"}`);
      } else if (m.type === "game_over") {
        over = m;
        draw();
        const winner = m.winner ? (m.winner === me ? "you" : (names.get(m.winner) ?? m.winner)) : undefined;
        setText("round", winner ? `Game over: ${winner === "you" ? "you won!" : `${winner} won.`}` : "Game over: a draw.");
        return m;
      } else if (m.type === "error" && m.code !== "rate_limited") {
        setText("round", `The game server said: ${String(m.reason ?? m.code)}`);
      }
    }
  } finally {
    cancelAnimationFrame(frame);
    clearInterval(inputTimer);
    window.removeEventListener("keydown", onKey);
    window.removeEventListener("keyup", onKey);
    for (const t of ["pointerdown", "pointermove", "pointerup", "pointercancel"]) canvas.removeEventListener(t, onPointer as EventListener);
    connection.close();
  }
}
