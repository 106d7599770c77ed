// The overview: what runs now (players connected, tickets waiting, matches
// a second, sessions by state, servers by runtime and node, failures of the
// last hour by reason, each queue) and charts of the last hour, read once
// from GET /v1/console/overview and then kept live by the console events
// (overview.sample every 10 s, session.changed as it happens): no polling.
import type { components } from "../../../sdk/js/src/index.js";
import { clear, h } from "../../shared/dom.js";
import { LineChart, type SeriesData } from "./charts.js";
import { onLive, type ViewContext } from "./context.js";
import { formatMs, formatNumber, formatTime } from "./format.js";
import { table } from "./table.js";

type Schemas = components["schemas"];
/** GET /v1/console/overview (docs/api/openapi.yaml, ConsoleOverview; docs/console.md). */
export type Overview = Schemas["ConsoleOverview"];
type OverviewNow = Schemas["ConsoleNow"];
type QueueNow = Schemas["ConsoleQueue"];
type HistorySample = Schemas["ConsoleSample"];
/** The data of an overview.sample frame. */
type SampleFrame = Schemas["OverviewSampleEvent"]["data"];
/** The data of a session.changed frame. */
type SessionChange = Schemas["SessionChangedEvent"]["data"];

export async function overviewView(root: HTMLElement, ctx: ViewContext): Promise<void> {
  const tiles = h("ul", { class: "tiles", id: "tiles", "aria-label": "Now", "aria-live": "polite" });
  const now = h("div", { id: "now" });
  const changes = h("tbody", {});
  const figures = {
    waiting: h("div", {}),
    oldest: h("div", {}),
    ttp: h("div", {}),
    sessions: h("div", {}),
  };
  const captions = { waiting: h("span", {}), oldest: h("span", {}), ttp: h("span", {}), sessions: h("span", {}) };
  const figure = (key: keyof typeof figures, title: string) =>
    h("figure", { "aria-labelledby": `fig-${key}` }, h("figcaption", { id: `fig-${key}` }, title, " ", h("small", {}, captions[key])), figures[key]);
  const updated = h("p", { id: "updated" });
  root.append(
    h("h1", {}, ctx.api.isOperator ? "Overview: every tenant" : "Overview: your games"),
    updated,
    tiles,
    now,
    h("h2", {}, "Latest session changes"),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { id: "session-changes" },
        h("caption", {}, "Sessions as they change, live"),
        h("thead", {}, h("tr", {}, ["Session", "Game", "State", "Reason", "At"].map((t) => h("th", { scope: "col" }, t)))),
        changes,
      ),
    ),
    h("h2", {}, "The last hour"),
    h(
      "div",
      { class: "charts" },
      figure("waiting", "Waiting tickets per queue"),
      figure("oldest", "Oldest wait per queue (s)"),
      figure("ttp", "Time to play, p50 and p99 (ms)"),
      figure("sessions", "Sessions started, ended and failed per interval"),
    ),
  );
  const charts = {
    waiting: new LineChart(figures.waiting, ""),
    oldest: new LineChart(figures.oldest, " s"),
    ttp: new LineChart(figures.ttp, " ms"),
    sessions: new LineChart(figures.sessions, ""),
  };
  ctx.signal.addEventListener("abort", () => Object.values(charts).forEach((c) => c.destroy()), { once: true });

  const overview = await ctx.api.call<Overview>("GET", "/v1/console/overview", undefined, ctx.signal);
  const capacity = Math.max(1, Math.round(3600 / overview.history.interval_s));
  let samples = overview.history.samples.slice(-capacity);

  const renderNow = (n: OverviewNow, queues: QueueNow[], at: string) => {
    updated.textContent = `As of ${formatTime(at)}`;
    clear(tiles);
    const tile = (id: string, label: string, value: string) => h("li", {}, h("span", { class: "value", id }, value), label);
    const live = Object.entries(n.sessions_by_state).reduce((sum, [, c]) => sum + c, 0);
    tiles.append(
      tile("players-connected", "players connected", formatNumber(n.players_connected)),
      tile("tickets-waiting", "tickets waiting", formatNumber(n.tickets_waiting)),
      tile("matches-per-s", "matches a second", formatNumber(n.matches_per_s, 2)),
      tile("live-sessions", "live sessions", formatNumber(live)),
    );
    clear(now);
    now.append(
      h(
        "div",
        { class: "charts" },
        table("sessions-by-state", "Live sessions by state", ["State", "Sessions"], Object.entries(n.sessions_by_state).map(([s, c]) => [s, String(c)]), { empty: "none" }),
        table("servers-running", "Servers running by runtime and node", ["Runtime", "Node", "Servers"], n.servers_running.map((s) => [s.runtime, s.node, String(s.count)]), { numeric: (i) => i === 2, empty: "none" }),
        table("failures", "Failures in the last hour by reason", ["Reason", "Sessions"], n.failures_last_hour.map((f) => [f.reason, String(f.count)]), { empty: "none" }),
        table(
          "queues-now",
          "Queues now",
          ["Game / queue", "Waiting", "Oldest wait", "Matches last minute"],
          queues.map((q) => [h("a", { href: `#/queues/${encodeURIComponent(q.game)}/${encodeURIComponent(q.queue)}` }, `${q.game} / ${q.queue}`), String(q.waiting), formatMs(q.oldest_wait_s * 1000), String(q.matches_last_minute)]),
          { empty: "no queue" },
        ),
      ),
    );
  };

  const renderCharts = () => {
    const times = samples.map((s) => s.t);
    const keys = [...new Set(samples.flatMap((s) => Object.keys(s.queues)))].sort();
    const perQueue = (pick: (q: { waiting: number; oldest_wait_s: number }) => number): SeriesData[] =>
      keys.length
        ? keys.map((k) => ({ label: k, values: samples.map((s) => (s.queues[k] ? pick(s.queues[k]!) : null)) }))
        : [{ label: "all queues", values: samples.map(() => 0) }];
    charts.waiting.update(times, perQueue((q) => q.waiting));
    charts.oldest.update(times, perQueue((q) => q.oldest_wait_s));
    charts.ttp.update(times, [
      { label: "p50", values: samples.map((s) => s.ttp_p50_ms) },
      { label: "p99", values: samples.map((s) => s.ttp_p99_ms) },
    ]);
    charts.sessions.update(times, [
      { label: "started", values: samples.map((s) => s.started) },
      { label: "ended", values: samples.map((s) => s.ended) },
      { label: "failed", values: samples.map((s) => s.failed) },
    ]);
    const last = samples[samples.length - 1];
    const sum = (f: (s: HistorySample) => number) => samples.reduce((a, s) => a + f(s), 0);
    captions.waiting.textContent = last ? `(now ${last.tickets_waiting})` : "(no sample yet)";
    captions.oldest.textContent = last ? `(now ${last.oldest_wait_s.toFixed(1)} s)` : "";
    captions.ttp.textContent = last ? `(last: p50 ${formatMs(last.ttp_p50_ms)}, p99 ${formatMs(last.ttp_p99_ms)})` : "";
    captions.sessions.textContent = `(in the hour: ${sum((s) => s.started)} started, ${sum((s) => s.ended)} ended, ${sum((s) => s.failed)} failed)`;
  };

  renderNow(overview.now, overview.queues, overview.at);
  renderCharts();
  // After a break in the events, the overview again (what was missed is not replayed).
  const off = ctx.live.onReopen(() => {
    void ctx.api
      .call<Overview>("GET", "/v1/console/overview", undefined, ctx.signal)
      .then((o) => {
        samples = o.history.samples.slice(-capacity);
        renderNow(o.now, o.queues, o.at);
        renderCharts();
      })
      .catch(() => undefined);
  });
  ctx.signal.addEventListener("abort", off, { once: true });
  onLive(ctx, "overview.sample", (data) => {
    const frame = data as SampleFrame;
    if (!frame?.sample || !frame.now) return;
    samples = [...samples.filter((s) => s.t < frame.sample.t), frame.sample].slice(-capacity);
    renderNow(frame.now, frame.queues ?? [], new Date(frame.sample.t * 1000).toISOString());
    renderCharts();
  });
  // Session changes are drawn at most 4 times a second, the last 20 (a busy
  // installation changes hundreds of sessions a second).
  const pending = new Map<string, SessionChange>();
  let drawing: ReturnType<typeof setTimeout> | undefined;
  const drawChanges = () => {
    drawing = undefined;
    const latest = [...pending.values()].slice(-20);
    pending.clear();
    for (const c of latest) {
      changes.querySelector(`tr[data-session="${CSS.escape(c.id)}"]`)?.remove();
      changes.prepend(
        h(
          "tr",
          { "data-session": c.id },
          h("td", {}, h("a", { href: `#/sessions/${encodeURIComponent(c.id)}` }, c.id)),
          h("td", {}, c.game ?? ""),
          h("td", { class: `state state-${c.state ?? ""}`, "data-state": c.state ?? "" }, c.state ?? ""),
          h("td", {}, c.reason ?? ""),
          h("td", {}, formatTime(c.at)),
        ),
      );
    }
    while (changes.children.length > 20) changes.lastElementChild?.remove();
  };
  ctx.signal.addEventListener("abort", () => clearTimeout(drawing), { once: true });
  onLive(ctx, "session.changed", (data) => {
    const c = data as SessionChange;
    if (typeof c?.id !== "string") return;
    pending.delete(c.id);
    pending.set(c.id, c);
    drawing ??= setTimeout(drawChanges, 250);
  });
}
