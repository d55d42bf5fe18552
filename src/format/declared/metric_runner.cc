// The declared metrics encoder: the plan of each point's kind run over data
// points, their buckets and quantiles (declared_encoder.h). The runner is a
// template on the point's type: a plan of one kind only holds that kind's
// fields, and the other kinds' cases are compiled out.
#include <algorithm>
#include <array>
#include <type_traits>

#include "format/declared/declared_encoder.h"
#include "format/declared/runner.h"
#include "format/service_name.h"

namespace otelpack::format::declared {
namespace {

using F = FieldId;

const Metric kNoMetric{};
const NumberDataPoint kNoPoint{};

struct MetricContext {
  CommonContext common;
  const Metric* metric = &kNoMetric;
  const void* point = &kNoPoint;            // of the runner's type
  std::size_t bucket = 0;                   // inside $item of buckets
  const ValueAtQuantile* quantile = nullptr;  // inside $item of quantiles
};

class MetricRunner {
 public:
  MetricRunner(const Plan& plan, PlanState& state) : plan_(plan), state_(state) {}

  // Writes block `b` (an event or a prepared run) at the cursor, the items
  // of its lists included. Inline into the loop over the points.
  // What Run reads of the plan and the state: made once per metric
  // (Points), not once per point.
  Env MakeEnv() const { return EnvOf(plan_, state_); }

