#pragma once
// The lobby's durable records (LobbyStore): a party or a ticket as JSON,
// with the display names of its players (the lobby needs them to hand a
// match to the director after a restart). Every field is kept, unlike the
// API's view (ticket_to_json).

#include "domain/party.h"
#include "domain/ticket.h"

#include <map>
#include <optional>
#include <string>

namespace webgames {

using PlayerNames = std::map<std::string, std::string>;  // account id -> display name

std::string party_record(const Party& party, const PlayerNames& names);
std::string ticket_record(const Ticket& ticket, const PlayerNames& names);

// nullopt for a record that is not one (a damaged file): the caller logs
// and skips it. Names found are added to `names`.
std::optional<Party> party_from_record(std::string_view text, PlayerNames& names);
std::optional<Ticket> ticket_from_record(std::string_view text, PlayerNames& names);

}  // namespace webgames
