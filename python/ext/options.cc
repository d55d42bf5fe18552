// The keyword arguments of otelpack.SpanExporter as ExporterOptions (options.h).
#include "options.h"

#include <Python.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <sstream>
#include <string_view>


namespace otelpack::python {
namespace {

namespace nb = nanobind;

// The extension also builds against an installed core, which has only the
// public headers: its own small concatenation.
template <typename... Parts>
std::string StrCat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}

std::string TypeName(nb::handle v) { return Py_TYPE(v.ptr())->tp_name; }

Status WrongType(std::string_view name, std::string_view expected, nb::handle v) {
  return Status::InvalidArgument(StrCat(name, " must be ", expected, ", not ", TypeName(v)));
}

Status ToString(std::string_view name, nb::handle v, std::string* out) {
  if (!PyUnicode_Check(v.ptr())) return WrongType(name, "a str", v);
  Py_ssize_t size = 0;
  const char* s = PyUnicode_AsUTF8AndSize(v.ptr(), &size);
  if (s == nullptr) {
    PyErr_Clear();
    return Status::InvalidArgument(StrCat(name, " is not valid text (lone surrogates)"));
  }
  out->assign(s, static_cast<std::size_t>(size));
  return Status::Ok();
}

Status ToInteger(std::string_view name, nb::handle v, long long min, long long max, long long* out) {
  if (PyBool_Check(v.ptr()) || !PyLong_Check(v.ptr())) return WrongType(name, "an int", v);
  int overflow = 0;
  const long long n = PyLong_AsLongLongAndOverflow(v.ptr(), &overflow);
  if (overflow != 0 || n < min || n > max) {
    PyErr_Clear();
    return Status::InvalidArgument(StrCat(name, " must be in ", min, "..", max));
  }
  *out = n;
  return Status::Ok();
}

Status ToDouble(std::string_view name, nb::handle v, double* out) {
  if (PyBool_Check(v.ptr()) || !(PyLong_Check(v.ptr()) || PyFloat_Check(v.ptr()))) {
    return WrongType(name, "a number", v);
  }
  *out = PyFloat_AsDouble(v.ptr());
  if (!std::isfinite(*out)) return Status::InvalidArgument(StrCat(name, " must be a finite number"));
  return Status::Ok();
}

// Seconds (int or float) as milliseconds, at least 0 and at most a year.
Status ToMillis(std::string_view name, nb::handle v, std::chrono::milliseconds* out) {
  double seconds = 0;
  if (Status s = ToDouble(name, v, &seconds); !s.ok()) return s;
  if (seconds < 0 || seconds > 365.0 * 86400) {
    return Status::InvalidArgument(StrCat(name, " must be between 0 and a year, in seconds"));
  }
  *out = std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000)));
  return Status::Ok();
}

Status ToBool(std::string_view name, nb::handle v, bool* out) {
  if (!PyBool_Check(v.ptr())) return WrongType(name, "a bool", v);
  *out = v.ptr() == Py_True;
  return Status::Ok();
}

Status ToSize(std::string_view name, nb::handle v, std::size_t* out) {
  long long n = 0;
  if (Status s = ToInteger(name, v, 0, std::numeric_limits<long long>::max(), &n); !s.ok()) return s;
  *out = static_cast<std::size_t>(n);
  return Status::Ok();
}

// One of `choices` ("a, b, c") by name; the index of the match.
Status ToChoice(std::string_view name, nb::handle v, std::initializer_list<std::string_view> choices, int* out) {
  std::string s;
  if (Status st = ToString(name, v, &s); !st.ok()) return st;
  int i = 0;
  std::string all;
  for (std::string_view c : choices) {
    if (s == c) {
      *out = i;
      return Status::Ok();
    }
    all += all.empty() ? "" : ", ";
    all += c;
    ++i;
  }
  return Status::InvalidArgument(StrCat(name, ": '", s, "' is not one of ", all));
}

