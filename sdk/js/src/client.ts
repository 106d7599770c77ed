// WebgamesClient: what a player does with the API (docs/api/openapi.yaml).
import { ApiError, ClientError } from "./errors.js";
import { EventStream, type EventStreamOptions } from "./events.js";
import { GameConnection } from "./game_connection.js";
import { HttpTransport, type FetchFunction, type HttpRequest } from "./http.js";
import { Login } from "./login.js";
import type {
  Account,
  Assignment,
  Leaderboard,
  Party,
  Rating,
  RegisterRequest,
  Session,
  Ticket,
  TicketAttributes,
  Tokens,
} from "./types.js";
import { platformWebSocket, webSocketUrl, type WebSocketConstructor, type WebSocketLike } from "./websocket.js";

export interface JoinOptions {
  /**
   * Send the join message first, `{"type":"join","token":<join token>}`, as
   * game servers on the C++ server SDK (Shifumi…) expect. Default: true;
   * false for a game server with a protocol of its own.
   */
  sendJoin?: boolean;
  /** How long the relay may take to connect. Default: 10 000 ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ClientOptions {
  /**
   * The API's origin, `http(s)://host[:port]`. Default: the page's origin
   * (`location.origin`), for pages served by webgames itself.
   */
  baseUrl?: string;
  /** Default: the platform's `fetch` (browsers, Node 18 and later). */
  fetch?: FetchFunction;
  /**
   * The WebSocket class for the events stream and game connections.
   * Default: the platform's (browsers, Node 22 and later); in Node 20 pass
   * `WebSocket` from the `ws` package.
   */
  WebSocket?: WebSocketConstructor;
  /** The deadline of each HTTP call. Default: 10 000 ms. */
  requestTimeoutMs?: number;
  /** The clock, in milliseconds (for tests). Default: `Date.now`. */
  now?: () => number;
  /** A login saved from `onLoginChange` earlier, to go on with (e.g. after a page reload). */
  tokens?: Tokens;
}

/** The player's client of one Webgames API. */
export class WebgamesClient {
  readonly baseUrl: string;
  private readonly http: HttpTransport;
  private readonly now: () => number;
  private readonly WebSocketClass: WebSocketConstructor | undefined;
  private login_: Login | undefined;
  private guestDeviceId: string | undefined;
  private refreshing: Promise<void> | undefined;
  private readonly loginListeners = new Set<(tokens: Tokens | undefined) => void>();
  private readonly streams = new Set<EventStream>();

  constructor(options: ClientOptions = {}) {
    const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
    const baseUrl = options.baseUrl ?? origin;
    if (!baseUrl || !/^https?:\/\/[^/]+/i.test(baseUrl))
      throw new TypeError("baseUrl must be an http:// or https:// origin");
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    const fetchFn = options.fetch ?? (globalThis.fetch ? globalThis.fetch.bind(globalThis) : undefined);
    if (!fetchFn) throw new TypeError("no fetch: pass options.fetch");
    this.http = new HttpTransport(this.baseUrl, fetchFn, options.requestTimeoutMs ?? 10_000);
    this.now = options.now ?? Date.now;
    this.WebSocketClass = options.WebSocket ?? platformWebSocket();
    if (options.tokens) this.login_ = new Login(options.tokens, undefined);
  }

  // --- login ---------------------------------------------------------------

  /** The logged-in account, or undefined. */
  get account(): Account | undefined {
    return this.login_?.tokens.account;
  }

  /** The current tokens (to save and pass back as `options.tokens`), or undefined. */
  get tokens(): Tokens | undefined {
    return this.login_?.tokens;
  }

  /** Calls `listener` with the new tokens after every login and refresh, and undefined after logout. */
  onLoginChange(listener: (tokens: Tokens | undefined) => void): () => void {
    this.loginListeners.add(listener);
    return () => this.loginListeners.delete(listener);
  }

  /**
   * Logs in as the guest of `deviceId` (8 to 128 printable characters; see
   * newDeviceId()): the same id is always the same guest. The SDK logs in
   * again with it when its refresh token is refused.
   */
  async loginAsGuest(deviceId: string, signal?: AbortSignal): Promise<Account> {
    const tokens = await this.post<Tokens>("/v1/auth/guest", { device_id: deviceId }, signal, false);
    this.guestDeviceId = deviceId;
    return this.setLogin(tokens).tokens.account;
  }

