// Format: the backend's format, declared instead of compiled in
// (docs/formats.md): each request's path and headers per signal, how events
// are joined into a body, and each signal's event, written as a YAML
// declaration. It is checked whole when it is loaded -- every mistake, each
// with FILE:LINE:COL and its key -- and compiled by the exporter into plans
// that write events at nearly the hand-written encoder's speed.
//
//   auto format = otelpack::Format::Load("clickhouse.yaml");
//   if (!format.ok()) { /* format.status().message(): one mistake a line */ }
//   options.format = *format;   // null: the built-in format, the article's
#ifndef OTELPACK_FORMAT_H_
#define OTELPACK_FORMAT_H_

#include <memory>
#include <string>
#include <string_view>

#include "otelpack/status.h"

namespace otelpack {

namespace format::declared {
struct Declaration;
}

class Format {
 public:
  // Parses and checks a declaration; `source` names it in messages. An
  // InvalidArgument names every mistake, one a line, as
  // "SOURCE:LINE:COL: KEY: MESSAGE". ${env:NAME} is read from the process's
  // environment; its value never appears in a message.
  static Result<std::shared_ptr<const Format>> Parse(std::string_view yaml, std::string source = "format");
  // Parse on a file's contents (at most 1 MiB), named by its path.
  static Result<std::shared_ptr<const Format>> Load(const std::string& path);
  // The built-in format: the article's events (docs/wire-protocol.md).
  static std::shared_ptr<const Format> BuiltIn();

  // Where it came from: the file's path, the `source` given, or "built-in".
  const std::string& source() const;
  // Whether what it sends names the project ($project_id, or a part it
  // leaves to the built-in format, which sends X-Project-ID): the exporter
  // requires a project id only then.
  bool uses_project_id() const;

  // The checked declaration (src/format/declared/declaration.h).
  const format::declared::Declaration& declaration() const { return *declaration_; }

  // For the agent's configuration, which reports mistakes itself: wraps a
  // declaration that has been checked (format/declared/check.h).
  explicit Format(std::shared_ptr<const format::declared::Declaration> declaration);

 private:
  std::shared_ptr<const format::declared::Declaration> declaration_;
};

}  // namespace otelpack

#endif  // OTELPACK_FORMAT_H_