Status ToExtraFields(std::string_view name, nb::handle v, ExtraFields* out) {
  if (PyUnicode_Check(v.ptr())) return WrongType(name, "an iterable of field names", v);
  PyObject* iter = PyObject_GetIter(v.ptr());
  if (iter == nullptr) {
    PyErr_Clear();
    return WrongType(name, "an iterable of field names", v);
  }
  nb::object guard = nb::steal(iter);
  while (PyObject* item = PyIter_Next(iter)) {
    nb::object held = nb::steal(item);
    int which = 0;
    Status s = ToChoice(name, held, {"kind", "trace_state", "links", "resource", "scope", "dropped_counts"}, &which);
    if (!s.ok()) return s;
    bool* flags[] = {&out->kind, &out->trace_state, &out->links, &out->resource, &out->scope, &out->dropped_counts};
    *flags[which] = true;
  }
  if (PyErr_Occurred()) {
    PyErr_Clear();
    return Status::InvalidArgument(StrCat(name, " could not be iterated"));
  }
  return Status::Ok();
}

Status ToHeaders(std::string_view name, nb::handle v, std::vector<HttpHeader>* out) {
  if (!PyDict_Check(v.ptr())) return WrongType(name, "a dict of str to str", v);
  Py_ssize_t pos = 0;
  PyObject* key = nullptr;
  PyObject* value = nullptr;
  while (PyDict_Next(v.ptr(), &pos, &key, &value)) {
    HttpHeader h;
    if (Status s = ToString(StrCat(name, " (a name)"), key, &h.name); !s.ok()) return s;
    // A header's value may be a credential: it is never quoted.
    if (Status s = ToString(StrCat(name, "['", h.name, "']"), value, &h.value); !s.ok()) return s;
    out->push_back(std::move(h));
  }
  return Status::Ok();
}

Status ToStatuses(std::string_view name, nb::handle v, std::vector<int>* out) {
  if (PyUnicode_Check(v.ptr()) || !PySequence_Check(v.ptr())) return WrongType(name, "a sequence of HTTP statuses", v);
  const Py_ssize_t n = PySequence_Size(v.ptr());
  for (Py_ssize_t i = 0; i < n; ++i) {
    nb::object item = nb::steal(PySequence_GetItem(v.ptr(), i));
    if (!item.is_valid()) {
      PyErr_Clear();
      return Status::InvalidArgument(StrCat(name, " could not be read"));
    }
    long long status = 0;
    if (Status s = ToInteger(StrCat(name, "[", i, "]"), item, 100, 599, &status); !s.ok()) return s;
    out->push_back(static_cast<int>(status));
  }
  return Status::Ok();
}

// What the overlay needs after every argument is read.
struct Pending {
  bool has_queue_max_bytes = false;
  std::size_t queue_max_bytes = 0;
};