  template <typename P>
  OTELPACK_HOT void Run(const Env& e, const Block& b, Cursor& c, MetricContext& x) {
    constexpr bool kNumber = std::is_same_v<P, NumberDataPoint>;
    constexpr bool kHistogram = std::is_same_v<P, HistogramDataPoint>;
    constexpr bool kExponential = std::is_same_v<P, ExponentialHistogramDataPoint>;
    constexpr bool kSummary = std::is_same_v<P, SummaryDataPoint>;
    const AnyValue** const slots = e.slots;
    const P& p = *static_cast<const P*>(x.point);
    const Metric& m = *x.metric;
    Picks(b, p, x);
    ListRun l;
    Out o(c);
    for (const Op* op = e.ops + b.begin;; ++op) {
      switch (op->code) {
        case Code(Step::kEnd):
          op = EndOf<false>(o, e, op, l, [&] { return Item<P>(l, x); });
          if (op == nullptr) return;
          break;
        case PlainCode(Step::kEnd):
          op = EndOf<true>(o, e, op, l, [&] { return Item<P>(l, x); });
          if (op == nullptr) return;
          break;
        case Code(Step::kCloseObject): CloseObject(o, e, *op); break;
        case PlainCode(Step::kCloseObject): PlainCloseObject(o, *op); break;
        // The plain ops of points (plan.h, kPlain; runs.cc names the codes).
        case PlainCode(F::kTemporality): PlainEnum(o, e, *op, static_cast<unsigned>(m.temporality)); break;
        case PlainCode(F::kPointStartTime): PlainOptionalTime(o, *op, p.start_time_unix_nano); break;
        case PlainCode(F::kPointTime): PlainTime(o, *op, p.time_unix_nano); break;
        case PlainCode(F::kPointAttributes): PlainMap(o, *op, p.attributes); break;
        case PlainCode(F::kPointFlags): PlainUint(o, *op, p.flags); break;
        case PlainCode(F::kPointValue):
          if constexpr (kNumber) PlainValue(o, *op, p);
          break;
        case PlainCode(F::kPointCount):
          if constexpr (!kNumber) PlainUint(o, *op, p.count);
          break;
        case PlainCode(F::kPointSum):
          if constexpr (kSummary) PlainDouble(o, *op, p.sum);
          if constexpr (kHistogram || kExponential) PlainOptionalDouble(o, *op, p.sum);
          break;
        case PlainCode(F::kPointMin):
          if constexpr (kHistogram || kExponential) PlainOptionalDouble(o, *op, p.min);
          break;
        case PlainCode(F::kPointMax):
          if constexpr (kHistogram || kExponential) PlainOptionalDouble(o, *op, p.max);
          break;
        case PlainCode(F::kBucketLe):
          if constexpr (kHistogram) {
            if (x.bucket >= p.explicit_bounds.size()) {
              PlainNull(o, *op);  // OTLP's +Inf bucket
            } else {
              PlainBound(o, *op, state_.bounds().slot(x.bucket));
            }
          }
          break;
        case PlainCode(F::kBucketCount):
          if constexpr (kHistogram) PlainUint(o, *op, p.bucket_counts[x.bucket]);
          break;
        case PlainCode(F::kPointScale):
          if constexpr (kExponential) PlainInt(o, *op, p.scale);
          break;
        case PlainCode(F::kPointZeroCount):
          if constexpr (kExponential) PlainUint(o, *op, p.zero_count);
          break;
        case PlainCode(F::kPointZeroThreshold):
          if constexpr (kExponential) PlainDouble(o, *op, p.zero_threshold);
          break;
        case PlainCode(F::kPositiveOffset):
          if constexpr (kExponential) PlainInt(o, *op, p.positive.offset);
          break;
        case PlainCode(F::kNegativeOffset):
          if constexpr (kExponential) PlainInt(o, *op, p.negative.offset);
          break;
        case PlainCode(F::kQuantileQuantile):
          if constexpr (kSummary) PlainDouble(o, *op, x.quantile->quantile);
          break;
        case PlainCode(F::kQuantileValue):
          if constexpr (kSummary) PlainDouble(o, *op, x.quantile->value);
          break;
        case Code(F::kPick): Any(o, e, *op, slots[op->arg]); break;
        case Code(F::kMetricName): String(o, e, *op, m.name); break;
        case Code(F::kMetricDescription): String(o, e, *op, m.description); break;
        case Code(F::kMetricUnit): String(o, e, *op, m.unit); break;
        case Code(F::kMonotonic): Bool(o, e, *op, m.monotonic); break;
        case Code(F::kTemporality): Enum(o, e, *op, static_cast<unsigned>(m.temporality)); break;
        case Code(F::kPointStartTime): OptionalTime(o, e, *op, p.start_time_unix_nano); break;
        case Code(F::kPointTime): Time(o, e, *op, p.time_unix_nano); break;
        case Code(F::kPointAttributes): Map(o, e, *op, p.attributes); break;
        case Code(F::kPointFlags): Uint(o, e, *op, p.flags); break;
        case Code(F::kPointValue):
          if constexpr (kNumber) Value(o, e, *op, p);
          break;
        case Code(F::kPointCount):
          if constexpr (!kNumber) Uint(o, e, *op, p.count);
          break;
        case Code(F::kPointSum):
          if constexpr (kSummary) Double(o, e, *op, p.sum);
          if constexpr (kHistogram || kExponential) OptionalDouble(o, e, *op, p.sum);
          break;
        case Code(F::kPointMin):
          if constexpr (kHistogram || kExponential) OptionalDouble(o, e, *op, p.min);
          break;
        case Code(F::kPointMax):
          if constexpr (kHistogram || kExponential) OptionalDouble(o, e, *op, p.max);
          break;
        case Code(F::kPointBuckets):
          if constexpr (kHistogram) {
            state_.bounds().Prepare(p.explicit_bounds.first(std::min(p.explicit_bounds.size(), p.bucket_counts.size())));
            op = Items(o, e, op, p.bucket_counts.size(), &l, [&] { return Item<P>(l, x); });
          }
          break;
        case Code(F::kBucketLe):
          if constexpr (kHistogram) {
            if (x.bucket >= p.explicit_bounds.size()) {
              Missing(o, e, *op, true);  // OTLP's +Inf bucket
            } else if (op->flags == 0) {
              Bound(o, *op, state_.bounds().slot(x.bucket));
            } else {
              Double(o, e, *op, p.explicit_bounds[x.bucket]);
            }
          }
          break;
        case Code(F::kBucketCount):
          if constexpr (kHistogram) Uint(o, e, *op, p.bucket_counts[x.bucket]);
          break;
        case Code(F::kPointScale):
          if constexpr (kExponential) Int(o, e, *op, p.scale);
          break;
        case Code(F::kPointZeroCount):
          if constexpr (kExponential) Uint(o, e, *op, p.zero_count);
          break;
        case Code(F::kPointZeroThreshold):
          if constexpr (kExponential) Double(o, e, *op, p.zero_threshold);
          break;
        case Code(F::kPositiveOffset):
          if constexpr (kExponential) Int(o, e, *op, p.positive.offset);
          break;
        case Code(F::kPositiveCounts):
          if constexpr (kExponential) UintList(o, e, *op, p.positive.bucket_counts);
          break;
        case Code(F::kNegativeOffset):
          if constexpr (kExponential) Int(o, e, *op, p.negative.offset);
          break;
        case Code(F::kNegativeCounts):
          if constexpr (kExponential) UintList(o, e, *op, p.negative.bucket_counts);
          break;
        case Code(F::kPointQuantiles):
          if constexpr (kSummary) op = Items(o, e, op, p.quantile_values.size(), &l, [&] { return Item<P>(l, x); });
          break;
        case Code(F::kQuantileQuantile):
          if constexpr (kSummary) Double(o, e, *op, x.quantile->quantile);
          break;
        case Code(F::kQuantileValue):
          if constexpr (kSummary) Double(o, e, *op, x.quantile->value);
          break;
        case Code(F::kService): case Code(F::kResourceAttributes): case Code(F::kResourceDropped):
        case Code(F::kScopeName): case Code(F::kScopeVersion): case Code(F::kScopeAttributes):
          Common(o, e, *op, x.common);
          break;
        default: __builtin_unreachable();  // the compiler makes no other op for this signal
      }
    }
  }

