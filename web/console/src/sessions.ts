// Sessions: the list with its filters (GET /v1/sessions: state, game, player,
// since, until; pages by cursor), kept live by session.changed; a session's
// page: its timeline, players and teams, results and each player's rating
// change, resources, and its server log tailed (GET /v1/sessions/{id}/log?offset=, every second while shown).
import { clear, h } from "../../shared/dom.js";
import { sessionStates, type Session, type SessionFilters } from "./api.js";
import { every, onLive, type ViewContext } from "./context.js";
import { formatMs, formatNumber, formatTime } from "./format.js";

const finalStates = new Set(["ended", "failed"]);

/** The session id a session.changed frame names (its `id` or `session_id`). */
export function changedId(data: unknown): string | undefined {
  const d = data as { id?: unknown; session_id?: unknown; session?: { id?: unknown } } | null;
  const id = d?.id ?? d?.session_id ?? d?.session?.id;
  return typeof id === "string" ? id : undefined;
}

export async function sessionsView(root: HTMLElement, ctx: ViewContext): Promise<void> {
  const [id] = ctx.path;
  if (id !== undefined) return sessionPage(root, ctx, id);
  return sessionList(root, ctx);
}

function toUnix(local: string): number | undefined {
  if (!local) return undefined;
  const t = new Date(local).getTime();
  return Number.isNaN(t) ? undefined : Math.floor(t / 1000);
}

