// Creating and editing a game: in the form, as JSON or as TOML, with the
// server's validation errors shown on the field they name (in the form, on
// its control; in JSON, on the text, naming the field; in TOML, on the text
// with the line the server says the field is on, selected). TOML goes to the
// server as it is (Content-Type application/toml): the server reads it. The
// tabs pass the game along as the page reads it (a TOML that does not read
// keeps its tab, the fault shown on its line).
import { ApiError } from "../../../sdk/js/src/index.js";
import { clear, h } from "../../shared/dom.js";
import type { Game } from "./api.js";
import type { ViewContext } from "./context.js";
import { withoutField } from "./format.js";
import { buildForm, clearFieldErrors, field, placeFieldError, textarea } from "./game_form.js";
import { fromToml, lineRange, TomlSyntaxError, toToml } from "./toml.js";

type Mode = "form" | "json" | "toml";

export function gameEditor(root: HTMLElement, ctx: ViewContext, editing: Game | undefined, mayChange: boolean): void {
  if (!mayChange) {
    root.append(h("h1", {}, "Games"), h("p", {}, "Only developers register and change their games."));
    return;
  }
  const parts = buildForm(editing);
  const json = textarea("", 18);
  const jsonField = field("The game as JSON (docs/game-spec.md)", "body", json);
  const toml = textarea("", 18);
  const tomlField = field("The game as TOML (docs/game-spec.md)", "body", toml, "the server reads it as it reads a game file of webgames ctl");
  jsonField.id = "game-json";
  tomlField.id = "game-toml";
  jsonField.hidden = tomlField.hidden = true;
  const panels: Record<Mode, HTMLElement> = { form: parts.form, json: jsonField, toml: tomlField };
  const tabs: Record<Mode, HTMLButtonElement> = {
    form: h("button", { type: "button", role: "tab", "aria-selected": "true", "aria-controls": "game-form" }, "Form"),
    json: h("button", { type: "button", role: "tab", "aria-selected": "false", "aria-controls": "game-json" }, "JSON"),
    toml: h("button", { type: "button", role: "tab", "aria-selected": "false", "aria-controls": "game-toml" }, "TOML"),
  };
  const submit = h("button", { type: "button", class: "primary" }, editing ? "Save the game" : "Register the game");
  const status = h("p", { role: "status", "aria-live": "polite" });
  let mode: Mode = "form";

  /** Shows `message` under the TOML text, its line selected and scrolled into view. */
  const showOnTomlLine = (message: string, line: number | undefined) => {
    placeFieldError(tomlField, new ApiError(400, "invalid_request", line ? `Line ${line}: ${message}` : message, "body"));
    if (!line) return;
    toml.setSelectionRange(...lineRange(toml.value, line));
    // Scrolled so that the line shows, a few lines below the top.
    const lineHeight = parseFloat(getComputedStyle(toml).lineHeight) || 18;
    toml.scrollTop = Math.max(0, (line - 3) * lineHeight);
  };
  /** The spec the current tab holds; throws when its text does not read. */
  const current = (): Record<string, unknown> => {
    if (mode === "form") return parts.read();
    if (mode === "json") return JSON.parse(json.value) as Record<string, unknown>;
    return fromToml(toml.value);
  };
  const setMode = (next: Mode) => {
    if (next === mode) return;
    ctx.showError("");
    clearFieldErrors(root);
    try {
      const spec = current();
      if (next === "form") parts.fill(spec as Partial<Game>);
      if (next === "json") json.value = JSON.stringify(spec, null, 2);
      if (next === "toml") toml.value = toToml(spec);
    } catch (e) {
      if (e instanceof TomlSyntaxError) showOnTomlLine(`the TOML does not parse: ${e.message}`, e.line);
      else ctx.showError(e instanceof SyntaxError ? `The JSON does not parse: ${e.message}` : e);
      return;
    }
    mode = next;
    for (const m of ["form", "json", "toml"] as const) {
      panels[m].hidden = m !== next;
      tabs[m].setAttribute("aria-selected", String(m === next));
    }
  };
  for (const m of ["form", "json", "toml"] as const) tabs[m].addEventListener("click", () => setMode(m));

  const save = async (): Promise<Game> => {
    if (mode === "toml") return editing ? ctx.api.replaceGameToml(editing.name, toml.value) : ctx.api.createGameToml(toml.value);
    let body: unknown;
    try {
      body = mode === "json" ? JSON.parse(json.value) : parts.read();
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw new ApiError(400, "invalid_request", `the JSON does not parse: ${(e as Error).message}`, "body");
    }
    return editing ? ctx.api.replaceGame(editing.name, body) : ctx.api.createGame(body);
  };
  /** Shows the error on its field; false when no field takes it. */
  const placeError = (e: ApiError): boolean => {
    const message = withoutField(e.message, e.field ?? "");
    if (mode === "form") {
      if (!placeFieldError(parts.form, e)) return false;
      status.textContent = `Not saved: ${e.field}: ${message}`;
      return true;
    }
    // The text takes the error, naming the field (and in TOML its line, selected).
    const named = e.field === "body" ? message : `${e.field}: ${message}`;
    const where = mode === "toml" && e.line ? `Line ${e.line}: ${named}` : named;
    if (mode === "toml") showOnTomlLine(named, e.line);
    else placeFieldError(panels[mode], new ApiError(e.status, e.code, where, "body"));
    status.textContent = `Not saved: ${where}`;
    return true;
  };
  submit.addEventListener("click", () => {
    void (async () => {
      ctx.showError("");
      clearFieldErrors(root);
      status.textContent = "";
      try {
        const saved = await save();
        ctx.navigate(`#/games/${encodeURIComponent(saved.name)}`);
      } catch (e) {
        if (e instanceof ApiError && e.field && placeError(e)) return;
        ctx.showError(e);
      }
    })();
  });
  clear(root);
  root.append(
    h("h1", {}, editing ? `Edit ${editing.name}` : "Register a game"),
    h("div", { class: "tabs", role: "tablist", "aria-label": "Edit as" }, tabs.form, tabs.json, tabs.toml),
    parts.form,
    jsonField,
    tomlField,
    h("div", { class: "row" }, submit),
    status,
  );
}
