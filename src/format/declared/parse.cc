// The declaration document (parse.h): its top-level keys, the request's
// parts (framing, content type, headers, paths) and each signal's section.
// Templates are template_parse.cc's.
#include "format/declared/parse.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <optional>
#include <unordered_set>
#include <utility>

#include "common/ascii.h"
#include "common/str_cat.h"
#include "format/declared/parse_walk.h"
#include "format/declared/template_parse.h"

namespace otelpack::format::declared {
namespace {

using internal::Entry;
using internal::KeyPath;
using internal::Walk;

constexpr std::string_view kDocumentKeys[] = {"framing", "envelope", "content_type", "headers",
                                              "traces",  "logs",     "metrics"};
constexpr std::string_view kSignalKeys[] = {"path", "event"};

constexpr std::pair<std::string_view, Framing> kFramings[] = {
    {"envelope", Framing::kEnvelope}, {"ndjson", Framing::kNdjson}, {"array", Framing::kArray}};

// A request line rarely passes 8 KiB anywhere on its way.
constexpr std::size_t kMaxPathBytes = 8 << 10;
// Every request carries them all; servers refuse a hundred well before this.
constexpr std::size_t kMaxHeaders = 100;

// Headers the transport sets on every request; a second copy would
// contradict it. The content type has a key of its own.
constexpr std::array<std::string_view, 5> kReservedHeaders = {"Content-Encoding", "Content-Length",
                                                              "Transfer-Encoding", "Host", "X-Batch-ID"};

bool IsTokenChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar); }

bool IsControl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t') || u == 0x7f;
}

std::string FramingName(Framing f) {
  for (const auto& [name, value] : kFramings) {
    if (value == f) return std::string(name);
  }
  return "?";
}

std::optional<Framing> ReadFraming(Walk& walk, const Entry& e, const std::string& key) {
  std::optional<std::string> text = internal::ScalarText(walk, key, e, "envelope, ndjson or array");
  if (!text) return std::nullopt;
  for (const auto& [name, value] : kFramings) {
    if (*text == name) return value;
  }
  std::string_view names[std::size(kFramings)];
  for (std::size_t i = 0; i < std::size(kFramings); ++i) names[i] = kFramings[i].first;
  const std::string closest = config::ClosestName(*text, names);
  walk.Error(key, e.value_at,
             StrCat(config::QuotedForMessage(*text), " is not a framing: expected envelope, ndjson or array",
                    closest.empty() ? "" : StrCat(" (did you mean ", closest, "?)")));
  return std::nullopt;
}

// type/subtype, then parameters: what a Content-Type header can carry as is.
std::optional<std::string> ReadContentType(Walk& walk, const Entry& e, const std::string& key) {
  std::optional<std::string> text = internal::ScalarText(walk, key, e, "a media type such as application/json");
  if (!text) return std::nullopt;
  const std::string_view media = std::string_view(*text).substr(0, text->find(';'));
  const std::size_t slash = media.find('/');
  const bool valid = slash != std::string_view::npos && IsToken(media.substr(0, slash)) &&
                     IsToken(media.substr(slash + 1)) && std::none_of(text->begin(), text->end(), IsControl);
  if (!valid) {
    walk.Error(key, e.value_at,
               StrCat(config::QuotedForMessage(*text), " is not a media type such as application/x-ndjson"));
    return std::nullopt;
  }
  return text;
}

// Printable ASCII from a '/': the request line carries it as written, and
// nothing is percent-encoded for the author.
std::optional<std::string> ReadPath(Walk& walk, const Entry& e, const std::string& key) {
  std::optional<std::string> text = internal::ScalarText(walk, key, e, "a path such as /v1/ingest");
  if (!text) return std::nullopt;
  bool exact = false;
  auto error_at = [&](std::size_t offset, std::string message) {
    walk.Error(key, walk.PlaceIn(e.value, e.value_at, offset, &exact), std::move(message));
    return std::nullopt;
  };
  if (text->size() > kMaxPathBytes) return error_at(0, StrCat("is longer than ", kMaxPathBytes, " bytes"));
  if (!text->starts_with('/')) return error_at(0, "must start with / (a path and query string, such as /v1/ingest)");
  if (const std::size_t at = text->find("${"); at != std::string::npos) {
    return error_at(at, "has ${...}: environment variables are not read in a path");
  }
  for (std::size_t i = 0; i < text->size(); ++i) {
    const auto u = static_cast<unsigned char>((*text)[i]);
    if (u == ' ') return error_at(i, "has a space: write it %20");
    if (u < 0x21 || u > 0x7e) {
      return error_at(i, StrCat("has the byte 0x", "0123456789abcdef"[u >> 4], "0123456789abcdef"[u & 0xf],
                                ", which cannot go in a request line: percent-encode it"));
    }
  }
  return text;
}

