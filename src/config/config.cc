// The configuration schema: one function per section, in the order of
// docs/configuration.md, then the checks that involve several keys.
#include "config/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <limits>

#include "common/ascii.h"
#include "common/str_cat.h"
#include "config/section.h"
#include "config/yaml_util.h"
#include "format/declared/check.h"
#include "format/declared/parse.h"
#include "otelpack/auth.h"
#include "otelpack/compression.h"
#include "otelpack/format.h"

namespace otelpack::config {
namespace {

using internal::Secrecy;
using internal::Section;
using internal::Walk;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::uint64_t kKiB = 1ull << 10;
constexpr std::uint64_t kMiB = 1ull << 20;
constexpr std::uint64_t kGiB = 1ull << 30;
constexpr std::uint64_t kTiB = 1ull << 40;

// --- receivers ---------------------------------------------------------------

void ParseBearerAuth(Section& parent, std::string* token) {
  Section auth = parent.Child("auth");
  auth.HideUnknownKeyNames();
  auth.String("bearer_token", token, Secrecy::kSecret);
  auth.Finish();
}

// The Collector's confighttp / configgrpc `tls:` block, server side.
void ParseReceiverTls(Section& parent, http::TlsOptions* o) {
  Section tls = parent.Child("tls");
  tls.String("cert_file", &o->cert_file);
  tls.String("key_file", &o->key_file);
  tls.String("client_ca_file", &o->client_ca_file);
  tls.Choice("min_version", &o->min_version, {{"1.2", http::TlsVersion::k12}, {"1.3", http::TlsVersion::k13}});
  tls.Finish();
}

void ParseHttpReceiver(Section& protocols, receiver::HttpReceiverOptions* o) {
  Section http = protocols.Child("http");
  http.Bool("enabled", &o->enabled);
  http.ListenAddress("endpoint", &o->listen);
  ParseBearerAuth(http, &o->bearer_token);
  http.Size("max_request_body_size", &o->max_body_bytes, kKiB, kGiB);
  http.Size("max_decompressed_size", &o->max_decompressed_bytes, kKiB, 4 * kGiB);
  http.Integer("threads", &o->threads, 1, 256);
  http.Seconds("idle_timeout", &o->idle_timeout, seconds(1), hours(1));
  http.Integer("max_connections", &o->max_connections, 1, 1000000);
  http.Integer("max_connections_per_client", &o->max_connections_per_client, 0, 1000000);
  http.Seconds("read_header_timeout", &o->read_header_timeout, seconds(1), hours(1));
  ParseReceiverTls(http, &o->tls);
  http.Finish();
}

void ParseGrpcReceiver(Section& protocols, receiver::GrpcReceiverOptions* o) {
  Section grpc = protocols.Child("grpc");
  grpc.Bool("enabled", &o->enabled);
  grpc.ListenAddress("endpoint", &o->listen);
  ParseBearerAuth(grpc, &o->bearer_token);
  // gRPC takes the limit as an int.
  grpc.Size("max_recv_msg_size", &o->max_message_bytes, kKiB, kGiB);
  ParseReceiverTls(grpc, &o->tls);
  grpc.Finish();
}

void ParseLimits(Section& otlp, otlp::DecodeLimits* o) {
  Section limits = otlp.Child("limits");
  limits.Integer("max_attributes", &o->max_attributes, 0, 1'000'000);
  limits.Integer("max_events_per_span", &o->max_events_per_span, 0, 1'000'000);
  limits.Integer("max_links_per_span", &o->max_links_per_span, 0, 1'000'000);
  limits.Size("max_attribute_value_length", &o->max_value_bytes, 0, kGiB);
  // The decoders recurse once per level: the cap bounds their stack.
  limits.Integer("max_value_depth", &o->max_depth, 1, 128);
  limits.Size("max_decoded_size", &o->max_decoded_bytes, kMiB, 4 * kGiB);
  limits.Integer("max_exemplars", &o->max_exemplars, 0, 1'000'000);
  limits.Integer("max_buckets", &o->max_buckets, 1, 1'000'000);
  limits.Finish();
}

void ParseReceivers(Section& doc, agent::AgentOptions* o) {
  Section receivers = doc.Child("receivers");
  Section otlp = receivers.Child("otlp");
  Section protocols = otlp.Child("protocols");
  ParseHttpReceiver(protocols, &o->http);
  ParseGrpcReceiver(protocols, &o->grpc);
  protocols.Finish();
  ParseLimits(otlp, &o->limits);
  otlp.Finish();
  receivers.Finish();
}

// --- exporter ----------------------------------------------------------------

void ParseAuth(Section& exporter, AuthOptions* o) {
  Section auth = exporter.Child("auth");
  auth.HideUnknownKeyNames();
  // "hmac-sha256" is accepted for "hmac": the scheme's full name.
  auth.Choice("scheme", &o->scheme,
              {{"apikey", AuthScheme::kApiKey},
               {"bearer", AuthScheme::kBearer},
               {"basic", AuthScheme::kBasic},
               {"hmac", AuthScheme::kHmacSha256},
               {"hmac-sha256", AuthScheme::kHmacSha256},
               {"none", AuthScheme::kNone}},
              Secrecy::kSecret);  // a key put here by mistake must not be shown
  auth.String("api_key", &o->api_key, Secrecy::kSecret);
  auth.String("username", &o->username);
  auth.String("password", &o->password, Secrecy::kSecret);
  auth.String("key_id", &o->key_id);
  auth.String("secret", &o->secret, Secrecy::kSecret);
  auth.Finish();
}

bool IsTokenChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}


// Headers every request carries already; a second copy would contradict it.
constexpr std::array<std::string_view, 7> kReservedHeaders = {
    "Content-Type", "Content-Encoding", "Content-Length", "Transfer-Encoding",
    "Host",         "X-Project-ID",     "X-Batch-ID"};

void ParseHeaders(Section& exporter, std::vector<HttpHeader>* out) {
  Section headers = exporter.Child("headers");
  std::vector<HttpHeader> parsed;
  bool any = false;
  for (const std::string& name : headers.Keys()) {
    any = true;
    const std::string key = headers.PathOf(name);
    if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar)) {
      headers.Error(name, headers.KeyLocation(name), "is not a valid HTTP header name");
      continue;
    }
    bool reserved = false;
    for (std::string_view r : kReservedHeaders) reserved = reserved || EqualsIgnoreCase(name, r);
    if (reserved) {
      headers.Error(name, headers.KeyLocation(name), "is set by otelpack on every request");
      continue;
    }
    const bool duplicate = std::any_of(parsed.begin(), parsed.end(),
                                       [&](const HttpHeader& h) { return EqualsIgnoreCase(h.name, name); });
    if (duplicate) {
      headers.Error(name, headers.KeyLocation(name), "appears twice (header names ignore case)");
      continue;
    }
    // A header's value may be a credential (X-Api-Key: ...).
    HttpHeader h{name, ""};
    if (headers.String(name, &h.value, Secrecy::kSecret)) parsed.push_back(std::move(h));
  }
  headers.Finish();
  if (any) *out = std::move(parsed);
}

