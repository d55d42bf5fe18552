// A declared format's ingest protocol (ingest_protocol.h): the routes, the
// headers and the content type the declaration sends, worked out once from
// the compiled format (format/declared/compile.h: the same paths, headers
// and content type the exporter sends) and the event keys
// (format/declared/event_keys.h).
#include <algorithm>
#include <utility>

#include "common/ascii.h"
#include "common/json_text.h"
#include "common/str_cat.h"
#include "format/declared/builtin.h"
#include "format/declared/compile.h"
#include "sink/declared_shape.h"
#include "sink/ingest.h"

namespace otelpack::sink {
namespace {

namespace fd = format::declared;

// The sink's own endpoints, which a declared path must leave alone.
constexpr std::string_view kReadPaths[] = {"/v1/stats", "/v1/events"};
constexpr std::string_view kTracesPrefix = "/v1/traces/";

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX decoded (a '%' without two hex digits kept), '+' a space in a query:
// as the HTTP server decodes a request's path and parameters.
std::string PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexDigit(s[i + 1]) >= 0 && HexDigit(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexDigit(s[i + 1]) * 16 + HexDigit(s[i + 2])));
      i += 2;
    } else {
      out.push_back(plus_is_space && s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

DeclaredRoute ParseRoute(const std::string& declared) {
  DeclaredRoute r;
  r.declared = declared;
  const std::size_t q = declared.find('?');
  r.path = PercentDecode(std::string_view(declared).substr(0, q), false);
  if (q == std::string::npos) return r;
  std::string_view query = std::string_view(declared).substr(q + 1);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    const std::size_t eq = part.find('=');
    if (!part.empty()) {
      r.query.emplace_back(PercentDecode(part.substr(0, eq), true),
                           eq == std::string_view::npos ? std::string() : PercentDecode(part.substr(eq + 1), true));
    }
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return r;
}

std::string_view MediaType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  return media;
}

// The key whose string literal differs between every pair of the route's
// signals, the first in the first signal's order; false when there is none.
bool FindDiscriminator(const DeclaredShape& shape, DeclaredRoute* route) {
  const auto& first = shape.events[SignalIndex(route->signals[0])].string_literals;
  for (const auto& literal : first) {
    const std::string& key = literal.first;  // a name, not a binding: lambdas capture it
    std::vector<std::string> values;
    for (Signal s : route->signals) {
      const auto& literals = shape.events[SignalIndex(s)].string_literals;
      auto it = std::find_if(literals.begin(), literals.end(), [&](const auto& l) { return l.first == key; });
      if (it == literals.end() || std::find(values.begin(), values.end(), it->second) != values.end()) break;
      values.push_back(it->second);
    }
    if (values.size() == route->signals.size()) {
      route->discriminator = key;
      route->discriminator_values = std::move(values);
      return true;
    }
  }
  return false;
}

Status AddRoute(DeclaredShape* shape, Signal signal, const std::string& declared) {
  for (DeclaredRoute& r : shape->routes) {
    if (r.declared == declared) {
      r.signals.push_back(signal);
      return Status::Ok();
    }
  }
  DeclaredRoute route = ParseRoute(declared);
  const bool read_path = std::find(std::begin(kReadPaths), std::end(kReadPaths), route.path) != std::end(kReadPaths) ||
                         route.path.starts_with(kTracesPrefix);
  if (read_path) {
    return Status::InvalidArgument(
        StrCat(SignalName(signal), ".path: ", route.path, " is one of the sink's read endpoints"));
  }
  for (const DeclaredRoute& r : shape->routes) {
    if (r.path == route.path && r.query == route.query) {
      return Status::InvalidArgument(StrCat(SignalName(signal), ".path: ", declared, " is ", r.declared,
                                            " written differently: the sink could not tell them apart"));
    }
  }
  route.signals.push_back(signal);
  shape->routes.push_back(std::move(route));
  return Status::Ok();
}

Status AddHeaders(const fd::Declaration& d, const fd::CompiledFormat& compiled, DeclaredShape* shape) {
  const std::vector<fd::Header> declared = d.headers ? *d.headers : fd::BuiltinHeaders();
  if (declared.size() != compiled.headers().size()) return Status::Internal("headers: compiled differently");
  for (std::size_t i = 0; i < declared.size(); ++i) {
    DeclaredHeader h{compiled.headers()[i].name, compiled.headers()[i].value, DeclaredHeader::Check::kExact};
    const fd::Template& v = declared[i].value;
    if (v.kind == fd::Template::Kind::kReference) {
      h.check = DeclaredHeader::Check::kProject;
    } else if (declared[i].secret) {
      h.check = DeclaredHeader::Check::kPresent;
    }
    shape->headers.push_back(std::move(h));
  }
  return Status::Ok();
}

Result<std::shared_ptr<const DeclaredShape>> ShapeOf(const Format& format, std::string project_id,
                                                     BodyLimits limits) {
  const fd::Declaration& d = format.declaration();
  fd::CompileResult compiled = fd::Compile(d, {.project_id = project_id});
  if (!compiled.ok()) {
    return Status::InvalidArgument(compiled.errors.empty() ? std::string("format: does not compile")
                                                           : StrCat(format.source(), ": ", compiled.errors[0].key, ": ",
                                                                    compiled.errors[0].message));
  }
  auto shape = std::make_shared<DeclaredShape>();
  shape->source = format.source();
  shape->project_id = std::move(project_id);
  shape->limits = limits;
  shape->framing = d.framing;
  shape->content_type = std::string(MediaType(compiled.format->content_type()));
  if (d.framing == fd::Framing::kEnvelope) {
    Result<fd::EnvelopeKeys> envelope = fd::DeclaredEnvelopeKeys(d);
    if (!envelope.ok()) return envelope.status();
    shape->envelope = std::move(envelope).value();
  }
  for (Signal s : kAllSignals) {
    Result<fd::EventKeys> keys = fd::RequiredEventKeys(d, s);
    if (!keys.ok()) return keys.status();
    shape->events[SignalIndex(s)] = std::move(keys).value();
    if (Status st = AddRoute(shape.get(), s, compiled.format->path(s)); !st.ok()) return st;
  }
  for (DeclaredRoute& r : shape->routes) {
    if (r.signals.size() > 1 && !FindDiscriminator(*shape, &r)) {
      std::string names;
      for (Signal s : r.signals) StrAppend(&names, names.empty() ? "" : " and ", SignalName(s));
      return Status::InvalidArgument(StrCat(names, " share the path ", r.declared,
                                            " but no key holds a different string literal in each (as \"type\" "
                                            "does in the built-in format): the sink could not tell their events apart"));
    }
  }
  if (Status s = AddHeaders(d, *compiled.format, shape.get()); !s.ok()) return s;
  return std::shared_ptr<const DeclaredShape>(std::move(shape));
}

class DeclaredProtocol final : public IngestProtocol {
 public:
  explicit DeclaredProtocol(std::shared_ptr<const DeclaredShape> shape) : shape_(std::move(shape)) {
    for (const DeclaredHeader& h : shape_->headers) {
      if (h.check == DeclaredHeader::Check::kProject && project_header_.empty()) project_header_ = h.name;
    }
  }

  bool Serves(std::string_view path) const override {
    return std::any_of(shape_->routes.begin(), shape_->routes.end(),
                       [&](const DeclaredRoute& r) { return r.path == path; });
  }

  std::optional<http::HttpResponse> Route(const http::HttpRequest& request, IngestRoute* route) const override {
    for (std::size_t i = 0; i < shape_->routes.size(); ++i) {
      const DeclaredRoute& r = shape_->routes[i];
      if (r.path != request.path || r.query.size() != request.query.size()) continue;
      if (!std::equal(r.query.begin(), r.query.end(), request.query.begin(),
                      [](const auto& a, const auto& b) { return a.first == b.first && a.second == b.second; })) {
        continue;
      }
      route->route = static_cast<int>(i);
      route->signed_path = r.declared;
      // The project a signature covers: the one the request names, else
      // this sink's (a format that sends none leaves the client's unknown).
      route->project = project_header_.empty()
                           ? std::string_view(shape_->project_id)
                           : request.headers(project_header_).value_or(std::string_view(shape_->project_id));
      return std::nullopt;
    }
    return ErrorResponse(404, "not found: no signal of this format is sent to this path and query string");
  }

  std::optional<http::HttpResponse> CheckHeaders(const http::HttpRequest& request,
                                                 const IngestRoute&) const override {
    for (const DeclaredHeader& h : shape_->headers) {
      if (h.value.empty() && h.check != DeclaredHeader::Check::kProject) continue;  // may not be sent at all
      const std::optional<std::string_view> got = request.headers(h.name);
      if (!got.has_value()) return ErrorResponse(400, StrCat(h.name, ": missing"));
      switch (h.check) {
        case DeclaredHeader::Check::kPresent: break;
        case DeclaredHeader::Check::kProject:
          if (*got != shape_->project_id) {
            return ErrorResponse(403, StrCat(h.name, ": project '", PrintableExcerpt(*got), "' is not served here"));
          }
          break;
        case DeclaredHeader::Check::kExact:
          if (*got != h.value) return ErrorResponse(400, StrCat(h.name, ": expected '", h.value, "'"));
          break;
      }
    }
    const std::optional<std::string_view> content_type = request.headers("Content-Type");
    if (!content_type.has_value() || !EqualsIgnoreCase(MediaType(*content_type), shape_->content_type)) {
      return ErrorResponse(415, StrCat("Content-Type: expected ", shape_->content_type));
    }
    return std::nullopt;
  }

  std::unique_ptr<BodyReader> NewReader() const override { return NewDeclaredReader(shape_); }

  std::string Describe() const override {
    std::string paths;
    for (const DeclaredRoute& r : shape_->routes) StrAppend(&paths, paths.empty() ? "" : ", ", r.declared);
    return StrCat("the format declared in ", shape_->source, " at ", paths);
  }

 private:
  const std::shared_ptr<const DeclaredShape> shape_;
  std::string project_header_;  // the first header sending $project_id; "" when none
};

}  // namespace

Result<std::unique_ptr<IngestProtocol>> NewDeclaredProtocol(const Format& format, std::string project_id,
                                                            BodyLimits limits) {
  Result<std::shared_ptr<const DeclaredShape>> shape = ShapeOf(format, std::move(project_id), limits);
  if (!shape.ok()) return shape.status();
  return std::unique_ptr<IngestProtocol>(std::make_unique<DeclaredProtocol>(std::move(shape).value()));
}

}  // namespace otelpack::sink