function toLocalInput(unix: string | null): string {
  if (!unix) return "";
  const d = new Date(Number(unix) * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function stateCell(s: Session): HTMLElement {
  return h("td", { class: `state state-${s.state}`, "data-state": s.state }, s.state);
}

/** A row of the list; `owners` (operators) names each game's developer. */
function sessionRow(s: Session, owners?: Map<string, string>): HTMLTableRowElement {
  return h(
    "tr",
    { "data-session": s.id },
    h("td", {}, h("a", { href: `#/sessions/${encodeURIComponent(s.id)}` }, s.id)),
    h("td", {}, s.game),
    owners ? h("td", {}, owners.get(s.game) ?? "") : null,
    h("td", {}, s.queue),
    stateCell(s),
    h("td", {}, s.players.map((p) => p.name).join(", ")),
    h("td", {}, formatTime(s.timings.matched_at)),
    h("td", {}, formatTime(s.timings.ended_at)),
    h("td", {}, s.reason ?? ""),
  );
}

async function sessionList(root: HTMLElement, ctx: ViewContext): Promise<void> {
  const q = ctx.query;
  const state = h("select", { id: "filter-state", name: "state" }, h("option", { value: "" }, "any"), sessionStates.map((s) => h("option", { value: s }, s)));
  state.value = q.get("state") ?? "";
  const game = h("select", { id: "filter-game", name: "game" }, h("option", { value: "" }, "any"));
  const player = h("input", { id: "filter-player", name: "player", autocomplete: "off", placeholder: "username or acc_…" });
  player.value = q.get("player") ?? "";
  const since = h("input", { id: "filter-since", name: "since", type: "datetime-local" });
  since.value = toLocalInput(q.get("since"));
  const until = h("input", { id: "filter-until", name: "until", type: "datetime-local" });
  until.value = toLocalInput(q.get("until"));
  const form = h(
    "form",
    { role: "search", "aria-label": "Filter the sessions" },
    h(
      "div",
      { class: "row" },
      h("label", { for: "filter-state" }, "State", state),
      h("label", { for: "filter-game" }, "Game", game),
      h("label", { for: "filter-player" }, "Player", player),
      h("label", { for: "filter-since" }, "Matched from", since),
      h("label", { for: "filter-until" }, "Matched before", until),
      h("button", { type: "submit", class: "primary" }, "Filter"),
    ),
  );
  const games = await ctx.api.listGames(ctx.signal);
  const gameOwners = games.owners;
  const owners = gameOwners ? new Map(games.items.map((g) => [g.name, gameOwners[g.owner_id ?? ""] ?? ""])) : undefined;
  const heads = ["Session", "Game", ...(owners ? ["Owner"] : []), "Queue", "State", "Players", "Matched", "Ended", "Reason"];
  const headRow = h("tr", {}, heads.map((t) => h("th", { scope: "col" }, t)));
  const body = h("tbody", {});
  const more = h("button", { type: "button", hidden: true }, "Show more");
  const count = h("p", { role: "status", "aria-live": "polite" });
  root.append(
    h("h1", {}, "Sessions"),
    form,
    count,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { id: "sessions-table" },
        h("caption", {}, ctx.api.isOperator ? "Every tenant's sessions, newest first" : "Your games' sessions, newest first"),
        h("thead", {}, headRow),
        body,
      ),
    ),
    more,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (state.value) next.set("state", state.value);
    if (game.value) next.set("game", game.value);
    if (player.value.trim()) next.set("player", player.value.trim());
    const s = toUnix(since.value);
    const u = toUnix(until.value);
    if (s !== undefined) next.set("since", String(s));
    if (u !== undefined) next.set("until", String(u));
    ctx.navigate(`#/sessions${next.size ? `?${next.toString()}` : ""}`);
  });
  const filters: SessionFilters = {};
  for (const name of ["state", "game", "player"] as const) filters[name] = q.get(name) ?? undefined;
  for (const name of ["since", "until"] as const) if (q.get(name)) filters[name] = Number(q.get(name));
  let shown = 0;
  const load = async (cursor?: string) => {
    const page = await ctx.api.listSessions({ ...filters, limit: 50, cursor }, ctx.signal);
    for (const s of page.items) body.append(sessionRow(s, owners));
    shown += page.items.length;
    count.textContent = `${shown} session(s)${page.next_cursor ? " shown, more below" : ""}`;
    more.hidden = page.next_cursor === null;
    more.onclick = () => void load(page.next_cursor ?? undefined).catch((e: unknown) => ctx.showError(e));
  };
  game.append(...games.items.map((g) => h("option", { value: g.name }, g.name)));
  game.value = q.get("game") ?? "";
  await load();
  // Live: a row in the list takes its new state from the event at once; the
  // first page is read again at most every 2 s for new sessions and end times
  // (no request per event: a busy installation changes hundreds a second).
  const matches = (s: Session) =>
    (!filters.state || s.state === filters.state) &&
    (!filters.game || s.game === filters.game) &&
    (!filters.player || s.players.some((p) => p.id === filters.player || p.name === filters.player)) &&
    filters.until === undefined;
  let refreshing: ReturnType<typeof setTimeout> | undefined;
  const refreshTop = () => {
    refreshing = undefined;
    void ctx.api
      .listSessions({ ...filters, limit: 50 }, ctx.signal)
      .then((page) => {
        let anchor: Element | null = null;
        for (const s of page.items) {
          if (!matches(s)) continue;
          const row = sessionRow(s, owners);
          const old = body.querySelector<HTMLTableRowElement>(`tr[data-session="${CSS.escape(s.id)}"]`);
          if (old) old.replaceWith(row);
          else {
            if (anchor) anchor.after(row);
            else body.prepend(row);
            shown++;
          }
          anchor = row;
        }
      })
      .catch(() => undefined);
  };
  ctx.signal.addEventListener("abort", () => clearTimeout(refreshing), { once: true });
  onLive(ctx, "session.changed", (data) => {
    const id = changedId(data);
    if (!id) return;
    const change = data as { state?: string; reason?: string; game?: string };
    const old = body.querySelector<HTMLTableRowElement>(`tr[data-session="${CSS.escape(id)}"]`);
    if (old && change.state) {
      const cell = old.querySelector<HTMLElement>("td[data-state]");
      if (cell) {
        cell.textContent = change.state;
        cell.dataset.state = change.state;
        cell.className = `state state-${change.state}`;
      }
      if (change.reason) old.lastElementChild!.textContent = change.reason;
    }
    if (filters.game && change.game && change.game !== filters.game) return;
    if (!old || finalStates.has(change.state ?? "")) refreshing ??= setTimeout(refreshTop, 2000);
  });
}

// --- one session -----------------------------------------------------------

