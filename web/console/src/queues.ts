// Queues: every queue of the caller's games (an operator's: every game's)
// with its matchmaking figures (GET /v1/games/{game}/queues/{queue}/stats),
// refreshed every 5 s while shown; a queue's page adds its rules, its
// waiting tickets by wait (with the rule steps in force), skill and region,
// and its leaderboard.
import { clear, h } from "../../shared/dom.js";
import type { QueueStats } from "./api.js";
import { every, type ViewContext } from "./context.js";
import { formatMs, formatNumber } from "./format.js";
import { describeRules } from "./games.js";
import { breakdownTables } from "./queue_breakdown.js";

function statsCells(s: QueueStats): HTMLElement[] {
  return [
    h("td", { class: "num" }, formatNumber(s.waiting_tickets)),
    h("td", { class: "num" }, formatNumber(s.waiting_players)),
    h("td", { class: "num" }, formatMs(s.oldest_wait_ms)),
    h("td", { class: "num" }, `${formatMs(s.wait_p50_ms)} / ${formatMs(s.wait_p95_ms)}`),
    h("td", { class: "num" }, formatNumber(s.matches_per_minute, 1)),
    h("td", { class: "num" }, formatNumber(s.mean_quality, 2)),
    h("td", { class: "num" }, formatNumber(s.pending_backfills)),
  ];
}

const statsHeads = ["Waiting tickets", "Waiting players", "Oldest wait", "Wait p50 / p95", "Matches a minute", "Match quality", "Backfills pending"];

export async function queuesView(root: HTMLElement, ctx: ViewContext): Promise<void> {
  const [game, queue] = ctx.path;
  if (game !== undefined && queue !== undefined) return queuePage(root, ctx, game, queue);
  root.append(h("h1", {}, "Queues"));
  const { items } = await ctx.api.listGames(ctx.signal);
  const queues = items.flatMap((g) => g.queues.map((q) => ({ game: g.name, queue: q.name })));
  if (queues.length === 0) {
    root.append(h("p", {}, "No queue: register a game first."));
    return;
  }
  const body = h("tbody", { "aria-live": "polite" });
  root.append(
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { id: "queues-table" },
        h("caption", {}, "Every queue, refreshed every 5 s"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Game / queue"), statsHeads.map((t) => h("th", { scope: "col", class: "num" }, t)))),
        body,
      ),
    ),
  );
  const refresh = async () => {
    const rows = await Promise.all(
      queues.map(async ({ game, queue }) => {
        const link = h("a", { href: `#/queues/${encodeURIComponent(game)}/${encodeURIComponent(queue)}` }, `${game} / ${queue}`);
        try {
          return h("tr", {}, h("th", { scope: "row" }, link), statsCells(await ctx.api.queueStats(game, queue, ctx.signal)));
        } catch {
          return h("tr", {}, h("th", { scope: "row" }, link), h("td", { colspan: statsHeads.length }, "no figures"));
        }
      }),
    );
    clear(body);
    body.append(...rows);
  };
  await refresh();
  every(ctx, 5000, refresh);
}

async function queuePage(root: HTMLElement, ctx: ViewContext, game: string, queue: string): Promise<void> {
  const spec = (await ctx.api.getGame(game, ctx.signal)).queues.find((q) => q.name === queue);
  const figures = h("tbody", {});
  const board = h("tbody", {});
  const waiting = h("section", { id: "queue-breakdown", "aria-labelledby": "waiting-title" });
  root.append(
    h("h1", {}, `Queue ${game} / ${queue}`),
    h("p", {}, spec ? `Rules: ${describeRules(spec)}` : ""),
    h(
      "div",
      { class: "table-wrap" },
      h("table", { id: "queue-stats" }, h("caption", {}, "Matchmaking now (refreshed every 5 s)"), h("thead", {}, h("tr", {}, statsHeads.map((t) => h("th", { scope: "col", class: "num" }, t)))), figures),
    ),
    h("h2", { id: "waiting-title" }, "Who waits now"),
    waiting,
    h("h2", {}, "Leaderboard"),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { id: "leaderboard" },
        h("caption", {}, "Leaderboard"),
        h("thead", {}, h("tr", {}, ["Rank", "Player", "Rating (ordinal)", "μ", "σ", "Matches"].map((t) => h("th", { scope: "col" }, t)))),
        board,
      ),
    ),
  );
  const refresh = async () => {
    const [stats, leaders] = await Promise.all([ctx.api.queueStats(game, queue, ctx.signal), ctx.api.leaderboard(game, queue, 20, ctx.signal)]);
    clear(figures);
    figures.append(h("tr", {}, statsCells(stats)));
    clear(waiting);
    waiting.append(...breakdownTables(stats.breakdown));
    clear(board);
    if (leaders.length === 0) board.append(h("tr", {}, h("td", { colspan: 6 }, "No rated player yet.")));
    for (const e of leaders)
      board.append(
        h(
          "tr",
          {},
          h("td", {}, String(e.rank)),
          h("td", {}, e.name),
          h("td", { class: "num" }, formatNumber(e.ordinal, 1)),
          h("td", { class: "num" }, formatNumber(e.mu, 1)),
          h("td", { class: "num" }, formatNumber(e.sigma, 2)),
          h("td", { class: "num" }, String(e.matches)),
        ),
      );
  };
  await refresh();
  every(ctx, 5000, refresh);
}
