// The console's calls to the API (docs/api/openapi.yaml), typed from the
// types generated from it. The login, its refresh and the error answers are
// @webgames/client's (sdk/js); the developer and operator routes the SDK
// does not wrap (it is the players' SDK) are plain fetches here.
import { WebgamesClient, type LeaderboardEntry, type Tokens, type components } from "../../../sdk/js/src/index.js";
import { ClientError, errorFromAnswer } from "../../../sdk/js/src/errors.js";

type Schemas = components["schemas"];
export type Game = Schemas["Game"];
export type QueueSpec = Schemas["QueueSpec"];
export type QueueStats = Schemas["QueueStats"];
export type QueueBreakdown = Schemas["QueueBreakdown"];
export type RatingChange = Schemas["RatingChange"];
export type ApiKey = Schemas["ApiKey"];
export type NewApiKey = Schemas["NewApiKey"];
export type Session = Schemas["Session"];
export type SessionState = Session["state"];
export type Account = Schemas["Account"];
export type { LeaderboardEntry, Tokens };

export const sessionStates: SessionState[] = ["allocating", "starting", "idle", "ready", "running", "ended", "failed"];

export interface GameList {
  items: Game[];
  /** Operators only: the owners' usernames by account id. */
  owners?: Record<string, string>;
}
export interface SessionPage {
  items: Session[];
  next_cursor: string | null;
}
export interface SessionFilters {
  state?: string;
  game?: string;
  player?: string;
  since?: number;
  until?: number;
  limit?: number;
  cursor?: string;
}
/** A chunk of a session's server log (bytes: a chunk may end inside a UTF-8 character), and where the next read starts. */
export interface LogChunk {
  bytes: Uint8Array;
  next: number;
  size: number;
}

const storageKey = "webgames-console-login";

/** A request body as sent: its media type and text. */
interface TextBody {
  type: string;
  text: string;
}

/** The API as the console uses it, for one login (kept in sessionStorage across reloads). */
export class ConsoleApi {
  readonly client: WebgamesClient;

  constructor(readonly baseUrl: string = location.origin) {
    let tokens: Tokens | undefined;
    try {
      const saved = sessionStorage.getItem(storageKey);
      tokens = saved ? (JSON.parse(saved) as Tokens) : undefined;
    } catch {
      tokens = undefined;
    }
    this.client = new WebgamesClient({ baseUrl, tokens });
    this.client.onLoginChange((t) => {
      if (t) sessionStorage.setItem(storageKey, JSON.stringify(t));
      else sessionStorage.removeItem(storageKey);
    });
  }

  get account(): Account | undefined {
    return this.client.account;
  }
  get isOperator(): boolean {
    return this.client.account?.role === "operator";
  }

  login(username: string, password: string): Promise<Account> {
    return this.client.login(username, password);
  }
  logout(): Promise<void> {
    return this.client.logout();
  }

  /** One call with the access token (refreshed when due, once more on token_expired); the JSON answer. */
  async call<T>(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.send(method, path, body === undefined ? undefined : { type: "application/json", text: JSON.stringify(body) }, signal);
    const text = await response.text();
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  private async send(method: string, path: string, body: TextBody | undefined, signal: AbortSignal | undefined, retried = false): Promise<Response> {
    const token = await this.client.accessToken();
    const headers: Record<string, string> = { Accept: "application/json", Authorization: `Bearer ${token}` };
    if (body !== undefined) headers["Content-Type"] = body.type;
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, { method, headers, body: body?.text, signal });
    } catch (cause) {
      if (signal?.aborted) throw new ClientError("aborted", `${method} ${path}: aborted`, { cause });
      throw new ClientError("network", `${method} ${path}: the server cannot be reached`, { cause });
    }
    if (response.ok) return response;
    const error = errorFromAnswer(response.status, await response.text(), response.headers.get("X-Request-Id") ?? undefined);
    if (error.code === "token_expired" && !retried) {
      await this.client.refresh(token);
      return this.send(method, path, body, signal, true);
    }
    throw error;
  }

  listGames(signal?: AbortSignal): Promise<GameList> {
    return this.call("GET", "/v1/games", undefined, signal);
  }
  getGame(name: string, signal?: AbortSignal): Promise<Game> {
    return this.call("GET", `/v1/games/${enc(name)}`, undefined, signal);
  }
  createGame(game: unknown): Promise<Game> {
    return this.call("POST", "/v1/games", game);
  }
  replaceGame(name: string, game: unknown): Promise<Game> {
    return this.call("PUT", `/v1/games/${enc(name)}`, game);
  }
  /** The game written in TOML (docs/game-spec.md): the server reads it; its errors give their `line`. */
  async createGameToml(toml: string): Promise<Game> {
    return (await this.send("POST", "/v1/games", { type: "application/toml", text: toml }, undefined)).json() as Promise<Game>;
  }
  async replaceGameToml(name: string, toml: string): Promise<Game> {
    return (await this.send("PUT", `/v1/games/${enc(name)}`, { type: "application/toml", text: toml }, undefined)).json() as Promise<Game>;
  }
  async deleteGame(name: string): Promise<void> {
    await this.call("DELETE", `/v1/games/${enc(name)}`);
  }
  queueStats(game: string, queue: string, signal?: AbortSignal): Promise<QueueStats> {
    return this.call("GET", `/v1/games/${enc(game)}/queues/${enc(queue)}/stats`, undefined, signal);
  }
  async leaderboard(game: string, queue: string, limit = 10, signal?: AbortSignal): Promise<LeaderboardEntry[]> {
    const board = await this.call<{ items: LeaderboardEntry[] }>(
      "GET",
      `/v1/queues/${enc(game)}/${enc(queue)}/leaderboard?limit=${limit}`,
      undefined,
      signal,
    );
    return board.items;
  }
  listSessions(filters: SessionFilters, signal?: AbortSignal): Promise<SessionPage> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(filters))
      if (value !== undefined && value !== "") query.set(name, String(value));
    const q = query.toString();
    return this.call("GET", `/v1/sessions${q ? `?${q}` : ""}`, undefined, signal);
  }
  getSession(id: string, signal?: AbortSignal): Promise<Session> {
    return this.call("GET", `/v1/sessions/${enc(id)}`, undefined, signal);
  }
  /** The server log from byte `offset` on (the last 1 MiB when undefined). */
  async sessionLog(id: string, offset: number | undefined, signal?: AbortSignal): Promise<LogChunk> {
    const query = offset === undefined ? "" : `?offset=${offset}`;
    const response = await this.send("GET", `/v1/sessions/${enc(id)}/log${query}`, undefined, signal);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const start = Number(response.headers.get("X-Log-Offset") ?? offset ?? 0);
    const size = Number(response.headers.get("X-Log-Size") ?? start + bytes.length);
    return { bytes, next: start + bytes.length, size };
  }
  async listKeys(signal?: AbortSignal): Promise<ApiKey[]> {
    return (await this.call<{ items: ApiKey[] }>("GET", "/v1/apikeys", undefined, signal)).items;
  }
  createKey(name: string): Promise<NewApiKey> {
    return this.call("POST", "/v1/apikeys", { name });
  }
  async deleteKey(id: string): Promise<void> {
    await this.call("DELETE", `/v1/apikeys/${enc(id)}`);
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
