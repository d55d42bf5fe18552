// Declaration -> CompiledFormat (compile.h): the envelope, the headers, the
// paths, and each signal's event template resolved (resolve.h) and lowered
// into plans (lower.h).
#include "format/declared/compile.h"

#include <optional>
#include <utility>

#include "common/str_cat.h"
#include "format/declared/builtin.h"
#include "format/declared/lower.h"
#include "format/json_writer.h"
#include "format/declared/resolve.h"

namespace otelpack::format::declared {
namespace {

std::string Quoted(std::string_view s) {
  Buffer b;
  AppendJsonString(s, &b);
  return std::string(b.view());
}

// Header names are RFC 9110 tokens.
bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(ch) == std::string_view::npos) return false;
  }
  return true;
}

// No byte a request line or header could be split or ended by.
bool HasControl(std::string_view s, bool space_too) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7f || (space_too && (c == ' ' || c == '\t'))) return true;
  }
  return false;
}

// The envelope template as a prefix, the text between $events and
// $sent_at, and the text after it.
class EnvelopeBuilder {
 public:
  EnvelopeBuilder(std::string_view project_id, Resolver* resolver, std::vector<DeclarationError>* errors)
      : project_id_(project_id), resolver_(resolver), errors_(errors) {}

  std::optional<Envelope> Build(const Template& t) {
    const std::size_t before = errors_->size();
    if (t.kind != Template::Kind::kObject) {
      Error("envelope", t.at, "the envelope is a JSON object around the events");
      return std::nullopt;
    }
    Node(t, "envelope", 1);
    if (events_ == 0 && errors_->size() == before) {
      Error("envelope", t.at, "the envelope needs $events, where the events go, exactly once");
    }
    if (errors_->size() != before) return std::nullopt;
    return Envelope(parts_[0], ",", parts_[1], time_, parts_[2]);
  }

 private:
  void Error(const std::string& key, Place at, std::string message) {
    errors_->push_back({key, at, std::move(message)});
  }

  void Node(const Template& t, const std::string& key, int depth) {
    std::string& out = parts_[part_];
    switch (t.kind) {
      case Template::Kind::kLiteral: {
        std::string error;
        std::optional<std::string> json = LiteralJson(t.literal, &error);
        if (!json) return Error(key, t.at, error);
        out += *json;
        return;
      }
      case Template::Kind::kReference: return Ref(t.reference, key);
      case Template::Kind::kEach: return Error(key, t.at, "$each maps a record's list; the envelope has none");
      case Template::Kind::kObject:
      case Template::Kind::kArray: break;
    }
    if (depth > kMaxTemplateDepth) return Error(key, t.at, "the envelope is nested too deep");
    const bool object = t.kind == Template::Kind::kObject;
    out += object ? '{' : '[';
    if (object) {
      for (const Member& m : t.members) {
        const std::string member_key = StrCat(key, ".", m.key);
        if (m.flatten || m.value.size() != 1) {
          Error(StrCat(key, ".$flatten"), m.at, "$flatten writes a record's map; the envelope has none");
          continue;
        }
        parts_[part_] += Quoted(m.key) + ":";
        Node(m.value[0], member_key, depth + 1);
        parts_[part_] += ',';
      }
    } else {
      for (std::size_t i = 0; i < t.items.size(); ++i) {
        Node(t.items[i], StrCat(key, "[", i, "]"), depth + 1);
        parts_[part_] += ',';
      }
    }
    std::string& end = parts_[part_];
    if (end.ends_with(',')) end.pop_back();
    end += object ? '}' : ']';
  }

  void Ref(const Reference& ref, const std::string& key) {
    const bool plain = ref.conversions.empty() && !ref.key;
    const std::string name = ref.path.size() == 1 ? ref.path[0] : std::string();
    if (name == "events") {
      if (!plain) return Error(key, ref.at, "$events takes no conversions");
      if (++events_ > 1) return Error(key, ref.at, "$events twice: the envelope holds the events once");
      parts_[part_] += '[';
      part_ = 1;
      parts_[part_] += ']';
      return;
    }
    if (name == "project_id") {
      if (!plain) return Error(key, ref.at, "$project_id in the envelope takes no conversions");
      parts_[part_] += Quoted(project_id_);
      return;
    }
    if (name == "sent_at") {
      if (part_ == 0) {
        return Error(key, ref.at, "$sent_at must come after $events: it is written when the body is closed");
      }
      if (time_) return Error(key, ref.at, "$sent_at twice: the envelope holds one send time");
      std::optional<ValueSpec> spec = resolver_->ResolveReference(ref, Context::kEnvelope, false, false, key);
      if (!spec) return;
      if (spec->quote || spec->default_json || spec->null_if_empty) {
        return Error(key, ref.at, "$sent_at takes unix_ns, unix_us, unix_ms, unix_s or rfc3339");
      }
      time_ = spec->time;
      part_ = 2;
      return;
    }
    Error(key, ref.at, "the envelope holds literals, $project_id, $events and $sent_at");
  }

  const std::string_view project_id_;
  Resolver* const resolver_;
  std::vector<DeclarationError>* const errors_;
  std::string parts_[3];  // before $events, between it and $sent_at, after $sent_at
  int part_ = 0;
  int events_ = 0;
  std::optional<format::TimeFormat> time_;
};