void ParseBatch(Section& exporter, ExporterOptions* o) {
  Section batch = exporter.Child("batch");
  batch.Integer("max_events", &o->max_batch_events, 1, 1'000'000);
  batch.Size("max_bytes", &o->max_batch_bytes, kKiB, kGiB);
  batch.Duration("flush_interval", &o->flush_interval, milliseconds(1), hours(1));
  batch.Finish();
}

void ParseTls(Section& exporter, ExporterOptions* o) {
  Section tls = exporter.Child("tls");
  tls.String("ca_file", &o->ca_file);
  tls.String("cert_file", &o->client_cert_file);
  tls.String("key_file", &o->client_key_file);
  bool skip_verify = !o->tls_verify;
  if (tls.Bool("insecure_skip_verify", &skip_verify)) o->tls_verify = !skip_verify;
  tls.Finish();
}

void ParseExtraFields(Section& exporter, ExtraFields* o) {
  Section extra = exporter.Child("extra_fields");
  extra.Bool("kind", &o->kind);
  extra.Bool("trace_state", &o->trace_state);
  extra.Bool("links", &o->links);
  extra.Bool("resource", &o->resource);
  extra.Bool("scope", &o->scope);
  extra.Bool("dropped_counts", &o->dropped_counts);
  extra.Finish();
}