// `NAME: value`: a literal (${env:NAME} makes it a secret) or a reference.
std::optional<Header> ReadHeader(Walk& walk, const Entry& e, const std::string& key) {
  Header h;
  h.name = e.key;
  h.at = e.key_at;
  h.value.at = e.value_at;
  h.value.literal.type = Literal::Type::kString;
  if (e.value.IsNull()) return h;  // an empty value
  if (!e.value.IsScalar()) {
    walk.Error(key, e.value_at,
               StrCat("must be a single value (a literal, ${env:NAME} or $project_id), not ",
                      internal::YamlTypeName(e.value)));
    return std::nullopt;
  }
  const std::string& raw = e.value.Scalar();
  if (!walk.Charge(raw.size(), key, e.value_at)) return std::nullopt;
  if (internal::IsReferenceText(raw)) {
    std::optional<Reference> r = internal::ReadReference(walk, e.value, e.value_at, key);
    if (!r) return std::nullopt;
    h.value.kind = Template::Kind::kReference;
    h.value.reference = std::move(*r);
    return h;
  }
  std::optional<internal::StringLiteral> s = internal::ReadStringLiteral(walk, raw, key, e.value_at);
  if (!s) return std::nullopt;
  h.secret = s->from_env;
  // The value is never shown: it may be a credential even when written out.
  if (std::any_of(s->text.begin(), s->text.end(), [](char c) { return c == '\r' || c == '\n'; })) {
    walk.Error(key, e.value_at, "the value has a line break, which would end the header");
    return std::nullopt;
  }
  if (std::any_of(s->text.begin(), s->text.end(), IsControl)) {
    walk.Error(key, e.value_at, "the value has a control character");
    return std::nullopt;
  }
  h.value.literal.string_value = std::move(s->text);
  return h;
}

std::optional<std::vector<Header>> ReadHeaders(Walk& walk, const Entry& e, const std::string& key) {
  if (!e.value.IsMap()) {
    walk.Error(key, e.value_at,
               StrCat("must be a mapping of header names to values (headers: {} for none), not ",
                      internal::YamlTypeName(e.value)));
    return std::nullopt;
  }
  std::vector<Header> headers;
  std::unordered_set<std::string> lowercase_names;
  const std::vector<Entry> entries = internal::Entries(walk, e.value, key);
  if (entries.size() > kMaxHeaders) {
    walk.Error(key, e.value_at, StrCat("has ", entries.size(), " headers; at most ", kMaxHeaders, " are allowed"));
    return std::nullopt;
  }
  for (const Entry& h : entries) {
    const std::string child = KeyPath(key, h.key);
    if (!IsToken(h.key)) {
      walk.Error(child, h.key_at, "is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~)");
      continue;
    }
    if (EqualsIgnoreCase(h.key, "Content-Type")) {
      walk.Error(child, h.key_at, "is set by content_type");
      continue;
    }
    if (std::any_of(kReservedHeaders.begin(), kReservedHeaders.end(),
                    [&](std::string_view r) { return EqualsIgnoreCase(h.key, r); })) {
      walk.Error(child, h.key_at, "is set by otelpack on every request");
      continue;
    }
    if (!lowercase_names.insert(AsciiLowercase(h.key)).second) {
      walk.Error(child, h.key_at, "appears twice (header names ignore case)");
      continue;
    }
    if (std::optional<Header> header = ReadHeader(walk, h, child)) headers.push_back(std::move(*header));
  }
  return headers;
}