  // Run out of line, for the prepared runs (which read no point).
  [[gnu::noinline]] void RunOnce(const Block& b, Cursor& c, MetricContext& x) {
    Run<NumberDataPoint>(MakeEnv(), b, c, x);
  }

 private:
  // Points the context at item l.index and fills its picks; the op before
  // the item's first.
  template <typename P>
  OTELPACK_HOT const Op* Item(const ListRun& l, MetricContext& x) {
    if constexpr (std::is_same_v<P, SummaryDataPoint>) {
      x.quantile = &static_cast<const P*>(x.point)->quantile_values[l.index];
    }
    x.bucket = l.index;
    return l.before;
  }

  template <typename P>
  OTELPACK_HOT void Picks(const Block& b, const P& p, const MetricContext& x) {
    if (b.picks < 0) return;
    const PickSet& set = plan_.picks[static_cast<std::size_t>(b.picks)];
    FillPicks(set, MapOf(set.map, p, x), state_.slots());
  }

  // A bucket's bound from its prepared text (BoundTexts).
  OTELPACK_HOT static void PlainBound(Out& o, const Op& op, const char* slot) {
    char* p = PutShort(op, o.p);
    detail::Copy16(p, slot);
    detail::Copy16(p + 16, slot + 16);
    o.p = p + static_cast<unsigned char>(slot[BoundTexts::kSlot - 1]);
  }
  OTELPACK_HOT static void Bound(Out& o, const Op& op, const char* slot) {
    o.Ensure(op.room);
    PlainBound(o, op, slot);
  }

  // A gauge's or sum's value: absent for "no recorded value" or none at all.
  OTELPACK_HOT static void Value(Out& o, const Env& e, const Op& op, const NumberDataPoint& p) {
    const bool recorded = (p.flags & kDataPointNoRecordedValue) == 0;
    if (recorded && p.value.type == NumberValue::Type::kInt) return Int(o, e, op, p.value.as_int);
    if (recorded && p.value.type == NumberValue::Type::kDouble) return Double(o, e, op, p.value.as_double);
    Missing(o, e, op, true);
  }
  OTELPACK_HOT static void PlainValue(Out& o, const Op& op, const NumberDataPoint& p) {
    const bool recorded = (p.flags & kDataPointNoRecordedValue) == 0;
    if (recorded && p.value.type == NumberValue::Type::kInt) return PlainInt(o, op, p.value.as_int);
    if (recorded && p.value.type == NumberValue::Type::kDouble) return PlainDouble(o, op, p.value.as_double);
    PlainNull(o, op);
  }

