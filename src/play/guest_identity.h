#pragma once
// Who a terminal plays as. A guest account is bound to a device id (its only
// credential), so the id is kept in a private file: the same terminal logs in
// as the same guest every time, and `--as NAME` keeps one id per name, so
// that two terminals of one machine can be two players.

#include "core/error.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace webgames::play {

// $HOME/.config/webgames (beside ctl's credentials.json).
std::filesystem::path default_config_dir();

// `dir`/device-id, or `dir`/device-id-NAME for profile NAME. invalid_field
// unless NAME is empty or 1 to 32 of A-Z, a-z, 0-9, '_' and '-'.
Result<std::filesystem::path> device_id_file(const std::filesystem::path& dir, std::string_view profile);

// The device id kept in `file`. When there is none, creates the file (and its
// directory) with a new random id, mode 0600: written to a private temporary
// file and linked into place, so two processes starting at once agree on one
// id and nobody ever reads half an id. invalid_field when the file holds no
// valid device id (8 to 128 printable characters); unavailable on I/O errors.
Result<std::string> load_or_create_device_id(const std::filesystem::path& file);

}  // namespace webgames::play
