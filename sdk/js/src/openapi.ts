// Generated from docs/api/openapi.yaml by openapi-typescript (sdk/js/scripts/generate-types.mjs).
// Do not edit: run `npm run generate` in sdk/js after changing the API document.

export type paths = {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness
         * @description 200 whenever the process serves HTTP. It does not check the database.
         */
        get: operations["healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness
         * @description Whether this replica can serve now, for a load balancer's health
         *     checks: 200 when the Catalog (SQLite or PostgreSQL) answers a cheap
         *     query, 503 `unavailable` naming the part that does not (`field`
         *     `catalog`) otherwise; with `--live-state redis://…`, also 503 with
         *     `field` `live_state` while the replica's Redis connections are down.
         *     The answer is kept for one second, so probes cost the database at
         *     most about one query a second. It turns 200 again by itself when the
         *     database (or Redis) is back.
         */
        get: operations["readyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description The Prometheus text exposition format, version 0.0.4. Every metric,
         *     with its type and labels, is listed in docs/operations.md (Metrics):
         *     HTTP requests and their durations, WebSockets open (events and
         *     relay), event loop lag, the queues' gauges, tickets created,
         *     matched, cancelled and expired, matches formed, sessions started,
         *     ended and failed (by game, runtime and kind of reason), time to
         *     ready and time to play, sessions by state, servers running, ports in
         *     use and free, and in the scaled mode Redis and PostgreSQL latencies.
         *     Requests that matched no route are counted under `method=""`,
         *     `route="unmatched"`.
         *     Not protected: bind the server to a private address or filter this
         *     path at the proxy.
         */
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/play": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The /play page
         * @description The player's page (web/play, built by `make build` into
         *     `http.static_dir`, by default `pages` beside the webgames binary): its
         *     index.html. `Cache-Control: no-cache` and an `ETag` (a hash of the
         *     content): a browser revalidates with `If-None-Match` and gets a 304
         *     while the file is unchanged. 404 when the page is not built there.
         */
        get: operations["playPage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/play/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A file of the /play page
         * @description One file of the page's folder, by exact name (letters, digits, `.`,
         *     `-`, `_`; no dotfile, no subfolder: anything else is a 404 and never
         *     reaches the file system). The Content-Type follows the extension
         *     (.js, .css, .html, .json, .svg, .png, .ico, .map, .txt, .woff2;
         *     otherwise application/octet-stream), with `X-Content-Type-Options:
         *     nosniff`; caching as for /play.
         */
        get: operations["playPageFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an account and log in
         * @description Creates a password account and starts a login (an access token and a
         *     refresh token). `role` is `player` unless given; `developer` is
         *     refused with 403 when the installation closed developer sign-up
         *     (`auth.developer_signup = false`). `operator` is always refused with
         *     403 `forbidden` (field `role`): operators are made on the server with
         *     `webgames ctl operator create` (docs/auth.md). The password is stored
         *     only as an Argon2id hash.
         */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in with a username and password
         * @description Starts a login. An unknown username and a wrong password get the same
         *     401 (field `password`), in about the same time. Guest accounts cannot
         *     log in here. Any field other than `username` and `password` answers
         *     400.
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/guest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in as a guest
         * @description The device id is the guest's only credential: the same id always logs
         *     into the same guest account (created on first use, role `player`,
         *     username `guest-` followed by 20 hexadecimal characters). Keep it as
         *     secret as a password. Any field other than `device_id` answers 400.
         */
        post: operations["guest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Trade a refresh token for new tokens
         * @description Rotates the refresh token: the one presented stops working and a new
         *     one, valid for `auth.refresh_ttl_s` from now, is returned with a new
         *     access token. A token that was already used, was revoked by logout,
         *     or has expired gets 401 (field `refresh_token`). A token presented
         *     again more than 10 seconds after its rotation was copied: its login
         *     ends as at a logout (every token of it stops working, its streams
         *     close with 4003). Any field other than `refresh_token` answers 400.
         */
        post: operations["refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End the login behind the access token
         * @description Revokes the login's refresh token chain, and makes this server process
         *     refuse every access token of that login at once. Other processes, and
         *     this one after a restart, accept those access tokens until they expire
         *     (at most `auth.access_ttl_s`); see docs/auth.md. An API key cannot log
         *     out (400): delete the key instead. The body is not read.
         */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/account": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The account behind the credentials
         * @description Any account, player or developer; with an API key, the developer who made it.
         */
        get: operations["getAccount"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apikeys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List your API keys
         * @description Developers only. Oldest first. The secrets are not shown, only their first 10 characters (`prefix`).
         */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key
         * @description Developers only. The answer holds the key itself (`key`, `wgk_…`),
         *     shown this once: the server keeps only its SHA-256. The key acts as
         *     the developer on every developer route, until it is deleted; it does
         *     not expire. Any field other than `name` answers 400.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apikeys/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete one of your API keys
         * @description Developers only. The key stops working at once, in every process.
         *     A key that is not yours answers 404 (field `key`), as if it did not
         *     exist; to an operator, another developer's key answers 403
         *     `forbidden` (field `key`).
         */
        delete: operations["deleteApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/games": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List your games (an operator, every game)
         * @description Developers only: the caller's games, ordered by name. To an
         *     operator, every developer's games, ordered by name, and `owners`:
         *     the username of each game's owner, by account id.
         */
        get: operations["listGames"];
        put?: never;
        /**
         * Register a game
         * @description Developers only. The body is a game spec (docs/game-spec.md); the
         *     caller becomes its owner. Defaults are filled in and the stored game
         *     is returned, with a new `id`. Names are unique across the
         *     installation among live games (players queue by name): a name taken
         *     by any developer answers 409 (field `name`). A deleted game's name is
         *     free again, and the game registered under it is a new game (a new
         *     `id`) with none of the old one's sessions, logs, ratings or stats.
         */
        post: operations["createGame"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/games/{game}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Show one of your games
         * @description Developers only. A game that does not exist and another developer's
         *     game answer the same 404 (`no such game`, field `game`); an operator
         *     reads any game. Served from
         *     an in-process cache: a change made through this server process is
         *     seen at once, one made by another process after at most
         *     `data.game_cache_ttl_ms` (default 5000 ms).
         */
        get: operations["getGame"];
        /**
         * Replace one of your games' spec
         * @description Developers only. The body replaces the whole spec: a field left out
         *     takes its default, not its previous value. `name` may be left out;
         *     when given it must equal the path (422 otherwise: a game cannot be
         *     renamed). `id`, `owner_id`, `created_at` and `updated_at` may be sent
         *     back as read and are ignored: the game keeps its id. A queue the new
         *     spec no longer has ends: its waiting tickets are cancelled
         *     (`ticket.cancelled` with `reason` `queue_removed`); the other queues'
         *     tickets wait on under the new rules (those the new rules refuse are
         *     cancelled with `reason` `rules_changed`). Sessions already formed go
         *     on with the spec they started with. The body is checked before the game is
         *     looked up, so an invalid body answers 400 or 422 even for a game you
         *     cannot see. No upsert: an unknown game, like another developer's,
         *     answers 404. To an operator, another developer's game answers 403
         *     `forbidden` (field `game`): operators read, they do not change.
         */
        put: operations["replaceGame"];
        post?: never;
        /**
         * Delete one of your games
         * @description Developers only. A game that does not exist and another developer's
         *     game answer the same 404 (to an operator, another developer's game
         *     answers 403 `forbidden`, field `game`). The game's queues end: every waiting ticket
         *     is cancelled (its players are told `ticket.cancelled` with `reason`
         *     `game_deleted`), and tickets for it are refused from then on.
         *     Sessions already formed (even those still waiting for a port) go on
         *     with the spec they started with and keep their history. The name
         *     becomes free again; a game registered under it later is another game.
         */
        delete: operations["deleteGame"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/games/{game}/queues/{queue}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Matchmaking statistics of one of your game's queues
         * @description Developers only; another developer's game answers 404 as if it did not
         *     exist (an operator reads any game's), and so does a queue the game
         *     does not have. Figures of this
         *     server process's matchmaker (docs/matchmaking.md): zeros before the
         *     queue's first ticket. The same figures are gauges in `/metrics`
         *     (`webgames_queue_*{game,queue}`).
         */
        get: operations["getQueueStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/parties": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a party and lead it
         * @description Any account. The caller becomes the leader and first member, and gets
         *     the party's invite `code` to give to friends. A player is in at most
         *     one party: 409 (field `party`) when the caller is in one already. The
         *     body is not read. The party is saved before the answer: it survives
         *     a restart of the server. A party that holds no ticket and sees no
         *     change for `hosting.party_idle_s` (an hour by default) is disbanded,
         *     its members told (`party.disbanded`, reason `idle`). Creations are
         *     rate limited per client address and per player
         *     (`limits.party_creates_per_address`,
         *     `limits.party_creates_per_player`): 429 with `Retry-After`, field
         *     `address` or `player`.
         */
        post: operations["createParty"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/parties/join": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Join a party by its code
         * @description Any account. The code is compared exactly (the codes the server makes
         *     are 8 capital letters and digits). Joining a party you are already in
         *     answers 200 with the party. The other members are told
         *     (`party.joined`). Refused with 409 when you are in another party
         *     (field `party`), when you hold a ticket (field `ticket`), when the
         *     party is queued (its leader holds a ticket) or when it already has
         *     16 members (field `code`). An unknown code is 404 (field `code`).
         *     Joins are rate limited per client address and per player
         *     (`limits.party_joins_per_address`, `limits.party_joins_per_player`):
         *     429 with `Retry-After`, field `address` or `player`.
         */
        post: operations["joinParty"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/parties/{party}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Show your party
         * @description Members only. A party you are not in answers 404 (`no such party`, field `party`), as if it did not exist.
         */
        get: operations["getParty"];
        put?: never;
        post?: never;
        /**
         * Disband your party
         * @description The leader only (403, field `party`, for another member). Every other
         *     member is told (`party.disbanded`) and is free to join or create
         *     another party; the code stops working. While the party is queued
         *     (holds a ticket) the answer is 409 (field `ticket`): cancel the
         *     ticket first.
         */
        delete: operations["disbandParty"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/parties/{party}/leave": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Leave your party
         * @description Members only. The remaining members are told (`party.left`). The
         *     leader leaving disbands the party (as DELETE does). While the party is
         *     queued (holds a ticket) the answer is 409 (field `ticket`): cancel the
         *     ticket first. The body is not read.
         */
        post: operations["leaveParty"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/queues/{game}/{queue}/tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Queue for a match
         * @description Any account, for any registered game. Queues the caller alone or,
         *     when the caller leads a party, the whole party (a member who is not
         *     the leader gets 403, field `party`). A player holds at most one
         *     ticket, their own or their party's: 409 (field `ticket`) when the
         *     caller or a member already holds one. A party larger than the queue's
         *     `team_size` is 422 (field `party`): a party is never split across
         *     teams.
         *
         *     The body (optional; an empty body is `{}`) holds the ticket's
         *     attributes. It is checked before the game is looked up. An unknown
         *     game is 404 (field `game`), an unknown queue of a known game 404
         *     (field `queue`). 503 when the queue already holds 100,000 waiting
         *     tickets. 429 `quota_exceeded` (field `tickets`) when the queues of
         *     the game's developer already hold their `quotas.tickets` waiting
         *     tickets (docs/configuration.md#quotas).
         *
         *     Every player of the ticket is told `ticket.queued` on the events
         *     WebSocket; the ticket may be matched at once (`ticket.matched`). A
         *     queued ticket expires `hosting.ticket_ttl_s` (default 600 s) after it
         *     was created. See docs/hosting.md.
         *
         *     Retrying safely: with an `Idempotency-Key` header, a request repeated
         *     with the same key (its answer was lost, say a replica died while it
         *     forwarded it) answers 201 with the ticket the first one made, as long
         *     as the caller still holds it in this game and queue, instead of 409.
         *     The retry must carry the same body (the same skill, pings and tags,
         *     in any order): a key reused with another body answers 422, field
         *     `idempotency-key`, rather than the first ticket.
         */
        post: operations["createTicket"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/queues/{game}/{queue}/rating": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's rating in one queue
         * @description Any account. The caller's OpenSkill rating (Weng-Lin, Plackett-Luce)
         *     in this queue of this game: `mu` the estimate, `sigma` its
         *     uncertainty, `ordinal` = mu − 3σ for display, `matches` the rated
         *     matches it rests on. A player never rated gets the initial rating
         *     (25 ± 25/3, 0 matches). Ratings change when a session ends with a
         *     report that ranks its teams; see docs/ratings.md. An unknown game is
         *     404 (field `game`), an unknown queue 404 (field `queue`).
         */
        get: operations["getRating"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/queues/{game}/{queue}/leaderboard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The best-rated players of one queue
         * @description Any account. The players of this queue with the highest `ordinal`
         *     (mu − 3σ) first, with their usernames; only players rated at least
         *     once appear. `limit` (default 100, 1 to 1000; otherwise 422, field
         *     `limit`). An unknown game or queue is 404 (field `game` or `queue`).
         */
        get: operations["getLeaderboard"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tickets/{ticket}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Show a ticket you are on
         * @description Any player of the ticket (every member of a queued party). A ticket
         *     you are not on answers 404 (`no such ticket`, field `ticket`). A
         *     ticket exists while it is `queued` or `matched`: once cancelled,
         *     expired, or done with (its session ended or failed without a
         *     requeue) it is gone, and the answer is 404 too.
         */
        get: operations["getTicket"];
        put?: never;
        post?: never;
        /**
         * Cancel a queued ticket
         * @description Any player of the ticket, not only the party's leader. Every player
         *     of the ticket is told `ticket.cancelled`, and the ticket is gone.
         *     Once matched a ticket cannot be cancelled: 409 (`the ticket is
         *     matched already`, field `ticket`).
         */
        delete: operations["cancelTicket"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Sessions across your games (an operator, every session)
         * @description Developers only: the sessions of the caller's games; to an operator,
         *     every developer's. Newest first (by the time they were matched), as
         *     recorded in the catalog, one page at a time: when `next_cursor` is a
         *     string, send it back as `cursor` (with the same filters) for the next
         *     page; it is null on the last one. Every filter is optional and they
         *     combine. Each parameter may be given once; an unknown one, a repeated
         *     one or a bad value answers 422 with `field` naming it.
         */
        get: operations["listSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Show a session you play in, or one of your game's
         * @description The session's players, the developer who owns its game and operators
         *     may see it; anyone else gets 404 (`no such session`, field `session`), as for an
         *     unknown id (and for an id longer than 64 bytes). A live session is
         *     read from the director, a finished one from the catalog.
         *
         *     For a player, while the session is `ready` or `running`, the answer
         *     also holds `assignment`: the address and a fresh join token (valid
         *     60 s), for a client that reconnects after its first token expired.
         */
        get: operations["getSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session}/log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The game server's output
         * @description Developers only, for a session of one of their games (404, field
         *     `session`, otherwise); operators, for any session. The server's
         *     standard output and standard error, as written to
         *     `<data.dir>/sessions/<id>/server.log`; the log is kept after the
         *     session ends. Without `offset`, the last 1 MiB at most; with it, at
         *     most 1 MiB from that byte on, so that a client follows the log: the
         *     next read starts at `X-Log-Offset` plus the length of the body (an
         *     offset at or past the end answers an empty body). A session whose
         *     server never started has no log: the answer is 200 with an empty
         *     body.
         */
        get: operations["getSessionLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session}/connect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Join the session's game server through the API (WebSocket relay)
         * @description A WebSocket (RFC 6455) to the session's game server, relayed by the
         *     API: what a browser uses, since a page cannot open `ws://` to a bare
         *     game server from `https://`, nor set headers on a WebSocket. Send a
         *     WebSocket upgrade request; a plain GET answers 426.
         *
         *     Authentication: the player's **join token** (from `session.ready`,
         *     or a fresh one from `GET /v1/sessions/{session}`) in the query
         *     parameter `token`; no access token is needed. The relay checks it
         *     with the join key (signature, `typ` `join`, `sid` this session, not
         *     expired), then opens a WebSocket to the session's server on the
         *     first port of the game spec whose `protocol` is `ws`, at the address
         *     the director recorded (any runtime: process, docker, swarm), and
         *     only then answers the upgrade. The game server checks the token
         *     again: with the C++ SDK the first message must be the join,
         *     `{"type":"join","token":"<join token>"}`, as on its TCP port
         *     (docs/server-sdk.md, "Players' connections").
         *
         *     After the upgrade every message goes through unchanged, text as text
         *     and binary as binary, both ways, at most 65536 bytes each (a larger
         *     one closes that side with 1009 and the other with 1001). A close
         *     from either side is passed to the other with its code and reason;
         *     a side that drops without a close frame closes the other with 1001
         *     (going away). Each direction holds one message at a time: a slow
         *     reader slows the sender down, nothing piles up in the relay. The
         *     relay pings a player silent for 30 s and closes the connection when
         *     the ping goes unanswered for as long again.
         *
         *     Errors come in plain HTTP instead of the upgrade, then the connection
         *     is closed: 404 `not_found` (field `session`) for an unknown session
         *     (or an id longer than 64 bytes); 401 `unauthenticated` or
         *     `token_expired` (field `token`) for a missing token, or one that is
         *     not a valid join token of this session; 409 `conflict` (field
         *     `session`) when the session is not `ready` or `running` (starting,
         *     ended, failed), or its game has no `ws` port; 409 `conflict` (field
         *     `token`) when this join token already holds 4 relays open on this
         *     server (a player needs one); 503 `unavailable`
         *     (field `session`) when the game server does not take the WebSocket.
         *     Every answer, the upgrade (101) included, carries `X-Request-Id`.
         */
        get: operations["connectToSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/games/{game}/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The sessions of one of your games
         * @description Developers only. The game's sessions, live and finished, newest first
         *     (by the time they were matched), as recorded in the catalog: the
         *     state, players, timings, failure reason and results of each. Another
         *     developer's game, like an unknown one, answers 404 (field `game`),
         *     except to an operator. `GET /v1/sessions?game=` lists across games,
         *     with filters and pages.
         */
        get: operations["listGameSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your usage and quotas (an operator, any developer's)
         * @description Developers only; with `developer`, an operator reads another
         *     developer's (a developer asking for anyone's but their own gets 403
         *     `forbidden`, field `developer`; an unknown account 404). What the caller's sessions used, summed per game (by
         *     game id; deleted games included) and in total: live sessions up to
         *     now, finished ones as recorded. And each of the caller's quotas
         *     (docs/configuration.md#quotas) with its `limit` and what is `used`
         *     now: `servers` running, `tickets` waiting in their games' queues,
         *     `cpu` cores and `memory_mb` MiB reserved by their running servers.
         */
        get: operations["getUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sdk/sessions/{session}/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The game server is ready for its players
         * @description Called by the game server once it listens. The session goes from
         *     `starting` to `ready`, and every player is sent `session.ready` with
         *     the address and a join token. A repeated call answers 204 and changes
         *     nothing. The body is not read. See docs/server-sdk.md.
         */
        post: operations["sdkReady"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sdk/sessions/{session}/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The game server is alive
         * @description Expected every 5 s once the server is ready: a `ready` or `running`
         *     session with no heartbeat (or other SDK call about a player) for
         *     `hosting.heartbeat_interval_ms` × `hosting.missed_heartbeats`
         *     (default 15 s) fails and its players are requeued. A heartbeat
         *     before ready is accepted but does not extend the ready timeout. The
         *     body is not read.
         */
        post: operations["sdkHeartbeat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sdk/sessions/{session}/allocation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The match this server hosts (a long poll)
         * @description The allocation step (docs/server-sdk.md#allocation). A server started
         *     for the game's warm pool (WEBGAMES_POOLED=1) says ready with no
         *     players, then asks here which match it hosts: the answer comes as soon
         *     as a match takes the server (its record saved, its players told at
         *     the same moment), or 204 once `wait` passed without one: ask again.
         *     A server started for its match gets its match at once (the same as
         *     WEBGAMES_PLAYERS). 409 once the session ended (a pool server stopped
         *     unused, or failed): exit.
         */
        get: operations["sdkAllocation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sdk/sessions/{session}/backfill": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask for more players
         * @description A `ready` or `running` session asks its queue for `players` more
         *     players for `team` (docs/matchmaking.md#backfill). They are found
         *     under the queue's rules against the session's players (skill window
         *     around their mean, the session's region, its attribute values); once
         *     the request has waited the queue's start_below_max_after_s, fewer may
         *     come. Each new player gets a `session.ready` event with an assignment
         *     and a join token, and appears in the session's `players`. 409 unless
         *     ready or running; 422 for a team the session does not have, or when
         *     the team's connected players (as the server said) and `players`
         *     together are more than the queue's `team_size` (field `players`);
         *     409 (field `team`) while a request of the session for that team is
         *     pending; 404 when this process has no matchmaker for the queue
         *     (after a restart); 503 when too many requests are pending.
         */
        post: operations["sdkBackfill"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sdk/sessions/{session}/players/{player}/connected": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A player connected to the game server
         * @description Called after the server verified the player's join token. Marks the
         *     player `connected`; the first connection moves a `ready` session to
         *     `running`. Counts as a heartbeat. 404 (field `player`) for an account
         *     that is not a player of this session; 409 before ready. The body is
         *     not read.
         */
        post: operations["sdkPlayerConnected"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sdk/sessions/{session}/players/{player}/disconnected": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A player left the game server
         * @description Marks the player not `connected`; the session's state does not
         *     change. Counts as a heartbeat. 404 (field `player`) for an account
         *     that is not a player of this session; 409 before ready. The body is
         *     not read.
         */
        post: operations["sdkPlayerDisconnected"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sdk/sessions/{session}/end": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The game is over
         * @description Called once, with the results, from a `ready` or `running` session
         *     (409 before ready, and after the end). The session becomes `ended`,
         *     its players are sent `session.ended` with the results, their tickets
         *     are done with (they may queue again), and the server is stopped:
         *     SIGTERM, then SIGKILL after `hosting.stop_grace_ms`. The results are
         *     checked (see `EndReport`); an invalid report is refused and the
         *     session stays as it was, so the server may correct and send it again.
         *     An empty body ends the session with no results (`[]`).
         */
        post: operations["sdkEnd"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The player's event stream (WebSocket)
         * @description A WebSocket (RFC 6455) that tells the player, in order, what happens
         *     to their parties, tickets and sessions. Send a WebSocket upgrade
         *     request; a plain GET answers 426. Server to client only: each event
         *     is one text frame holding one JSON object, `{"id":n,"type":"…",
         *     "data":{…}}` (the `Event` schema). What the client sends is read and
         *     ignored (messages of at most 4096 bytes; a larger one closes the
         *     connection). The server pings an idle connection after 150 s and
         *     closes it when the ping is not answered within as long again.
         *
         *     The server closes a stream with a reason in two more cases; reconnect
         *     with `since` after either. 1013 (try again later): the client fell
         *     256 events or 256 KiB behind (it stopped reading its socket), and
         *     what was queued for it was dropped. 1008 (policy): the player opened
         *     more streams than `http.event_streams_per_player` (8) on the same
         *     server, and this one, the oldest, gave way to the newest.
         *
         *     A stream lives no longer than the credential it was opened with.
         *     4001 ("the access token expired"): the access token expired;
         *     reconnect with a new one (refresh) and `since`: nothing is missed.
         *     4003 ("logged out"): its login was logged out, or the API key it
         *     was opened with was deleted (on any replica); a reconnect with those
         *     credentials is refused with 401.
         *
         *     Authentication: `Authorization: Bearer <access token or API key>`,
         *     or, for browsers, which cannot set headers on a WebSocket, the query
         *     parameter `token`. The header wins when both are sent. A missing or
         *     invalid credential, and an invalid `since`, are answered in plain
         *     HTTP (401, 422) instead of the upgrade, and the connection is closed.
         *     Every answer, the upgrade (101) included, carries `X-Request-Id`.
         *
         *     Event ids increase over one sequence shared by all players, so a
         *     player sees gaps between its ids; gaps are normal. Each player's last
         *     64 events are kept for 2 minutes: reconnect with `since=<the last id
         *     you saw>` to be sent the kept events after it first, then the live
         *     ones. The kept events and their ids survive a restart of the server
         *     (ids go on from the last one). Events older than what is kept are
         *     gone: after a long absence, read your state again
         *     (`GET /v1/tickets/{ticket}`, `GET /v1/sessions/{session}`).
         *
         *     Event types (the data of each is in the `Event` schema):
         *
         *     | type | data | when |
         *     | --- | --- | --- |
         *     | `ticket.queued` | `ticket_id`, `game`, `queue`, and `requeued: true` after a failed server | a ticket is created, or put back in the queue |
         *     | `ticket.matched` | `ticket_id`, `match_id`, and `session_id` when it joins a running session (backfill) | the matchmaker placed the ticket in a match |
         *     | `ticket.cancelled` | `ticket_id`, and `reason` (a code) and `message` when Webgames cancelled it | a player cancelled it; or `servers_failed`, `game_deleted`, `queue_removed`, `rules_changed` |
         *     | `ticket.expired` | `ticket_id` | it waited `hosting.ticket_ttl_s` without a match |
         *     | `session.ready` | `session_id`, `ticket_id`, `host`, `port`, `ports`, `region`, `join_token` | the game server is ready: connect to it |
         *     | `session.ended` | `session_id`, `results` | the game server reported the end |
         *     | `session.failed` | `session_id`, `reason`, `requeued` | the server could not start, stopped answering, exited early, or ran out of time |
         *     | `party.joined` | `party_id`, `player`, `name` | someone joined your party (not sent to the joiner) |
         *     | `party.left` | `party_id`, `player` | a member left (sent to those who stay) |
         *     | `party.disbanded` | `party_id`, `reason` (`idle`, when it was) | the leader disbanded the party (not sent to the leader), or it was idle for `hosting.party_idle_s` (sent to every member) |
         */
        get: operations["events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The /console page
         * @description The console of developers and operators (web/console, built into
         *     `http.static_dir`/console; docs/console.md): its index.html. Caching
         *     and 404 as for /play.
         */
        get: operations["consolePage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A file of the /console page
         * @description One file of the console's folder, served as the files of /play are.
         */
        get: operations["consolePageFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/console/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What the console's overview shows, with the last hour
         * @description Players connected, tickets waiting, matches per second, sessions by
         *     state, servers running by runtime and node, failures of the last
         *     hour by kind, every queue now, and the history of the last hour (one
         *     sample per `console.sample_interval_s`, 10 s by default, at most 360)
         *     for the charts. A developer (or their API key) sees their own games
         *     (`scope: tenant`); an operator sees every tenant's (`scope: all`).
         *     `?game=NAME` narrows everything to one game.
         *
         *     The figures come from the samples the server takes every interval
         *     (docs/console.md): `now` is as of the latest sample, at most one
         *     interval old (all zeros before the first one). Keep it live with
         *     `/v1/console/events` rather than polling this.
         */
        get: operations["consoleOverview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/console/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The console's live events (WebSocket)
         * @description A WebSocket (RFC 6455) that keeps a console live. Server to client
         *     only: each event is one text frame holding `{"type":"…","data":{…}}`
         *     (the `ConsoleEvent` schema); what the client sends is read and
         *     ignored (at most 4096 bytes a message).
         *
         *     | type | data | when |
         *     | --- | --- | --- |
         *     | `overview.sample` | `sample` (one item of the overview's `history.samples`), `now` and `queues` (as in the overview), all in the console's scope | every `console.sample_interval_s` (10 s by default), and once at once on connecting when a sample exists |
         *     | `session.changed` | `id`, `game`, `state`, `reason` (when there is one), `at` | a session of the scope lands in another state: allocating, starting, idle, ready, running, ended, failed |
         *
         *     Scope and `?game=` as for `GET /v1/console/overview`: a developer's
         *     games, or every tenant's for an operator. Session changes come in
         *     the order their records were written. Frames leave in batches: up
         *     to 100 ms after the first of a batch is ready. Bounded: a console that does
         *     not read fast enough gets only the latest sample (one still unsent is replaced),
         *     and is disconnected with 256 frames unsent; reconnect and read the
         *     overview again. Events are not replayed: there is no `since`.
         *
         *     Authentication as for `/v1/events` (`Authorization` header, or
         *     `?token=`), and only for developer and operator accounts (and API
         *     keys). Refusals are answered in plain HTTP instead of the upgrade,
         *     and the connection is closed: 401 without a valid credential, 403
         *     for a player's, 422 or 404 for a bad `game`. As `/v1/events`, a
         *     console is closed 4001 when the access token it was opened with
         *     expires (reconnect with a new one) and 4003 when its login logs out
         *     or its API key is deleted.
         */
        get: operations["consoleEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: {
        GameNameValue: string;
        /** @description GET /v1/console/overview (docs/console.md). */
        ConsoleOverview: {
            /**
             * Format: date-time
             * @description When the answer was made (RFC 3339, UTC).
             */
            at: string;
            /**
             * @description `tenant`: the caller's games; `all`: every tenant's (an operator).
             * @enum {string}
             */
            scope: "tenant" | "all";
            /** @description The `game` asked for, or null. */
            game: string | null;
            now: components["schemas"]["ConsoleNow"];
            queues: components["schemas"]["ConsoleQueue"][];
            history: {
                /** @description Seconds between two samples. */
                interval_s: number;
                /** @description Oldest first; the last hour at most. */
                samples: components["schemas"]["ConsoleSample"][];
            };
        };
        /** @description As of the latest sample, in the scope. */
        ConsoleNow: {
            /** @description Players connected to the game servers of live sessions. */
            players_connected: number;
            tickets_waiting: number;
            /** @description Matches formed over the last minute, per second. */
            matches_per_s: number;
            /** @description Live sessions per state; allocating, starting, idle, ready and running always present. */
            sessions_by_state: {
                [key: string]: number;
            };
            servers_running: {
                /** @enum {string} */
                runtime: "process" | "docker" | "swarm" | "oci";
                /** @description The runtime's node; `local` for the host webgames runs on. */
                node: string;
                count: number;
            }[];
            /** @description Sessions failed in the last hour by kind of reason (those of `webgames_sessions_failed_total`), most first. */
            failures_last_hour: {
                /** @enum {string} */
                reason: "launch_failed" | "ready_timeout" | "heartbeat_lost" | "crashed" | "time_limit" | "quota_timeout" | "no_capacity" | "lost_on_restart" | "record_failed" | "other";
                count: number;
            }[];
        };
        /** @description A queue as of the latest sample (a queue appears once it had a ticket). */
        ConsoleQueue: {
            game: string;
            queue: string;
            /** @description Tickets waiting. */
            waiting: number;
            oldest_wait_s: number;
            matches_last_minute: number;
        };
        /** @description One sample of the history, in the scope. */
        ConsoleSample: {
            /**
             * Format: int64
             * @description Unix seconds.
             */
            t: number;
            tickets_waiting: number;
            /** @description The oldest wait over the queues. */
            oldest_wait_s: number;
            /** @description Per queue, keyed "game/queue". */
            queues: {
                [key: string]: {
                    waiting: number;
                    oldest_wait_s: number;
                };
            };
            /**
             * @description Median time to play (ticket created to session.ready) of the
             *     players assigned during the interval, estimated from the
             *     buckets of `webgames_time_to_play_seconds`; null when none.
             */
            ttp_p50_ms: number | null;
            ttp_p99_ms: number | null;
            /** @description Sessions created during the interval. */
            started: number;
            ended: number;
            failed: number;
        };
        /** @description One frame of /v1/console/events. */
        ConsoleEvent: components["schemas"]["OverviewSampleEvent"] | components["schemas"]["SessionChangedEvent"];
        /** @description A new sample, in the console's scope, with the overview's `now` and `queues`. */
        OverviewSampleEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "overview.sample";
            data: {
                sample: components["schemas"]["ConsoleSample"];
                now: components["schemas"]["ConsoleNow"];
                queues: components["schemas"]["ConsoleQueue"][];
            };
        };
        /** @description A session of the console's scope landed in another state (its record was written). */
        SessionChangedEvent: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "session.changed";
            data: {
                id: string;
                game: string;
                /** @enum {string} */
                state: "allocating" | "starting" | "idle" | "ready" | "running" | "ended" | "failed";
                /** @description Why it is allocating, or why it failed (or why a pool server ended unused). */
                reason?: string;
                /** Format: date-time */
                at: string;
            };
        };
        Error: {
            error: {
                /**
                 * @description Stable; clients switch on it. docs/errors.md maps each code to its HTTP status.
                 * @enum {string}
                 */
                code: "invalid_request" | "invalid_field" | "unauthenticated" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "quota_exceeded" | "rate_limited" | "unavailable" | "outcome_unknown" | "internal";
                /** @description For humans; its wording may change. */
                message: string;
                /**
                 * @description The offending input as a path into the request ("name",
                 *     "server.ports[0].name", "queues[1].team_size",
                 *     "server.env.FOO"), or the request part at fault ("body",
                 *     "authorization", "token", "game", "key"). Absent when no input
                 *     is at fault.
                 */
                field?: string;
                /**
                 * @description Only for a body sent as text whose lines a client edits (a
                 *     game in TOML, `Content-Type: application/toml`): the line
                 *     of the body that `field` names, or of the fault when the
                 *     body does not parse (field `body`). Absent otherwise.
                 */
                line?: number;
            };
        };
        Account: {
            /**
             * @description `acc_` and 20 characters; never reused.
             * @example acc_s4vpyxtryttjhwmrbh4e
             */
            id: string;
            /**
             * @description Guests are named `guest-` and 20 hexadecimal characters.
             * @example ada
             */
            username: string;
            /**
             * @description An operator reads every developer's games, sessions, logs, queue
             *     statistics and usage, and changes only its own (docs/auth.md).
             * @enum {string}
             */
            role: "player" | "developer" | "operator";
            /** @description A guest logs in with a device id, not a password. */
            guest: boolean;
            /**
             * Format: int64
             * @description Seconds since the Unix epoch.
             */
            created_at: number;
        };
        /** @description The answer to every route that starts or refreshes a login. */
        Tokens: {
            account: components["schemas"]["Account"];
            /** @constant */
            token_type: "Bearer";
            /**
             * @description A JWT (header `{"alg":"EdDSA","typ":"JWT","kid":…}`; claims `iss`
             *     "webgames", `sub` account id, `role`, `sid` login id, `iat`,
             *     `exp`). Send it as `Authorization: Bearer <access_token>`.
             */
            access_token: string;
            /**
             * Format: int64
             * @description Seconds since the Unix epoch; `auth.access_ttl_s` (default 900 s) after issue.
             */
            access_expires_at: number;
            /** @description `wgr_` and 43 base64url characters. Single use: trade it at /v1/auth/refresh. */
            refresh_token: string;
            /**
             * Format: int64
             * @description Seconds since the Unix epoch; `auth.refresh_ttl_s` (default 30 days) after issue.
             */
            refresh_expires_at: number;
        };
        ApiKey: {
            /**
             * @description `key_` and 20 characters; what DELETE /v1/apikeys/{key} takes.
             * @example key_jdp1p81eh8kd5nksnbd2
             */
            id: string;
            /** @example ci */
            name: string;
            /**
             * @description The first 10 characters of the key, to recognise it.
             * @example wgk_MIztQg
             */
            prefix: string;
            /** Format: int64 */
            created_at: number;
        };
        /** @description An ApiKey with its secret, returned only when it is created. */
        NewApiKey: components["schemas"]["ApiKey"] & {
            /**
             * @description `wgk_` and 43 base64url characters. Shown once; the server stores only its SHA-256.
             * @example wgk_MIztQg8TWyfisJuCM5E_TpCEZPJTEx7MDqkluwnuERw
             */
            key: string;
        };
        /**
         * @description A registered game (docs/game-spec.md). In requests `id`, `owner_id`,
         *     `created_at` and `updated_at` are accepted and ignored; responses
         *     always carry every field, with defaults filled in.
         */
        Game: {
            /**
             * @description `gam_` and 20 characters, given at registration and never changed.
             *     Sessions, logs, ratings and statistics belong to the id: a game
             *     registered later under the same name (after a delete) is another
             *     game with another id.
             * @example gam_4k9wbah1c7r0ez5m8q2t
             */
            readonly id?: string;
            /** @description Unique across the installation among live games; what players queue by. Cannot change. */
            name: string;
            /** @description Human-readable; at most 128 bytes, without control characters (newlines, NUL, bidirectional overrides: 422 `invalid_field`). Default: the name. */
            title?: string;
            /** @description The developer account that registered the game. */
            readonly owner_id?: string;
            server: components["schemas"]["ServerSpec"];
            /** @description Queue names are unique within the game. */
            queues: components["schemas"]["QueueSpec"][];
            pool?: components["schemas"]["PoolSpec"];
            /** Format: int64 */
            readonly created_at?: number;
            /** Format: int64 */
            readonly updated_at?: number;
        };
        /** @description The body of PUT /v1/games/{game}, a Game whose `name` may be left out (it must equal the path when given). */
        GameUpdate: {
            /** @description Ignored. */
            id?: string;
            name?: string;
            title?: string;
            /** @description Ignored. */
            owner_id?: string;
            server: components["schemas"]["ServerSpec"];
            queues: components["schemas"]["QueueSpec"][];
            pool?: components["schemas"]["PoolSpec"];
            /** @description Ignored. */
            created_at?: unknown;
            /** @description Ignored. */
            updated_at?: unknown;
        };
        /**
         * @description The game's warm pool (docs/pools.md, docs/game-spec.md#pool): servers
         *     started and ready before a match needs one. Absent in a request: off.
         *     A rule broken answers 422 naming the field ("pool.buffer").
         */
        PoolSpec: {
            /**
             * @description off: every match cold-starts its server; buffer: keep `buffer` ready; predictive: keep what the forecast of matches needs. Default: off.
             * @enum {string}
             */
            policy?: "off" | "buffer" | "predictive";
            /** @description buffer policy: servers kept ready, at most max_ready. Default: 0. */
            buffer?: number;
            /** @description Fewest servers kept ready (not for off), at most max_ready. Default: 0. */
            min_ready?: number;
            /** @description Most servers kept ready. Default: 16. */
            max_ready?: number;
            /** @description A ready server the pool no longer wants is stopped after idling this long. Default: 60. */
            idle_timeout_s?: number;
            /** @description predictive: the accepted probability that a match finds no ready server. Default: 0.01. */
            cold_start_probability?: number;
        };
        /**
         * @description How to start one dedicated server. Exactly one of `command` (for the
         *     process runtime) or `image` (for the container runtimes) is required
         *     (422, field `server`: "server: exactly one of command or image is
         *     required"). Responses hold every field, defaults filled in. The process runtime does not enforce
         *     `cpu`, `memory_mb`, `pids_limit`, `capabilities` nor
         *     `read_only_root` (docs/game-spec.md).
         */
        ServerSpec: {
            /** @description Executable path. */
            command?: string;
            /**
             * @description With `command`, its arguments; with `image`, passed to the image's entrypoint.
             * @default []
             */
            args: string[];
            /** @description Container image. */
            image?: string;
            /**
             * @description Extra environment for the server. Names are 1 to 128 of A-Z, 0-9
             *     and `_`, not starting with a digit; `WEBGAMES_*` names are reserved
             *     for Webgames. Values are strings of at most 4096 bytes.
             */
            env?: {
                [key: string]: string;
            };
            /** @description Port names are unique within the spec. */
            ports: components["schemas"]["PortSpec"][];
            /**
             * @description Cores.
             * @default 1
             */
            cpu: number;
            /**
             * @description MiB.
             * @default 256
             */
            memory_mb: number;
            /**
             * @description A session whose server was started this many seconds ago fails
             *     ("the session reached its maximum duration of … s"): its server
             *     is stopped and its players are not requeued. A session adopted
             *     after a restart keeps the limit it started with.
             * @default 3600
             */
            max_duration_s: number;
            /**
             * @description Container runtimes: `bridge` (the server's ports are published on
             *     the host) or `host` (the server shares the host's network).
             * @default bridge
             * @enum {string}
             */
            network: "bridge" | "host";
            /**
             * @description Container runtimes. Most processes and threads in the container.
             * @default 256
             */
            pids_limit: number;
            /**
             * @description Container runtimes. Linux capabilities kept although all others
             *     are dropped, such as `NET_BIND_SERVICE` (without `CAP_`, not
             *     `ALL`).
             * @default []
             */
            capabilities: string[];
            /**
             * @description Container runtimes. The root file system is read-only; `/tmp` is a 16 MiB tmpfs.
             * @default false
             */
            read_only_root: boolean;
        };
        /** @description A port the game server listens on. The runtime picks the number and passes it to the server. */
        PortSpec: {
            name: string;
            /**
             * @description `tcp` or `udp` for the game's own protocol; `ws` for WebSocket
             *     (over TCP): the port `GET /v1/sessions/{session}/connect` relays to.
             * @default tcp
             * @enum {string}
             */
            protocol: "tcp" | "udp" | "ws";
        };
        /**
         * @description One way to be matched inside a game: `teams` teams of `team_size`
         *     players, at most 1000 players in all (teams × team_size).
         */
        QueueSpec: {
            name: string;
            /** @default 2 */
            teams: number;
            /** @default 1 */
            team_size: number;
            /**
             * @description Players a match may start with, 1 to rules.max_players. 0 or
             *     absent means rules.max_players; responses always hold the number.
             * @default 0
             */
            min_players: number;
            rules?: components["schemas"]["QueueRules"];
        };
        /**
         * @description The matchmaking rules of a queue (docs/matchmaking.md). Every field is
         *     optional; responses hold them all, defaults filled in (except
         *     start_below_max_after_s, absent when the installation's applies).
         *     A rule set that contradicts itself answers 422 naming the rule, such
         *     as `queues[0].rules.skill.window[2].max_difference`.
         */
        QueueRules: {
            /** @description Smallest team, 0 to team_size; teams × min_team_size at most min_players. Default 1 (0 when min_players < teams). */
            min_team_size?: number;
            /** @description Largest match, 1 to teams × team_size (the default). */
            max_players?: number;
            /** @description A match of at least min_players may start once its oldest ticket waited this long. Default hosting.start_below_max_after_ms (10 s). */
            start_below_max_after_s?: number;
            skill?: {
                /** @description The skill of a ticket that has none. Default 1500. */
                default?: number;
                /** @description Steps; the first at after_s 0, after_s increasing, max_difference never decreasing. Empty, no skill rule. */
                window?: {
                    after_s: number;
                    max_difference: number;
                }[];
            };
            latency?: {
                /** @description Steps as for skill.window. Empty, no latency rule. */
                max_ping?: {
                    after_s: number;
                    max_ms: number;
                }[];
            };
            attributes?: {
                /** @enum {string} */
                tag: "mode" | "map" | "platform" | "version";
                /** @enum {string} */
                must: "equal" | "differ";
            }[];
            /**
             * @description Place tickets so that the teams' skill sums differ least.
             * @default false
             */
            balance: boolean;
        };
        /** @description A queue's matchmaking figures in this server process. */
        QueueStats: {
            game: string;
            queue: string;
            waiting_tickets: number;
            waiting_players: number;
            /** @description How long the oldest waiting ticket has waited. */
            oldest_wait_ms: number;
            /** @description Matches formed over the last minute. */
            matches_per_minute: number;
            /** @description Median wait of the last (up to) 4096 matched tickets. */
            wait_p50_ms: number;
            /** @description 95th percentile of the same. */
            wait_p95_ms: number;
            /** @description Mean quality score (0 to 1) of the last (up to) 1024 matches; 0 before the first. */
            mean_quality: number;
            pending_backfills: number;
            breakdown: components["schemas"]["QueueBreakdown"];
        };
        /**
         * @description The queue's waiting tickets now, by skill, by region and by how long
         *     they have waited, computed from what the matchmaker holds (at most
         *     100 000 tickets counted; `complete` is false when more wait). Each
         *     wait band lies inside one step of every rule, and says which is in
         *     force: a match anchored by one of its tickets takes skills within
         *     `skill_window` of it and pings up to `max_ping_ms`, and may start
         *     below the most players when `below_max` (docs/matchmaking.md) — the
         *     rules widening as the tickets wait. Every list is empty before the
         *     queue's first ticket since the server process started.
         */
        QueueBreakdown: {
            /** @description Tickets counted. */
            counted: number;
            /** @description False when some waiting tickets were not counted. */
            complete: boolean;
            /**
             * @description Bands of equal width (1, 2 or 5 × 10^k) from the lowest skill to
             *     the highest, lowest first. Empty in a queue without a skill rule
             *     (the matchmaker keeps no skills there).
             */
            by_skill: {
                /** @description Skills from this (inclusive)… */
                from: number;
                /** @description …up to this (exclusive). */
                to: number;
                tickets: number;
                players: number;
            }[];
            /** @description Tickets by the region of their lowest ping (null for those that gave no ping), most tickets first. The matchmaker tells 16 regions apart. */
            by_region: {
                region: string | null;
                tickets: number;
                players: number;
            }[];
            /**
             * @description Every band, shortest wait first; its edges are 0, 5, 10, 20, 30,
             *     60, 120, 300, 600 and 1800 s and the start of every rule step.
             */
            by_wait: {
                /** @description Waited at least this long… */
                from_ms: number;
                /** @description …and less than this; null for the last band. */
                to_ms: number | null;
                tickets: number;
                players: number;
                /** @description The index of the skill window's step in force (`rules.skill.window`); null without a skill rule. */
                skill_step: number | null;
                /** @description Its largest skill difference. */
                skill_window: number | null;
                /** @description The index of the latency rule's step in force (`rules.latency.max_ping`); null without a latency rule. */
                ping_step: number | null;
                /** @description Its highest ping. */
                max_ping_ms: number | null;
                /** @description A match anchored here may start with fewer than the most players (at least `min_players`). */
                below_max: boolean;
            }[];
        };
        /** @description Players who want to play together. The leader queues the whole party; a player is in at most one party. */
        Party: {
            /**
             * @description `pty_` and 20 characters.
             * @example pty_0k3m9q2x7c4v8b1n5z6w
             */
            id: string;
            /**
             * @description The invite code others join with (POST /v1/parties/join): 8
             *     characters from `ABCDEFGHJKMNPQRSTUVWXYZ23456789` (no 0, O, 1, I
             *     or L), unique among the live parties.
             * @example K7QX2MPA
             */
            code: string;
            /** @description The leader's account id. */
            leader_id: string;
            /** @description Account ids, the leader first; at most 16. */
            members: string[];
            /**
             * Format: int64
             * @description Seconds since the Unix epoch.
             */
            created_at: number;
        };
        /**
         * @example {
         *       "game": "shifumi",
         *       "queue": "duel",
         *       "mu": 27.6,
         *       "sigma": 8.07,
         *       "ordinal": 3.4,
         *       "matches": 1
         *     }
         */
        Rating: {
            game: string;
            queue: string;
            /** @description the skill estimate; 25 for a new player */
            mu: number;
            /** @description its uncertainty; 25/3 for a new player */
            sigma: number;
            /** @description mu − 3 sigma, a conservative value for display */
            ordinal: number;
            /** @description rated matches so far */
            matches: number;
        };
        /**
         * @description What the matchmaker may use to match a ticket. Every field is
         *     optional. Stored and returned with the ticket. The matchmaker uses
         *     them under the queue's rules (docs/matchmaking.md): `skill` for the
         *     skill window and team balance, `pings` for the latency rule and the
         *     region, `tags` for the equal/differ attribute rules. A value of the
         *     wrong type is 400; one out of its bounds is 422.
         */
        TicketAttributes: {
            /**
             * @description The ticket's skill, on the rating scale (a new player is 25). When
             *     absent: the mean rating (mu) of the ticket's players in this queue.
             */
            skill?: number;
            /** @description Round trip in milliseconds to each region, by region name: 1 to 32 of `a-z A-Z 0-9 . _ -`, starting with a letter or digit (it reaches the game server as `WEBGAMES_REGION`). */
            pings?: {
                [key: string]: number;
            };
            /** @description Free-form labels (mode, map, platform, client version…), names of 1 to 32 bytes. */
            tags?: {
                [key: string]: string;
            };
        };
        /**
         * @description A party's (or a lone player's) request to be matched in one queue.
         *     Readable while `queued` or `matched`: a cancelled or expired ticket is
         *     removed at once (its players are told `ticket.cancelled` or
         *     `ticket.expired`), and a matched one when its session ends or fails
         *     without a requeue.
         */
        Ticket: {
            /**
             * @description `tkt_` and 20 characters.
             * @example tkt_2x8f0q4nq1j7c5w3d9ke
             */
            id: string;
            /** @example shifumi */
            game: string;
            /** @example duel */
            queue: string;
            /**
             * @description `queued` (waiting; cancellable) or `matched` (placed in a match,
             *     hosted by a session; no longer cancellable). A ticket whose
             *     session failed through no fault of its players goes back to
             *     `queued`.
             * @enum {string}
             */
            state: "queued" | "matched" | "cancelled" | "expired";
            /** @description The account ids the ticket queues, the party's members (leader first) or the lone player. */
            players: string[];
            /** @description The party queued, absent for a lone player. */
            party_id?: string;
            /**
             * @description The attributes as given, with every field present: `skill`, when
             *     not given, is the player's rating `mu` in this queue (a party's:
             *     their mean; 25 for a player not rated yet); `pings` and `tags` are
             *     `{}` when not given.
             */
            attributes: {
                skill: number;
                pings: {
                    [key: string]: number;
                };
                tags: {
                    [key: string]: string;
                };
            };
            /**
             * Format: int64
             * @description Seconds since the Unix epoch. Kept when the ticket is requeued, so that it keeps its place.
             */
            created_at: number;
            /**
             * Format: int64
             * @description Seconds since the Unix epoch: when a still `queued` ticket expires,
             *     `hosting.ticket_ttl_s` (default 600) after it was created, or after
             *     it was requeued.
             */
            expires_at: number;
            /** @description `mat_…`, once matched. */
            match_id?: string;
            /**
             * @description The session hosting the match (`ses_…`), once the director has
             *     created it: from the moment the ticket is matched (a backfilled
             *     ticket joins a session that runs already). Absent while queued.
             */
            session_id?: string;
        };
        SessionPlayer: {
            /** @description The account id. */
            id: string;
            /** @description The account's username. */
            name: string;
            /** @description The team's index, from 0. */
            team: number;
            /** @description As the game server last reported (connected / disconnected). */
            connected: boolean;
        };
        /**
         * @description When each step happened: RFC 3339 date-times in UTC with milliseconds
         *     (`2025-03-01T14:05:09.274Z`), or null for a step not (yet) reached.
         *     Unlike the rest of the API, which sends seconds since the epoch.
         */
        SessionTimings: {
            /**
             * Format: date-time
             * @description When the oldest ticket of the match was created.
             */
            queued_at: string | null;
            /**
             * Format: date-time
             * @description When the matchmaker formed the match (and the session was created).
             */
            matched_at: string | null;
            /**
             * Format: date-time
             * @description When the server process was started.
             */
            started_at: string | null;
            /**
             * Format: date-time
             * @description When the server said ready.
             */
            ready_at: string | null;
            /**
             * Format: date-time
             * @description When the session ended or failed.
             */
            ended_at: string | null;
        };
        /**
         * @description The match a session hosts, as the server SDK's allocation step tells
         *     it (the same shape as WEBGAMES_PLAYERS, with the queue and region).
         */
        Allocation: {
            /** @example ses_h1c7r0ez5m8q2t4k9wba */
            session_id: string;
            /** @example shifumi */
            game: string;
            /** @example duel */
            queue: string;
            /** @description The matchmaker's region; empty for none. */
            region: string;
            /** @description The player ids of each team, by team index. */
            teams: string[][];
            players: {
                /** @example acc_4k9wbah1c7r0ez5m8q2t */
                id: string;
                name: string;
                team: number;
            }[];
        };
        /**
         * @description A match being hosted, as its players and its game's developer see it.
         *     States: `allocating` (waiting for ports), `starting` (the server runs
         *     but has not said ready), `idle` (a warm pool's server, `pooled`, ready
         *     and waiting for a match: no players yet; docs/pools.md), `ready`
         *     (players have their assignment), `running` (a player connected), and
         *     the final `ended` and `failed` (a pool server stopped unused ends with
         *     a `reason` and no results). See docs/hosting.md.
         */
        Session: {
            /**
             * @description `ses_` and 20 characters.
             * @example ses_h1c7r0ez5m8q2t4k9wba
             */
            id: string;
            /**
             * @description The game's name when the session was formed.
             * @example shifumi
             */
            game: string;
            /**
             * @description The id of the game the session belongs to (Game `id`); the
             *     session is listed under that game only, never under a later game
             *     of the same name. Sessions recorded before games had ids
             *     (migration 004) whose game had already been deleted carry
             *     `gone:<name>`, which is no game's id.
             * @example gam_4k9wbah1c7r0ez5m8q2t
             */
            game_id?: string;
            /** @example duel */
            queue: string;
            /** @enum {string} */
            state: "allocating" | "starting" | "idle" | "ready" | "running" | "ended" | "failed";
            /**
             * @description Its server was started for the game's warm pool before any match
             *     (docs/pools.md): until a match takes it (`idle` -> `ready`) it has
             *     no players, queue, teams or region.
             */
            pooled?: boolean;
            players: components["schemas"]["SessionPlayer"][];
            /** @description The number of teams (the queue's `teams`). */
            teams: number;
            /** @description The region the matchmaker chose (docs/matchmaking.md); empty when the tickets named none. The server gets it as WEBGAMES_REGION. */
            region: string;
            /**
             * @description Where players connect (`hosting.public_host`); empty until the server is started.
             * @example 127.0.0.1
             */
            host: string;
            /**
             * @description The host port of the game spec's first port, where players connect; 0 until ports are taken.
             * @example 7003
             */
            port: number;
            /**
             * @description Every port of the game spec, by name; `{}` until ports are taken.
             * @example {
             *       "game": 7003
             *     }
             */
            ports: {
                [key: string]: number;
            };
            timings: components["schemas"]["SessionTimings"];
            /**
             * @description What the session used: `server_seconds` from its server's start to
             *     the session's end (while it runs, to its last heartbeat; 0 before
             *     the start), and the `cpu` cores and `memory_mb` MiB its server
             *     reserved (the game's spec when the match formed; 0 for sessions
             *     recorded before usage was).
             */
            usage?: {
                server_seconds: number;
                cpu: number;
                memory_mb: number;
            };
            /**
             * @description Present while `allocating` when the session waits ("no free port
             *     in 7000-7999", or a quota of the game's developer: "quota
             *     servers: the developer's games run 2 of 2 servers allowed"), and
             *     when `failed` (why).
             * @example the server missed 3 heartbeats
             */
            reason?: string;
            /** @description Once `ended`, the results the server reported (`[]` when it reported none). */
            results?: components["schemas"]["Result"][] | null;
            /**
             * @description Only in GET /v1/sessions/{session}, once `ended`: each rated
             *     player's rating in the queue before and after this session, team
             *     by team in the order the results placed them (docs/ratings.md). Empty when the
             *     results did not rank the teams (nobody was rated). Written with
             *     the ratings themselves, just after the results: a read in between
             *     finds it empty.
             */
            rating_changes?: components["schemas"]["RatingChange"][];
            assignment?: components["schemas"]["Assignment"];
        };
        /**
         * @example {
         *       "player_id": "acc_s4vpyxtryttjhwmrbh4e",
         *       "before": {
         *         "mu": 25,
         *         "sigma": 8.333,
         *         "ordinal": 0
         *       },
         *       "after": {
         *         "mu": 27.6,
         *         "sigma": 8.07,
         *         "ordinal": 3.4
         *       }
         *     }
         */
        RatingChange: {
            player_id: string;
            before: components["schemas"]["RatingValue"];
            after: components["schemas"]["RatingValue"];
        };
        RatingValue: {
            /** @description the skill estimate; 25 for a new player */
            mu: number;
            /** @description its uncertainty; 25/3 for a new player */
            sigma: number;
            /** @description mu − 3 sigma */
            ordinal: number;
        };
        UsageSums: {
            sessions: number;
            server_seconds: number;
            /** @description Cores reserved × seconds. */
            cpu_seconds: number;
            /** @description MiB reserved × seconds. */
            memory_mb_seconds: number;
        };
        Quota: {
            limit: number;
            used: number;
        };
        Usage: {
            developer_id: string;
            quotas: {
                games: components["schemas"]["Quota"];
                servers: components["schemas"]["Quota"];
                tickets: components["schemas"]["Quota"];
                cpu: components["schemas"]["Quota"];
                memory_mb: components["schemas"]["Quota"];
            };
            total: components["schemas"]["UsageSums"];
            /** @description One entry per game with sessions, by game id. */
            games: (components["schemas"]["UsageSums"] & {
                game_id: string;
                /** @description The game's name in its latest session. */
                game: string;
            })[];
        };
        /**
         * @description Where a player connects, and the token that lets them in. Sent as the
         *     data of `session.ready`; GET /v1/sessions/{session} adds a fresh one
         *     for the caller while the session is `ready` or `running`.
         */
        Assignment: {
            session_id: string;
            /** @description The player's ticket. */
            ticket_id: string;
            /** @example 127.0.0.1 */
            host: string;
            /**
             * @description The first port of the game spec.
             * @example 7003
             */
            port: number;
            /** @description Every port, by name. */
            ports: {
                [key: string]: number;
            };
            /**
             * @description The session's region (as in `Session`); empty when its tickets named none.
             * @example eu
             */
            region: string;
            /**
             * @description A JWT signed with Ed25519 (header `{"alg":"EdDSA","typ":"JWT",
             *     "kid":…}`), claims `iss` "webgames", `typ` "join", `sub` the
             *     player's account id, `sid` the session id, `name` the player's
             *     name and `team` their team index (as in `SessionPlayer`), `iat`,
             *     and `exp` 60 s after `iat`. The client hands it to the game server in the game's
             *     own protocol; the server verifies it offline with
             *     `WEBGAMES_JOIN_KEY` (docs/server-sdk.md).
             */
            join_token: string;
        };
        /**
         * @description The body of POST /v1/sdk/sessions/{session}/end. Any member other
         *     than `results` is refused (400, field naming it), as elsewhere in
         *     this API. Without `results` the session ends with `[]`.
         */
        EndReport: {
            /** @description Not an array, or more than 1000 entries, is 400 (field `results`). */
            results?: components["schemas"]["Result"][];
        };
        /**
         * @description One line of the results, for a player or a team: at least one of
         *     `player_id` and `team` (400 otherwise). Each entry is checked as
         *     below; the field of an error is its path (`results[2].rank`). A
         *     player is named at most once, with their own team when the entry
         *     names both, and a team alone at most once (422 otherwise). The
         *     entries are stored and passed on as sent, other members included.
         */
        Result: ({
            /** @description A player of this session (422 otherwise). */
            player_id?: string;
            /** @description A team index of this session, 0 to teams − 1 (422 otherwise). */
            team?: number;
            /** @description Any number (400 otherwise). */
            score?: number;
            /** @description 1 for the winner (400 when not an integer of at least 1). */
            rank?: number;
            /** @description Anything the game wants to keep; at most 16 KiB as JSON text (422 otherwise). */
            data?: unknown;
        } & {
            [key: string]: unknown;
        }) | unknown | unknown;
        /**
         * @description One frame of the events WebSocket: `id` counts up per player, `type`
         *     says what happened, `data` depends on the type.
         */
        Event: components["schemas"]["TicketQueuedEvent"] | components["schemas"]["TicketMatchedEvent"] | components["schemas"]["TicketCancelledEvent"] | components["schemas"]["TicketExpiredEvent"] | components["schemas"]["SessionReadyEvent"] | components["schemas"]["SessionEndedEvent"] | components["schemas"]["SessionFailedEvent"] | components["schemas"]["PartyJoinedEvent"] | components["schemas"]["PartyLeftEvent"] | components["schemas"]["PartyDisbandedEvent"];
        /** @description Sent to every player of the ticket when it is created, and when it goes back to the queue after its server failed (`requeued`). */
        TicketQueuedEvent: {
            /** Format: int64 */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "ticket.queued";
            data: {
                ticket_id: string;
                game: string;
                queue: string;
                /**
                 * @description Present only when the ticket was put back at the head of its queue.
                 * @constant
                 */
                requeued?: true;
            };
        };
        /** @description Sent to every player of the ticket when the matchmaker places it in a match. The session's address follows with `session.ready`. */
        TicketMatchedEvent: {
            /** Format: int64 */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "ticket.matched";
            data: {
                ticket_id: string;
                /** @description `mat_…`; a backfill is a match of its own. */
                match_id: string;
                /**
                 * @description Present when the ticket was found for a backfill: the running
                 *     session it joins (its `session.ready` follows at once).
                 */
                session_id?: string;
            };
        };
        /**
         * @description Sent to every player of the ticket when one of them cancels it (no
         *     `reason`), or when Webgames cancels it: `reason` is a stable code
         *     and `message` says it for people. Codes: `servers_failed` (its
         *     servers failed three times), `game_deleted` (the developer deleted
         *     the game), `queue_removed` (an update of the game removed the
         *     queue), `rules_changed` (the queue's new rules refuse the ticket).
         *     The ticket is gone.
         */
        TicketCancelledEvent: {
            /** Format: int64 */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "ticket.cancelled";
            data: {
                ticket_id: string;
                /** @enum {string} */
                reason?: "servers_failed" | "game_deleted" | "queue_removed" | "rules_changed";
                /** @example the game was deleted */
                message?: string;
            };
        };
        /** @description Sent to every player of a ticket that stayed queued for `hosting.ticket_ttl_s`. The ticket is gone. */
        TicketExpiredEvent: {
            /** Format: int64 */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "ticket.expired";
            data: {
                ticket_id: string;
            };
        };
        /** @description Sent to each player of the session, with their own assignment, when the game server says ready. */
        SessionReadyEvent: {
            /** Format: int64 */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "session.ready";
            data: components["schemas"]["Assignment"];
        };
        /** @description Sent to every player when the game server reports the end. Their ticket is done with; they may queue again. */
        SessionEndedEvent: {
            /** Format: int64 */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "session.ended";
            data: {
                session_id: string;
                results: components["schemas"]["Result"][];
            };
        };
        /**
         * @description Sent to every player when the session fails. `requeued` true: the
         *     server was at fault (it did not say ready in time, missed its
         *     heartbeats, or exited before the end), and the tickets go back to the
         *     head of their queue (`ticket.queued` with `requeued` follows), or,
         *     after three requeues, are cancelled (`ticket.cancelled` with
         *     `reason` `servers_failed` follows; `game_deleted` when the game was
         *     deleted meanwhile). `requeued` false (the server could not be started,
         *     or the session reached its maximum duration): the tickets are done
         *     with.
         */
        SessionFailedEvent: {
            /** Format: int64 */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "session.failed";
            data: {
                session_id: string;
                /** @example the server did not say ready within 30 s */
                reason: string;
                requeued: boolean;
            };
        };
        /** @description Sent to the party's other members when a player joins. */
        PartyJoinedEvent: {
            /** Format: int64 */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "party.joined";
            data: {
                party_id: string;
                /** @description The account id of who joined. */
                player: string;
                /** @description Their username. */
                name: string;
            };
        };
        /** @description Sent to the members who stay when a member (not the leader) leaves. */
        PartyLeftEvent: {
            /** Format: int64 */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "party.left";
            data: {
                party_id: string;
                /** @description The account id of who left. */
                player: string;
            };
        };
        /** @description Sent to every member but the leader when the leader disbands the party (or leaves it); to every member, with reason idle, when the party held no ticket and saw no change for hosting.party_idle_s. */
        PartyDisbandedEvent: {
            /** Format: int64 */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "party.disbanded";
            data: {
                party_id: string;
                /**
                 * @description Present when the party was disbanded for being idle, not by its leader.
                 * @enum {string}
                 */
                reason?: "idle";
            };
        };
    };
    responses: {
        /**
         * @description Bad Request (code `invalid_request`): an upgrade request without a
         *     `Host`, or without a `Sec-WebSocket-Key` of at most 24 characters
         *     (field `Host` or `Sec-WebSocket-Key`).
         */
        BadUpgrade: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description `invalid_request`: the request is malformed (not JSON, not an object,
         *     a required field missing, a value of the wrong type, an unknown
         *     field), or asks for something the route never does (logging out an
         *     API key).
         */
        InvalidRequest: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "invalid_request",
                 *         "message": "unknown field queues[0].tems",
                 *         "field": "queues[0].tems"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `invalid_field`: well-formed, but a value breaks a rule (length, range, pattern, enum). */
        InvalidField: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "invalid_field",
                 *         "message": "queues[1].team_size: must be between 1 and 100",
                 *         "field": "queues[1].team_size"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description `unauthenticated`: no credentials, or credentials that cannot be
         *     verified (bad signature, revoked by logout, unknown API key, wrong
         *     password, unusable refresh token); or `token_expired`: an access token
         *     that was valid but is past its expiry. Refresh it, then retry.
         */
        Unauthenticated: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description `forbidden`: the credentials are valid, but this account may not do
         *     this (a player on a developer route, developer sign-up is closed, a
         *     party member who is not the leader queueing or disbanding the party,
         *     an operator changing another developer's game or key).
         */
        Forbidden: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "forbidden",
                 *         "message": "this route is for developer accounts",
                 *         "field": "authorization"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `not_found`: no such resource, or not one the caller may see. */
        NotFound: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "not_found",
                 *         "message": "no such game",
                 *         "field": "game"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description `conflict`: the resource exists already (a taken username or game
         *     name), or is in a state that does not allow this (already in a party,
         *     already holding a ticket, a matched ticket, a session not yet ready or
         *     already over).
         */
        Conflict: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "conflict",
                 *         "message": "a game with this name exists",
                 *         "field": "name"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `payload_too_large`: the body exceeds `http.body_limit` (default 64 KiB). The connection is closed. */
        PayloadTooLarge: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "payload_too_large",
                 *         "message": "body exceeds 65536 bytes",
                 *         "field": "body"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description `rate_limited`: over a rate limit (`limits.*` in docs/configuration.md):
         *     too many registrations, logins or guest logins from one client address
         *     or for one username or device id, tickets created by one player, or
         *     parties created or joined, in the window. `field` names what was limited (`address`, `username`,
         *     `device_id`, `player`); `Retry-After` says when to try again.
         */
        RateLimited: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "rate_limited",
                 *         "message": "too many logins to this account: at most 100 per 60 s; retry in 42 s",
                 *         "field": "username"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description `unavailable`: the catalog database or the live state (Redis, in the
         *     scaled mode) failed or stayed locked, or the replica that runs the
         *     lobby or the director could not be reached; the server log says why.
         *     Nothing was done; retrying may help.
         */
        Unavailable: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "unavailable",
                 *         "message": "the catalog database failed; see the server log"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `internal`: a bug of ours. The message holds the request id, which the server log also records. */
        Internal: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "internal",
                 *         "message": "internal error (request id 7f188da6-42)"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Done. No body. */
        SdkDone: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content?: never;
        };
        /**
         * @description `unauthenticated`: no `Authorization: Bearer <secret>` header, or two
         *     `Authorization` headers.
         */
        SdkUnauthenticated: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "unauthenticated",
                 *         "message": "Authorization: Bearer <WEBGAMES_SDK_SECRET> is required",
                 *         "field": "authorization"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `forbidden`: the secret is not this session's (it may be another session's, or none at all, such as a player's access token). */
        SdkForbidden: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "forbidden",
                 *         "message": "this is not this session's secret",
                 *         "field": "authorization"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /**
         * @description The game's name.
         * @example shifumi
         */
        GameName: string;
        /**
         * @description The key's id (`key_…`), not its secret.
         * @example key_jdp1p81eh8kd5nksnbd2
         */
        KeyId: string;
        /**
         * @description The party's id (`pty_…`), not its code.
         * @example pty_0k3m9q2x7c4v8b1n5z6w
         */
        PartyId: string;
        /**
         * @description The name of one of the game's queues.
         * @example duel
         */
        QueueName: string;
        /**
         * @description The ticket's id (`tkt_…`).
         * @example tkt_2x8f0q4nq1j7c5w3d9ke
         */
        TicketId: string;
        /**
         * @description The session's id (`ses_…`).
         * @example ses_h1c7r0ez5m8q2t4k9wba
         */
        SessionId: string;
        /**
         * @description The player's account id (`acc_…`), as in `WEBGAMES_PLAYERS` and the join token's `sub`.
         * @example acc_s4vpyxtryttjhwmrbh4e
         */
        PlayerId: string;
    };
    requestBodies: never;
    headers: {
        /** @description The request's id, as written in the access log. */
        XRequestId: string;
        /** @description Whole seconds (at least 1) until the window that refused the request ends. */
        RetryAfter: number;
        /** @description A hash of the file's content, quoted; send it back in If-None-Match. */
        PageETag: string;
        /**
         * @description `Bearer`, or `Bearer error="invalid_token", error_description="expired"`
         *     when the access token has expired (code `token_expired`).
         */
        WwwAuthenticate: string;
    };
    pathItems: never;
};
export type $defs = Record<string, never>;
export interface operations {
    healthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The server is up. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ok"
                     *     }
                     */
                    "application/json": {
                        /** @constant */
                        status: "ok";
                    };
                };
            };
        };
    };
    readyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The replica is ready. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ready"
                     *     }
                     */
                    "application/json": {
                        /** @constant */
                        status: "ready";
                    };
                };
            };
            /** @description `unavailable`: the Catalog does not answer; the message says why. */
            503: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "unavailable",
                     *         "message": "catalog: the catalog database is unreachable; retry later",
                     *         "field": "catalog"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The current metrics. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example # HELP webgames_http_requests_total HTTP requests answered, by route and status code.
                     *     # TYPE webgames_http_requests_total counter
                     *     webgames_http_requests_total{method="GET",route="/v1/games",code="200"} 12
                     *     # HELP webgames_http_open_connections Client connections currently open.
                     *     # TYPE webgames_http_open_connections gauge
                     *     webgames_http_open_connections 3
                     */
                    "text/plain": string;
                };
            };
        };
    };
    playPage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["PageETag"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Unchanged since the ETag given in If-None-Match. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["NotFound"];
        };
    };
    playPageFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                file: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["PageETag"];
                    [name: string]: unknown;
                };
                content: {
                    "text/javascript": string;
                    "text/css": string;
                    "text/html": string;
                };
            };
            /** @description Unchanged since the ETag given in If-None-Match. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["NotFound"];
        };
    };
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "username": "ada",
                 *       "password": "correct-horse-battery",
                 *       "role": "developer"
                 *     }
                 */
                "application/json": {
                    /** @description Unique. Names starting with `guest-` are reserved for guests. */
                    username: string;
                    /** @description 8 to 256 bytes. */
                    password: string;
                    /**
                     * @description `operator` is refused (403).
                     * @default player
                     * @enum {string}
                     */
                    role?: "player" | "developer" | "operator";
                };
            };
        };
        responses: {
            /** @description The account exists and is logged in. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tokens"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["InvalidField"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "username": "ada",
                 *       "password": "correct-horse-battery"
                 *     }
                 */
                "application/json": {
                    username: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description Logged in. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tokens"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["InvalidField"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    guest: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "device_id": "3f9c2a7e-51d4-4c1b-9a0e-7d2b8c6f1e22"
                 *     }
                 */
                "application/json": {
                    /** @description Printable ASCII without spaces. */
                    device_id: string;
                };
            };
        };
        responses: {
            /** @description Logged in. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tokens"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["InvalidField"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "refresh_token": "wgr_Dai9NGdJEZ-ikN3L9VyoJ5iWmYgNZ5xOInK47rsph-8"
                 *     }
                 */
                "application/json": {
                    /** @description `wgr_` followed by 43 base64url characters. */
                    refresh_token: string;
                };
            };
        };
        responses: {
            /** @description New tokens. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tokens"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["InvalidField"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Logged out. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    getAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Your keys. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ApiKey"][];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "ci"
                 *     }
                 */
                "application/json": {
                    /** @description A label of your choice, 1 to 64 bytes, without control characters (422 `invalid_field`). */
                    name: string;
                };
            };
        };
        responses: {
            /** @description The new key, with its secret. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NewApiKey"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["InvalidField"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    deleteApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The key's id (`key_…`), not its secret.
                 * @example key_jdp1p81eh8kd5nksnbd2
                 */
                key: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    listGames: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Your games. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Game"][];
                        /** @description Operators only. The owners' usernames by account id (`owner_id`). */
                        owners?: {
                            [key: string]: string;
                        };
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    createGame: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "shifumi",
                 *       "title": "Shifumi",
                 *       "server": {
                 *         "command": "build/games/shifumi/shifumi-server",
                 *         "args": [],
                 *         "ports": [
                 *           {
                 *             "name": "game",
                 *             "protocol": "tcp"
                 *           }
                 *         ],
                 *         "cpu": 0.25,
                 *         "memory_mb": 64,
                 *         "max_duration_s": 600,
                 *         "env": {
                 *           "SHIFUMI_ROUNDS": "3"
                 *         }
                 *       },
                 *       "queues": [
                 *         {
                 *           "name": "duel",
                 *           "teams": 2,
                 *           "team_size": 1
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["Game"];
                "application/toml": string;
            };
        };
        responses: {
            /** @description The game as stored, with defaults filled in. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    /** @description `/v1/games/{name}` */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Game"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["InvalidField"];
            /**
             * @description `quota_exceeded`: the caller has as many games registered as
             *     their `games` quota allows (`quotas.games`, field `games`);
             *     deleting one makes room.
             */
            429: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "quota_exceeded",
                     *         "message": "quota games: you have 100 of 100 games allowed registered; delete one first",
                     *         "field": "games"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    getGame: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The game's name.
                 * @example shifumi
                 */
                game: components["parameters"]["GameName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The game. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Game"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    replaceGame: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The game's name.
                 * @example shifumi
                 */
                game: components["parameters"]["GameName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GameUpdate"];
                "application/toml": string;
            };
        };
        responses: {
            /** @description The game as stored now. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Game"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["InvalidField"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    deleteGame: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The game's name.
                 * @example shifumi
                 */
                game: components["parameters"]["GameName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    getQueueStats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The game's name.
                 * @example shifumi
                 */
                game: components["parameters"]["GameName"];
                /**
                 * @description The name of one of the game's queues.
                 * @example duel
                 */
                queue: components["parameters"]["QueueName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The queue's statistics. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueStats"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    createParty: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new party. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Party"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    joinParty: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "code": "K7QX2MPA"
                 *     }
                 */
                "application/json": {
                    /** @description The party's invite code. Longer than 16 bytes is 422. */
                    code: string;
                };
            };
        };
        responses: {
            /** @description The party, with you among its members. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Party"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["InvalidField"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    getParty: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The party's id (`pty_…`), not its code.
                 * @example pty_0k3m9q2x7c4v8b1n5z6w
                 */
                party: components["parameters"]["PartyId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The party. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Party"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    disbandParty: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The party's id (`pty_…`), not its code.
                 * @example pty_0k3m9q2x7c4v8b1n5z6w
                 */
                party: components["parameters"]["PartyId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Disbanded. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    leaveParty: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The party's id (`pty_…`), not its code.
                 * @example pty_0k3m9q2x7c4v8b1n5z6w
                 */
                party: components["parameters"]["PartyId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description You are no longer in the party. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    createTicket: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description A key of the client's choosing for this ticket (1 to 64 visible
                 *     ASCII characters, sent once; 422 field `idempotency-key`
                 *     otherwise), the same on every retry of the request.
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description The game's name.
                 * @example shifumi
                 */
                game: components["parameters"]["GameName"];
                /**
                 * @description The name of one of the game's queues.
                 * @example duel
                 */
                queue: components["parameters"]["QueueName"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "skill": 1520,
                 *       "pings": {
                 *         "eu": 32,
                 *         "us-east": 95
                 *       },
                 *       "tags": {
                 *         "mode": "ranked"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["TicketAttributes"];
            };
        };
        responses: {
            /** @description The ticket, `queued` (or already `matched`). */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    /** @description `/v1/tickets/{id}` */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Ticket"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["InvalidField"];
            /**
             * @description `rate_limited`: this player created too many tickets in the window
             *     (`limits.tickets_per_player`, field `player`; `Retry-After` says
             *     when to try again); or `quota_exceeded`: the game's developer's
             *     queues hold as many waiting tickets as their `tickets` quota allows
             *     (field `tickets`). Retrying later may help.
             */
            429: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
            /**
             * @description `unavailable`: the queue holds 100,000 waiting tickets ("this
             *     queue is full; try again shortly", field `queue`), or the catalog
             *     database failed while the game was looked up.
             */
            503: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "unavailable",
                     *         "message": "this queue is full; try again shortly",
                     *         "field": "queue"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRating: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The game's name.
                 * @example shifumi
                 */
                game: components["parameters"]["GameName"];
                /**
                 * @description The name of one of the game's queues.
                 * @example duel
                 */
                queue: components["parameters"]["QueueName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rating. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rating"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    getLeaderboard: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                /**
                 * @description The game's name.
                 * @example shifumi
                 */
                game: components["parameters"]["GameName"];
                /**
                 * @description The name of one of the game's queues.
                 * @example duel
                 */
                queue: components["parameters"]["QueueName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The leaderboard. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        game: string;
                        queue: string;
                        items: {
                            /** @description 1 for the best */
                            rank: number;
                            player_id: string;
                            name: string;
                            mu: number;
                            sigma: number;
                            ordinal: number;
                            matches: number;
                        }[];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["InvalidField"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    getTicket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The ticket's id (`tkt_…`).
                 * @example tkt_2x8f0q4nq1j7c5w3d9ke
                 */
                ticket: components["parameters"]["TicketId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The ticket. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Ticket"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    cancelTicket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The ticket's id (`tkt_…`).
                 * @example tkt_2x8f0q4nq1j7c5w3d9ke
                 */
                ticket: components["parameters"]["TicketId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cancelled. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    listSessions: {
        parameters: {
            query?: {
                /** @description The game's name when the session was matched. */
                game?: string;
                state?: "allocating" | "starting" | "idle" | "ready" | "running" | "ended" | "failed";
                /** @description A player's account id (`acc_…`) or username; the sessions they played in. */
                player?: string;
                /** @description Matched at or after this Unix time (seconds). */
                since?: number;
                /** @description Matched before this Unix time (seconds); later than `since`. */
                until?: number;
                /** @description How many sessions a page holds, 1 to 500. */
                limit?: number;
                /** @description The `next_cursor` of the page before (opaque, at most 128 characters). */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of sessions. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Session"][];
                        /** @description The cursor of the next page; null when this page is the last. */
                        next_cursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["InvalidField"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The session's id (`ses_…`).
                 * @example ses_h1c7r0ez5m8q2t4k9wba
                 */
                session: components["parameters"]["SessionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session (public view). */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    getSessionLog: {
        parameters: {
            query?: {
                /**
                 * @description The byte of the log to start from, 0 to 2^50; anything else is
                 *     422 (field `offset`).
                 */
                offset?: number;
            };
            header?: never;
            path: {
                /**
                 * @description The session's id (`ses_…`).
                 * @example ses_h1c7r0ez5m8q2t4k9wba
                 */
                session: components["parameters"]["SessionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tail of the log, or the bytes from `offset` on. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    /** @description Where in the log the body starts (bytes). */
                    "X-Log-Offset"?: number;
                    /** @description The log's length now (bytes). */
                    "X-Log-Size"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example shifumi-server: listening on 0.0.0.0:7003
                     *     shifumi-server: round 1: rock vs scissors
                     */
                    "text/plain": string;
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["InvalidField"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    connectToSession: {
        parameters: {
            query: {
                /**
                 * @description The player's join token for this session, at most 2048 bytes,
                 *     not percent-decoded (a JWT needs no encoding). It is left out of
                 *     the access log.
                 */
                token: string;
            };
            header?: never;
            path: {
                /**
                 * @description The session's id (`ses_…`).
                 * @example ses_h1c7r0ez5m8q2t4k9wba
                 */
                session: components["parameters"]["SessionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /**
             * @description Switching Protocols: the relay is connected to the game server;
             *     messages flow both ways in the game's own protocol.
             */
            101: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadUpgrade"];
            /**
             * @description `unauthenticated` or `token_expired` (field `token`), in plain
             *     HTTP instead of the upgrade; the connection is then closed.
             */
            401: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "unauthenticated",
                     *         "message": "this join token is for another session",
                     *         "field": "token"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["InvalidField"];
            /**
             * @description Upgrade Required (code `invalid_request`): a GET that is not a
             *     WebSocket upgrade request, or an upgrade request whose
             *     `Sec-WebSocket-Version` is not 13 (field `Sec-WebSocket-Version`;
             *     the answer then also carries `Sec-WebSocket-Version: 13`). The
             *     answer carries `Upgrade: websocket`.
             */
            426: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    /** @description `websocket` */
                    Upgrade?: "websocket";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    listGameSessions: {
        parameters: {
            query?: {
                /**
                 * @description How many sessions to return, 1 to 500; anything else (out of
                 *     range, not a number) is 422 (field `limit`).
                 */
                limit?: number;
            };
            header?: never;
            path: {
                /**
                 * @description The game's name.
                 * @example shifumi
                 */
                game: components["parameters"]["GameName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The sessions. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Session"][];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["InvalidField"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    getUsage: {
        parameters: {
            query?: {
                /** @description Operators only (or the caller themselves). The developer's account id or username. */
                developer?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller's usage. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Usage"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["InvalidField"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    sdkReady: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The session's id (`ses_…`).
                 * @example ses_h1c7r0ez5m8q2t4k9wba
                 */
                session: components["parameters"]["SessionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["SdkDone"];
            401: components["responses"]["SdkUnauthenticated"];
            403: components["responses"]["SdkForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    sdkHeartbeat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The session's id (`ses_…`).
                 * @example ses_h1c7r0ez5m8q2t4k9wba
                 */
                session: components["parameters"]["SessionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["SdkDone"];
            401: components["responses"]["SdkUnauthenticated"];
            403: components["responses"]["SdkForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    sdkAllocation: {
        parameters: {
            query?: {
                /** @description How long to wait for a match before 204: `30s`, `500ms` or seconds; at most 30 s. Default: 0 (answer at once). */
                wait?: string;
            };
            header?: never;
            path: {
                /**
                 * @description The session's id (`ses_…`).
                 * @example ses_h1c7r0ez5m8q2t4k9wba
                 */
                session: components["parameters"]["SessionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session's match. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Allocation"];
                };
            };
            204: components["responses"]["SdkDone"];
            401: components["responses"]["SdkUnauthenticated"];
            403: components["responses"]["SdkForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["InvalidField"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    sdkBackfill: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The session's id (`ses_…`).
                 * @example ses_h1c7r0ez5m8q2t4k9wba
                 */
                session: components["parameters"]["SessionId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default 0 */
                    team?: number;
                    players: number;
                };
            };
        };
        responses: {
            /** @description Queued. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example bfl_42 */
                        backfill_id: string;
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["SdkUnauthenticated"];
            403: components["responses"]["SdkForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["InvalidField"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    sdkPlayerConnected: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The session's id (`ses_…`).
                 * @example ses_h1c7r0ez5m8q2t4k9wba
                 */
                session: components["parameters"]["SessionId"];
                /**
                 * @description The player's account id (`acc_…`), as in `WEBGAMES_PLAYERS` and the join token's `sub`.
                 * @example acc_s4vpyxtryttjhwmrbh4e
                 */
                player: components["parameters"]["PlayerId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["SdkDone"];
            401: components["responses"]["SdkUnauthenticated"];
            403: components["responses"]["SdkForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    sdkPlayerDisconnected: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The session's id (`ses_…`).
                 * @example ses_h1c7r0ez5m8q2t4k9wba
                 */
                session: components["parameters"]["SessionId"];
                /**
                 * @description The player's account id (`acc_…`), as in `WEBGAMES_PLAYERS` and the join token's `sub`.
                 * @example acc_s4vpyxtryttjhwmrbh4e
                 */
                player: components["parameters"]["PlayerId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["SdkDone"];
            401: components["responses"]["SdkUnauthenticated"];
            403: components["responses"]["SdkForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    sdkEnd: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The session's id (`ses_…`).
                 * @example ses_h1c7r0ez5m8q2t4k9wba
                 */
                session: components["parameters"]["SessionId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "results": [
                 *         {
                 *           "player_id": "acc_s4vpyxtryttjhwmrbh4e",
                 *           "rank": 1,
                 *           "score": 3
                 *         },
                 *         {
                 *           "player_id": "acc_9bq2m1x0d7ce4kfh6tz3",
                 *           "rank": 2,
                 *           "score": 1
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["EndReport"];
            };
        };
        responses: {
            204: components["responses"]["SdkDone"];
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["SdkUnauthenticated"];
            403: components["responses"]["SdkForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["InvalidField"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    events: {
        parameters: {
            query?: {
                /**
                 * @description The credential, when the `Authorization` header cannot be sent:
                 *     an access token or an API key, at most 2048 bytes, not
                 *     percent-decoded. It is left out of the access log.
                 */
                token?: string;
                /**
                 * @description The id of the last event the client saw; the kept events with a
                 *     larger id are sent first. Absent or 0: every kept event. Not a
                 *     non-negative integer: 422 (field `since`).
                 */
                since?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /**
             * @description Switching Protocols: the WebSocket is open and events follow, one
             *     text frame each (`Event`).
             */
            101: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Event"];
                };
            };
            400: components["responses"]["BadUpgrade"];
            /**
             * @description `unauthenticated` or `token_expired`, in plain HTTP instead of the
             *     upgrade; the connection is then closed.
             */
            401: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "unauthenticated",
                     *         "message": "Authorization: Bearer <token> is required",
                     *         "field": "authorization"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `invalid_field`: `since` is not a non-negative integer, in plain
             *     HTTP instead of the upgrade; the connection is then closed.
             */
            422: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "invalid_field",
                     *         "message": "since must be an event id",
                     *         "field": "since"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description Upgrade Required (code `invalid_request`): a GET that is not a
             *     WebSocket upgrade request, or an upgrade request whose
             *     `Sec-WebSocket-Version` is not 13 (field `Sec-WebSocket-Version`;
             *     the answer then also carries `Sec-WebSocket-Version: 13`). The
             *     answer carries `Upgrade: websocket`.
             */
            426: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    /** @description `websocket` */
                    Upgrade?: "websocket";
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "invalid_request",
                     *         "message": "this route speaks WebSocket; send an upgrade request"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            503: components["responses"]["Unavailable"];
        };
    };
    consolePage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["PageETag"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Unchanged since the ETag given in If-None-Match. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["NotFound"];
        };
    };
    consolePageFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                file: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    ETag: components["headers"]["PageETag"];
                    [name: string]: unknown;
                };
                content: {
                    "text/javascript": string;
                    "text/css": string;
                    "text/html": string;
                };
            };
            /** @description Unchanged since the ETag given in If-None-Match. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["NotFound"];
        };
    };
    consoleOverview: {
        parameters: {
            query?: {
                /**
                 * @description Only this game. A name that cannot be a game's: 422
                 *     `invalid_field`; a game that does not exist or that the caller
                 *     does not see: 404 `not_found` (both with field `game`).
                 */
                game?: components["schemas"]["GameNameValue"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The overview. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsoleOverview"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["InvalidField"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    consoleEvents: {
        parameters: {
            query?: {
                /** @description The credential, when the `Authorization` header cannot be sent (as for `/v1/events`). */
                token?: string;
                /** @description Only this game (errors as for the overview). */
                game?: components["schemas"]["GameNameValue"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /**
             * @description Switching Protocols: the WebSocket is open and events follow, one
             *     text frame each (`ConsoleEvent`).
             */
            101: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsoleEvent"];
                };
            };
            400: components["responses"]["BadUpgrade"];
            /**
             * @description `unauthenticated` or `token_expired`, in plain HTTP instead of the
             *     upgrade; the connection is then closed.
             */
            401: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `forbidden` (field `authorization`): a player's credential, in
             *     plain HTTP instead of the upgrade; the connection is then closed.
             */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `not_found` (field `game`): no such game that the caller sees, in plain HTTP. */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `invalid_field` (field `game`): not a game's name, in plain HTTP. */
            422: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description Upgrade Required (code `invalid_request`): a GET that is not a
             *     WebSocket upgrade request, or an upgrade request whose
             *     `Sec-WebSocket-Version` is not 13 (field `Sec-WebSocket-Version`;
             *     the answer then also carries `Sec-WebSocket-Version: 13`). The
             *     answer carries `Upgrade: websocket`.
             */
            426: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    /** @description `websocket` */
                    Upgrade?: "websocket";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            503: components["responses"]["Unavailable"];
        };
    };
}
