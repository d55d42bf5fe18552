// A process that exports through a disk-queued exporter, for the crash test
// (delivery_test.cc). Not installed.
//
//   crash_child export ENDPOINT DIR [SPANS EXPORTS FLUSH_MS]
//                                     exports SPANS-span batches (20) EXPORTS
//                                     times (forever), then waits to be
//                                     killed; after each acknowledged Export
//                                     prints "acked FIRST LAST" (span
//                                     counters); flush_interval FLUSH_MS (20)
//   crash_child drain ENDPOINT DIR    delivers what DIR holds, then exits 0
//
// The API key comes from OTELPACK_API_KEY, the project is "proj".
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "otelpack/exporter.h"

namespace {

otelpack::ExporterOptions Options(const char* endpoint, const char* dir, long flush_ms) {
  otelpack::ExporterOptions o = *otelpack::ExporterOptions::FromEnvironment();
  o.endpoint = endpoint;
  o.project_id = "proj";
  o.flush_interval = std::chrono::milliseconds(flush_ms);
  o.retry.initial_interval = std::chrono::milliseconds(50);
  o.retry.max_interval = std::chrono::milliseconds(200);
  o.queue.kind = otelpack::QueueKind::kDisk;
  o.queue.directory = dir;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 && argc != 7) {
    std::fprintf(stderr, "usage: crash_child export|drain ENDPOINT DIR [SPANS EXPORTS FLUSH_MS]\n");
    return 2;
  }
  const long spans_per_export = argc == 7 ? std::atol(argv[4]) : 20;
  const long exports = argc == 7 ? std::atol(argv[5]) : -1;
  const long flush_ms = argc == 7 ? std::atol(argv[6]) : 20;
  auto exporter = otelpack::Exporter::Create(Options(argv[2], argv[3], flush_ms));
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
  std::vector<otelpack::Span> spans(static_cast<std::size_t>(spans_per_export));
  for (std::uint64_t next = 1;; next += spans.size()) {
    if (exports >= 0 && (next - 1) / spans.size() >= static_cast<std::uint64_t>(exports)) {
      std::printf("done\n");
      std::fflush(stdout);
      while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
    }
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