function timeline(s: Session): HTMLElement {
  const t = s.timings;
  const running = s.state === "running" || s.players.some((p) => p.connected);
  const steps: [string, string | null | undefined, boolean, string?][] = [
    ["queued", t.queued_at, !!t.queued_at],
    ["matched", t.matched_at, !!t.matched_at],
    ["allocating", undefined, s.state !== "allocating" ? !!t.started_at : true],
    ["starting", t.started_at, !!t.started_at],
    ["ready", t.ready_at, !!t.ready_at],
    ["players connected", undefined, running || (s.state === "ended" && !!t.ready_at)],
  ];
  if (s.state === "failed") steps.push(["failed", t.ended_at, true, s.reason ?? ""]);
  else steps.push(["ended", t.ended_at, s.state === "ended"]);
  const first = t.queued_at ?? t.matched_at;
  return h(
    "ol",
    { class: "timeline", id: "timeline", "aria-label": "Timeline" },
    steps.map(([name, at, reached, reason]) =>
      h(
        "li",
        { class: reached ? (name === "failed" ? "failed" : "reached") : undefined, "data-step": name, "aria-current": name === s.state ? "step" : undefined },
        h("strong", {}, name),
        at ? ` ${formatTime(at)}` : "",
        at && first && at !== first ? ` (+${formatMs(Date.parse(at) - Date.parse(first))})` : "",
        reason ? `: ${reason}` : "",
      ),
    ),
  );
}

/** The results the server reported. */
function resultsTable(s: Session): HTMLElement | null {
  const results = (s.results ?? []) as { player_id?: string; team?: number; rank?: number; score?: number }[];
  if (s.state !== "ended") return null;
  if (results.length === 0) return h("p", {}, "The server reported no results.");
  const names = new Map(s.players.map((p) => [p.id, p.name]));
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { id: "results" },
      h("caption", {}, "Results"),
      h("thead", {}, h("tr", {}, ["Rank", "Player or team", "Score"].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        {},
        [...results]
          .sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9))
          .map((r) =>
            h(
              "tr",
              {},
              h("td", {}, r.rank === undefined ? "" : String(r.rank)),
              h("td", {}, r.player_id ? (names.get(r.player_id) ?? r.player_id) : `team ${r.team ?? ""}`),
              h("td", {}, r.score === undefined ? "" : String(r.score)),
            ),
          ),
      ),
    ),
  );
}

function signed(n: number, digits: number): string {
  const text = formatNumber(Math.abs(n), digits);
  return n > 0 ? `+${text}` : n < 0 ? `−${text}` : text;
}

/** Each rated player's rating before and after the session (its `rating_changes`). */
function ratingChangesTable(s: Session): HTMLElement | null {
  if (s.state !== "ended") return null;
  const changes = s.rating_changes ?? [];
  if (changes.length === 0) return h("p", { id: "no-rating-changes" }, "No rating changed: the results did not rank the teams.");
  const players = new Map(s.players.map((p) => [p.id, p]));
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { id: "rating-changes" },
      h("caption", {}, "Rating changes (rating = μ − 3σ, as the leaderboard ranks)"),
      h("thead", {}, h("tr", {}, ["Player", "Team", "Rating before", "Rating after", "Change", "μ", "σ"].map((t, i) => h("th", { scope: "col", class: i > 1 ? "num" : undefined }, t)))),
      h(
        "tbody",
        {},
        changes.map((c) => {
          const delta = c.after.ordinal - c.before.ordinal;
          const p = players.get(c.player_id);
          return h(
            "tr",
            { "data-player": c.player_id },
            h("th", { scope: "row" }, p?.name ?? c.player_id),
            h("td", {}, p ? String(p.team + 1) : ""),
            h("td", { class: "num" }, formatNumber(c.before.ordinal, 1)),
            h("td", { class: "num" }, formatNumber(c.after.ordinal, 1)),
            h("td", { class: `num ${delta > 0 ? "rating-up" : delta < 0 ? "rating-down" : ""}` }, signed(delta, 1)),
            h("td", { class: "num" }, `${formatNumber(c.before.mu, 1)} → ${formatNumber(c.after.mu, 1)}`),
            h("td", { class: "num" }, `${formatNumber(c.before.sigma, 2)} → ${formatNumber(c.after.sigma, 2)}`),
          );
        }),
      ),
    ),
  );
}

