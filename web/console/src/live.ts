// The console events WebSocket, GET /v1/console/events?token=…: frames
// {"type":"overview.sample"|"session.changed","data":{…}}. One socket for the
// whole page; views subscribe to a type. It reconnects by itself with a
// backoff (0.5 s doubling to 15 s, with jitter), asking for a fresh token each
// time; the header's status line says whether the page is live.
import type { ConsoleApi } from "./api.js";

export type LiveStatus = "connecting" | "live" | "reconnecting" | "closed";
type Listener = (data: unknown) => void;

export class LiveEvents {
  private socket: WebSocket | undefined;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly statusListeners = new Set<(status: LiveStatus, detail: string) => void>();
  private readonly openListeners = new Set<() => void>();
  private retryMs = 500;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  status: LiveStatus = "closed";

  constructor(private readonly api: ConsoleApi) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.onclose = socket.onmessage = socket.onerror = socket.onopen = null;
      socket.close();
    }
    this.setStatus("closed", "");
  }

  /** Calls `listener` with each frame of `type`'s data; returns the unsubscribe. */
  on(type: string, listener: Listener): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  }

  /**
   * Calls `listener` each time the socket opens again after a break (events
   * are not replayed: read the state again then); returns the unsubscribe.
   */
  onReopen(listener: () => void): () => void {
    this.openListeners.add(listener);
    return () => this.openListeners.delete(listener);
  }

  onStatus(listener: (status: LiveStatus, detail: string) => void): void {
    this.statusListeners.add(listener);
    listener(this.status, "");
  }

  private setStatus(status: LiveStatus, detail: string): void {
    this.status = status;
    for (const l of this.statusListeners) l(status, detail);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.setStatus(this.status === "closed" ? "connecting" : "reconnecting", "");
    let token: string;
    try {
      token = await this.api.client.accessToken();
    } catch {
      return this.retry("no login");
    }
    if (this.stopped) return;
    const url = `${this.api.baseUrl.replace(/^http/, "ws")}/v1/console/events?token=${encodeURIComponent(token)}`;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      const reopened = this.status === "reconnecting";
      this.retryMs = 500;
      this.setStatus("live", "");
      if (reopened) for (const l of [...this.openListeners]) l();
    };
    socket.onmessage = (event: MessageEvent) => {
      let frame: { type?: unknown; data?: unknown };
      try {
        frame = JSON.parse(String(event.data)) as typeof frame;
      } catch {
        return;
      }
      if (typeof frame.type !== "string") return;
      for (const l of [...(this.listeners.get(frame.type) ?? [])]) l(frame.data);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.retry(event.reason || `closed (${event.code})`);
    };
  }

  private retry(why: string): void {
    if (this.stopped) return;
    const wait = this.retryMs * (0.8 + Math.random() * 0.4);
    this.retryMs = Math.min(this.retryMs * 2, 15_000);
    this.setStatus("reconnecting", `${why}; again in ${(wait / 1000).toFixed(1)} s`);
    this.timer = setTimeout(() => void this.connect(), wait);
  }
}
