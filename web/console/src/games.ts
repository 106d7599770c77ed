// Games: the list, a game's page (its server, queues and rules), the form
// that creates or edits one (or its JSON), with the server's validation
// errors shown on the field they name, and the delete with its confirmation.
import { ApiError } from "../../../sdk/js/src/index.js";
import { clear, h } from "../../shared/dom.js";
import type { Game, QueueSpec } from "./api.js";
import type { ViewContext } from "./context.js";
import { formatTime } from "./format.js";

export async function gamesView(root: HTMLElement, ctx: ViewContext): Promise<void> {
  const [name, action] = ctx.path;
  if (name === undefined) return listGames(root, ctx);
  if (name === "new") return gameForm(root, ctx, undefined);
  const game = await ctx.api.getGame(name, ctx.signal);
  if (action === "edit") return gameForm(root, ctx, game);
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

// --- the form ------------------------------------------------------------

let fieldIds = 0;

/** A labelled input (or select, textarea) for the spec's `field`, with room for its error. */
function field(
  label: string,
  path: string,
  control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
  hint?: string,
): HTMLElement {
  const id = `f${++fieldIds}`;
  control.id = id;
  control.dataset.field = path;
  control.setAttribute("aria-describedby", `${id}-error${hint ? ` ${id}-hint` : ""}`);
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    hint ? h("small", { id: `${id}-hint` }, hint) : null,
    control,
    h("p", { id: `${id}-error`, class: "field-error", hidden: true }),
  );
}

function input(value: string | number | undefined, attributes: Record<string, string> = {}): HTMLInputElement {
  const el = h("input", attributes);
  el.value = value === undefined ? "" : String(value);
  return el;
}

function textarea(value: string, rows = 3): HTMLTextAreaElement {
  const el = h("textarea", { rows });
  el.value = value;
  return el;
}

function select(options: string[], value: string | undefined): HTMLSelectElement {
  const el = h("select", {}, options.map((o) => h("option", { value: o }, o)));
  el.value = value ?? options[0]!;
  return el;
}

interface FormParts {
  form: HTMLFormElement;
  read(): Record<string, unknown>;
  fill(game: Partial<Game>): void;
}

