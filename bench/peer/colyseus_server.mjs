// The Colyseus side of bench/peer: one room type, "duel", two clients per
// room; a "ping" from a client comes back to it as "pong" with the same
// payload. Colyseus 0.18 (@colyseus/core, @colyseus/ws-transport), one Node
// process for every room: the way Colyseus is deployed by default.
//   node colyseus_server.mjs PORT
import { Server, Room } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";

class Duel extends Room {
  maxClients = 2;
  onCreate() {
    this.onMessage("ping", (client, payload) => client.send("pong", payload));
  }
}

const server = new Server({ transport: new WebSocketTransport(), greet: false });
server.define("duel", Duel);
await server.listen(Number(process.argv[2]), "127.0.0.1");
console.log("colyseus listening");
