// The player's events WebSocket (/v1/events): one stream that survives drops.
// After a drop it reconnects with `since=<last id>`, so that the server sends
// what was missed first; events at or below the last id are dropped, so none
// is seen twice.
import { ApiError, ClientError, WebgamesError } from "./errors.js";
import type { Assignment, EventOf, EventType, SessionEnd, WebgamesEvent } from "./types.js";
import { webSocketUrl, type WebSocketConstructor, type WebSocketLike } from "./websocket.js";

export interface EventStreamOptions {
  /** Start after this event id: the server sends its kept events after it first. Default: 0, every kept event. */
  since?: number;
  /** How many past events `waitFor` can look back on. Default: 256. */
  historySize?: number;
  /** The first delay before reconnecting, doubled after each failed attempt. Default: 250 ms. */
  reconnectDelayMs?: number;
  /** The longest delay between two attempts. Default: 5000 ms. */
  maxReconnectDelayMs?: number;
}

export type StreamStatus =
  | { state: "connecting"; attempt: number }
  /**
   * Open; `since` is the id the connection asked to resume after (0 the
   * first time), `awayMs` how long the stream was without a connection (0
   * the first time). The server keeps a player's last 64 events for 2
   * minutes: after a longer absence some may be gone, so read the ticket or
   * session again.
   */
  | { state: "open"; since: number; reconnects: number; awayMs: number }
  | { state: "reconnecting"; attempt: number; delayMs: number; error: WebgamesError }
  /** For good: `error` says why, absent when close() was called. */
  | { state: "closed"; error?: WebgamesError };

export interface WaitOptions {
  /** Reject with a `timeout` ClientError after this long. Default: no limit. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Consider only events after this id. Default: 0, every event of the history, then the live ones. */
  after?: number;
}

/** What EventStream needs from the client. */
export interface EventStreamDeps {
  baseUrl: string;
  WebSocket: WebSocketConstructor;
  /** A valid access token (refreshed when it is about to expire). */
  accessToken(): Promise<string>;
  /**
   * Called when a connection could not be opened (a browser's WebSocket does
   * not say why): a REST call with the same credentials, which rejects with
   * the API's error when they are refused, and refreshes an expired token.
   */
  checkCredentials(): Promise<void>;
  onClosed(stream: EventStream): void;
}

/** A watcher decides, event by event, whether a wait is over. */
type Verdict<T> = { done: T } | { fail: WebgamesError } | undefined;
type Watcher = (event: WebgamesEvent) => boolean; // true: remove the watcher

export class EventStream {
  private socket: WebSocketLike | undefined;
  private lastEventId: number;
  private readonly history: WebgamesEvent[] = [];
  private readonly historySize: number;
  private readonly listeners = new Set<(event: WebgamesEvent) => void>();
  private readonly statusListeners = new Set<(status: StreamStatus) => void>();
  private readonly watchers = new Set<Watcher>();
  private readonly closeWaiters = new Set<(error: WebgamesError) => void>();
  private status: StreamStatus = { state: "connecting", attempt: 1 };
  private stopped = false;
  private wake: (() => void) | undefined;
  /** When the last connection closed (Date.now()), while there is none. */
  private lostAt: number | undefined;
  private readonly openedOnce: Promise<void>;

  /** Use WebgamesClient.events(). */
  constructor(
    private readonly deps: EventStreamDeps,
    private readonly options: EventStreamOptions = {},
  ) {
    this.lastEventId = options.since ?? 0;
    this.historySize = options.historySize ?? 256;
    this.openedOnce = new Promise<void>((resolve, reject) => {
      const off = this.onStatus((s) => {
        if (s.state === "open") resolve();
        else if (s.state === "closed") reject(s.error ?? new ClientError("closed", "the events stream was closed"));
        else return;
        off();
      });
    });
    this.openedOnce.catch(() => {}); // a stream closed before it opened is not an unhandled rejection
    void this.run();
  }