  /** Creates a password account (role `player` unless given) and logs in. */
  async register(request: RegisterRequest, signal?: AbortSignal): Promise<Account> {
    const tokens = await this.post<Tokens>("/v1/auth/register", request, signal, false);
    this.guestDeviceId = undefined;
    return this.setLogin(tokens).tokens.account;
  }

  /** Logs in with a username and password. */
  async login(username: string, password: string, signal?: AbortSignal): Promise<Account> {
    const tokens = await this.post<Tokens>("/v1/auth/login", { username, password }, signal, false);
    this.guestDeviceId = undefined;
    return this.setLogin(tokens).tokens.account;
  }

  /**
   * Ends the login on the server, forgets the tokens, and closes the events
   * streams. A login the server no longer knows is forgotten all the same.
   */
  async logout(signal?: AbortSignal): Promise<void> {
    const login = this.login_;
    if (!login) return;
    try {
      await this.http.send({ method: "POST", path: "/v1/auth/logout", token: login.tokens.access_token, signal });
    } catch (e) {
      if (!(e instanceof ApiError && (e.code === "unauthenticated" || e.code === "token_expired"))) throw e;
    } finally {
      this.forget();
    }
  }

  /**
   * An access token valid for a while yet: the current one, or a new one
   * (POST /v1/auth/refresh) when it is about to expire. Rejects with
   * `not_logged_in` without a login.
   */
  async accessToken(): Promise<string> {
    let login = this.login_;
    if (!login) throw new ClientError("not_logged_in", "log in first");
    if (login.needsRefresh(this.now())) {
      await this.refresh(login.tokens.access_token);
      login = this.login_;
      if (!login) throw new ClientError("not_logged_in", "the login ended");
    }
    return login.tokens.access_token;
  }

