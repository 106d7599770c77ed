// The form of a game's spec (docs/game-spec.md): labelled controls that
// each name the spec's field they hold (data-field), so that the server's
// validation errors are shown on the field they name.
import { ApiError } from "../../../sdk/js/src/index.js";
import { h } from "../../shared/dom.js";
import type { Game, QueueSpec } from "./api.js";
import { withoutField } from "./format.js";

let fieldIds = 0;

/** A labelled input (or select, textarea) for the spec's `field`, with room for its error. */
export function field(
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

export function textarea(value: string, rows = 3): HTMLTextAreaElement {
  const el = h("textarea", { rows });
  el.value = value;
  return el;
}

function select(options: string[], value: string | undefined): HTMLSelectElement {
  const el = h("select", {}, options.map((o) => h("option", { value: o }, o)));
  el.value = value ?? options[0]!;
  return el;
}

export interface FormParts {
  form: HTMLFormElement;
  read(): Record<string, unknown>;
  fill(game: Partial<Game>): void;
}

/** A game without what the server gives it (id, owner, times): what a request carries. */
function specOf(game: Partial<Game>): Partial<Game> {
  const { id: _id, owner_id: _owner, created_at: _created, updated_at: _updated, ...spec } = game;
  return spec;
}

export function buildForm(editing: Game | undefined): FormParts {
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
  // What the form was filled with: the parts of the game it has no field
  // for (server.network, pids_limit, capabilities, read_only_root, a pool…)
  // go back to the server as they came, not dropped.
  let base: Partial<Game> = specOf(editing ?? {});
  let portRows: { name: HTMLInputElement; protocol: HTMLSelectElement; row: HTMLElement; original?: object }[] = [];
  let queueRows: { name: HTMLInputElement; teams: HTMLInputElement; size: HTMLInputElement; min: HTMLInputElement; rules: HTMLTextAreaElement; row: HTMLElement; original?: object }[] = [];

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
    const entry = { name: n, protocol: proto, row, original: p };
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
    const entry = { name: n, teams, size, min, rules, row, original: q };
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
  /** Sets `key` of `to` to `value`, or removes it when the field is empty (the server's default). */
  const put = (to: Record<string, unknown>, key: string, value: unknown) => {
    if (value === undefined) delete to[key];
    else to[key] = value;
  };
  const read = (): Record<string, unknown> => {
    const server: Record<string, unknown> = {
      ...(base.server ?? {}),
      ports: portRows.map((p) => ({ ...p.original, name: p.name.value.trim(), protocol: p.protocol.value })),
    };
    put(server, "command", command.value.trim() || undefined);
    put(server, "image", image.value.trim() || undefined);
    const argList = args.value.split("\n").filter((l) => l.trim() !== "");
    put(server, "args", argList.length ? argList : undefined);
    const envLines = env.value.split("\n").filter((l) => l.trim() !== "");
    put(
      server,
      "env",
      envLines.length
        ? Object.fromEntries(envLines.map((l) => (l.includes("=") ? [l.slice(0, l.indexOf("=")).trim(), l.slice(l.indexOf("=") + 1)] : [l.trim(), ""])))
        : undefined,
    );
    for (const [key, el] of [["cpu", cpu], ["memory_mb", memory], ["max_duration_s", maxDuration]] as const) put(server, key, num(el));
    const game: Record<string, unknown> = {
      ...base,
      name: name.value.trim(),
      server,
      queues: queueRows.map((q, i) => {
        const spec: Record<string, unknown> = { ...q.original, name: q.name.value.trim() };
        for (const [key, el] of [["teams", q.teams], ["team_size", q.size], ["min_players", q.min]] as const) put(spec, key, num(el));
        let rules: unknown;
        if (q.rules.value.trim()) {
          try {
            rules = JSON.parse(q.rules.value);
          } catch {
            throw new ApiError(400, "invalid_request", "the rules are not JSON", `queues[${i}].rules`);
          }
        }
        put(spec, "rules", rules);
        return spec;
      }),
    };
    put(game, "title", title.value.trim() || undefined);
    return game;
  };
  const fill = (game: Partial<Game>) => {
    base = specOf(game);
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
export function clearFieldErrors(root: HTMLElement): void {
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
        // The server's messages start with the field's name ("…: must be…"), which the label says here.
        note.textContent = withoutField(error.message, error.field ?? "");
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