void ParseRetry(Section& exporter, RetryOptions* o) {
  Section retry = exporter.Child("retry");
  retry.Bool("enabled", &o->enabled);
  retry.Duration("initial_interval", &o->initial_interval, milliseconds(1), hours(24));
  retry.Number("multiplier", &o->multiplier, 1.0, 100.0, true);
  retry.Number("randomization_factor", &o->randomization_factor, 0.0, 1.0, false);
  retry.Duration("max_interval", &o->max_interval, milliseconds(1), hours(24));
  retry.Duration("max_elapsed_time", &o->max_elapsed_time, milliseconds(0), hours(24 * 365));
  retry.IntegerList("retryable_statuses", &o->retryable_statuses, 400, 599, 200);
  retry.Finish();
}

void ParseQueue(Section& exporter, QueueOptions* o) {
  Section queue = exporter.Child("queue");
  queue.Choice("kind", &o->kind, {{"memory", QueueKind::kMemory}, {"disk", QueueKind::kDisk}});
  queue.Size("max_size", &o->memory_max_bytes, kKiB, kTiB);
  queue.String("directory", &o->directory);
  queue.Size("disk_max_size", &o->disk_max_bytes, kMiB, 64 * kTiB);
  queue.Choice("fsync", &o->fsync,
               {{"always", FsyncPolicy::kAlways}, {"interval", FsyncPolicy::kInterval},
                {"never", FsyncPolicy::kNever}});
  queue.Duration("fsync_interval", &o->fsync_interval, milliseconds(1), hours(1));
  queue.Choice("when_full", &o->when_full,
               {{"block", WhenFull::kBlock}, {"drop_newest", WhenFull::kDropNewest}});
  queue.Duration("block_timeout", &o->block_timeout, milliseconds(0), hours(1));
  queue.Finish();
}

// `format:` is the backend's format: a declaration written here (a mapping)
// or the path of a declaration file (docs/formats.md). Its mistakes are the
// configuration's, under "exporter.format..."; a file's keep their own file
// and line in the message.
void ParseFormat(Walk& walk, Section& exporter, ExporterOptions* o) {
  YAML::Node node;
  Location at;
  if (!exporter.Raw("format", &node, &at) || node.IsNull()) return;
  const std::string key = exporter.PathOf("format");
  format::declared::CheckedDeclaration checked;
  if (node.IsScalar()) {
    Expansion path = ExpandEnv(node.Scalar(), walk.env());
    if (!path.errors.empty()) {
      for (const std::string& e : path.errors) walk.Error(key, at, e);
      return;
    }
    const std::string file =
        path.text.starts_with('/') || walk.base_dir().empty() ? path.text : StrCat(walk.base_dir(), path.text);
    checked = format::declared::Check(format::declared::LoadDeclarationFile(file, walk.env()));
    for (const format::declared::DeclarationError& e : checked.errors) {
      walk.Error(key, at, format::declared::FormatError(file, e));
    }
  } else if (node.IsMap()) {
    checked = format::declared::Check(
        format::declared::ParseDeclarationNode(node, "the configuration", key, walk.env()), key);
    for (const format::declared::DeclarationError& e : checked.errors) {
      walk.Error(e.key, {e.at.line, e.at.column}, e.message);
    }
  } else {
    walk.Error(key, at, "must be a declaration (a mapping) or the path of a declaration file");
    return;
  }
  if (checked.ok()) o->format = std::make_shared<const Format>(std::move(checked.declaration));
}