  /**
   * Trades the refresh token for new tokens now. With `staleAccessToken`,
   * only if the login still has that access token (concurrent callers
   * refresh once). A refused refresh token ends the login (a guest logs in
   * again with its device id).
   */
  async refresh(staleAccessToken?: string): Promise<void> {
    if (this.refreshing) return this.refreshing;
    const login = this.login_;
    if (!login) throw new ClientError("not_logged_in", "log in first");
    if (staleAccessToken !== undefined && login.tokens.access_token !== staleAccessToken) return;
    this.refreshing = (async () => {
      try {
        const tokens = await this.post<Tokens>("/v1/auth/refresh", { refresh_token: login.tokens.refresh_token }, undefined, false);
        if (this.login_ === login) this.setLogin(tokens);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === "unauthenticated") || this.login_ !== login) throw e;
        const deviceId = this.guestDeviceId;
        this.forget();
        if (deviceId === undefined) throw e;
        await this.loginAsGuest(deviceId);
      }
    })();
    try {
      await this.refreshing;
    } finally {
      this.refreshing = undefined;
    }
  }

  /** GET /v1/account: the account behind the login. */
  getAccount(signal?: AbortSignal): Promise<Account> {
    return this.get<Account>("/v1/account", signal);
  }

  // --- parties -------------------------------------------------------------

  /** Creates a party led by the caller; give its `code` to friends. */
  createParty(signal?: AbortSignal): Promise<Party> {
    return this.post<Party>("/v1/parties", undefined, signal);
  }

  /** Joins the party of invite code `code`. */
  joinParty(code: string, signal?: AbortSignal): Promise<Party> {
    return this.post<Party>("/v1/parties/join", { code }, signal);
  }

  /** The party, with its members (leader first). */
  getParty(partyId: string, signal?: AbortSignal): Promise<Party> {
    return this.get<Party>(`/v1/parties/${segment(partyId)}`, signal);
  }

  /** Leaves the party; the leader leaving disbands it. */
  async leaveParty(partyId: string, signal?: AbortSignal): Promise<void> {
    await this.post<undefined>(`/v1/parties/${segment(partyId)}/leave`, undefined, signal);
  }

  /** Disbands the party (its leader only). */
  async disbandParty(partyId: string, signal?: AbortSignal): Promise<void> {
    await this.call({ method: "DELETE", path: `/v1/parties/${segment(partyId)}`, signal });
  }

  // --- tickets, sessions, ratings ------------------------------------------

  /**
   * Queues the caller (or the whole party it leads) in `game`'s `queue`,
   * with optional attributes (skill, pings by region, tags). Follow it with
   * an EventStream: `waitForAssignment(ticket.id)`.
   *
   * Safe to retry: each call is one logical create with its own
   * `Idempotency-Key`, and when its answer is lost (no answer, a network
   * error, 503 while a replica takes over the lobby, 502 when the one that
   * runs it stopped before answering) it is sent again with
   * that key, up to 4 times in about 4 s, so the ticket the first attempt
   * made is answered instead of 409. A refusal is not retried.
   */
  async createTicket(
    game: string,
    queue: string,
    attributes: TicketAttributes = {},
    signal?: AbortSignal,
  ): Promise<Ticket> {
    const request: HttpRequest = {
      method: "POST",
      path: `/v1/queues/${segment(game)}/${segment(queue)}/tickets`,
      body: attributes,
      signal,
      headers: { "Idempotency-Key": globalThis.crypto.randomUUID() },
    };
    for (let attempt = 1, pause = 250; ; attempt++, pause *= 2) {
      try {
        return (await this.call(request)) as Ticket;
      } catch (e) {
        const lost =
          (e instanceof ClientError && (e.code === "network" || e.code === "timeout")) ||
          (e instanceof ApiError && (e.status === 503 || e.status === 502));
        if (!lost || attempt === 4 || signal?.aborted) throw e;
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  /** The ticket, while it is queued or matched. */
  getTicket(ticketId: string, signal?: AbortSignal): Promise<Ticket> {
    return this.get<Ticket>(`/v1/tickets/${segment(ticketId)}`, signal);
  }

  /** Cancels a queued ticket (409 conflict once matched). */
  async cancelTicket(ticketId: string, signal?: AbortSignal): Promise<void> {
    await this.call({ method: "DELETE", path: `/v1/tickets/${segment(ticketId)}`, signal });
  }

  /** The session, with a fresh `assignment` while it is ready or running. */
  getSession(sessionId: string, signal?: AbortSignal): Promise<Session> {
    return this.get<Session>(`/v1/sessions/${segment(sessionId)}`, signal);
  }

  /** The caller's rating in a queue. */
  getRating(game: string, queue: string, signal?: AbortSignal): Promise<Rating> {
    return this.get<Rating>(`/v1/queues/${segment(game)}/${segment(queue)}/rating`, signal);
  }

  /** The best-rated players of a queue; `limit` 1 to 1000 (default 100). */
  getLeaderboard(game: string, queue: string, options: { limit?: number; signal?: AbortSignal } = {}): Promise<Leaderboard> {
    const query = options.limit === undefined ? "" : `?limit=${encodeURIComponent(String(options.limit))}`;
    return this.get<Leaderboard>(`/v1/queues/${segment(game)}/${segment(queue)}/leaderboard${query}`, options.signal);
  }

  // --- events --------------------------------------------------------------

  /**
   * Opens the events stream (/v1/events), which reconnects by itself and
   * resumes after the last event it delivered. Open it before creating a
   * ticket; close() it when done (logout closes it too).
   */
  events(options: EventStreamOptions = {}): EventStream {
    const stream = new EventStream(
      {
        baseUrl: this.baseUrl,
        WebSocket: this.webSocketClass(),
        accessToken: () => this.accessToken(),
        checkCredentials: async () => {
          await this.getAccount();
        },
        onClosed: (s) => this.streams.delete(s),
      },
      options,
    );
    this.streams.add(stream);
    return stream;
  }

  // --- the game server ------------------------------------------------------

  /**
   * Connects to the session's game server through the API's relay,
   * `GET /v1/sessions/{session}/connect?token=<join token>` (a WebSocket:
   * all a page needs is the API's origin), and sends the join message unless
   * `options.sendJoin` is false. The session's game must have a port of
   * protocol `ws`. A join token lives 60 s: when the relay does not connect
   * and the player is logged in, the SDK reads the session, and tries once
   * more with its fresh token while the session is ready or running; it
   * rejects with the API's error (`not_found`…) or a ClientError
   * (`session_failed` when the session is over, `network`, `timeout`).
   */
  async joinSession(assignment: Pick<Assignment, "session_id" | "join_token">, options: JoinOptions = {}): Promise<GameConnection> {
    let token = assignment.join_token;
    for (let attempt = 1; ; attempt++) {
      const socket = await this.openRelay(assignment.session_id, token, options);
      if (socket) {
        const connection = new GameConnection(socket);
        if (options.sendJoin ?? true) connection.send({ type: "join", token });
        return connection;
      }
      const why = `the relay to session ${assignment.session_id} did not connect`;
      if (!this.login_) throw new ClientError("network", why);
      const session = await this.getSession(assignment.session_id, options.signal);
      if (session.state !== "ready" && session.state !== "running")
        throw new ClientError("session_failed", `${why}: the session is ${session.state}${session.reason ? ` (${session.reason})` : ""}`);
      if (attempt >= 2 || !session.assignment) throw new ClientError("network", why);
      token = session.assignment.join_token;
    }
  }

  /** An open WebSocket to the relay, or undefined when it did not open. */
  private openRelay(sessionId: string, token: string, options: JoinOptions): Promise<WebSocketLike | undefined> {
    const url = webSocketUrl(this.baseUrl, `/v1/sessions/${segment(sessionId)}/connect?token=${encodeURIComponent(token)}`);
    const socket = new (this.webSocketClass())(url);
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const finish = (outcome: WebSocketLike | undefined | ClientError) => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        socket.onopen = socket.onclose = socket.onerror = null;
        if (outcome instanceof ClientError) {
          socket.close();
          reject(outcome);
        } else resolve(outcome);
      };
      const onAbort = () => finish(new ClientError("aborted", "joining was aborted"));
      const timer = setTimeout(
        () => finish(new ClientError("timeout", `the relay did not connect within ${timeoutMs} ms`)),
        timeoutMs,
      );
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener("abort", onAbort, { once: true });
      socket.onopen = () => finish(socket);
      socket.onerror = () => {
        // The close event follows.
      };
      socket.onclose = () => finish(undefined);
    });
  }

  // --- plumbing ------------------------------------------------------------

  /** The WebSocket class to use; throws when there is none. */
  protected webSocketClass(): WebSocketConstructor {
    if (!this.WebSocketClass)
      throw new TypeError("this platform has no WebSocket: pass options.WebSocket (in Node 20, the `ws` package's)");
    return this.WebSocketClass;
  }

  private setLogin(tokens: Tokens): Login {
    this.login_ = new Login(tokens, this.now());
    for (const listener of [...this.loginListeners]) listener(tokens);
    return this.login_;
  }

  private forget(): void {
    this.login_ = undefined;
    this.guestDeviceId = undefined;
    for (const stream of [...this.streams]) stream.close();
    for (const listener of [...this.loginListeners]) listener(undefined);
  }

  private get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.call({ method: "GET", path, signal }) as Promise<T>;
  }

  private post<T>(path: string, body: unknown, signal?: AbortSignal, authenticated = true): Promise<T> {
    const request: HttpRequest = { method: "POST", path, body, signal };
    if (!authenticated) return this.http.send(request).then((a) => a.body as T);
    return this.call(request) as Promise<T>;
  }

  /** Sends with the access token; on `token_expired`, refreshes once and sends again. */
  private async call(request: HttpRequest): Promise<unknown> {
    const token = await this.accessToken();
    try {
      return (await this.http.send({ ...request, token })).body;
    } catch (e) {
      if (!(e instanceof ApiError && e.code === "token_expired")) throw e;
      await this.refresh(token);
      return (await this.http.send({ ...request, token: await this.accessToken() })).body;
    }
  }
}

/** A path segment, percent-encoded. */
function segment(value: string): string {
  return encodeURIComponent(value);
}

/** A new random device id for loginAsGuest (keep it, e.g. in localStorage: it is the guest's only credential). */
export function newDeviceId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (!c?.randomUUID) throw new TypeError("no crypto.randomUUID on this platform (a page needs a secure context)");
  return c.randomUUID();
}
