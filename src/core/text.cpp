#include "core/text.h"

namespace webgames {

bool holds_control_characters(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) return true;
    auto next = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0; };
    if (c == 0xc2 && next(1) >= 0x80 && next(1) <= 0x9f) return true;                     // U+0080 to U+009F
    if (c == 0xe2 && next(1) == 0x80 && next(2) >= 0xaa && next(2) <= 0xae) return true;  // U+202A to U+202E
    if (c == 0xe2 && next(1) == 0x81 && next(2) >= 0xa6 && next(2) <= 0xa9) return true;  // U+2066 to U+2069
  }
  return false;
}

}  // namespace webgames