async function sessionPage(root: HTMLElement, ctx: ViewContext, id: string): Promise<void> {
  const details = h("div", { id: "session-details" });
  const logBox = h("pre", { class: "log", id: "server-log", role: "log", "aria-label": "Server log", tabindex: 0 });
  const logStatus = h("p", { id: "log-status" });
  root.append(h("h1", {}, `Session ${id}`), details, h("h2", {}, "Server log"), logStatus, logBox);
  let session = await ctx.api.getSession(id, ctx.signal);
  let maxDuration: number | undefined;
  try {
    if (!session.pooled || session.game) maxDuration = (await ctx.api.getGame(session.game, ctx.signal)).server.max_duration_s;
  } catch {
    maxDuration = undefined; // a deleted game: its limit is not known any more
  }
  const render = () => {
    const s = session;
    clear(details);
    const teams = new Map<number, string[]>();
    for (const p of s.players) teams.set(p.team, [...(teams.get(p.team) ?? []), p.name]);
    details.append(
      h(
        "p",
        { id: "session-state", "aria-live": "polite" },
        "State: ",
        h("span", { class: `state state-${s.state}`, "data-state": s.state }, s.state),
        s.reason ? ` (${s.reason})` : "",
      ),
      timeline(s),
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "Game"), h("dd", {}, h("a", { href: `#/games/${encodeURIComponent(s.game)}` }, s.game), s.queue ? ` / ${s.queue}` : ""),
        h("dt", {}, "Region"), h("dd", {}, s.region || "none"),
        h("dt", {}, "Address"), h("dd", {}, s.host ? `${s.host}:${s.port} (${Object.entries(s.ports).map(([n, p]) => `${n} ${p}`).join(", ")})` : "not started"),
        h("dt", {}, "Resources"),
        h("dd", { id: "resources" }, s.usage ? `${s.usage.cpu} CPU, ${s.usage.memory_mb} MiB reserved; ${formatNumber(s.usage.server_seconds, 1)} server-seconds` : "—", maxDuration ? `; at most ${maxDuration} s` : ""),
        s.pooled ? [h("dt", {}, "Warm pool"), h("dd", {}, "started before its match")] : null,
      ),
      h("h2", {}, "Players and teams"),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { id: "players" },
          h("caption", {}, `${s.players.length} player(s) in ${s.teams} team(s)`),
          h("thead", {}, h("tr", {}, ["Player", "Account", "Team", "Connected"].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", {}, s.players.map((p) => h("tr", {}, h("td", {}, p.name), h("td", {}, h("code", {}, p.id)), h("td", {}, String(p.team + 1)), h("td", {}, p.connected ? "yes" : "no")))),
        ),
      ),
      h("h2", {}, "Results"),
      resultsTable(s) ?? h("p", {}, s.state === "failed" ? "None: the session failed." : "Not yet: the session goes on."),
    );
    const changes = ratingChangesTable(s);
    if (changes) details.append(changes);
  };
  // The ratings are written just after the results: an ended session read in
  // between has results and no rating change yet; read it again a few times.
  const readRatings = async () => {
    for (let attempt = 0; attempt < 4 && !ctx.signal.aborted; attempt++) {
      const results = (session.results ?? []) as unknown[];
      if (session.state !== "ended" || results.length === 0 || (session.rating_changes ?? []).length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
      session = await ctx.api.getSession(id, ctx.signal);
    }
  };
  await readRatings();
  render();
  onLive(ctx, "session.changed", (data) => {
    if (changedId(data) !== id) return;
    void ctx.api
      .getSession(id, ctx.signal)
      .then(async (s) => {
        session = s;
        await readRatings();
        render();
      })
      .catch(() => undefined);
  });

  // The log: its last 1 MiB first, then what follows, every second while shown.
  const decoder = new TextDecoder();
  let offset: number | undefined;
  let done = false;
  const tail = async () => {
    if (done) return;
    const wasFinal = finalStates.has(session.state);
    const chunk = await ctx.api.sessionLog(id, offset, ctx.signal);
    const text = decoder.decode(chunk.bytes, { stream: true });
    if (text) {
      const atBottom = logBox.scrollTop + logBox.clientHeight >= logBox.scrollHeight - 4;
      logBox.append(text);
      if (atBottom) logBox.scrollTop = logBox.scrollHeight;
    }
    offset = chunk.next;
    logStatus.textContent = `${formatNumber(chunk.size)} bytes${wasFinal ? ", the session is over" : ", followed live"}`;
    if (wasFinal && chunk.bytes.length === 0) done = true;
  };
  await tail();
  every(ctx, 1000, tail);
}