std::optional<Envelope> CompileEnvelope(const Declaration& d, const CompileOptions& o, Resolver* resolver,
                                        std::vector<DeclarationError>* errors) {
  switch (d.framing) {
    case Framing::kNdjson:
    case Framing::kArray:
      if (d.envelope) {
        errors->push_back({"envelope", d.envelope->at, "an envelope applies to framing: envelope only"});
        return std::nullopt;
      }
      if (d.framing == Framing::kNdjson) return Envelope("", "\n", "\n", std::nullopt, "");
      return Envelope("[", ",", "]", std::nullopt, "");
    case Framing::kEnvelope: break;
  }
  EnvelopeBuilder builder(o.project_id, resolver, errors);
  return builder.Build(d.envelope ? *d.envelope : BuiltinEnvelope());
}

std::vector<CompiledHeader> CompileHeaders(const Declaration& d, const CompileOptions& o,
                                           std::vector<DeclarationError>* errors) {
  std::vector<CompiledHeader> out;
  for (const Header& h : d.headers ? *d.headers : BuiltinHeaders()) {
    const std::string key = StrCat("headers.", h.name);
    if (!IsToken(h.name)) {
      errors->push_back({key, h.at, "a header name is a token: letters, digits and !#$%&'*+-.^_`|~"});
      continue;
    }
    CompiledHeader c{h.name, "", h.secret};
    const Template& v = h.value;
    if (v.kind == Template::Kind::kLiteral && v.literal.type == Literal::Type::kString) {
      c.value = v.literal.string_value;
    } else if (v.kind == Template::Kind::kLiteral && v.literal.type != Literal::Type::kNull) {
      std::string error;
      c.value = LiteralJson(v.literal, &error).value_or("");
    } else if (v.kind == Template::Kind::kReference && v.reference.path == std::vector<std::string>{"project_id"} &&
               v.reference.conversions.empty() && !v.reference.key) {
      c.value = o.project_id;
    } else {
      errors->push_back({key, v.at, "a header's value is a literal or $project_id"});
      continue;
    }
    // The value may be a secret: the message never shows it.
    if (HasControl(c.value, false)) {
      errors->push_back({key, v.at, "the value has a control character (a line break?)"});
      continue;
    }
    out.push_back(std::move(c));
  }
  return out;
}

struct SignalPart {
  Signal signal;
  Context context;
  const std::optional<SignalFormat>* given;
  SignalFormat (*builtin)(ExtraFields);
};

}  // namespace

CompileResult Compile(const Declaration& d, const CompileOptions& o) {
  CompileResult result;
  std::vector<DeclarationError>& errors = result.errors;
  Resolver resolver(&errors);
  std::optional<Envelope> envelope = CompileEnvelope(d, o, &resolver, &errors);
  std::vector<CompiledHeader> headers = CompileHeaders(d, o, &errors);
  const std::string content_type =
      d.content_type ? *d.content_type : d.framing == Framing::kNdjson ? "application/x-ndjson" : "application/json";
  if (content_type.empty() || HasControl(content_type, false)) {
    errors.push_back({"content_type", {}, "a content type is a media type such as application/json"});
  }

  const SignalPart parts[] = {
      {Signal::kTraces, Context::kSpan, &d.traces, &BuiltinTraces},
      {Signal::kLogs, Context::kLog, &d.logs, &BuiltinLogs},
      {Signal::kMetrics, Context::kPoint, &d.metrics, &BuiltinMetrics},
  };
  std::array<std::string, kSignalCount> paths;
  auto traces = std::make_shared<Plan>();
  auto logs = std::make_shared<Plan>();
  auto metrics = std::make_shared<MetricPlans>();
  for (const SignalPart& part : parts) {
    const std::string name(SignalName(part.signal));
    const SignalFormat format = part.given->has_value() ? **part.given : part.builtin(o.extra_fields);
    if (!format.path.starts_with('/') || HasControl(format.path, true)) {
      errors.push_back({name + ".path", format.at,
                        "a path starts with '/' and has no spaces or control characters (percent-encode them)"});
    }
    paths[SignalIndex(part.signal)] = format.path;
    const std::string key = name + ".event";
    std::optional<RNode> event = resolver.Event(format.event, part.context, key);
    if (!event) continue;
    std::string error;
    bool lowered = true;
    if (part.signal == Signal::kMetrics) {
      for (std::size_t k = 1; k < metrics->size() && lowered; ++k) {
        lowered = Lower(*event, part.context, static_cast<MetricKind>(k), o.project_id, &(*metrics)[k], &error);
      }
    } else {
      lowered = Lower(*event, part.context, MetricKind::kNone, o.project_id,
                      part.signal == Signal::kTraces ? traces.get() : logs.get(), &error);
    }
    if (!lowered) errors.push_back({key, format.event.at, error});
  }
  if (!errors.empty() || !envelope) return result;

  std::shared_ptr<CompiledFormat> compiled(new CompiledFormat(d.framing, std::move(*envelope)));
  compiled->content_type_ = content_type;
  compiled->headers_ = std::move(headers);
  compiled->paths_ = std::move(paths);
  compiled->traces_ = std::move(traces);
  compiled->logs_ = std::move(logs);
  compiled->metrics_ = std::move(metrics);
  result.format = std::move(compiled);
  return result;
}

}  // namespace otelpack::format::declared
