// The /play page: log in, choose a game, form a party, queue, follow the
// ticket through queued → matched → ready on the events WebSocket, play, and
// see the results, the rating change and the leaderboard (web/play/README.md).
// Plain DOM and @webgames/client; the games' views are in their own files.
import {
  ApiError,
  ClientError,
  WebgamesClient,
  WebgamesError,
  newDeviceId,
  type Assignment,
  type EventStream,
  type Party,
  type Rating,
  type Result,
  type Tokens,
  type WebgamesEvent,
} from "../../../sdk/js/src/index.js";
import { $, show, setText, clear, element } from "../../shared/dom.js";
import { describeCancel, describeError, describeSessionFailed } from "./messages.js";
import { playArena, type ArenaSnapshot } from "./arena.js";
import { playShifumi } from "./shifumi.js";

interface GameChoice {
  game: string;
  queue: string;
  title: string;
  client: "shifumi" | "arena";
}

/**
 * What tests and benchmarks read (window.webgamesPlay): times in ms from
 * performance.now() (bench/browser), and Arena's latest state (the browser
 * test aims with the mouse at the players it finds there).
 */
interface PlayMetrics {
  readyAt: number[];
  firstDrawAt: number[];
  arena?: ArenaSnapshot;
}
const metrics: PlayMetrics = { readyAt: [], firstDrawAt: [] };
(window as unknown as { webgamesPlay: PlayMetrics }).webgamesPlay = metrics;

const storage = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: string | null): void {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      // private mode: the login lasts as long as the page
    }
  },
};

let client = makeClient();
let stream: EventStream | undefined;
let games: GameChoice[] = [];
let party: Party | undefined;
let ticketId: string | undefined;
let sessionId: string | undefined;
// Matched, its session not ready yet: a session.failed now is ours (a player
// holds one ticket and one session at a time; the event names only the session).
let awaitingSession = false;
let cancelling = false; // this page's own Cancel: its ticket.cancelled needs no message
// The ticket of a session that failed without a requeue: Webgames may cancel
// it next (ticket.cancelled, servers_failed: its servers failed too often).
let failedTicketId: string | undefined;
let ratingBefore: Rating | undefined;
let playing = false;
const memberNames = new Map<string, string>(); // account id → name, from party.joined and leaderboards

function makeClient(): WebgamesClient {
  const saved = storage.get("webgames.tokens");
  let tokens: Tokens | undefined;
  try {
    tokens = saved ? (JSON.parse(saved) as Tokens) : undefined;
  } catch {
    tokens = undefined;
  }
  const c = new WebgamesClient(tokens ? { tokens } : {});
  c.onLoginChange((t) => storage.set("webgames.tokens", t ? JSON.stringify(t) : null));
  return c;
}

function showError(error: unknown, context?: string): void {
  const box = $("error");
  box.textContent = (context ? `${context}: ` : "") + describeError(error);
  box.hidden = false;
}
function clearError(): void {
  $("error").hidden = true;
}

function screen(name: "login" | "lobby" | "game-view" | "end"): void {
  for (const id of ["login", "lobby", "game-view", "end"]) show(id, id === name);
}

function choice(): GameChoice {
  const index = Number(($("game") as HTMLSelectElement).value);
  return games[index] ?? games[0]!;
}

function setProgress(step: "" | "queued" | "matched" | "ready"): void {
  const order = ["queued", "matched", "ready"];
  const reached = order.indexOf(step);
  for (const li of $("progress").querySelectorAll("li")) {
    const done = order.indexOf(li.dataset.step ?? "") <= reached && reached >= 0;
    li.classList.toggle("done", done);
    if (done) li.setAttribute("aria-current", li.dataset.step === step ? "step" : "false");
    else li.removeAttribute("aria-current");
  }
}

function setQueued(queued: boolean): void {
  show("queue", !queued);
  show("cancel", queued);
  ($("game") as HTMLSelectElement).disabled = queued;
  for (const id of ["create-party", "leave-party"]) ($(id) as HTMLButtonElement).disabled = queued;
}