  template <typename P>
  static Attributes MapOf(FieldId map, const P& p, const MetricContext& x) {
    return map == F::kPointAttributes ? p.attributes : CommonMap(map, x.common);
  }

  const Plan& plan_;
  PlanState& state_;
};

// One kind's plan and the encoder's state for it.
struct KindState {
  explicit KindState(const Plan& plan) : state(plan), runner(plan, state) {}
  PlanState state;
  MetricRunner runner;
  std::uint64_t resource = 0;  // the resource and scope its runs were written for
  std::uint64_t scope = 0;
};

class DeclaredMetricEncoder final : public MetricsEncoder {
 public:
  explicit DeclaredMetricEncoder(std::shared_ptr<const MetricPlans> plans) : plans_(std::move(plans)) {
    for (std::size_t k = 1; k < plans_->size(); ++k) kinds_[k] = std::make_unique<KindState>((*plans_)[k]);
  }

  void Encode(MetricsView metrics, EventSink& sink) override {
    for (const ResourceMetrics& rm : metrics) {
      x_.common.resource = &rm.resource;
      x_.common.service = ServiceName(rm.resource);
      ++resource_;
      for (const ScopeMetrics& sm : rm.scope_metrics) {
        x_.common.scope = &sm.scope;
        ++scope_;
        for (const Metric& m : sm.metrics) {
          if (m.kind == MetricKind::kNone) continue;
          const auto k = static_cast<std::size_t>(m.kind);
          if (k >= kinds_.size()) continue;
          BeginMetric(k, m);
          switch (m.kind) {
            case MetricKind::kGauge:
            case MetricKind::kSum: Points(k, m.number_points, m.name, sink); break;
            case MetricKind::kHistogram: Points(k, m.histogram_points, m.name, sink); break;
            case MetricKind::kExponentialHistogram: Points(k, m.exponential_histogram_points, m.name, sink); break;
            case MetricKind::kSummary: Points(k, m.summary_points, m.name, sink); break;
            case MetricKind::kNone: break;
          }
        }
      }
    }
  }

 private:
  void BeginMetric(std::size_t k, const Metric& m) {
    KindState& s = *kinds_[k];
    x_.metric = &m;
    if (s.resource != resource_) {
      RenderLevel(k, Level::kResource);
      s.resource = resource_;
    }
    if (s.scope != scope_) {
      RenderLevel(k, Level::kScope);
      s.scope = scope_;
    }
    RenderLevel(k, Level::kMetric);
  }

  void RenderLevel(std::size_t k, Level level) {
    const Plan& plan = (*plans_)[k];
    if (!plan.has_level[static_cast<int>(level)]) return;
    KindState& s = *kinds_[k];
    MetricContext y = x_;
    y.point = &kNoPoint;  // runs read no point field
    Render(plan, s.state, level, [&](const Block& b, Cursor& c) { s.runner.RunOnce(b, c, y); });
  }

  template <typename P>
  // flatten: the runner and the value writers it calls are inlined into
  // this loop over the records, as they are in the hand-written encoders
  // (measured: 3% of the encoder's time is the calls otherwise).
  [[gnu::flatten]] void Points(std::size_t k, std::span<const P> points, std::string_view name, EventSink& sink) {
    KindState& s = *kinds_[k];
    const Env e = s.runner.MakeEnv();        // read once, as RecordEncoder does
    const Block event = (*plans_)[k].blocks[0];
    for (const P& point : points) {
      x_.point = &point;
      Cursor c(&sink.BeginEvent(), 256);
      s.runner.Run<P>(e, event, c, x_);
      c.Done();
      sink.EndEvent(name);
    }
  }

  const std::shared_ptr<const MetricPlans> plans_;
  std::array<std::unique_ptr<KindState>, 6> kinds_;
  MetricContext x_;
  std::uint64_t resource_ = 0;
  std::uint64_t scope_ = 0;
};

}  // namespace

std::unique_ptr<MetricsEncoder> NewDeclaredMetricsEncoder(std::shared_ptr<const MetricPlans> plans) {
  return std::make_unique<DeclaredMetricEncoder>(std::move(plans));
}

}  // namespace otelpack::format::declared
