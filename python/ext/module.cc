// otelpack._core: the extension module. One class, Core, owns an
// otelpack::Exporter; the Python package wraps it in the SDK's SpanExporter,
// LogRecordExporter and MetricExporter interfaces (otelpack/_span_exporter.py,
// _log_exporter.py, _metric_exporter.py) and handles fork and interpreter
// exit (_lifecycle.py).
//
// Every call that can wait (Export's hand-over and, with the disk queue, its
// write; ForceFlush; Shutdown) runs with the GIL released, once the records have
// been copied out of the Python objects into an Arena.
#include <nanobind/nanobind.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "logs.h"
#include "metrics.h"
#include "options.h"
#include "py_read.h"
#include "otelpack/arena.h"
#include "otelpack/exporter.h"
#include "spans.h"

namespace otelpack::python {
namespace {

namespace nb = nanobind;

// The first block of an export's arena: a BatchSpanProcessor's 512 spans of a
// dozen attributes take a few of them.
constexpr std::size_t kArenaBlockBytes = 64 * 1024;

using Outcome = std::pair<std::string, std::string>;  // (status code name, message)

Outcome OutcomeOf(const Status& s) { return {std::string(StatusCodeName(s.code())), std::string(s.message())}; }

// The request counters, which a signal's stats and the whole exporter's share.
template <typename Stats>
void PutRequestCounters(const Stats& s, nb::dict& d) {
  d["requests_ok"] = s.requests_ok;
  d["requests_failed_retryable"] = s.requests_failed_retryable;
  d["requests_failed_permanent"] = s.requests_failed_permanent;
  d["requests_redirected"] = s.requests_redirected;
  d["retries"] = s.retries;
  d["bytes_uncompressed"] = s.bytes_uncompressed;
  d["bytes_compressed"] = s.bytes_compressed;
}

nb::dict SignalDict(const SignalStats& s) {
  nb::dict d;
  d["received"] = s.received;
  d["refused"] = s.refused;
  d["sent"] = s.sent;
  d["dropped_oversized"] = s.dropped_oversized;
  d["dropped_permanent"] = s.dropped_permanent;
  d["dropped_retries_exhausted"] = s.dropped_retries_exhausted;
  d["dropped_shutdown"] = s.dropped_shutdown;
  d["left_on_disk"] = s.left_on_disk;
  PutRequestCounters(s, d);
  return d;
}

class Core {
 public:
  explicit Core(nb::dict kwargs) : pid_(::getpid()) {
    Result<ExporterOptions> options = OptionsFromKwargs(std::move(kwargs));
    if (!options.ok()) throw nb::value_error(std::string(options.status().message()).c_str());
    extra_ = options->extra_fields;
    Result<std::unique_ptr<Exporter>> exporter = Exporter::Create(*options);
    if (!exporter.ok()) throw nb::value_error(std::string(exporter.status().message()).c_str());
    exporter_ = std::move(exporter).value();
  }

  // In a process forked from the creator the exporter's threads do not exist
  // and its mutexes may be held forever: it is leaked, never destroyed.
  ~Core() {
    if (!Usable()) (void)exporter_.release();
  }

  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  Outcome ExportSpans(nb::handle spans) {
    return ConvertAndHandOver<TracesView>(spans, [this](PyObject* o, Arena& arena, TracesView* view) {
      return ConvertSpans(o, extra_, arena, view);
    });
  }
  Outcome ExportLogs(nb::handle records) { return ConvertAndHandOver<LogsView>(records, ConvertLogs); }
  Outcome ExportMetrics(nb::handle data) { return ConvertAndHandOver<MetricsView>(data, ConvertMetrics); }

  Outcome ForceFlush(long long timeout_ms) {
    if (!Usable()) return OutcomeOf(NotHere());
    nb::gil_scoped_release release;
    return OutcomeOf(exporter_->ForceFlush(std::chrono::milliseconds(timeout_ms)));
  }

  Outcome Shutdown(long long timeout_ms) {
    if (!Usable()) return OutcomeOf(NotHere());
    nb::gil_scoped_release release;
    return OutcomeOf(exporter_->Shutdown(std::chrono::milliseconds(timeout_ms)));
  }

  nb::dict Stats() const {
    if (!Usable()) throw nb::value_error(std::string(NotHere().message()).c_str());
    ExporterStats s;
    {
      nb::gil_scoped_release release;
      s = exporter_->Stats();
    }
    nb::dict d;
    d["traces"] = SignalDict(s.traces);
    d["logs"] = SignalDict(s.logs);
    d["metrics"] = SignalDict(s.metrics);
    PutRequestCounters(s, d);
    d["batches_pending"] = s.batches_pending;
    d["queue_depth"] = s.queue_depth;
    d["queue_bytes"] = s.queue_bytes;
    d["last_error"] = s.last_error;
    return d;
  }

  // True in the process that created the exporter.
  bool Usable() const { return exporter_ != nullptr && ::getpid() == pid_; }

 private:
  // The records are copied out of the Python objects into an arena with the
  // GIL held; the view then holds nothing of Python, and the GIL is released
  // while the core encodes, compresses (or writes to disk) and queues it.
  template <typename View, typename Convert>
  Outcome ConvertAndHandOver(nb::handle records, Convert convert) {
    if (!Usable()) return OutcomeOf(NotHere());
    Arena arena(kArenaBlockBytes);
    View view;
    if (!convert(records.ptr(), arena, &view)) throw nb::python_error();
    Status status;
    {
      nb::gil_scoped_release release;
      status = exporter_->Export(view);
    }
    return OutcomeOf(status);
  }

  static Status NotHere() {
    return Status::FailedPrecondition("the exporter was created in another process (before a fork)");
  }

  const pid_t pid_;
  ExtraFields extra_;
  std::unique_ptr<Exporter> exporter_;
};

}  // namespace

NB_MODULE(_core, m) {
  m.doc() = "otelpack's C++ exporter core (use otelpack.SpanExporter)";
  InitNames();
  // An exporter commonly lives in a module global until the interpreter
  // ends; that is not a leak worth a warning at every exit.
  nb::set_leak_warnings(false);
  nb::class_<Core>(m, "Core")
      .def(nb::init<nb::dict>(), nb::arg("options"),
           "An exporter from keyword options over the OTELPACK_* environment; ValueError when they are wrong.")
      .def("export_spans", &Core::ExportSpans, nb::arg("spans"),
           "Converts and hands over a sequence of ReadableSpan: (status code name, message).")
      .def("export_logs", &Core::ExportLogs, nb::arg("records"),
           "Converts and hands over a sequence of ReadableLogRecord: (status code name, message).")
      .def("export_metrics", &Core::ExportMetrics, nb::arg("data"),
           "Converts and hands over a MetricsData: (status code name, message).")
      .def("force_flush", &Core::ForceFlush, nb::arg("timeout_ms"))
      .def("shutdown", &Core::Shutdown, nb::arg("timeout_ms"))
      .def("stats", &Core::Stats)
      .def("usable", &Core::Usable, "True in the process that created the exporter.");
}

}  // namespace otelpack::python