// --- login -----------------------------------------------------------------

async function afterLogin(): Promise<void> {
  const account = client.account;
  setText("who", account ? `${account.username}${account.guest ? " (guest)" : ""}` : "");
  stream?.close();
  stream = client.events();
  stream.subscribe(onEvent);
  // While the events stream is away the status says so; once it is back the
  // status it replaced returns (the events missed meanwhile follow, replayed).
  let statusBeforeLoss: string | undefined;
  stream.onStatus((status) => {
    if (status.state === "reconnecting") {
      statusBeforeLoss ??= $("status").textContent ?? "";
      setText("status", "Connection lost; reconnecting…");
    }
    if (status.state === "open" && statusBeforeLoss !== undefined) {
      setText("status", statusBeforeLoss);
      statusBeforeLoss = undefined;
    }
    if (status.state === "closed" && status.error) showError(status.error, "Events stopped");
  });
  await stream.opened();
  screen("lobby");
  setProgress("");
  setQueued(false);
  renderParty();
}

async function loginWith(action: () => Promise<unknown>): Promise<void> {
  clearError();
  try {
    await action();
    await afterLogin();
  } catch (e) {
    showError(e, "Login failed");
  }
}

$("guest").addEventListener("click", () =>
  loginWith(() => {
    let device = storage.get("webgames.device");
    if (!device) {
      device = newDeviceId();
      storage.set("webgames.device", device);
    }
    return client.loginAsGuest(device);
  }),
);
$("account-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const username = ($("username") as HTMLInputElement).value.trim();
  const password = ($("password") as HTMLInputElement).value;
  void loginWith(() => client.login(username, password));
});
$("register-button").addEventListener("click", () => {
  const form = $("account-form") as HTMLFormElement;
  if (!form.reportValidity()) return;
  const username = ($("username") as HTMLInputElement).value.trim();
  const password = ($("password") as HTMLInputElement).value;
  void loginWith(() => client.register({ username, password }));
});
$("logout").addEventListener("click", async () => {
  clearError();
  stream?.close();
  stream = undefined;
  try {
    await client.logout();
  } catch (e) {
    showError(e, "Logout");
  }
  party = undefined;
  setText("who", "");
  screen("login");
});

// --- parties ---------------------------------------------------------------

function renderParty(): void {
  const members = $("party-members");
  clear(members);
  show("leave-party", party !== undefined);
  show("create-party", party === undefined);
  if (!party) {
    setText("party-status", "You play alone (a party of one).");
    return;
  }
  const me = client.account?.id;
  const leader = party.leader_id === me;
  setText("party-status", `Party code ${party.code}${leader ? " — you lead it: you queue for everyone" : " — the leader queues for the party"}`);
  for (const id of party.members) {
    const name = id === me ? `${client.account?.username ?? id} (you)` : (memberNames.get(id) ?? id);
    members.append(element("li", `${name}${id === party.leader_id ? " — leader" : ""}`));
  }
}

async function refreshParty(): Promise<void> {
  if (!party) return;
  try {
    party = await client.getParty(party.id);
  } catch (e) {
    if (e instanceof ApiError && e.code === "not_found") party = undefined;
    else showError(e, "Party");
  }
  renderParty();
}

$("create-party").addEventListener("click", async () => {
  clearError();
  try {
    party = await client.createParty();
  } catch (e) {
    showError(e, "Creating a party");
  }
  renderParty();
});
$("join-party-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  clearError();
  const code = ($("party-code") as HTMLInputElement).value.trim().toUpperCase();
  try {
    party = await client.joinParty(code);
    ($("party-code") as HTMLInputElement).value = "";
  } catch (err) {
    showError(err, `Joining party ${code}`);
  }
  renderParty();
});
$("leave-party").addEventListener("click", async () => {
  if (!party) return;
  clearError();
  try {
    if (party.leader_id === client.account?.id) await client.disbandParty(party.id);
    else await client.leaveParty(party.id);
  } catch (e) {
    showError(e, "Leaving the party");
  }
  party = undefined;
  renderParty();
});

