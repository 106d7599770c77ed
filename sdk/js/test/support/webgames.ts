// A real `webgames serve` for the tests: the built binary on a free port (the
// server binds port 0 and says which), in a temporary data directory, stopped
// by its PID. $WEBGAMES_BINARY names the binary and $WEBGAMES_SOURCE_DIR the
// checkout (ctest sets both; `npm test` in sdk/js falls back on ../../build).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { WebSocket as WsWebSocket } from "ws";

import { WebgamesClient, newDeviceId, type ClientOptions, type WebSocketConstructor } from "../../src/index.js";

export const sourceDir = resolve(process.env.WEBGAMES_SOURCE_DIR ?? resolve(process.cwd(), "../.."));
export const binary = resolve(process.env.WEBGAMES_BINARY ?? join(sourceDir, "build/webgames"));

/** Node 20 has no WebSocket of its own: the `ws` package's, as a page's would be. */
export const NodeWebSocket = WsWebSocket as unknown as WebSocketConstructor;

export class Webgames {
  readonly baseUrl: string;
  readonly dir: string;
  private readonly child: ChildProcess;
  private output = "";

  private constructor(child: ChildProcess, dir: string, baseUrl: string, output: string) {
    this.child = child;
    this.dir = dir;
    this.baseUrl = baseUrl;
    this.output = output;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
  }

  /** Starts `webgames serve` with `flags` added; resolves once it serves. */
  static async start(flags: string[] = []): Promise<Webgames> {
    if (!existsSync(binary)) throw new Error(`no webgames binary at ${binary}: build it, or set WEBGAMES_BINARY`);
    const dir = mkdtempSync(join(tmpdir(), "webgames-sdkjs-"));
    const args = ["serve", "--port", "0", "--data-dir", join(dir, "data"), "--password-cost", "minimum", ...flags];
    const child = spawn(binary, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const baseUrl = await new Promise<string>((resolvePort, reject) => {
      const timer = setTimeout(() => done(new Error(`webgames did not start within 30 s:\n${output}`)), 30_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m?.[1]) done(undefined, m[1]);
      };
      const onExit = (code: number | null) => done(new Error(`webgames exited (${code}) at start:\n${output}`));
      const done = (error?: Error, url?: string) => {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        child.stderr?.off("data", onData);
        child.off("exit", onExit);
        if (error) {
          child.kill("SIGKILL");
          reject(error);
        } else resolvePort(url!);
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.on("exit", onExit);
    });
    return new Webgames(child, dir, baseUrl, output);
  }

  /** The server's output so far (for failure messages). */
  log(): string {
    return this.output;
  }

  /** SIGTERM, SIGKILL after 5 s; removes the data directory. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((r) => this.child.once("exit", () => r()));
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A client of this server, with Node's WebSocket from `ws`. */
  client(options: ClientOptions = {}): WebgamesClient {
    return new WebgamesClient({ baseUrl: this.baseUrl, WebSocket: NodeWebSocket, ...options });
  }

  /** A client logged in as a new guest. */
  async guest(options: ClientOptions = {}): Promise<WebgamesClient> {
    const client = this.client(options);
    await client.loginAsGuest(newDeviceId());
    return client;
  }

  /** Registers `game` (the API's JSON game spec) under a new developer account; resolves with that developer's client. */
  async registerGame(game: Record<string, unknown>): Promise<WebgamesClient> {
    const developer = this.client();
    await developer.register({ username: `dev-${Math.random().toString(36).slice(2, 10)}`, password: "correct horse battery", role: "developer" });
    const response = await fetch(`${this.baseUrl}/v1/games`, {
      method: "POST",
      headers: { Authorization: `Bearer ${developer.tokens!.access_token}` },
      body: JSON.stringify(game),
    });
    if (response.status !== 201) throw new Error(`registering ${String(game.name)}: ${response.status} ${await response.text()}`);
    return developer;
  }
}

/** The test game server that says ready, heartbeats, and ends the session once `endFile` exists. */
export function goodServer(endFile: string): Record<string, unknown> {
  return {
    command: join(sourceDir, "tests/hosting/servers/good.sh"),
    ports: [{ name: "game" }],
    max_duration_s: 120,
    env: { END_FILE: endFile, HEARTBEAT_S: "0.5", DURATION_S: "90" },
  };
}