function buildForm(editing: Game | undefined): FormParts {
  const name = input(editing?.name, { autocomplete: "off" });
  if (editing) name.readOnly = true;
  const title = input(editing?.title);
  const command = input(editing?.server.command);
  const image = input(editing?.server.image);
  const args = textarea("");
  const env = textarea("");
  const cpu = input(undefined, { inputmode: "decimal" });
  const memory = input(undefined, { inputmode: "numeric" });
  const maxDuration = input(undefined, { inputmode: "numeric" });
  const ports = h("div", { id: "ports" });
  const queues = h("div", { id: "queues" });
  let portRows: { name: HTMLInputElement; protocol: HTMLSelectElement; row: HTMLElement }[] = [];
  let queueRows: { name: HTMLInputElement; teams: HTMLInputElement; size: HTMLInputElement; min: HTMLInputElement; rules: HTMLTextAreaElement; row: HTMLElement }[] = [];

  const renumber = () => {
    portRows.forEach((p, i) => {
      p.name.dataset.field = `server.ports[${i}].name`;
      p.protocol.dataset.field = `server.ports[${i}].protocol`;
      p.row.querySelector("legend")!.textContent = `Port ${i + 1}`;
    });
    queueRows.forEach((q, i) => {
      q.name.dataset.field = `queues[${i}].name`;
      q.teams.dataset.field = `queues[${i}].teams`;
      q.size.dataset.field = `queues[${i}].team_size`;
      q.min.dataset.field = `queues[${i}].min_players`;
      q.rules.dataset.field = `queues[${i}].rules`;
      q.row.querySelector("legend")!.textContent = `Queue ${i + 1}`;
    });
  };
  const addPort = (p?: { name: string; protocol?: string }) => {
    const n = input(p?.name, { autocomplete: "off" });
    const proto = select(["tcp", "udp", "ws"], p?.protocol);
    const removeButton = h("button", { type: "button" }, "Remove this port");
    const row = h("fieldset", {}, h("legend", {}), h("div", { class: "row" }, field("Port name", "", n), field("Protocol", "", proto), removeButton));
    const entry = { name: n, protocol: proto, row };
    removeButton.addEventListener("click", () => {
      portRows = portRows.filter((x) => x !== entry);
      row.remove();
      renumber();
    });
    portRows.push(entry);
    ports.append(row);
    renumber();
  };
  const addQueue = (q?: QueueSpec) => {
    const n = input(q?.name, { autocomplete: "off" });
    const teams = input(q?.teams, { inputmode: "numeric" });
    const size = input(q?.team_size, { inputmode: "numeric" });
    const min = input(q?.min_players || undefined, { inputmode: "numeric" });
    const rules = textarea(q?.rules ? JSON.stringify(q.rules, null, 2) : "", 3);
    const removeButton = h("button", { type: "button" }, "Remove this queue");
    const row = h(
      "fieldset",
      {},
      h("legend", {}),
      h("div", { class: "row" }, field("Queue name", "", n), field("Teams", "", teams), field("Players per team", "", size), field("Fewest players to start", "", min)),
      field("Rules (JSON, optional)", "", rules, 'e.g. {"skill":{"window":[{"after_s":0,"max_difference":100}]}}'),
      removeButton,
    );
    const entry = { name: n, teams, size, min, rules, row };
    removeButton.addEventListener("click", () => {
      queueRows = queueRows.filter((x) => x !== entry);
      row.remove();
      renumber();
    });
    queueRows.push(entry);
    queues.append(row);
    renumber();
  };
  const addPortButton = h("button", { type: "button" }, "Add a port");
  addPortButton.addEventListener("click", () => addPort());
  const addQueueButton = h("button", { type: "button" }, "Add a queue");
  addQueueButton.addEventListener("click", () => addQueue());

  const form = h(
    "form",
    { novalidate: true, id: "game-form", "aria-label": "Game" },
    field("Name", "name", name, "lower-case letters, digits and dashes; players queue by it; it cannot change"),
    field("Title", "title", title),
    h(
      "fieldset",
      {},
      h("legend", {}, "Server"),
      field("Command (process runtime)", "server.command", command),
      field("Image (container runtimes)", "server.image", image, "exactly one of command or image"),
      field("Arguments, one per line", "server.args", args),
      field("Environment, NAME=value per line", "server.env", env),
      h("div", { class: "row" }, field("CPU cores", "server.cpu", cpu), field("Memory (MiB)", "server.memory_mb", memory), field("Longest session (s)", "server.max_duration_s", maxDuration)),
      ports,
      addPortButton,
    ),
    h("fieldset", {}, h("legend", {}, "Queues"), queues, addQueueButton),
  );

  const num = (el: HTMLInputElement): number | string | undefined => {
    const v = el.value.trim();
    if (v === "") return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : v;
  };
  const read = (): Record<string, unknown> => {
    const server: Record<string, unknown> = {
      ports: portRows.map((p) => ({ name: p.name.value.trim(), protocol: p.protocol.value })),
    };
    if (command.value.trim()) server.command = command.value.trim();
    if (image.value.trim()) server.image = image.value.trim();
    const argList = args.value.split("\n").filter((l) => l.trim() !== "");
    if (argList.length) server.args = argList;
    const envLines = env.value.split("\n").filter((l) => l.trim() !== "");
    if (envLines.length)
      server.env = Object.fromEntries(envLines.map((l) => (l.includes("=") ? [l.slice(0, l.indexOf("=")).trim(), l.slice(l.indexOf("=") + 1)] : [l.trim(), ""])));
    for (const [key, el] of [["cpu", cpu], ["memory_mb", memory], ["max_duration_s", maxDuration]] as const) {
      const v = num(el);
      if (v !== undefined) server[key] = v;
    }
    const game: Record<string, unknown> = {
      name: name.value.trim(),
      server,
      queues: queueRows.map((q, i) => {
        const spec: Record<string, unknown> = { name: q.name.value.trim() };
        for (const [key, el] of [["teams", q.teams], ["team_size", q.size], ["min_players", q.min]] as const) {
          const v = num(el);
          if (v !== undefined) spec[key] = v;
        }
        if (q.rules.value.trim()) {
          try {
            spec.rules = JSON.parse(q.rules.value);
          } catch {
            throw new ApiError(400, "invalid_request", "the rules are not JSON", `queues[${i}].rules`);
          }
        }
        return spec;
      }),
    };
    if (title.value.trim()) game.title = title.value.trim();
    if (editing?.pool) game.pool = editing.pool;
    return game;
  };
  const fill = (game: Partial<Game>) => {
    if (!editing) name.value = game.name ?? "";
    title.value = game.title ?? "";
    command.value = game.server?.command ?? "";
    image.value = game.server?.image ?? "";
    args.value = (game.server?.args ?? []).join("\n");
    env.value = Object.entries(game.server?.env ?? {}).map(([k, v]) => `${k}=${v}`).join("\n");
    cpu.value = game.server?.cpu === undefined ? "" : String(game.server.cpu);
    memory.value = game.server?.memory_mb === undefined ? "" : String(game.server.memory_mb);
    maxDuration.value = game.server?.max_duration_s === undefined ? "" : String(game.server.max_duration_s);
    for (const p of portRows) p.row.remove();
    for (const q of queueRows) q.row.remove();
    portRows = [];
    queueRows = [];
    for (const p of game.server?.ports ?? []) addPort(p);
    for (const q of game.queues ?? []) addQueue(q);
    if (portRows.length === 0) addPort({ name: "game", protocol: "tcp" });
    if (queueRows.length === 0) addQueue({ name: "", teams: 2, team_size: 1, min_players: 0 });
  };
  fill(editing ?? {});
  return { form, read, fill };
}

