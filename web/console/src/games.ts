// Games: the list, a game's page (its server, queues and rules), and the
// delete with its confirmation. Creating and editing one: game_editor.ts.
import { h } from "../../shared/dom.js";
import type { Game, QueueSpec } from "./api.js";
import type { ViewContext } from "./context.js";
import { formatTime } from "./format.js";
import { gameEditor } from "./game_editor.js";

export async function gamesView(root: HTMLElement, ctx: ViewContext): Promise<void> {
  const [name, action] = ctx.path;
  if (name === undefined) return listGames(root, ctx);
  if (name === "new") return gameEditor(root, ctx, undefined, ctx.api.account?.role === "developer");
  const game = await ctx.api.getGame(name, ctx.signal);
  if (action === "edit") return gameEditor(root, ctx, game, canChange(ctx, game));
  return showGame(root, ctx, game);
}

function canChange(ctx: ViewContext, game: Game): boolean {
  return ctx.api.account?.role === "developer" || game.owner_id === ctx.api.account?.id;
}

async function listGames(root: HTMLElement, ctx: ViewContext): Promise<void> {
  root.append(h("h1", {}, "Games"));
  if (ctx.api.account?.role === "developer")
    root.append(h("p", {}, h("a", { href: "#/games/new" }, "Register a game")));
  const { items, owners } = await ctx.api.listGames(ctx.signal);
  if (items.length === 0) {
    root.append(h("p", {}, "No game yet."));
    return;
  }
  const rows = items.map((g) =>
    h(
      "tr",
      {},
      h("td", {}, h("a", { href: `#/games/${encodeURIComponent(g.name)}` }, g.name)),
      h("td", {}, g.title ?? ""),
      owners ? h("td", {}, owners[g.owner_id ?? ""] ?? g.owner_id ?? "") : null,
      h("td", {}, g.server.image ? `image ${g.server.image}` : "process"),
      h("td", {}, g.queues.map((q) => q.name).join(", ")),
      h("td", {}, formatTime(g.updated_at)),
    ),
  );
  root.append(
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { id: "games-table" },
        h("caption", {}, owners ? "Every tenant's games" : "Your games"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Title"), owners ? h("th", { scope: "col" }, "Owner") : null, h("th", { scope: "col" }, "Runtime"), h("th", { scope: "col" }, "Queues"), h("th", { scope: "col" }, "Updated"))),
        h("tbody", {}, rows),
      ),
    ),
  );
}

/** A queue's rules in words. */
export function describeRules(q: QueueSpec): string {
  const parts = [`${q.teams ?? 2} team(s) of ${q.team_size ?? 1}`];
  const most = q.rules?.max_players ?? (q.teams ?? 2) * (q.team_size ?? 1);
  if (q.min_players && q.min_players < most) parts.push(`starts with ${q.min_players} to ${most} players`);
  const r = q.rules;
  if (r?.start_below_max_after_s !== undefined) parts.push(`below the maximum after ${r.start_below_max_after_s} s`);
  const skill = r?.skill?.window ?? [];
  if (skill.length) parts.push(`skill within ${skill.map((s) => `${s.max_difference} after ${s.after_s} s`).join(", then ")}`);
  const ping = r?.latency?.max_ping ?? [];
  if (ping.length) parts.push(`ping under ${ping.map((s) => `${s.max_ms} ms after ${s.after_s} s`).join(", then ")}`);
  for (const a of r?.attributes ?? []) parts.push(`${a.tag} must ${a.must}`);
  if (r?.balance) parts.push("balanced teams");
  return parts.join("; ");
}

