// A player's connection to their game server through the API's relay,
// GET /v1/sessions/{session}/connect (a WebSocket; docs/api/openapi.yaml):
// the page needs nothing but the API's origin. Messages are the game's own.
import { ClientError } from "./errors.js";
import type { WebSocketLike } from "./websocket.js";

/** A message from the game server: parsed JSON for a text message that holds JSON, else the raw data. */
export type GameMessage = unknown;

export interface NextOptions {
  /** Reject with a `timeout` ClientError after this long. Default: no limit. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface CloseInfo {
  code: number;
  reason: string;
}

/**
 * One open connection to the game server. Incoming messages queue up until
 * read with next() (or go to the onMessage listeners as they come: a
 * message is either read or listened to, never dropped silently).
 */
export class GameConnection {
  private readonly queue: GameMessage[] = [];
  private readonly readers: Array<{ accept: (m: GameMessage) => void; fail: (e: ClientError) => void }> = [];
  private readonly listeners = new Set<(message: GameMessage) => void>();
  private closeInfo: CloseInfo | undefined;
  /** Resolves when the connection closes, with the close code and reason. */
  readonly closed: Promise<CloseInfo>;

  /** Use WebgamesClient.joinSession(). REQUIRES: `socket` is open. */
  constructor(readonly socket: WebSocketLike) {
    socket.binaryType = "arraybuffer";
    this.closed = new Promise<CloseInfo>((resolve) => {
      socket.onclose = (event: { code?: number; reason?: string }) => {
        this.closeInfo = { code: event.code ?? 1006, reason: event.reason ?? "" };
        const error = new ClientError("closed", `the game connection closed (${this.closeInfo.code}${this.closeInfo.reason ? `: ${this.closeInfo.reason}` : ""})`);
        for (const reader of this.readers.splice(0)) reader.fail(error);
        resolve(this.closeInfo);
      };
    });
    socket.onmessage = (event: { data: unknown }) => this.receive(event.data);
    socket.onerror = () => {
      // The close event follows.
    };
  }

  /** Whether the connection is closed. */
  get isClosed(): boolean {
    return this.closeInfo !== undefined;
  }

  /** Sends `message` as one JSON text message. */
  send(message: unknown): void {
    this.sendRaw(JSON.stringify(message));
  }

  /** Sends a text or binary message as it is. Throws `closed` once the connection closed. */
  sendRaw(data: string | ArrayBuffer | ArrayBufferView): void {
    if (this.closeInfo) throw new ClientError("closed", "the game connection is closed");
    this.socket.send(data);
  }

  /**
   * Calls `listener` with every message from now on, instead of queueing it
   * for next(). Returns the unsubscribe function.
   */
  onMessage(listener: (message: GameMessage) => void): () => void {
    this.listeners.add(listener);
    for (const message of this.queue.splice(0)) listener(message);
    return () => this.listeners.delete(listener);
  }

  /**
   * The next message, in order (those that came before are read first).
   * Rejects with `closed` when the connection closes with nothing left to read.
   */
  next(options: NextOptions = {}): Promise<GameMessage> {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift());
    if (this.closeInfo) return Promise.reject(new ClientError("closed", "the game connection is closed"));
    return new Promise<GameMessage>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        const i = this.readers.indexOf(reader);
        if (i >= 0) this.readers.splice(i, 1);
        if (timer !== undefined) clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
      };
      const reader = {
        accept: (m: GameMessage) => {
          done();
          resolve(m);
        },
        fail: (e: ClientError) => {
          done();
          reject(e);
        },
      };
      const onAbort = () => reader.fail(new ClientError("aborted", "the read was aborted"));
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener("abort", onAbort, { once: true });
      if (options.timeoutMs !== undefined)
        timer = setTimeout(() => reader.fail(new ClientError("timeout", `no message within ${options.timeoutMs} ms`)), options.timeoutMs);
      this.readers.push(reader);
    });
  }

  /** Closes the connection (normal closure unless told otherwise). */
  close(code = 1000, reason = ""): void {
    if (!this.closeInfo) this.socket.close(code, reason);
  }

  private receive(data: unknown): void {
    let message: GameMessage = data;
    if (typeof data === "string") {
      try {
        message = JSON.parse(data);
      } catch {
        message = data;
      }
    }
    if (this.listeners.size > 0) {
      for (const listener of [...this.listeners]) listener(message);
      return;
    }
    const reader = this.readers.shift();
    if (reader) reader.accept(message);
    else this.queue.push(message);
  }
}