std::optional<SignalFormat> ReadSignal(Walk& walk, const Entry& e, const std::string& key) {
  if (!e.value.IsMap()) {
    walk.Error(key, e.value_at,
               StrCat(e.value.IsNull() ? std::string("has no value") : StrCat("must be a mapping, not ",
                                                                             internal::YamlTypeName(e.value)),
                      ": expected path and event"));
    return std::nullopt;
  }
  SignalFormat signal;
  signal.at = e.key_at;
  const std::vector<Entry> entries = internal::Entries(walk, e.value, key);
  bool ok = true;
  for (const Entry& s : entries) {
    const std::string child = KeyPath(key, s.key);
    if (s.key == "path") {
      std::optional<std::string> path = ReadPath(walk, s, child);
      ok = ok && path.has_value();
      if (path) signal.path = std::move(*path);
    } else if (s.key == "event") {
      std::optional<Template> event = internal::ReadObjectTemplate(walk, s, child);
      ok = ok && event.has_value();
      if (event) signal.event = std::move(*event);
    } else {
      internal::ReportUnknownKey(walk, key, s, kSignalKeys);
    }
  }
  if (internal::FindEntry(entries, "path") == nullptr) {
    walk.Error(key, e.key_at, "has no path: where its requests go, such as path: /v1/ingest");
    ok = false;
  }
  if (internal::FindEntry(entries, "event") == nullptr) {
    walk.Error(key, e.key_at, "has no event: the template of each event");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return signal;
}

void ReadDocument(Walk& walk, const YAML::Node& doc, const std::string& prefix, Declaration* out) {
  if (!doc.IsMap()) {
    walk.Error(prefix, internal::PlaceOf(doc),
               StrCat("must be a mapping (key: value lines), not ", internal::YamlTypeName(doc)));
    return;
  }
  const std::vector<Entry> entries = internal::Entries(walk, doc, prefix);
  // The framing first: whether an envelope belongs depends on it.
  bool framing_known = true;
  if (const Entry* e = internal::FindEntry(entries, "framing")) {
    std::optional<Framing> framing = ReadFraming(walk, *e, KeyPath(prefix, "framing"));
    framing_known = framing.has_value();
    if (framing) out->framing = *framing;
  }
  for (const Entry& e : entries) {
    const std::string key = KeyPath(prefix, e.key);
    if (e.key == "framing") {
      continue;
    } else if (e.key == "envelope") {
      if (framing_known && out->framing != Framing::kEnvelope) {
        walk.Error(key, e.key_at, StrCat("is only for framing: envelope (framing is ", FramingName(out->framing), ")"));
      } else {
        out->envelope = internal::ReadObjectTemplate(walk, e, key);
      }
    } else if (e.key == "content_type") {
      out->content_type = ReadContentType(walk, e, key);
    } else if (e.key == "headers") {
      out->headers = ReadHeaders(walk, e, key);
    } else if (e.key == "traces") {
      out->traces = ReadSignal(walk, e, key);
    } else if (e.key == "logs") {
      out->logs = ReadSignal(walk, e, key);
    } else if (e.key == "metrics") {
      out->metrics = ReadSignal(walk, e, key);
    } else {
      internal::ReportUnknownKey(walk, prefix, e, kDocumentKeys);
    }
  }
}

// yaml-cpp appends the offending text to a few messages ("unknown escape
// character: x"); that text may be part of a secret.
std::string SyntaxMessage(const std::string& yaml_message) {
  return StrCat("YAML syntax error: ", yaml_message.substr(0, yaml_message.find(": ")));
}

// In the order of the document, as a reader fixes them; those without a
// place first; then whether there were more.
void SortByPlace(const Walk& walk, const std::string& key, std::vector<DeclarationError>* errors) {
  std::stable_sort(errors->begin(), errors->end(), [](const DeclarationError& a, const DeclarationError& b) {
    return a.at.line != b.at.line ? a.at.line < b.at.line : a.at.column < b.at.column;
  });
  if (walk.stopped()) {
    errors->push_back({key, {}, StrCat("has more mistakes than these ", kMaxErrors, "; reading stopped there")});
  }
}

}  // namespace

ParsedDeclaration ParseDeclaration(std::string_view yaml_text, std::string source, const config::EnvLookup& env) {
  ParsedDeclaration out;
  out.declaration.source = std::move(source);
  if (yaml_text.size() > kMaxDeclarationBytes) {
    out.errors.push_back({"", {}, StrCat("is larger than ", config::FormatSize(kMaxDeclarationBytes))});
    return out;
  }
  Walk walk(env, yaml_text, &out.errors);
  try {
    const config::FirstYamlDocument document = config::LoadFirstYamlDocument(std::string(yaml_text));
    if (document.second) {
      walk.Error("", internal::PlaceOf(*document.second), "has a second YAML document; one is allowed");
    }
    // Empty: the built-in format.
    if (!document.root.IsNull()) ReadDocument(walk, document.root, "", &out.declaration);
  } catch (const YAML::Exception& e) {
    // A syntax error, or yaml-cpp's guard against too deep nesting.
    walk.Error("", internal::PlaceOf(e.mark), SyntaxMessage(e.msg));
  }
  SortByPlace(walk, "", &out.errors);
  return out;
}

ParsedDeclaration ParseDeclarationNode(const YAML::Node& node, std::string source, std::string key_prefix,
                                       const config::EnvLookup& env) {
  ParsedDeclaration out;
  out.declaration.source = std::move(source);
  if (!node.IsDefined() || node.IsNull()) return out;
  Walk walk(env, std::nullopt, &out.errors);
  try {
    ReadDocument(walk, node, key_prefix, &out.declaration);
  } catch (const YAML::Exception& e) {
    walk.Error(key_prefix, internal::PlaceOf(e.mark), SyntaxMessage(e.msg));
  }
  SortByPlace(walk, key_prefix, &out.errors);
  return out;
}

ParsedDeclaration LoadDeclarationFile(const std::string& path, const config::EnvLookup& env) {
  // One byte past the cap is enough to know the file is too large.
  Result<std::string> text = config::ReadFileUpTo(path, kMaxDeclarationBytes + 1);
  std::string problem;
  if (!text.ok()) {
    problem = StrCat("cannot read the declaration file ", path, ": ", text.status().message());
  } else if (text->size() > kMaxDeclarationBytes) {
    problem = StrCat("the declaration file ", path, " is larger than ", config::FormatSize(kMaxDeclarationBytes));
  } else {
    return ParseDeclaration(*text, path, env);
  }
  ParsedDeclaration out;
  out.declaration.source = path;
  out.errors.push_back({"", {}, std::move(problem)});
  return out;
}

}  // namespace otelpack::format::declared
