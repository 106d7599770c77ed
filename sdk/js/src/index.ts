// @webgames/client: the player's SDK of Webgames (sdk/js/README.md).
export { WebgamesClient, newDeviceId, type ClientOptions, type JoinOptions } from "./client.js";
export { GameConnection, type CloseInfo, type GameMessage, type NextOptions } from "./game_connection.js";
export { EventStream, type EventStreamOptions, type StreamStatus, type WaitOptions } from "./events.js";
export { ApiError, ClientError, WebgamesError, type ClientErrorCode } from "./errors.js";
export type { FetchFunction } from "./http.js";
export type { WebSocketConstructor, WebSocketLike } from "./websocket.js";
export type * from "./types.js";
export type { components, operations, paths } from "./openapi.js";
