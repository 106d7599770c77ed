// Two guests play Shifumi (games/shifumi) to the end through the API's relay
// (GET /v1/sessions/{id}/connect), as a page would: the SDK's joinSession
// and the game's messages over WebSocket; then the results and the ratings.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { ApiError, ClientError, type GameConnection, type WebgamesClient } from "../src/index.js";
import { sourceDir, Webgames } from "./support/webgames.js";

const shifumiServer = process.env.SHIFUMI_SERVER ?? join(sourceDir, "build/games/shifumi/shifumi-server");
let server: Webgames;

before(async () => {
  if (!existsSync(shifumiServer)) throw new Error(`no shifumi-server at ${shifumiServer}: build it, or set SHIFUMI_SERVER`);
  server = await Webgames.start();
  await server.registerGame({
    name: "shifumi",
    server: {
      command: shifumiServer,
      ports: [
        { name: "game", protocol: "tcp" },
        { name: "ws", protocol: "ws" },
      ],
      max_duration_s: 120,
      env: { SHIFUMI_ROUNDS: "3" },
    },
    queues: [{ name: "duel", teams: 2, team_size: 1 }],
  });
});

after(async () => {
  await server?.stop();
});

type ShifumiMessage = { type: string; [key: string]: unknown };

/** Plays `move` every round until the game is over; returns game_over. */
async function play(connection: GameConnection, move: string): Promise<ShifumiMessage> {
  for (;;) {
    const message = (await connection.next({ timeoutMs: 30_000 })) as ShifumiMessage;
    if (message.type === "round") connection.send({ type: "move", move });
    else if (message.type === "game_over") return message;
    else if (message.type === "error") assert.fail(`the game server said ${JSON.stringify(message)}`);
  }
}

test("two guests play Shifumi through the relay, to the end", async (t) => {
  const [alice, bob] = (await Promise.all([server.guest(), server.guest()])) as [WebgamesClient, WebgamesClient];
  const streams = [alice.events(), bob.events()];
  t.after(() => streams.forEach((s) => s.close()));
  await Promise.all(streams.map((s) => s.opened()));
  const tickets = await Promise.all([alice.createTicket("shifumi", "duel"), bob.createTicket("shifumi", "duel")]);
  const [a, b] = await Promise.all(streams.map((s, i) => s.waitForAssignment(tickets[i]!.id, { timeoutMs: 30_000 })));
  assert.equal(a!.session_id, b!.session_id);

  // alice's join token is spoilt: the relay refuses it, the SDK reads the
  // session and joins with the fresh token it holds.
  const spoilt = `${a!.join_token.slice(0, -4)}AAAA`;
  const [aliceGame, bobGame] = await Promise.all([
    alice.joinSession({ session_id: a!.session_id, join_token: spoilt }),
    bob.joinSession(b!),
  ]);
  t.after(() => [aliceGame, bobGame].forEach((c) => c.close()));
  const welcome = (await aliceGame.next({ timeoutMs: 30_000 })) as ShifumiMessage;
  assert.equal(welcome.type, "welcome");
  assert.equal(welcome.player, alice.account!.id);

  // Rock beats scissors, every round: alice wins.
  const [aliceOver, bobOver] = await Promise.all([play(aliceGame, "rock"), play(bobGame, "scissors")]);
  assert.equal(aliceOver.winner, alice.account!.id);
  assert.deepEqual(bobOver, aliceOver);
  assert.equal(aliceOver.reason, "score");
  const closed = await aliceGame.closed;
  assert.ok(closed.code === 1000 || closed.code === 1001, `closed with ${closed.code}`);

  const end = await streams[0]!.waitForEnd(a!.session_id, { timeoutMs: 30_000 });
  const first = end.results.find((r) => r.rank === 1);
  assert.equal(first?.player_id, alice.account!.id);
  assert.ok((await alice.getRating("shifumi", "duel")).mu > 25);
  assert.ok((await bob.getRating("shifumi", "duel")).mu < 25);

  // The session is over: joining it again says so.
  await assert.rejects(
    bob.joinSession(b!),
    (e: unknown) => e instanceof ClientError && e.code === "session_failed" && /ended/.test(e.message),
  );
});

test("joining a session that does not exist is refused with the API's error", async () => {
  const carol = await server.guest();
  await assert.rejects(
    carol.joinSession({ session_id: "ses_nosuchsession00000000", join_token: "x.y.z" }),
    (e: unknown) => e instanceof ApiError && e.status === 404 && e.code === "not_found" && e.field === "session",
  );
});