  /** The id of the last event delivered (or the `since` it started from). */
  get lastId(): number {
    return this.lastEventId;
  }

  get state(): StreamStatus["state"] {
    return this.status.state;
  }

  /** Resolves once the stream is open (the first time); rejects if it closes before. */
  opened(): Promise<void> {
    return this.openedOnce;
  }

  /** Calls `listener` with every event from now on, in order. Returns the unsubscribe function. */
  subscribe(listener: (event: WebgamesEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` on every change of the connection's state. Returns the unsubscribe function. */
  onStatus(listener: (status: StreamStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** The events kept so far (at most `historySize`), oldest first. */
  events(): readonly WebgamesEvent[] {
    return this.history;
  }

  /**
   * The first event of type `type` (and, when given, for which `match` is
   * true), looking first at the history after `options.after`, then at the
   * events to come.
   */
  waitFor<T extends EventType>(
    type: T,
    match?: (event: EventOf<T>) => boolean,
    options: WaitOptions = {},
  ): Promise<EventOf<T>> {
    return this.watch<EventOf<T>>((event) => {
      if (event.type !== type) return undefined;
      const typed = event as EventOf<T>;
      return !match || match(typed) ? { done: typed } : undefined;
    }, options);
  }

  /**
   * Follows ticket `ticketId` to its game server: resolves with the
   * player's assignment (`session.ready`). A session that fails with its
   * players requeued is waited through. Rejects with `ticket_cancelled`,
   * `ticket_expired` or `session_failed` (a ClientError whose message gives
   * the server's reason).
   */
  waitForAssignment(ticketId: string, options: WaitOptions = {}): Promise<Assignment> {
    let ticket = ticketId;
    let matched = false;
    let requeued = false;
    const host = new URL(this.deps.baseUrl).hostname.replace(/^\[|\]$/g, "");
    return this.watch<Assignment>((event) => {
      switch (event.type) {
        case "ticket.queued":
          // After a failed session the player may be queued again under a new ticket.
          if (requeued && event.data.ticket_id !== ticket) ticket = event.data.ticket_id;
          if (event.data.ticket_id === ticket) requeued = false;
          return undefined;
        case "ticket.matched":
          if (event.data.ticket_id === ticket) [matched, requeued] = [true, false];
          return undefined;
        case "ticket.cancelled":
        case "ticket.expired": {
          if (event.data.ticket_id !== ticket) return undefined;
          const expired = event.type === "ticket.expired";
          const why = event.type === "ticket.cancelled" && event.data.message ? `: ${event.data.message}` : "";
          return {
            fail: new ClientError(
              expired ? "ticket_expired" : "ticket_cancelled",
              `ticket ${ticket} ${expired ? "expired before a match was found" : "was cancelled"}${why}`,
            ),
          };
        }
        case "session.ready": {
          if (event.data.ticket_id !== ticket) return undefined;
          const a = event.data;
          const wildcard = a.host === "" || a.host === "0.0.0.0" || a.host === "::";
          return { done: wildcard ? { ...a, host } : a };
        }
        case "session.failed":
          if (!matched) return undefined;
          if (!event.data.requeued)
            return { fail: new ClientError("session_failed", `session ${event.data.session_id} failed: ${event.data.reason}`) };
          [matched, requeued] = [false, true];
          return undefined;
        default:
          return undefined;
      }
    }, options);
  }

  /**
   * The end of session `sessionId`: resolves with `session.ended`'s data
   * (the results); rejects with `session_failed` when it fails instead.
   */
  waitForEnd(sessionId: string, options: WaitOptions = {}): Promise<SessionEnd> {
    return this.watch<SessionEnd>((event) => {
      if (event.type === "session.ended" && event.data.session_id === sessionId)
        return { done: event.data as SessionEnd };
      if (event.type === "session.failed" && event.data.session_id === sessionId)
        return { fail: new ClientError("session_failed", `session ${sessionId} failed: ${event.data.reason}`) };
      return undefined;
    }, options);
  }

  /**
   * Every event of the history, then each one as it comes, until the stream
   * closes (then the loop ends; after a refusal it throws the API's error):
   * `for await (const event of stream) …`. Events queue up for a loop that
   * is busy, so none is missed.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<WebgamesEvent, void, undefined> {
    const queue: WebgamesEvent[] = [...this.history];
    let wakeUp: (() => void) | undefined;
    let end: { error?: WebgamesError } | undefined;
    const off = this.subscribe((event) => {
      queue.push(event);
      wakeUp?.();
    });
    const onClose = (error: WebgamesError) => {
      end = error instanceof ClientError && error.code === "closed" ? {} : { error };
      wakeUp?.();
    };
    this.closeWaiters.add(onClose);
    if (this.status.state === "closed") onClose(this.status.error ?? new ClientError("closed", "closed"));
    try {
      for (;;) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (end) {
          if (end.error) throw end.error;
          return;
        }
        await new Promise<void>((resolve) => (wakeUp = resolve));
        wakeUp = undefined;
      }
    } finally {
      off();
      this.closeWaiters.delete(onClose);
    }
  }

  /** Closes the stream for good; pending waits reject with `closed`. */
  close(): void {
    this.finish(undefined);
  }

  /** Drops the current connection as a network failure would (the stream reconnects). For tests and diagnostics. */
  dropConnection(): void {
    const socket = this.socket;
    if (!socket) return;
    // A dropped link delivers nothing more: messages already buffered in the
    // socket would otherwise move lastId past what the caller saw at the drop.
    socket.onmessage = null;
    socket.close(4000, "dropped by the client");
  }

  private watch<T>(verdict: (event: WebgamesEvent) => Verdict<T>, options: WaitOptions): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.status.state === "closed") {
        reject(this.status.error ?? new ClientError("closed", "the events stream is closed"));
        return;
      }
      if (options.signal?.aborted) {
        reject(new ClientError("aborted", "the wait was aborted"));
        return;
      }
      const after = options.after ?? 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const cleanup = () => {
        this.watchers.delete(watcher);
        this.closeWaiters.delete(onClose);
        if (timer !== undefined) clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
      };
      const settle = (v: Verdict<T>): boolean => {
        if (v === undefined) return false;
        cleanup();
        if ("done" in v) resolve(v.done);
        else reject(v.fail);
        return true;
      };
      const watcher: Watcher = (event) => event.id > after && settle(verdict(event));
      const onClose = (error: WebgamesError) => settle({ fail: error });
      const onAbort = () => settle({ fail: new ClientError("aborted", "the wait was aborted") });
      for (const event of this.history) if (watcher(event)) return;
      this.watchers.add(watcher);
      this.closeWaiters.add(onClose);
      options.signal?.addEventListener("abort", onAbort, { once: true });
      if (options.timeoutMs !== undefined)
        timer = setTimeout(
          () => settle({ fail: new ClientError("timeout", `no such event within ${options.timeoutMs} ms`) }),
          options.timeoutMs,
        );
    });
  }

  private setStatus(status: StreamStatus): void {
    this.status = status;
    for (const listener of [...this.statusListeners]) listener(status);
  }

  private finish(error: WebgamesError | undefined): void {
    if (this.stopped) return;
    this.stopped = true;
    this.wake?.();
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.onmessage = null; // nothing more is delivered; the close still ends run()'s wait
      socket.close(1000, "bye");
    }
    const reason = error ?? new ClientError("closed", "the events stream was closed");
    for (const waiter of [...this.closeWaiters]) waiter(reason);
    this.setStatus(error ? { state: "closed", error } : { state: "closed" });
    this.deps.onClosed(this);
  }

  private async run(): Promise<void> {
    let attempt = 1;
    let opens = 0;
    this.lostAt = undefined;
    while (!this.stopped) {
      this.setStatus({ state: "connecting", attempt });
      let error: WebgamesError;
      let opened = false;
      try {
        const token = await this.deps.accessToken();
        if (this.stopped) return;
        const outcome = await this.connectOnce(token, opens);
        // A newer stream of the same player took this one's place: the
        // player is listening there, and a reconnect would only take it back.
        if (outcome.replaced) return this.finish(outcome.error);
        opened = outcome.opened;
        error = outcome.error;
      } catch (e) {
        if (isRefusal(e)) return this.finish(e as WebgamesError);
        error = asWebgamesError(e);
      }
      if (this.stopped) return;
      if (opened) {
        opens += 1;
        attempt = 1;
      } else {
        try {
          await this.deps.checkCredentials();
        } catch (e) {
          if (isRefusal(e)) return this.finish(e as WebgamesError);
        }
        attempt += 1;
      }
      const base = this.options.reconnectDelayMs ?? 250;
      const max = this.options.maxReconnectDelayMs ?? 5000;
      const delayMs = Math.round(Math.min(max, base * 2 ** Math.max(0, attempt - 2)) * (0.5 + Math.random() / 2));
      this.setStatus({ state: "reconnecting", attempt, delayMs, error });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** One connection, from open to close. */
  private connectOnce(
    token: string,
    reconnects: number,
  ): Promise<{ opened: boolean; replaced: boolean; error: WebgamesError }> {
    const since = this.lastEventId;
    const query = `?token=${encodeURIComponent(token)}${since > 0 ? `&since=${since}` : ""}`;
    const socket = new this.deps.WebSocket(webSocketUrl(this.deps.baseUrl, `/v1/events${query}`));
    this.socket = socket;
    return new Promise((resolve) => {
      let opened = false;
      socket.onopen = () => {
        opened = true;
        const awayMs = this.lostAt === undefined ? 0 : Date.now() - this.lostAt;
        this.lostAt = undefined;
        this.setStatus({ state: "open", since, reconnects, awayMs });
      };
      socket.onmessage = (message: { data: unknown }) => {
        if (typeof message.data === "string") this.deliver(message.data);
      };
      socket.onerror = () => {
        // The close event follows and says the rest.
      };
      socket.onclose = (event: { code?: number; reason?: string }) => {
        if (this.socket === socket) this.socket = undefined;
        if (opened) this.lostAt = Date.now();
        const why = event.reason ? `${event.code}: ${event.reason}` : `${event.code ?? "no code"}`;
        const replaced = opened && event.code === REPLACED;
        resolve({
          opened,
          replaced,
          error: replaced
            ? new ClientError("replaced", `a newer events stream of this player took this one's place (${why})`)
            : new ClientError("network", opened ? `the events stream closed (${why})` : `could not open the events stream (${why})`),
        });
      };
    });
  }

  private deliver(text: string): void {
    let event: WebgamesEvent;
    try {
      event = JSON.parse(text) as WebgamesEvent;
    } catch {
      return; // not an event of the API; nothing to act on
    }
    if (typeof event !== "object" || event === null || typeof event.id !== "number" || typeof event.type !== "string")
      return;
    if (event.id <= this.lastEventId) return; // seen before the reconnect
    this.lastEventId = event.id;
    this.history.push(event);
    if (this.history.length > this.historySize) this.history.shift();
    for (const watcher of [...this.watchers]) watcher(event);
    for (const listener of [...this.listeners]) listener(event);
  }
}

/** The close code of a stream that a newer one of the same player replaced (GET /v1/events). */
const REPLACED = 1008;

/** An answer that reconnecting cannot change: the credentials are refused, or there is no login. */
function isRefusal(e: unknown): boolean {
  if (e instanceof ApiError) return e.code === "unauthenticated" || e.code === "forbidden";
  return e instanceof ClientError && e.code === "not_logged_in";
}

function asWebgamesError(e: unknown): WebgamesError {
  if (e instanceof WebgamesError) return e;
  return new ClientError("network", e instanceof Error ? e.message : String(e), { cause: e });
}

