// A process that exports through a disk-queued exporter, for the crash test
// (delivery_test.cc). Not installed.
//
//   crash_child export ENDPOINT DIR   exports 20-span batches forever; after
//                                     each acknowledged Export prints
//                                     "acked FIRST LAST" (span counters)
//   crash_child drain ENDPOINT DIR    delivers what DIR holds, then exits 0
//
// The API key comes from OTELPACK_API_KEY, the project is "proj".
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "otelpack/exporter.h"

namespace {

otelpack::ExporterOptions Options(const char* endpoint, const char* dir) {
  otelpack::ExporterOptions o = *otelpack::ExporterOptions::FromEnvironment();
  o.endpoint = endpoint;
  o.project_id = "proj";
  o.flush_interval = std::chrono::milliseconds(20);
  o.retry.initial_interval = std::chrono::milliseconds(50);
  o.retry.max_interval = std::chrono::milliseconds(200);
  o.queue.kind = otelpack::QueueKind::kDisk;
  o.queue.directory = dir;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: crash_child export|drain ENDPOINT DIR\n");
    return 2;
  }
  auto exporter = otelpack::Exporter::Create(Options(argv[2], argv[3]));
  if (!exporter.ok()) {
    std::fprintf(stderr, "crash_child: %s\n", exporter.status().ToString().c_str());
    return 1;
  }
  if (std::strcmp(argv[1], "drain") == 0) {
    otelpack::Status s = (*exporter)->Shutdown(std::chrono::seconds(30));
    if (!s.ok()) std::fprintf(stderr, "crash_child: %s\n", s.ToString().c_str());
    return s.ok() ? 0 : 1;
  }
  otelpack::KeyValue service[] = {{"service.name", otelpack::AnyValue::String("crash-child")}};
  std::vector<otelpack::Span> spans(20);
  for (std::uint64_t next = 1;; next += spans.size()) {
    for (std::size_t i = 0; i < spans.size(); ++i) {
      std::uint64_t id = next + i;
      spans[i].trace_id.bytes[0] = 0x7e;
      for (int b = 0; b < 8; ++b) spans[i].span_id.bytes[7 - b] = static_cast<std::uint8_t>(id >> (8 * b));
      spans[i].name = "work";
      spans[i].start_time_unix_nano = 1'700'000'000'000'000'000ull + id;
      spans[i].end_time_unix_nano = spans[i].start_time_unix_nano + 1000;
    }
    otelpack::ScopeSpans scope{{}, spans};
    otelpack::ResourceSpans rs{{service}, {&scope, 1}};
    otelpack::Status s = (*exporter)->Export({&rs, 1});
    if (s.ok()) {
      std::printf("acked %llu %llu\n", static_cast<unsigned long long>(next),
                  static_cast<unsigned long long>(next + spans.size() - 1));
      std::fflush(stdout);
    }
  }
}