// --- queueing and events ---------------------------------------------------

$("queue").addEventListener("click", async () => {
  clearError();
  const { game, queue } = choice();
  try {
    ratingBefore = await client.getRating(game, queue).catch(() => undefined);
    const ticket = await client.createTicket(game, queue);
    ticketId = ticket.id;
    setQueued(true);
    if (ticket.state === "queued") onQueued(false);
  } catch (e) {
    showError(e, "Queueing");
  }
});
$("cancel").addEventListener("click", async () => {
  if (!ticketId) return;
  clearError();
  cancelling = true;
  try {
    await client.cancelTicket(ticketId);
  } catch (e) {
    cancelling = false;
    showError(e, "Cancelling");
  }
});

function onQueued(requeued: boolean): void {
  awaitingSession = false;
  setProgress("queued");
  setText("status", requeued ? "Back in the queue after a game server failure: waiting for a new match…" : "Queued: waiting for other players…");
}

function backToLobby(message?: string): void {
  ticketId = undefined;
  sessionId = undefined;
  awaitingSession = false;
  cancelling = false;
  setQueued(false);
  setProgress("");
  setText("status", "");
  if (message) showError(message);
  if (!playing) screen("lobby");
}

function onEvent(event: WebgamesEvent): void {
  switch (event.type) {
    case "ticket.queued":
      if (ticketId && event.data.ticket_id !== ticketId) return;
      if (!ticketId) {
        // Our party's leader queued for us.
        ticketId = event.data.ticket_id;
        const index = games.findIndex((g) => g.game === event.data.game && g.queue === event.data.queue);
        if (index >= 0) ($("game") as HTMLSelectElement).value = String(index);
        setQueued(true);
        void client.getRating(event.data.game, event.data.queue).then((r) => (ratingBefore = r), () => undefined);
      }
      onQueued(event.data.requeued === true);
      return;
    case "ticket.matched":
      if (event.data.ticket_id !== ticketId) return;
      awaitingSession = true;
      setProgress("matched");
      setText("status", "Matched: starting the game server…");
      return;
    case "session.ready":
      if (event.data.ticket_id !== ticketId || sessionId === event.data.session_id) return;
      metrics.readyAt.push(performance.now());
      sessionId = event.data.session_id;
      awaitingSession = false;
      setProgress("ready");
      setText("status", "Ready: joining the game…");
      void play(event.data);
      return;
    case "ticket.cancelled":
      if (ticketId === undefined && event.data.ticket_id === failedTicketId) {
        failedTicketId = undefined;
        showError(describeCancel(event.data.reason, event.data.message));
        return;
      }
      if (event.data.ticket_id !== ticketId) return;
      backToLobby(event.data.reason || !cancelling ? describeCancel(event.data.reason, event.data.message) : undefined);
      return;
    case "ticket.expired":
      if (event.data.ticket_id !== ticketId) return;
      backToLobby("Nobody was found to play with in time: your ticket expired. Queue again?");
      return;
    case "session.failed":
      if (sessionId ? event.data.session_id !== sessionId : !awaitingSession) return;
      sessionId = undefined;
      awaitingSession = false;
      playing = false;
      if (event.data.requeued) {
        // ticket.queued (requeued) or ticket.cancelled (servers_failed) follows.
        showError(describeSessionFailed(event.data.reason, true));
        screen("lobby");
        setProgress("queued");
      } else {
        const failed = ticketId;
        backToLobby(describeSessionFailed(event.data.reason, false));
        failedTicketId = failed;
      }
      return;
    case "session.ended":
      if (event.data.session_id !== sessionId) return;
      void showResults(event.data.results as Result[]);
      return;
    case "party.joined":
      memberNames.set(event.data.player, event.data.name);
      if (party && event.data.party_id === party.id) void refreshParty();
      return;
    case "party.left":
      if (party && event.data.party_id === party.id) void refreshParty();
      return;
    case "party.disbanded":
      if (party && event.data.party_id === party.id) {
        party = undefined;
        renderParty();
        showError(
          event.data.reason === "idle"
            ? "The party was disbanded after a long time without a game."
            : "The party's leader disbanded the party.",
        );
      }
      return;
  }
}

