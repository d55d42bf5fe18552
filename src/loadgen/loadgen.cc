// SpanGenerator: builds the catalog (services, operations, resources) once,
// then draws spans from a set of open traces so that parent/child links,
// timing and grouping look like a real exporter's batches.
#include "loadgen/loadgen.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "loadgen/internal.h"
#include "loadgen/values.h"
#include "otelpack/arena.h"

namespace otelpack::loadgen {
namespace {

using internal::Language;
using internal::OpKind;
using internal::SpanFacts;
using internal::ValueMaker;
using internal::Rng;

// 2024-11-24T20:26:40Z: the default first trace time (see GeneratorOptions).
constexpr std::uint64_t kDefaultStartUnixNano = 1732480000000000000ULL;
constexpr std::uint64_t kMicro = 1000;
constexpr std::uint64_t kMilli = 1000 * kMicro;

// Which instrumentation scope reports each kind (producer and consumer share).
constexpr int kScopeCount = 6;
int ScopeIndex(OpKind kind) {
  switch (kind) {
    case OpKind::kServer: return 0;
    case OpKind::kHttpClient: return 1;
    case OpKind::kDb: return 2;
    case OpKind::kCache: return 3;
    case OpKind::kProducer:
    case OpKind::kConsumer: return 4;
    case OpKind::kInternal: break;
  }
  return 5;
}
constexpr std::string_view kScopeNames[kScopeCount] = {
    "io.opentelemetry.tomcat-10.0", "io.opentelemetry.okhttp-3.0",
    "io.opentelemetry.jdbc",        "io.opentelemetry.lettuce-5.1",
    "io.opentelemetry.kafka-clients-2.6", "com.example.manual",
};

SpanKind ToSpanKind(OpKind kind) {
  switch (kind) {
    case OpKind::kServer: return SpanKind::kServer;
    case OpKind::kHttpClient:
    case OpKind::kDb:
    case OpKind::kCache: return SpanKind::kClient;
    case OpKind::kProducer: return SpanKind::kProducer;
    case OpKind::kConsumer: return SpanKind::kConsumer;
    case OpKind::kInternal: break;
  }
  return SpanKind::kInternal;
}

// Each service owns operations in this mix (one of each per ten).
constexpr OpKind kOpMix[10] = {
    OpKind::kServer, OpKind::kServer,   OpKind::kHttpClient, OpKind::kDb,      OpKind::kDb,
    OpKind::kCache,  OpKind::kProducer, OpKind::kConsumer,   OpKind::kInternal, OpKind::kServer,
};

struct Operation {
  std::string_view name;
  OpKind kind;
  int service;
  std::string_view verb;   // HTTP method, SQL operation or cache command
  std::string_view noun;   // REST resource, table, cache key prefix or topic
  std::string_view route;  // server and client: the URL template
  int peer = -1;           // client: the service called
};

struct Service {
  std::string_view name;
  std::string_view word;  // "checkout" for "checkout-service"
  Language lang;
  Attributes resource;
  std::vector<int> ops_by_kind[7];
};

struct SpanRecord {
  SpanId id;
  int op;
  std::uint64_t start;
  std::uint64_t end;
};

struct Trace {
  TraceId id;
  std::size_t planned = 0;
  std::vector<SpanRecord> spans;
};

struct Pending {
  int group;  // service * kScopeCount + scope
  Span span;
};

Attributes CopyAttributes(Attributes attrs, Arena* a);

AnyValue CopyValue(const AnyValue& v, Arena* a) {
  switch (v.type()) {
    case ValueType::kString: return AnyValue::String(a->Copy(v.string_value()));
    case ValueType::kBytes: return AnyValue::Bytes(a->Copy(v.string_value()));
    case ValueType::kArray: {
      std::span<AnyValue> items = a->Make<AnyValue>(v.array_value().size());
      for (std::size_t i = 0; i < items.size(); ++i) items[i] = CopyValue(v.array_value()[i], a);
      return AnyValue::Array(items);
    }
    case ValueType::kKvList: return AnyValue::KvList(CopyAttributes(v.kvlist_value(), a));
    default: break;
  }
  return v;
}

Attributes CopyAttributes(Attributes attrs, Arena* a) {
  std::span<KeyValue> out = a->Make<KeyValue>(attrs.size());
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    out[i].key = a->Copy(attrs[i].key);
    out[i].value = CopyValue(attrs[i].value, a);
  }
  return out;
}

// Replaces every view inside *s with a copy in *a.
void CopyInto(Span* s, Arena* a) {
  s->name = a->Copy(s->name);
  s->trace_state = a->Copy(s->trace_state);
  s->status_message = a->Copy(s->status_message);
  s->attributes = CopyAttributes(s->attributes, a);
  std::span<SpanEvent> events = a->Make<SpanEvent>(s->events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    events[i] = s->events[i];
    events[i].name = a->Copy(events[i].name);
    events[i].attributes = CopyAttributes(events[i].attributes, a);
  }
  s->events = events;
  std::span<SpanLink> links = a->Make<SpanLink>(s->links.size());
  for (std::size_t i = 0; i < links.size(); ++i) {
    links[i] = s->links[i];
    links[i].trace_state = a->Copy(links[i].trace_state);
    links[i].attributes = CopyAttributes(links[i].attributes, a);
  }
  s->links = links;
}

}  // namespace

