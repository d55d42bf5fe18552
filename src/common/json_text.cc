// JSON string escaping for the sink's answers.
#include "common/json_text.h"

namespace otelpack {

void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        if (u < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[u >> 4]);
          out->push_back(kHex[u & 0xf]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

std::string ErrorJson(std::string_view message) {
  std::string out = "{\"error\":";
  AppendJsonString(&out, message);
  out.push_back('}');
  return out;
}

std::string PrintableExcerpt(std::string_view s, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < max; ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    out.push_back(u >= 0x20 && u < 0x7f ? s[i] : '?');
  }
  if (s.size() > max) out.append("...");
  return out;
}

std::string PrettyJson(std::string_view json) {
  std::string out;
  out.reserve(json.size() * 2);
  int depth = 0;
  auto newline = [&] {
    out.push_back('\n');
    out.append(static_cast<std::size_t>(depth) * 2, ' ');
  };
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    switch (c) {
      case '"': {  // a string, escapes included, copied whole
        const std::size_t start = i++;
        while (i < json.size() && json[i] != '"') i += json[i] == '\\' ? 2 : 1;
        out.append(json.substr(start, i - start + 1));
        break;
      }
      case '{':
      case '[': {
        out.push_back(c);
        std::size_t next = i + 1;
        while (next < json.size() && (json[next] == ' ' || json[next] == '\n' || json[next] == '\r' ||
                                      json[next] == '\t')) {
          ++next;
        }
        if (next < json.size() && (json[next] == '}' || json[next] == ']')) {  // {} and []
          out.push_back(json[next]);
          i = next;
        } else {
          ++depth;
          newline();
        }
        break;
      }
      case '}':
      case ']':
        if (depth > 0) --depth;
        newline();
        out.push_back(c);
        break;
      case ',':
        out.push_back(c);
        newline();
        break;
      case ':': out.append(": "); break;
      case ' ':
      case '\n':
      case '\r':
      case '\t': break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace otelpack
