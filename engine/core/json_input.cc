// SPDX-License-Identifier: Apache-2.0
// Limits and positioned errors for JSON input.
#include "core/json_input.h"

#include "core/text_file.h"

namespace accord {

JsonScan ScanJson(std::string_view text) {
  JsonScan scan;
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // skip the escaped character
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == ':') {
      ++scan.members;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) {
        scan.too_deep_at = i;
        return scan;
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return scan;
}

Diagnostic JsonParseError(const std::string& what, std::optional<std::size_t> byte,
                          const std::string& text, const std::string& file) {
  std::string message = what;
  // nlohmann prefixes "[json.exception.parse_error.101] "; keep what follows.
  if (auto p = message.find("] ");
      message.rfind("[json.exception.", 0) == 0 && p != std::string::npos) {
    message = message.substr(p + 2);
  }
  SourcePos pos;
  if (byte) {
    pos = PositionOfOffset(text, *byte > 0 ? *byte - 1 : 0);
  } else if (auto open = message.find('\''); open != std::string::npos) {
    // "number overflow parsing '1e400'": the token is in the text.
    auto close = message.find('\'', open + 1);
    std::string token = message.substr(open + 1, close == std::string::npos ? 0 : close - open - 1);
    if (auto at = token.empty() ? std::string::npos : text.find(token); at != std::string::npos) {
      pos = PositionOfOffset(text, at);
    }
  }
  return {Severity::kError, file, pos, "", "JSON syntax error: " + message};
}

Diagnostic JsonTooDeepError(std::size_t offset, const std::string& text, const std::string& file) {
  return {Severity::kError, file, PositionOfOffset(text, offset), "",
          "JSON nests deeper than " + std::to_string(kMaxJsonDepth) +
              " levels; no Accord document does"};
}

}  // namespace accord