Status Apply(std::string_view name, nb::handle v, ExporterOptions& o, Pending& pending) {
  auto ms = [&](std::chrono::milliseconds* field) { return ToMillis(name, v, field); };
  if (name == "endpoint") return ToString(name, v, &o.endpoint);
  if (name == "project_id") return ToString(name, v, &o.project_id);
  if (name == "api_key") return ToString(name, v, &o.auth.api_key);
  if (name == "username") return ToString(name, v, &o.auth.username);
  if (name == "password") return ToString(name, v, &o.auth.password);
  if (name == "key_id") return ToString(name, v, &o.auth.key_id);
  if (name == "secret") return ToString(name, v, &o.auth.secret);
  if (name == "auth") {
    std::string s;
    if (Status st = ToString(name, v, &s); !st.ok()) return st;
    Result<AuthScheme> scheme = ParseAuthScheme(s);
    if (!scheme.ok()) return Status::InvalidArgument(StrCat("auth: ", scheme.status().message()));
    o.auth.scheme = *scheme;
    return Status::Ok();
  }
  if (name == "headers") return ToHeaders(name, v, &o.headers);
  if (name == "compression") {
    std::string s;
    if (Status st = ToString(name, v, &s); !st.ok()) return st;
    Result<Compression> c = ParseCompression(s);
    if (!c.ok()) return Status::InvalidArgument(StrCat("compression: ", c.status().message()));
    o.compression = *c;
    return Status::Ok();
  }
  if (name == "compression_level") {
    long long level = 0;
    if (Status s = ToInteger(name, v, -1000, 1000, &level); !s.ok()) return s;
    o.compression_level = static_cast<int>(level);
    return Status::Ok();
  }
  if (name == "max_batch_events") return ToSize(name, v, &o.max_batch_events);
  if (name == "max_batch_bytes") return ToSize(name, v, &o.max_batch_bytes);
  if (name == "flush_interval") return ms(&o.flush_interval);
  if (name == "timeout") return ms(&o.timeout);
  if (name == "connect_timeout") return ms(&o.connect_timeout);
  if (name == "ca_file") return ToString(name, v, &o.ca_file);
  if (name == "client_cert_file") return ToString(name, v, &o.client_cert_file);
  if (name == "client_key_file") return ToString(name, v, &o.client_key_file);
  if (name == "tls_verify") return ToBool(name, v, &o.tls_verify);
  if (name == "format") {
    std::string path;
    if (Status st = ToString(name, v, &path); !st.ok()) return st;
    Result<std::shared_ptr<const Format>> format = Format::Load(path);
    if (!format.ok()) return Status::InvalidArgument(StrCat("format: ", format.status().message()));
    o.format = *std::move(format);
    return Status::Ok();
  }
  if (name == "extra_fields") return ToExtraFields(name, v, &o.extra_fields);
  if (name == "concurrency") {
    long long n = 0;
    if (Status s = ToInteger(name, v, 1, 64, &n); !s.ok()) return s;
    o.concurrency = static_cast<int>(n);
    return Status::Ok();
  }
  if (name == "retry") return ToBool(name, v, &o.retry.enabled);
  if (name == "retry_initial_interval") return ms(&o.retry.initial_interval);
  if (name == "retry_max_interval") return ms(&o.retry.max_interval);
  if (name == "retry_max_elapsed_time") return ms(&o.retry.max_elapsed_time);
  if (name == "retry_multiplier") return ToDouble(name, v, &o.retry.multiplier);
  if (name == "retry_randomization_factor") return ToDouble(name, v, &o.retry.randomization_factor);
  if (name == "retry_statuses") return ToStatuses(name, v, &o.retry.retryable_statuses);
  if (name == "queue") {
    int kind = 0;
    if (Status s = ToChoice(name, v, {"memory", "disk"}, &kind); !s.ok()) return s;
    o.queue.kind = kind == 0 ? QueueKind::kMemory : QueueKind::kDisk;
    return Status::Ok();
  }
  if (name == "queue_directory") return ToString(name, v, &o.queue.directory);
  if (name == "queue_max_bytes") {
    pending.has_queue_max_bytes = true;
    return ToSize(name, v, &pending.queue_max_bytes);
  }
  if (name == "queue_fsync") {
    int policy = 0;
    if (Status s = ToChoice(name, v, {"always", "interval", "never"}, &policy); !s.ok()) return s;
    o.queue.fsync = static_cast<FsyncPolicy>(policy);
    return Status::Ok();
  }
  if (name == "queue_fsync_interval") return ms(&o.queue.fsync_interval);
  if (name == "queue_when_full") {
    int when = 0;
    if (Status s = ToChoice(name, v, {"block", "drop_newest"}, &when); !s.ok()) return s;
    o.queue.when_full = when == 0 ? WhenFull::kBlock : WhenFull::kDropNewest;
    return Status::Ok();
  }
  if (name == "queue_block_timeout") return ms(&o.queue.block_timeout);
  return Status::InvalidArgument(StrCat("unknown option '", name, "'"));
}

}  // namespace

Result<ExporterOptions> OptionsFromKwargs(nb::dict kwargs) {
  Result<ExporterOptions> env = ExporterOptions::FromEnvironment();
  if (!env.ok()) return env.status();
  ExporterOptions o = *std::move(env);
  Pending pending;
  for (auto [key, value] : kwargs) {
    std::string name;
    if (Status s = ToString("an option's name", key, &name); !s.ok()) return s;
    if (Status s = Apply(name, value, o, pending); !s.ok()) return s;
  }
  if (pending.has_queue_max_bytes) {
    (o.queue.kind == QueueKind::kDisk ? o.queue.disk_max_bytes : o.queue.memory_max_bytes) = pending.queue_max_bytes;
  }
  if (Status s = o.Validate(); !s.ok()) return s;
  return o;
}

}  // namespace otelpack::python