struct SpanGenerator::State {
  explicit State(const GeneratorOptions& o) : options(o), rng(o.seed), values(&draft) {}

  GeneratorOptions options;
  Rng rng;
  Arena catalog;  // services, operations, resources: lives as long as the generator
  Arena draft;    // spans as generated, in generation order; reset by Next()
  Arena batch;    // the batch returned, laid out in output order; reset by Next()
  ValueMaker values;
  std::vector<Service> services;
  std::vector<Operation> ops;
  std::vector<Trace> traces;
  std::uint64_t clock = 0;
  std::vector<Pending> pending;
  std::string scratch;

  std::string_view Keep(std::string_view s) { return catalog.Copy(s); }
  void BuildCatalog();
  Operation MakeOperation(int index);
  void StartTrace(Trace* t);
  void GenerateSpan();
  int ChildOp(const Operation& parent);
  void FillSpan(const Operation& op, const Trace& t, const SpanRecord& rec, SpanId parent, Span* s);
  TracesView Group();
};

void SpanGenerator::State::BuildCatalog() {
  const int n_services = std::max(1, options.services);
  const int n_ops = std::max(1, options.operations);
  auto names = internal::ServiceNames();
  for (int i = 0; i < n_services; ++i) {
    Service s;
    if (static_cast<std::size_t>(i) < names.size()) {
      s.name = names[i];
    } else {
      s.name = Keep("service-" + std::to_string(i));
    }
    s.word = s.name.substr(0, s.name.find('-'));
    s.lang = static_cast<Language>(i % 3);
    services.push_back(std::move(s));
  }
  for (Service& s : services) s.resource = values.Resource(s.name, s.lang, rng, &catalog,
                                                           options.all_value_types);

  std::set<std::string, std::less<>> seen;
  for (int i = 0; i < n_ops; ++i) {
    Operation op = MakeOperation(i);
    for (int attempt = 0; seen.count(op.name) != 0; ++attempt) {
      op = attempt < 20 ? MakeOperation(i) : op;
      if (attempt >= 20) op.name = Keep(std::string(op.name) + " #" + std::to_string(i));
    }
    seen.emplace(op.name);
    services[op.service].ops_by_kind[static_cast<int>(op.kind)].push_back(i);
    ops.push_back(op);
  }
}