void ParseExporter(Walk& walk, Section& doc, ExporterOptions* o) {
  Section exporter = doc.Child("exporter");
  exporter.String("endpoint", &o->endpoint);
  exporter.String("project_id", &o->project_id);
  ParseAuth(exporter, &o->auth);
  ParseHeaders(exporter, &o->headers);
  exporter.Choice("compression", &o->compression,
                  {{"none", Compression::kNone}, {"gzip", Compression::kGzip},
                   {"zstd", Compression::kZstd}, {"lz4", Compression::kLz4}});
  exporter.Integer("compression_level", &o->compression_level, -100, 100);
  ParseBatch(exporter, o);
  exporter.Duration("timeout", &o->timeout, milliseconds(1), hours(1));
  exporter.Duration("connect_timeout", &o->connect_timeout, milliseconds(1), hours(1));
  exporter.Integer("concurrency", &o->concurrency, 1, 64);
  ParseTls(exporter, o);
  ParseExtraFields(exporter, &o->extra_fields);
  ParseRetry(exporter, &o->retry);
  ParseQueue(exporter, &o->queue);
  ParseFormat(walk, exporter, o);
  exporter.Finish();
}

// --- telemetry, service ------------------------------------------------------

void ParseTelemetry(Section& doc, agent::MetricsOptions* o) {
  Section telemetry = doc.Child("telemetry");
  Section metrics = telemetry.Child("metrics");
  metrics.Bool("enabled", &o->enabled);
  metrics.ListenAddress("endpoint", &o->listen);
  metrics.Finish();
  telemetry.Finish();
}

void ParseService(Section& doc, agent::AgentOptions* o) {
  Section service = doc.Child("service");
  service.Duration("shutdown_timeout", &o->shutdown_timeout, milliseconds(1), hours(1));
  service.Finish();
}

// --- checks across keys ------------------------------------------------------

// The key of the pair to blame: the one the document set (the other kept its
// default), the second when both.
std::string Blame(const Walk& walk, const std::string& first, const std::string& second) {
  return walk.Has(second) || !walk.Has(first) ? second : first;
}

// True when any of `keys` was set in the document and none was found wrong:
// a check across keys says nothing new about a key already reported.
bool Check(const Walk& walk, std::initializer_list<std::string_view> keys) {
  bool any_set = false;
  for (std::string_view k : keys) {
    if (walk.Failed(k)) return false;
    any_set = any_set || walk.Has(k);
  }
  return any_set;
}

void CheckEndpoint(Walk& walk, const ExporterOptions& o) {
  const std::string key = "exporter.endpoint";
  if (!Check(walk, {key}) || o.endpoint.empty()) return;
  if (o.endpoint.rfind("http://", 0) != 0 && o.endpoint.rfind("https://", 0) != 0) {
    walk.ErrorAtKey(key, "must start with http:// or https://");
  } else if (o.endpoint.find(' ') != std::string::npos) {
    walk.ErrorAtKey(key, "must not contain a space");
  }
}

void CheckListenAddresses(Walk& walk, const agent::AgentOptions& o) {
  struct Listener {
    std::string key;
    bool enabled;
    const std::string& address;
  };
  const Listener listeners[] = {
      {"receivers.otlp.protocols.http.endpoint", o.http.enabled, o.http.listen},
      {"receivers.otlp.protocols.grpc.endpoint", o.grpc.enabled, o.grpc.listen},
      {"telemetry.metrics.endpoint", o.metrics.enabled, o.metrics.listen},
  };
  for (std::size_t i = 0; i < std::size(listeners); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      const Listener& a = listeners[j];
      const Listener& b = listeners[i];
      // Port 0 asks for a free port: never a conflict.
      if (!a.enabled || !b.enabled || a.address != b.address || a.address.ends_with(":0")) continue;
      if (!Check(walk, {a.key, b.key})) continue;
      const std::string blamed = Blame(walk, a.key, b.key);
      walk.ErrorAtKey(blamed, StrCat("is the same address as ", blamed == b.key ? a.key : b.key));
    }
  }
}

