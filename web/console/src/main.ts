// The /console page (web/console/README.md): developers and operators log in
// and see, live, their games, queues, sessions and servers. Plain DOM, a
// small hash router (#/overview, #/games, #/queues, #/sessions, #/keys), one
// view per file; live figures come from the console events WebSocket.
import { $, clear, h, setText, show } from "../../shared/dom.js";
import { ConsoleApi } from "./api.js";
import type { View, ViewContext } from "./context.js";
import { describeError } from "./format.js";
import { LiveEvents } from "./live.js";
import { gamesView } from "./games.js";
import { keysView } from "./keys.js";
import { overviewView } from "./overview.js";
import { queuesView } from "./queues.js";
import { sessionsView } from "./sessions.js";

const api = new ConsoleApi();
const live = new LiveEvents(api);
const views: Record<string, { title: string; view: View }> = {
  overview: { title: "Overview", view: overviewView },
  games: { title: "Games", view: gamesView },
  queues: { title: "Queues", view: queuesView },
  sessions: { title: "Sessions", view: sessionsView },
  keys: { title: "API keys", view: keysView },
};
let current: AbortController | undefined;

function showError(error: unknown): void {
  const message = error === "" || error === undefined ? "" : describeError(error);
  setText("error", message);
  show("error", message !== "");
}

function navigate(hash: string): void {
  if (location.hash === hash) void route();
  else location.hash = hash;
}

async function route(): Promise<void> {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  showError("");
  const root = $("view");
  clear(root);
  if (!api.account) return loginView(root);
  const [pathPart = "", queryPart = ""] = location.hash.replace(/^#\/?/, "").split("?", 2);
  const [name = "overview", ...path] = pathPart.split("/").filter(Boolean).map(decodeURIComponent);
  const entry = views[name] ?? views.overview!;
  for (const link of $("nav").querySelectorAll("a"))
    if (link.getAttribute("href") === `#/${name}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  document.title = `${entry.title} — Webgames console`;
  const ctx: ViewContext = { api, live, path, query: new URLSearchParams(queryPart), signal: controller.signal, showError, navigate };
  try {
    await entry.view(root, ctx);
  } catch (e) {
    if (!controller.signal.aborted) showError(e);
  }
}

function loginView(root: HTMLElement): void {
  document.title = "Log in — Webgames console";
  const username = h("input", { id: "username", name: "username", autocomplete: "username", required: true });
  const password = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const form = h(
    "form",
    { "aria-labelledby": "login-title" },
    h("h1", { id: "login-title" }, "Log in"),
    h("p", {}, "For developers (your games) and operators (every tenant's). Operators are made with ", h("code", {}, "webgames ctl operator create"), "."),
    h("label", { for: "username" }, "Username"),
    username,
    h("label", { for: "password" }, "Password"),
    password,
    h("div", { class: "row" }, h("button", { type: "submit", class: "primary" }, "Log in")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      try {
        const account = await api.login(username.value.trim(), password.value);
        if (account.role === "player") {
          await api.logout();
          showError("This console is for developers and operators; this account is a player's.");
          return;
        }
        loggedIn();
        navigate(location.hash && location.hash !== "#/login" ? location.hash : "#/overview");
      } catch (e) {
        showError(e);
      }
    })();
  });
  root.append(form);
  username.focus();
}

function loggedIn(): void {
  const account = api.account;
  show("nav", account !== undefined);
  show("logout", account !== undefined);
  setText("who", account ? `${account.username} (${account.role})` : "");
  if (account) live.start();
  else live.stop();
}

$("logout").addEventListener("click", () => {
  void api.logout().finally(() => {
    loggedIn();
    navigate("#/login");
  });
});
api.client.onLoginChange((tokens) => {
  if (!tokens) loggedIn();
});
live.onStatus((status, detail) => {
  const el = $("live-status");
  el.dataset.status = status;
  el.textContent = status === "live" ? "Live" : status === "closed" ? "" : status === "connecting" ? "Connecting…" : `Reconnecting (${detail})`;
});
window.addEventListener("hashchange", () => void route());
loggedIn();
void route();