Operation SpanGenerator::State::MakeOperation(int index) {
  static constexpr std::string_view kMethods[] = {"GET", "GET", "GET", "GET", "POST", "PUT", "DELETE"};
  static constexpr std::string_view kSql[] = {"SELECT", "SELECT", "INSERT", "UPDATE", "DELETE"};
  static constexpr std::string_view kCache[] = {"GET", "SET", "HGETALL", "MGET", "EXPIRE", "DEL"};
  static constexpr std::string_view kTopicEvents[] = {"created", "updated", "deleted", "settled"};
  Operation op;
  op.service = index % static_cast<int>(services.size());
  op.kind = kOpMix[(index / static_cast<int>(services.size())) % 10];
  const Service& svc = services[op.service];
  std::string name;
  switch (op.kind) {
    case OpKind::kServer:
    case OpKind::kHttpClient: {
      op.verb = rng.Pick(std::span(kMethods));
      op.noun = rng.Pick(internal::ResourceNouns());
      // (append() rather than operator+: GCC 12 -O3 warns falsely on
      // "literal" + std::string.)
      std::string route = "/api/v";
      route.append(std::to_string(1 + rng.Below(2))).append("/").append(op.noun);
      if (rng.Chance(0.6)) route.append("/{id}");
      if (rng.Chance(0.25)) route.append("/").append(rng.Pick(internal::ResourceNouns()));
      op.route = Keep(route);
      if (op.kind == OpKind::kServer) {
        name = std::string(op.verb) + " " + route;
      } else {
        op.peer = static_cast<int>(rng.Below(services.size()));
        name = std::string(op.verb) + " " + std::string(services[op.peer].name) + route;
      }
      break;
    }
    case OpKind::kDb:
      op.verb = rng.Pick(std::span(kSql));
      op.noun = rng.Pick(internal::DbTables());
      name = std::string(op.verb) + " " + std::string(svc.word) + "." + std::string(op.noun);
      break;
    case OpKind::kCache:
      op.verb = rng.Pick(std::span(kCache));
      op.noun = rng.Pick(internal::ResourceNouns());
      name = std::string(op.verb) + " " + std::string(op.noun) + ":" + std::string(svc.word);
      break;
    case OpKind::kProducer:
    case OpKind::kConsumer:
      op.noun = Keep(std::string(rng.Pick(internal::ResourceNouns())) + "." +
                     std::string(rng.Pick(std::span(kTopicEvents))));
      op.verb = op.kind == OpKind::kProducer ? "publish" : "process";
      name = std::string(op.noun) + " " + std::string(op.verb);
      break;
    case OpKind::kInternal:
      op.noun = rng.Pick(internal::ClassNames());
      op.verb = rng.Pick(internal::MethodNames());
      name = std::string(op.noun) + "." + std::string(op.verb);
      break;
  }
  op.name = Keep(name);
  return op;
}

void SpanGenerator::State::StartTrace(Trace* t) {
  do {
    for (std::uint8_t& b : t->id.bytes) b = static_cast<std::uint8_t>(rng.Next());
  } while (!t->id.valid());
  t->planned = static_cast<std::size_t>(rng.Between(1, 14));
  t->spans.clear();
}

int SpanGenerator::State::ChildOp(const Operation& parent) {
  auto pick = [&](const std::vector<int>& from) { return from[rng.Below(from.size())]; };
  auto any_of_kind = [&](OpKind kind, int not_service) -> int {
    for (int tries = 0; tries < 8; ++tries) {
      const Service& s = services[rng.Below(services.size())];
      const auto& list = s.ops_by_kind[static_cast<int>(kind)];
      if (!list.empty() && (ops[list[0]].service != not_service || services.size() == 1)) return pick(list);
    }
    return -1;
  };
  int op = -1;
  if (parent.kind == OpKind::kHttpClient) {
    const auto& served = services[parent.peer].ops_by_kind[static_cast<int>(OpKind::kServer)];
    op = served.empty() ? any_of_kind(OpKind::kServer, parent.service) : pick(served);
  } else if (parent.kind == OpKind::kProducer) {
    op = any_of_kind(OpKind::kConsumer, parent.service);
  } else {
    static constexpr OpKind kChildKinds[] = {OpKind::kHttpClient, OpKind::kDb, OpKind::kDb, OpKind::kCache,
                                             OpKind::kProducer, OpKind::kInternal};
    const auto& list = services[parent.service].ops_by_kind[static_cast<int>(rng.Pick(std::span(kChildKinds)))];
    if (!list.empty()) op = pick(list);
  }
  return op >= 0 ? op : static_cast<int>(rng.Below(ops.size()));
}