// The receivers' TLS files are read and checked here too, so that
// `otelpack validate` reports a missing or mismatched file at its key.
void CheckReceiverTls(Walk& walk, std::string_view protocol, bool enabled, const http::TlsOptions& tls) {
  const std::string prefix = StrCat("receivers.otlp.protocols.", protocol, ".");
  const std::string files[] = {prefix + "tls.cert_file", prefix + "tls.key_file", prefix + "tls.client_ca_file"};
  if (!enabled || !Check(walk, {files[0], files[1], files[2]})) return;
  if (protocol == "grpc" && tls.min_version != http::TlsVersion::k12) {
    walk.ErrorAtKey(prefix + "tls.min_version", "\"1.3\" is not available for gRPC with gRPC 1.51 (only \"1.2\")");
  }
  Result<http::TlsCredentials> loaded = http::LoadTlsCredentials(tls);
  if (loaded.ok()) return;
  // The message starts with the key it is about: "tls.key_file /path: ...".
  const std::string_view message = loaded.status().message();
  const std::string key = prefix + std::string(message.substr(0, message.find(' ')));
  walk.ErrorAtKey(walk.Has(key) ? key : files[0], std::string(message));
}

void CheckExporter(Walk& walk, const ExporterOptions& o) {
  CheckEndpoint(walk, o);
  const std::string level = "exporter.compression_level";
  if (Check(walk, {"exporter.compression", level})) {
    Status s = ValidateCompressionLevel(o.compression, o.compression_level);
    if (!s.ok()) walk.ErrorAtKey(Blame(walk, "exporter.compression", level), std::string(s.message()));
  }
  const std::string initial = "exporter.retry.initial_interval";
  const std::string max = "exporter.retry.max_interval";
  if (Check(walk, {initial, max}) && o.retry.max_interval < o.retry.initial_interval) {
    walk.ErrorAtKey(Blame(walk, initial, max), StrCat("exporter.retry.max_interval (",
                                                      FormatDuration(o.retry.max_interval),
                                                      ") must be at least exporter.retry.initial_interval (",
                                                      FormatDuration(o.retry.initial_interval), ")"));
  }
  const std::string cert = "exporter.tls.cert_file";
  const std::string key = "exporter.tls.key_file";
  if (Check(walk, {cert, key}) && o.client_cert_file.empty() != o.client_key_file.empty()) {
    walk.ErrorAtKey(o.client_cert_file.empty() ? key : cert,
                    "a client certificate needs both exporter.tls.cert_file and exporter.tls.key_file");
  }
  const std::string kind = "exporter.queue.kind";
  const std::string batch_bytes = "exporter.batch.max_bytes";
  const QueueOptions& q = o.queue;
  if (q.kind == QueueKind::kDisk && Check(walk, {kind, "exporter.queue.directory"}) && q.directory.empty()) {
    walk.ErrorAtKey(Blame(walk, kind, "exporter.queue.directory"),
                    "the disk queue needs exporter.queue.directory");
  }
  if (q.kind == QueueKind::kMemory && Check(walk, {kind, "exporter.queue.max_size", batch_bytes}) &&
      q.memory_max_bytes < o.max_batch_bytes) {
    walk.ErrorAtKey(Blame(walk, batch_bytes, "exporter.queue.max_size"),
                    StrCat("exporter.queue.max_size (", FormatSize(q.memory_max_bytes),
                           ") must be at least exporter.batch.max_bytes (", FormatSize(o.max_batch_bytes), ")"));
  }
  if (q.kind == QueueKind::kDisk && Check(walk, {kind, "exporter.queue.disk_max_size", batch_bytes}) &&
      q.disk_max_bytes < o.max_batch_bytes) {
    walk.ErrorAtKey(Blame(walk, batch_bytes, "exporter.queue.disk_max_size"),
                    StrCat("exporter.queue.disk_max_size (", FormatSize(q.disk_max_bytes),
                           ") must be at least exporter.batch.max_bytes (", FormatSize(o.max_batch_bytes), ")"));
  }
  const bool sets_authorization =
      std::any_of(o.headers.begin(), o.headers.end(),
                  [](const HttpHeader& h) { return EqualsIgnoreCase(h.name, "Authorization"); });
  if (sets_authorization && o.auth.scheme != AuthScheme::kNone &&
      Check(walk, {"exporter.headers.Authorization", "exporter.auth.scheme", "exporter.headers"})) {
    walk.ErrorAtKey("exporter.headers",
                    "sets Authorization, which exporter.auth already sends (use auth.scheme: none)");
  }
}

