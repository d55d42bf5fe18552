// The second half of compiling a declaration: a resolved event template
// (resolve.h) becomes the Plan its encoder runs (plan.h).
//
// Members are written with a trailing ',' and texts are merged as far as
// they go: every literal, key and punctuation between two values becomes
// the lead of the next op, the quotes of a string that is never absent are
// part of those texts, and an object's '}' replaces its last ',' at compile
// time unless its last members may be left out. Runs of values that depend
// only on the resource, the scope or the metric are then taken out of the
// event into prepared groups, with the texts around them.
#ifndef OTELPACK_FORMAT_DECLARED_LOWER_H_
#define OTELPACK_FORMAT_DECLARED_LOWER_H_

#include <string>
#include <string_view>

#include "format/declared/fields.h"
#include "format/declared/plan.h"
#include "format/declared/resolve.h"
#include "otelpack/model/metrics.h"

namespace otelpack::format::declared {

// Plans bigger than this are refused: a declaration comes from outside.
inline constexpr std::size_t kMaxPlanText = 1 << 20;
inline constexpr std::size_t kMaxPlanOps = 1 << 16;

// Builds the plan of `event` (an object) for records of `context`; for
// metrics (`context` kPoint) the plan of points of `kind`, without the
// members naming fields that kind lacks. `project_id` is what $project_id
// writes. False with *error set when the plan would be too large.
bool Lower(const RNode& event, Context context, MetricKind kind, std::string_view project_id, Plan* plan,
           std::string* error);

// Whether a value exists for points of `kind` (metrics; true otherwise):
// a reference to a field the kind lacks does not, nor an object or array
// all of whose members or items do not.
bool ExistsFor(const RNode& node, Context context, MetricKind kind);

}  // namespace otelpack::format::declared

#endif  // OTELPACK_FORMAT_DECLARED_LOWER_H_
