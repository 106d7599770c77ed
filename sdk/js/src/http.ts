// One HTTP exchange with the API: JSON in, JSON out, errors as ApiError or
// ClientError, a deadline on every call.
import { ClientError, errorFromAnswer } from "./errors.js";

export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** The path and query, starting with `/`. */
  path: string;
  body?: unknown;
  token?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Extra request headers (an `Idempotency-Key`). */
  headers?: Record<string, string> | undefined;
}

export interface HttpAnswer {
  status: number;
  /** The parsed JSON body; undefined for an empty one (204). */
  body: unknown;
}

export class HttpTransport {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchFn: FetchFunction,
    private readonly timeoutMs: number,
  ) {}

  /** Sends `request`; resolves with a 2xx answer, rejects with ApiError or ClientError otherwise. */
  async send(request: HttpRequest): Promise<HttpAnswer> {
    const headers: Record<string, string> = { ...request.headers, Accept: "application/json" };
    if (request.token) headers.Authorization = `Bearer ${request.token}`;
    let body: string | undefined;
    if (request.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(request.body);
    }
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
    const onAbort = () => deadline.abort();
    if (request.signal?.aborted) deadline.abort();
    else request.signal?.addEventListener("abort", onAbort, { once: true });
    const what = `${request.method} ${request.path}`;
    try {
      let response: Response;
      let text: string;
      try {
        response = await this.fetchFn(this.baseUrl + request.path, {
          method: request.method,
          headers,
          body,
          signal: deadline.signal,
        });
        text = await response.text();
      } catch (cause) {
        if (request.signal?.aborted) throw new ClientError("aborted", `${what}: aborted`, { cause });
        if (deadline.signal.aborted)
          throw new ClientError("timeout", `${what}: no answer within ${this.timeoutMs} ms`, { cause });
        throw new ClientError("network", `${what}: ${describe(cause)}`, { cause });
      }
      const requestId = response.headers.get("X-Request-Id") ?? undefined;
      if (response.status < 200 || response.status > 299) throw errorFromAnswer(response.status, text, requestId);
      if (text === "") return { status: response.status, body: undefined };
      try {
        return { status: response.status, body: JSON.parse(text) };
      } catch (cause) {
        throw new ClientError("bad_response", `${what}: the answer is not JSON`, { cause });
      }
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", onAbort);
    }
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    return inner instanceof Error ? `${cause.message} (${inner.message})` : cause.message;
  }
  return String(cause);
}
