// The Python metrics SDK's MetricsData as otelpack's model (metrics.h).
#include "metrics.h"

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "py_read.h"
#include "py_ref.h"
#include "values.h"

namespace otelpack::python {
namespace {

// The items of a sequence attribute, or none (an absent attribute is empty).
PyRef Items(PyObject* o, PyObject* name, const char* what) {
  PyRef seq = Optional(o, name);
  if (!seq) return PyRef();
  return PyRef(PySequence_Fast(seq.get(), what));
}

std::size_t Size(const PyRef& fast) {
  return fast ? static_cast<std::size_t>(PySequence_Fast_GET_SIZE(fast.get())) : 0;
}

PyObject* Item(const PyRef& fast, std::size_t i) {
  return PySequence_Fast_GET_ITEM(fast.get(), static_cast<Py_ssize_t>(i));
}

// A list of non-negative ints (bucket counts); a bad item counts 0.
bool Counts(PyObject* o, PyObject* name, Arena& arena, std::span<const std::uint64_t>* out) {
  PyRef items = Items(o, name, "bucket counts must be a sequence");
  if (!items) return !PyErr_Occurred();
  std::span<std::uint64_t> counts = arena.Make<std::uint64_t>(Size(items));
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const unsigned long long n = PyLong_Check(Item(items, i)) ? PyLong_AsUnsignedLongLong(Item(items, i)) : 0;
    if (n == static_cast<unsigned long long>(-1) && PyErr_Occurred()) PyErr_Clear();
    counts[i] = PyErr_Occurred() ? 0 : n;
  }
  *out = counts;
  return true;
}

bool Bounds(PyObject* o, PyObject* name, Arena& arena, std::span<const double>* out) {
  PyRef items = Items(o, name, "bounds must be a sequence");
  if (!items) return !PyErr_Occurred();
  std::span<double> bounds = arena.Make<double>(Size(items));
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    bounds[i] = PyFloat_AsDouble(Item(items, i));
    if (PyErr_Occurred()) return false;
  }
  *out = bounds;
  return true;
}

template <typename Point>
bool ReadPointBase(PyObject* p, Arena& arena, Point& out) {
  PyRef attributes = Optional(p, names.attributes);
  if (!CopyAttributes(attributes.get(), arena, &out.attributes)) return false;
  out.start_time_unix_nano = UnsignedOr(p, names.start_time_unix_nano, 0);
  out.time_unix_nano = UnsignedOr(p, names.time_unix_nano, 0);
  out.flags = static_cast<std::uint32_t>(UnsignedOr(p, names.flags, 0));
  return true;
}

bool ReadNumberPoint(PyObject* p, Arena& arena, NumberDataPoint& out) {
  if (!ReadPointBase(p, arena, out)) return false;
  PyRef v = Optional(p, names.value);
  if (v && PyLong_Check(v.get()) && !PyBool_Check(v.get())) {
    int overflow = 0;
    const long long n = PyLong_AsLongLongAndOverflow(v.get(), &overflow);
    out.value = overflow == 0 ? NumberValue::Int(n) : NumberValue::Double(PyLong_AsDouble(v.get()));
    if (PyErr_Occurred()) PyErr_Clear();
  } else if (std::optional<double> d = OptionalDouble(p, names.value)) {
    out.value = NumberValue::Double(*d);
  } else {
    out.flags |= kDataPointNoRecordedValue;  // no number: an absent value rather than a made-up one
  }
  return true;
}

// What both kinds of histogram point have: count, sum, min and max.
template <typename Point>
void ReadDistribution(PyObject* p, Point& out) {
  out.count = UnsignedOr(p, names.count, 0);
  out.sum = OptionalDouble(p, names.sum);
  out.min = OptionalDouble(p, names.min);
  out.max = OptionalDouble(p, names.max);
}

bool ReadHistogramPoint(PyObject* p, Arena& arena, HistogramDataPoint& out) {
  if (!ReadPointBase(p, arena, out)) return false;
  ReadDistribution(p, out);
  return Counts(p, names.bucket_counts, arena, &out.bucket_counts) &&
         Bounds(p, names.explicit_bounds, arena, &out.explicit_bounds);
}

bool ReadBuckets(PyObject* p, PyObject* name, Arena& arena, ExponentialBuckets& out) {
  PyRef buckets = Optional(p, name);
  if (!buckets) return true;
  const std::int64_t offset = SignedOr(buckets.get(), names.offset, 0);
  out.offset = static_cast<std::int32_t>(offset < INT32_MIN ? INT32_MIN : offset > INT32_MAX ? INT32_MAX : offset);
  return Counts(buckets.get(), names.bucket_counts, arena, &out.bucket_counts);
}

bool ReadExponentialPoint(PyObject* p, Arena& arena, ExponentialHistogramDataPoint& out) {
  if (!ReadPointBase(p, arena, out)) return false;
  ReadDistribution(p, out);
  const std::int64_t scale = SignedOr(p, names.scale, 0);
  out.scale = static_cast<std::int32_t>(scale < INT32_MIN ? INT32_MIN : scale > INT32_MAX ? INT32_MAX : scale);
  out.zero_count = UnsignedOr(p, names.zero_count, 0);
  return ReadBuckets(p, names.positive, arena, out.positive) && ReadBuckets(p, names.negative, arena, out.negative);
}