// yaml-cpp appends the offending text to a few messages ("unknown escape
// character: x"); that text may be part of a secret.
std::string SyntaxMessage(const std::string& yaml_message) {
  return StrCat("YAML syntax error: ", yaml_message.substr(0, yaml_message.find(": ")));
}

// Validate's messages start with the field's name; the file names it differently.
std::string KeyOfExporterField(std::string_view message) {
  const std::string_view field = message.substr(0, message.find_first_of(" :"));
  static constexpr std::pair<std::string_view, std::string_view> kKeys[] = {
      {"max_batch_events", "exporter.batch.max_events"},
      {"max_batch_bytes", "exporter.batch.max_bytes"},
      {"flush_interval", "exporter.batch.flush_interval"},
      {"queue.memory_max_bytes", "exporter.queue.max_size"},
      {"queue.disk_max_bytes", "exporter.queue.disk_max_size"},
  };
  for (const auto& [name, key] : kKeys) {
    if (field == name) return std::string(key);
  }
  if (field.empty() || !std::all_of(field.begin(), field.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || c == '_' || c == '.';
      })) {
    return "exporter";
  }
  return StrCat("exporter.", field);
}

// In the order of the document, as a reader fixes them; those without a
// place first.
void SortByPlace(std::vector<ConfigError>* errors) {
  std::stable_sort(errors->begin(), errors->end(), [](const ConfigError& a, const ConfigError& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
}

}  // namespace

Result<agent::AgentOptions> OptionsFromEnvironment() {
  Result<ExporterOptions> exporter = ExporterOptions::FromEnvironment();
  if (!exporter.ok()) return exporter.status();
  agent::AgentOptions options;
  options.exporter = std::move(exporter).value();
  // In the agent a full queue refuses at once: the receiver answers 429 /
  // RESOURCE_EXHAUSTED and the SDK retries later, instead of a receiver
  // thread blocking while other clients wait behind it.
  options.exporter.queue.when_full = WhenFull::kDropNewest;
  return options;
}

LoadedConfig ParseConfig(std::string_view yaml_text, const agent::AgentOptions& base, const EnvLookup& env,
                         std::string_view base_dir) {
  LoadedConfig out;
  out.options = base;
  if (yaml_text.size() > kMaxConfigBytes) {
    out.errors.push_back({"", 0, 0, StrCat("is larger than ", FormatSize(kMaxConfigBytes))});
    return out;
  }
  try {
    const FirstYamlDocument document = LoadFirstYamlDocument(std::string(yaml_text));
    Walk walk(env, &out, std::string(base_dir));
    if (document.second) {
      walk.Error("", internal::LocationOf(*document.second), "has a second YAML document; one is allowed");
    }
    if (document.root.IsNull()) return out;  // empty: all defaults
    Section doc(&walk, "", document.root, internal::LocationOf(document.root.Mark()));
    ParseReceivers(doc, &out.options);
    ParseExporter(walk, doc, &out.options.exporter);
    ParseTelemetry(doc, &out.options.metrics);
    ParseService(doc, &out.options);
    doc.Finish();
    CheckListenAddresses(walk, out.options);
    CheckReceiverTls(walk, "http", out.options.http.enabled, out.options.http.tls);
    CheckReceiverTls(walk, "grpc", out.options.grpc.enabled, out.options.grpc.tls);
    CheckExporter(walk, out.options.exporter);
    SortByPlace(&out.errors);
  } catch (const YAML::Exception& e) {
    // A syntax error, or yaml-cpp's guard against too deep nesting.
    const Location at = internal::LocationOf(e.mark);
    out.errors.push_back({"", at.line, at.column, SyntaxMessage(e.msg)});
  }
  return out;
}

LoadedConfig LoadConfigFile(const std::string& path, const agent::AgentOptions& base, const EnvLookup& env) {
  // One byte past the cap is enough to know the file is too large.
  Result<std::string> text = ReadFileUpTo(path, kMaxConfigBytes + 1);
  if (!text.ok()) {
    LoadedConfig out;
    out.options = base;
    out.errors.push_back(
        {"", 0, 0, StrCat("cannot read the configuration file ", path, ": ", text.status().message())});
    return out;
  }
  const std::size_t slash = path.rfind('/');
  const std::string_view folder = slash == std::string::npos ? std::string_view() : std::string_view(path).substr(0, slash + 1);
  return ParseConfig(*text, base, env, folder);
}

void CheckExporterReady(LoadedConfig* config) {
  const EnvLookup env = ProcessEnvironment();  // unused: nothing is expanded here
  Walk walk(env, config);
  // A key already reported (an unset ${env:...}, say) is not reported again.
  const std::vector<ConfigError> earlier = config->errors;
  // The file was not read or not understood: what it lacks is unknown.
  if (std::any_of(earlier.begin(), earlier.end(), [](const ConfigError& e) { return e.key.empty(); })) return;
  auto report = [&](const std::string& key, std::string message) {
    const bool reported = std::any_of(earlier.begin(), earlier.end(), [&](const ConfigError& e) {
      return e.key == key || e.key.starts_with(key + ".");
    });
    if (!reported) walk.ErrorAtKey(key, std::move(message));
  };
  const ExporterOptions& o = config->options.exporter;
  // The usual omissions, each reported (Validate stops at the first).
  bool missing = false;
  if (o.endpoint.empty()) {
    report("exporter.endpoint", "is not set (set it here or in OTELPACK_ENDPOINT)");
    missing = true;
  }
  if (o.project_id.empty() && (o.format == nullptr || o.format->uses_project_id())) {
    report("exporter.project_id", "is not set (set it here or in OTELPACK_PROJECT_ID)");
    missing = true;
  }
  if (Status s = o.Validate(); !s.ok() && !missing) {
    report(KeyOfExporterField(s.message()), std::string(s.message()));
  }
  if (o.authenticator == nullptr) {
    // Names the missing field, never a value (auth.h).
    Result<std::unique_ptr<Authenticator>> auth = NewAuthenticator(o.auth);
    if (!auth.ok()) {
      std::string_view message = auth.status().message();
      if (message.starts_with("auth: ")) message.remove_prefix(6);  // the key says it
      report("exporter.auth", std::string(message));
    }
  }
  SortByPlace(&config->errors);
}

std::string FormatError(const std::string& source, const ConfigError& error) {
  std::string out = source;
  if (error.line > 0) StrAppend(&out, ":", error.line, ":", error.column);
  StrAppend(&out, ": ");
  if (!error.key.empty()) StrAppend(&out, error.key, ": ");
  StrAppend(&out, error.message);
  return out;
}

}  // namespace otelpack::config