void SpanGenerator::State::GenerateSpan() {
  Trace& t = traces[rng.Below(traces.size())];
  if (t.spans.size() >= t.planned) StartTrace(&t);

  SpanRecord rec;
  SpanId parent_id;
  if (t.spans.empty()) {
    // A root: a server operation, most often at the edge (frontend, gateway).
    int service = rng.Chance(0.6) ? static_cast<int>(rng.Below(std::min<std::size_t>(2, services.size())))
                                  : static_cast<int>(rng.Below(services.size()));
    const auto& served = services[service].ops_by_kind[static_cast<int>(OpKind::kServer)];
    rec.op = served.empty() ? static_cast<int>(rng.Below(ops.size())) : served[rng.Below(served.size())];
    clock += rng.Below(3 * kMilli);
    rec.start = clock;
    // Log-uniform between 1 ms and 3 s.
    double ns = std::exp(std::log(1e6) + rng.Unit() * (std::log(3e9) - std::log(1e6)));
    rec.end = rec.start + static_cast<std::uint64_t>(ns);
  } else {
    // Leaves (database and cache calls) never have children.
    const SpanRecord* parent = &t.spans[0];
    for (int tries = 0; tries < 8; ++tries) {
      const SpanRecord& c = t.spans[rng.Below(t.spans.size())];
      OpKind k = ops[c.op].kind;
      if (k != OpKind::kDb && k != OpKind::kCache) {
        parent = &c;
        break;
      }
    }
    parent_id = parent->id;
    rec.op = ChildOp(ops[parent->op]);
    const std::uint64_t pdur = parent->end - parent->start;
    rec.start = parent->start + static_cast<std::uint64_t>(static_cast<double>(pdur) * 0.5 * rng.Unit());
    const std::uint64_t room = parent->end - rec.start;
    OpKind k = ops[rec.op].kind;
    std::uint64_t dur;
    if (k == OpKind::kDb || k == OpKind::kCache) {
      double ns = std::exp(std::log(50e3) + rng.Unit() * (std::log(80e6) - std::log(50e3)));
      dur = std::min<std::uint64_t>(room, static_cast<std::uint64_t>(ns));
    } else {
      dur = static_cast<std::uint64_t>(static_cast<double>(room) * (0.2 + 0.75 * rng.Unit()));
    }
    rec.end = rec.start + dur;
  }
  do {
    for (std::uint8_t& b : rec.id.bytes) b = static_cast<std::uint8_t>(rng.Next());
  } while (!rec.id.valid());

  const Operation& op = ops[rec.op];
  Pending p;
  p.group = op.service * kScopeCount + ScopeIndex(op.kind);
  FillSpan(op, t, rec, parent_id, &p.span);
  pending.push_back(p);
  t.spans.push_back(rec);
}

void SpanGenerator::State::FillSpan(const Operation& op, const Trace& t, const SpanRecord& rec,
                                    SpanId parent, Span* s) {
  const Service& svc = services[op.service];
  s->trace_id = t.id;
  s->span_id = rec.id;
  s->parent_span_id = parent;
  s->flags = 1;  // sampled
  s->name = op.name;
  s->kind = ToSpanKind(op.kind);
  s->start_time_unix_nano = options.start_unix_nano + rec.start;
  s->end_time_unix_nano = options.start_unix_nano + rec.end;
  if (rng.Chance(0.05)) s->trace_state = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";

  const bool error = rng.Chance(options.error_ratio);
  // event_ratio counts error spans too, which always have an event.
  const double other_events =
      options.error_ratio >= 1 ? 0 : std::max(0.0, (options.event_ratio - options.error_ratio) / (1 - options.error_ratio));

  SpanFacts facts;
  facts.kind = op.kind;
  facts.verb = op.verb;
  facts.noun = op.noun;
  facts.route = op.route;
  facts.service = svc.name;
  facts.service_word = svc.word;
  facts.lang = svc.lang;
  facts.peer = op.peer >= 0 ? services[op.peer].name : std::string_view();
  facts.duration_ns = rec.end - rec.start;
  facts.error = error;
  s->attributes = values.SpanAttributes(facts, rng, options.all_value_types);

  if (error) {
    s->status_code = SpanStatusCode::kError;
    internal::ExceptionText exc = internal::PickException(svc.lang, rng);
    internal::MakeStackTrace(svc.lang, exc, svc.name, rng, &scratch);
    s->status_message = exc.message;
    s->events = values.ExceptionEvents(exc, draft.Copy(scratch), s->start_time_unix_nano,
                                       s->end_time_unix_nano, rng, options.all_value_types);
  } else {
    s->status_code = rng.Chance(0.1) ? SpanStatusCode::kOk : SpanStatusCode::kUnset;
    if (rng.Chance(other_events)) {
      s->events = values.Events(s->start_time_unix_nano, s->end_time_unix_nano, rng, options.all_value_types);
    }
  }
  // A consumer links to the message's producer (here also its parent).
  if (op.kind == OpKind::kConsumer && parent.valid()) {
    s->links = values.LinkTo(t.id, parent, rng, options.all_value_types);
  }
  if (options.all_value_types && rng.Chance(0.1)) {
    s->dropped_attributes_count = static_cast<std::uint32_t>(rng.Below(5));
    s->dropped_events_count = static_cast<std::uint32_t>(rng.Below(3));
    s->dropped_links_count = static_cast<std::uint32_t>(rng.Below(2));
  }
}