// --- playing and results ---------------------------------------------------

async function play(assignment: Assignment): Promise<void> {
  playing = true;
  clearError();
  screen("game-view");
  const game = choice();
  setText("game-title", game.title);
  try {
    const connection = await client.joinSession(assignment);
    const drawn = () => metrics.firstDrawAt.push(performance.now());
    if (game.client === "arena") await playArena(connection, client.account?.id ?? "", drawn, (s) => (metrics.arena = s));
    else await playShifumi(connection, client.account?.id ?? "", drawn);
    setText("status", "Game over: waiting for the results…");
  } catch (e) {
    // A failed session says so itself (session.failed), whichever comes first.
    if (sessionId === assignment.session_id) showError(e, "The game");
  }
}

function fmtRating(r: Rating): string {
  return r.mu.toFixed(1);
}

async function showResults(results: Result[]): Promise<void> {
  playing = false;
  const { game, queue } = choice();
  const me = client.account?.id;
  const mine = results.find((r) => r.player_id === me);
  const best = Math.min(...results.map((r) => r.rank ?? Infinity));
  const draw = results.filter((r) => r.rank === best).length > 1;
  setText("outcome", !mine ? "The game is over." : draw && mine.rank === best ? "Draw." : mine.rank === 1 ? "You won!" : "You lost.");
  ticketId = undefined;
  sessionId = undefined;
  setQueued(false);
  setProgress("");
  setText("status", "");
  screen("end");
  try {
    const after = await client.getRating(game, queue);
    const before = ratingBefore?.mu ?? 25;
    const delta = after.mu - before;
    setText("rating-change", `Rating ${before.toFixed(1)} → ${fmtRating(after)} (${delta >= 0 ? "+" : "−"}${Math.abs(delta).toFixed(1)})`);
    ratingBefore = after;
  } catch (e) {
    showError(e, "Rating");
  }
  try {
    const board = await client.getLeaderboard(game, queue, { limit: 10 });
    const body = $("leaderboard").querySelector("tbody")!;
    clear(body);
    for (const item of board.items) {
      memberNames.set(item.player_id, item.name);
      const row = element("tr");
      if (item.player_id === me) row.setAttribute("aria-current", "true");
      row.append(element("td", String(item.rank)), element("td", item.player_id === me ? `${item.name} (you)` : item.name), element("td", item.mu.toFixed(1)), element("td", String(item.matches)));
      body.append(row);
    }
  } catch (e) {
    showError(e, "Leaderboard");
  }
  // After the leaderboard: it names the other players.
  const tbody = $("results").querySelector("tbody")!;
  clear(tbody);
  for (const r of [...results].sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0))) {
    const row = element("tr");
    row.append(element("td", String(r.rank ?? "")), element("td", r.player_id === me ? "you" : (memberNames.get(r.player_id ?? "") ?? String(r.player_id ?? `team ${r.team}`))), element("td", String(r.score ?? "")));
    tbody.append(row);
  }
}

$("again").addEventListener("click", () => {
  clearError();
  screen("lobby");
});

// --- start -------------------------------------------------------------------

async function start(): Promise<void> {
  try {
    const response = await fetch("/play/games.json");
    games = ((await response.json()) as { games: GameChoice[] }).games;
  } catch (e) {
    showError(e, "Loading the list of games");
  }
  const select = $("game") as HTMLSelectElement;
  games.forEach((g, i) => {
    const option = element("option", g.title) as HTMLOptionElement;
    option.value = String(i);
    select.append(option);
  });
  if (client.account) {
    try {
      await client.getAccount();
      await afterLogin();
      return;
    } catch (e) {
      if (!(e instanceof WebgamesError)) showError(e);
      client = makeClient();
    }
  }
  screen("login");
}

void start();
export { ClientError };