/** Clears the errors shown on fields. */
function clearFieldErrors(root: HTMLElement): void {
  for (const el of root.querySelectorAll<HTMLElement>("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of root.querySelectorAll<HTMLElement>(".field-error")) {
    el.textContent = "";
    el.hidden = true;
  }
}

/**
 * Shows `error` on the control of the field it names (`queues[1].team_size`),
 * or on the nearest enclosing one (`server.env.FOO` → the environment);
 * true when a control took it.
 */
export function placeFieldError(root: HTMLElement, error: ApiError): boolean {
  let path = error.field;
  while (path) {
    const control = [...root.querySelectorAll<HTMLElement>("[data-field]")].find((el) => el.dataset.field === path);
    if (control) {
      control.setAttribute("aria-invalid", "true");
      const note = document.getElementById(`${control.id}-error`);
      if (note) {
        // The server's messages follow the field's name ("…: must be…"), which the label says here.
        note.textContent = error.message.replace(/^[:\s]+/, "");
        note.hidden = false;
      }
      control.focus();
      return true;
    }
    const shorter = path.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
    if (shorter === path) break;
    path = shorter;
  }
  return false;
}

function gameForm(root: HTMLElement, ctx: ViewContext, editing: Game | undefined): void {
  if (ctx.api.account?.role !== "developer" && (!editing || !canChange(ctx, editing))) {
    root.append(h("h1", {}, "Games"), h("p", {}, "Only developers register and change their games."));
    return;
  }
  const parts = buildForm(editing);
  const json = textarea("", 18);
  const jsonField = field("The game as JSON (docs/game-spec.md)", "body", json);
  jsonField.hidden = true;
  const formTab = h("button", { type: "button", role: "tab", "aria-selected": "true", "aria-controls": "game-form" }, "Form");
  const jsonTab = h("button", { type: "button", role: "tab", "aria-selected": "false" }, "JSON");
  const submit = h("button", { type: "button", class: "primary" }, editing ? "Save the game" : "Register the game");
  const status = h("p", { role: "status", "aria-live": "polite" });
  let mode: "form" | "json" = "form";
  const setMode = (next: "form" | "json") => {
    ctx.showError("");
    clearFieldErrors(root);
    try {
      if (next === "json" && mode === "form") json.value = JSON.stringify(parts.read(), null, 2);
      if (next === "form" && mode === "json") parts.fill(JSON.parse(json.value) as Partial<Game>);
    } catch (e) {
      ctx.showError(e instanceof SyntaxError ? `The JSON does not parse: ${e.message}` : e);
      return;
    }
    mode = next;
    parts.form.hidden = next !== "form";
    jsonField.hidden = next !== "json";
    formTab.setAttribute("aria-selected", String(next === "form"));
    jsonTab.setAttribute("aria-selected", String(next === "json"));
  };
  formTab.addEventListener("click", () => setMode("form"));
  jsonTab.addEventListener("click", () => setMode("json"));
  submit.addEventListener("click", () => {
    void (async () => {
      ctx.showError("");
      clearFieldErrors(root);
      status.textContent = "";
      try {
        let body: unknown;
        if (mode === "json") {
          try {
            body = JSON.parse(json.value);
          } catch (e) {
            throw new ApiError(400, "invalid_request", `the JSON does not parse: ${(e as Error).message}`, "body");
          }
        } else body = parts.read();
        const saved = editing ? await ctx.api.replaceGame(editing.name, body) : await ctx.api.createGame(body);
        ctx.navigate(`#/games/${encodeURIComponent(saved.name)}`);
      } catch (e) {
        if (e instanceof ApiError && e.field) {
          // In JSON, the text area takes the error, naming the field.
          const message = e.message.replace(/^[:\s]+/, "");
          const shown = new ApiError(e.status, e.code, mode === "json" ? `${e.field}: ${message}` : message, mode === "json" ? "body" : e.field);
          if (placeFieldError(mode === "json" ? jsonField : parts.form, shown)) {
            status.textContent = `Not saved: ${e.field}: ${message}`;
            return;
          }
        }
        ctx.showError(e);
      }
    })();
  });
  clear(root);
  root.append(
    h("h1", {}, editing ? `Edit ${editing.name}` : "Register a game"),
    h("div", { class: "tabs", role: "tablist", "aria-label": "Edit as" }, formTab, jsonTab),
    parts.form,
    jsonField,
    h("div", { class: "row" }, submit),
    status,
  );
}