function showGame(root: HTMLElement, ctx: ViewContext, game: Game): void {
  const s = game.server;
  root.append(
    h("h1", {}, `Game ${game.name}`),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Title"), h("dd", {}, game.title ?? game.name),
      h("dt", {}, "Id"), h("dd", {}, game.id ?? ""),
      h("dt", {}, "Server"), h("dd", {}, s.image ? `image ${s.image}` : `${s.command ?? ""} ${(s.args ?? []).join(" ")}`),
      h("dt", {}, "Ports"), h("dd", {}, s.ports.map((p) => `${p.name} (${p.protocol ?? "tcp"})`).join(", ")),
      h("dt", {}, "Limits"), h("dd", {}, `${s.cpu ?? 1} CPU, ${s.memory_mb ?? 256} MiB, at most ${s.max_duration_s ?? 3600} s`),
      h("dt", {}, "Warm pool"), h("dd", {}, game.pool?.policy && game.pool.policy !== "off" ? `${game.pool.policy} (buffer ${game.pool.buffer ?? 0}, max ${game.pool.max_ready ?? 16})` : "off"),
      h("dt", {}, "Updated"), h("dd", {}, formatTime(game.updated_at)),
    ),
    h("h2", {}, "Queues and rules"),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { id: "queues-of-game" },
        h("caption", {}, `The queues of ${game.name}`),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Queue"), h("th", { scope: "col" }, "Rules"), h("th", { scope: "col" }, "Statistics"))),
        h(
          "tbody",
          {},
          game.queues.map((q) =>
            h(
              "tr",
              {},
              h("td", {}, q.name),
              h("td", {}, describeRules(q)),
              h("td", {}, h("a", { href: `#/queues/${encodeURIComponent(game.name)}/${encodeURIComponent(q.name)}` }, "Waiting, wait times, leaderboard")),
            ),
          ),
        ),
      ),
    ),
    h("p", {}, h("a", { href: `#/sessions?game=${encodeURIComponent(game.name)}` }, `Sessions of ${game.name}`)),
  );
  if (!canChange(ctx, game)) {
    root.append(h("p", {}, "Another developer's game: operators read it, they do not change it."));
    return;
  }
  const remove = h("button", { type: "button", class: "danger" }, "Delete the game…");
  remove.addEventListener("click", () => void confirmDelete(ctx, game));
  root.append(h("p", {}, h("a", { href: `#/games/${encodeURIComponent(game.name)}/edit` }, "Edit the game")), h("p", {}, remove));
}

async function confirmDelete(ctx: ViewContext, game: Game): Promise<void> {
  let waiting = 0;
  let live = 0;
  try {
    for (const q of game.queues) waiting += (await ctx.api.queueStats(game.name, q.name)).waiting_tickets;
    const page = await ctx.api.listSessions({ game: game.name, limit: 500 });
    live = page.items.filter((s) => s.state !== "ended" && s.state !== "failed").length;
  } catch (e) {
    ctx.showError(e);
  }
  const confirm = h("button", { type: "button", class: "danger" }, `Delete ${game.name}`);
  const cancel = h("button", { type: "button" }, "Keep it");
  const dialog = h(
    "dialog",
    { "aria-labelledby": "delete-title", "aria-describedby": "delete-what", role: "alertdialog" },
    h("h2", { id: "delete-title" }, `Delete ${game.name}?`),
    h(
      "div",
      { id: "delete-what" },
      h("p", {}, `Its ${waiting} waiting ticket(s) are cancelled now: their players are told (ticket.cancelled, reason game_deleted), and no new ticket is taken.`),
      h("p", {}, `Its ${live} running session(s) go on to their end with the spec they started with, and keep their history and logs.`),
      h("p", {}, "The name becomes free; a game registered under it later is another game, without this one's ratings or statistics."),
    ),
    h("div", { class: "row" }, cancel, confirm),
  );
  document.body.append(dialog);
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  confirm.addEventListener("click", () => {
    void ctx.api
      .deleteGame(game.name)
      .then(() => {
        dialog.close();
        ctx.navigate("#/games");
      })
      .catch((e: unknown) => {
        dialog.close();
        ctx.showError(e);
      });
  });
  dialog.showModal();
  cancel.focus();
}
