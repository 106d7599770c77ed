// The part of the WebSocket API the SDK uses: what a browser's WebSocket and
// Node's `ws` package both provide, so that either can be passed in.

/** A WebSocket as the WHATWG interface has it (browsers, `ws`, undici). */
export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol: string;
  binaryType: string;
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
  // The handlers' events differ a little between implementations: the SDK
  // reads only `data` (message), `code` and `reason` (close).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onopen: ((event: any) => void) | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onmessage: ((event: any) => void) | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onclose: ((event: any) => void) | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onerror: ((event: any) => void) | null;
}

/** `WebSocket` of a browser, or `WebSocket` from the `ws` package in Node 20. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export const kOpen = 1;

/** The platform's WebSocket (browsers, Node 22 and later), if it has one. */
export function platformWebSocket(): WebSocketConstructor | undefined {
  return (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
}

/** `http://host/…` → `ws://host/path`, `https://` → `wss://`. */
export function webSocketUrl(baseUrl: string, pathAndQuery: string): string {
  return baseUrl.replace(/^http(s?):\/\//i, "ws$1://") + pathAndQuery;
}