template <typename Point, typename Read>
bool ReadPoints(PyObject* data, Arena& arena, Read read, std::span<const Point>* out) {
  PyRef items = Items(data, names.data_points, "data_points must be a sequence");
  if (!items) return !PyErr_Occurred();
  std::span<Point> points = arena.Make<Point>(Size(items));
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!read(Item(items, i), arena, points[i])) return false;
  }
  *out = points;
  return true;
}

MetricKind KindOf(PyObject* data) {
  const std::string_view type = Py_TYPE(data)->tp_name;
  auto is = [&](std::string_view name) {  // "Sum" or "module.Sum"
    return type == name || (type.size() > name.size() && type.ends_with(name) &&
                            type[type.size() - name.size() - 1] == '.');
  };
  if (is("Gauge")) return MetricKind::kGauge;
  if (is("Sum")) return MetricKind::kSum;
  if (is("Histogram")) return MetricKind::kHistogram;
  if (is("ExponentialHistogram")) return MetricKind::kExponentialHistogram;
  return MetricKind::kNone;
}

bool ReadMetric(PyObject* m, Arena& arena, Metric& out) {
  if (PyRef name = Optional(m, names.name)) out.name = CopyStr(name.get(), arena);
  if (PyRef description = Optional(m, names.description)) out.description = CopyStr(description.get(), arena);
  if (PyRef unit = Optional(m, names.unit)) out.unit = CopyStr(unit.get(), arena);
  PyRef data = Optional(m, names.data);
  if (!data) return true;
  out.kind = KindOf(data.get());
  PyRef temporality = Optional(data.get(), names.aggregation_temporality);
  const long t = EnumValue(temporality.get(), 0);
  out.temporality = t == 1 ? AggregationTemporality::kDelta
                  : t == 2 ? AggregationTemporality::kCumulative
                           : AggregationTemporality::kUnspecified;
  PyRef monotonic = Optional(data.get(), names.is_monotonic);
  out.monotonic = monotonic && PyObject_IsTrue(monotonic.get()) == 1;
  switch (out.kind) {
    case MetricKind::kGauge:
    case MetricKind::kSum:
      return ReadPoints<NumberDataPoint>(data.get(), arena, ReadNumberPoint, &out.number_points);
    case MetricKind::kHistogram:
      return ReadPoints<HistogramDataPoint>(data.get(), arena, ReadHistogramPoint, &out.histogram_points);
    case MetricKind::kExponentialHistogram:
      return ReadPoints<ExponentialHistogramDataPoint>(data.get(), arena, ReadExponentialPoint,
                                                       &out.exponential_histogram_points);
    default:
      return true;  // a kind the event cannot carry: no points
  }
}

bool ReadScopeMetrics(PyObject* sm, Arena& arena, ScopeMetrics& out) {
  PyRef scope = Optional(sm, names.scope);
  if (!ReadScope(scope.get(), arena, out.scope, out.schema_url)) return false;
  if (PyRef url = Optional(sm, names.schema_url)) out.schema_url = CopyStr(url.get(), arena);
  PyRef items = Items(sm, names.metrics, "metrics must be a sequence");
  if (!items) return !PyErr_Occurred();
  std::span<Metric> metrics = arena.Make<Metric>(Size(items));
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    if (!ReadMetric(Item(items, i), arena, metrics[i])) return false;
  }
  out.metrics = metrics;
  return true;
}

}  // namespace

bool ConvertMetrics(PyObject* data, Arena& arena, MetricsView* out) {
  *out = {};
  PyRef items = Items(data, names.resource_metrics, "resource_metrics must be a sequence");
  if (!items) {
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "metrics_data must be a MetricsData");
    return false;
  }
  std::span<ResourceMetrics> resources = arena.Make<ResourceMetrics>(Size(items));
  for (std::size_t i = 0; i < resources.size(); ++i) {
    PyObject* rm = Item(items, i);
    PyRef resource = Optional(rm, names.resource);
    if (!ReadResource(resource.get(), arena, resources[i].resource, resources[i].schema_url)) return false;
    if (PyRef url = Optional(rm, names.schema_url)) resources[i].schema_url = CopyStr(url.get(), arena);
    PyRef scopes = Items(rm, names.scope_metrics, "scope_metrics must be a sequence");
    if (!scopes && PyErr_Occurred()) return false;
    std::span<ScopeMetrics> list = arena.Make<ScopeMetrics>(Size(scopes));
    for (std::size_t k = 0; k < list.size(); ++k) {
      if (!ReadScopeMetrics(Item(scopes, k), arena, list[k])) return false;
    }
    resources[i].scope_metrics = list;
  }
  *out = resources;
  return true;
}

}  // namespace otelpack::python