TracesView SpanGenerator::State::Group() {
  const std::size_t n_groups = services.size() * kScopeCount;
  std::vector<std::size_t> count(n_groups, 0);
  for (const Pending& p : pending) ++count[p.group];

  std::vector<std::span<Span>> spans(n_groups);
  for (std::size_t g = 0; g < n_groups; ++g) spans[g] = batch.Make<Span>(count[g]);
  std::vector<std::size_t> filled(n_groups, 0);
  for (const Pending& p : pending) spans[p.group][filled[p.group]++] = p.span;
  // Deep-copy in output order, group by group: the layout an OTLP decoder
  // produces (the exporter's real input), so that benchmarks read memory
  // in the same pattern as in production.
  for (std::span<Span> group : spans)
    for (Span& span : group) CopyInto(&span, &batch);

  std::size_t n_resources = 0;
  for (std::size_t s = 0; s < services.size(); ++s) {
    std::size_t scopes = 0;
    for (int k = 0; k < kScopeCount; ++k) scopes += count[s * kScopeCount + k] != 0;
    n_resources += scopes != 0;
  }
  std::span<ResourceSpans> out = batch.Make<ResourceSpans>(n_resources);
  std::size_t r = 0;
  for (std::size_t s = 0; s < services.size(); ++s) {
    std::size_t scopes = 0;
    for (int k = 0; k < kScopeCount; ++k) scopes += count[s * kScopeCount + k] != 0;
    if (scopes == 0) continue;
    std::span<ScopeSpans> ss = batch.Make<ScopeSpans>(scopes);
    std::size_t i = 0;
    for (int k = 0; k < kScopeCount; ++k) {
      const std::size_t g = s * kScopeCount + k;
      if (count[g] == 0) continue;
      ss[i].scope.name = kScopeNames[k];
      ss[i].scope.version = "1.32.0";
      ss[i].spans = spans[g];
      ss[i].schema_url = "https://opentelemetry.io/schemas/1.21.0";
      ++i;
    }
    out[r].resource.attributes = CopyAttributes(services[s].resource, &batch);
    out[r].scope_spans = ss;
    out[r].schema_url = "https://opentelemetry.io/schemas/1.21.0";
    ++r;
  }
  return out;
}

SpanGenerator::SpanGenerator(GeneratorOptions options) : state_(std::make_unique<State>(options)) {
  if (state_->options.start_unix_nano == 0) state_->options.start_unix_nano = kDefaultStartUnixNano;
  state_->BuildCatalog();
  state_->traces.resize(static_cast<std::size_t>(std::max(1, options.interleaved_traces)));
  for (Trace& t : state_->traces) state_->StartTrace(&t);
}

SpanGenerator::~SpanGenerator() = default;

TracesView SpanGenerator::Next(std::size_t n) {
  state_->draft.Reset();
  state_->batch.Reset();
  state_->pending.clear();
  for (std::size_t i = 0; i < n; ++i) state_->GenerateSpan();
  return state_->Group();
}

}  // namespace otelpack::loadgen
