// The first half of compiling a declaration: what its event templates mean.
// Every reference is checked against the signal's fields (fields.h), every
// conversion against its field's type, and each mistake is collected with
// its key and place (not only the first). What comes out is a tree of the
// same shape whose values know their field and how to write it; lower.h
// turns it into a Plan.
#ifndef OTELPACK_FORMAT_DECLARED_RESOLVE_H_
#define OTELPACK_FORMAT_DECLARED_RESOLVE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "format/declared/declaration_error.h"
#include "format/declared/declaration.h"
#include "format/declared/fields.h"
#include "format/declared/plan.h"
#include "format/time_writer.h"

namespace otelpack::format::declared {

// How one reference is written: its field and what its conversions asked.
struct ValueSpec {
  const FieldInfo* field = nullptr;  // for a pick, the map it picks from
  std::optional<std::string> pick;   // `["key"]`: one attribute of the map
  bool parent = false;               // `$parent.`: the record's field, from inside $item
  // kNatural, kBase64 (ids), kStrings, kJson, kString (maps, any values);
  // enums are always written from a table (names, numbers or cases) and
  // strings with case() from one too.
  Form form = Form::kNatural;
  format::TimeFormat time;  // times: unix_ns by default; durations: ns
  bool number = false;      // enums: `| number`
  bool is_case = false;     // `| case(...)`
  std::vector<std::pair<std::string, std::string>> cases;  // name -> JSON
  std::string case_else = "null";                           // JSON
  bool quote = false;       // `| string` on a number, boolean or Unix time
  bool omit_if_empty = false;
  bool null_if_empty = false;
  std::optional<std::string> default_json;

  // The type of what is read: a picked attribute is any value.
  FieldType type() const { return pick ? FieldType::kAny : field->type; }
  Level level() const { return field->level; }
  bool may_be_absent() const { return pick.has_value() || field->may_be_absent; }
};

struct RMember;

// A template with its references resolved.
struct RNode {
  enum class Kind : std::uint8_t { kLiteral, kValue, kObject, kArray, kEach };
  Kind kind = Kind::kLiteral;
  std::string json;              // kLiteral: its JSON text
  ValueSpec value;               // kValue; kEach: the list
  std::vector<RMember> members;  // kObject
  std::vector<RNode> items;      // kArray; kEach: items[0] is the $item template
};

struct RFlatten {
  ValueSpec from;  // a map
  std::string prefix;
  std::vector<std::string> include;
  std::vector<std::string> exclude;
};

struct RMember {
  std::string key;
  std::vector<RNode> value;  // one, unless a flatten
  std::optional<RFlatten> flatten;
};

// Templates nested deeper than this are refused: with the envelope and the
// 33 levels an attribute value may take (value_writer.h), the events stay
// within the sink's JSON nesting limit of 64.
inline constexpr int kMaxTemplateDepth = 24;

// The JSON text of a literal, or nullopt with `*error` set (NaN and the
// infinities have none).
std::optional<std::string> LiteralJson(const Literal& literal, std::string* error);

// The closest of `candidates` to `name` when it is a likely typo (optimal
// string alignment distance, A-Z folded; as the configuration's keys), else
// empty.
std::string_view Closest(std::string_view name, const std::vector<std::string_view>& candidates);

class Resolver {
 public:
  // Errors are appended to *errors.
  explicit Resolver(std::vector<DeclarationError>* errors) : errors_(errors) {}

  // The event template of a signal whose records are `context`, written
  // under `key` ("traces.event"); nullopt when it has errors.
  std::optional<RNode> Event(const Template& event, Context context, const std::string& key);

  // One reference outside an event (a header or the envelope's values are
  // checked by compile.cc, which uses this for their conversions).
  std::optional<ValueSpec> ResolveReference(const Reference& ref, Context context, bool in_item, bool member,
                                            const std::string& key);

 private:
  bool Node(const Template& t, Context context, bool in_item, bool member, int depth, const std::string& key,
            RNode* out);
  bool Object(const Template& t, Context context, bool in_item, int depth, const std::string& key, RNode* out);
  bool Each(const Template& t, Context context, bool in_item, int depth, const std::string& key, RNode* out);
  bool ResolveFlatten(const Flatten& f, Context context, bool in_item, const std::string& key, RFlatten* out);
  bool ResolveField(const Reference& ref, Context context, bool in_item, const std::string& key, ValueSpec* spec);
  bool ResolveConversions(const Reference& ref, bool member, const std::string& key, ValueSpec* spec);
  bool ResolveConversion(const Reference& ref, const Conversion& conv, const std::string& key, ValueSpec* spec,
                         const Conversion** format);
  bool TimeArguments(const Conversion& conv, const std::string& key, ValueSpec* spec);
  bool CaseArguments(const Reference& ref, const Conversion& conv, const std::string& key, ValueSpec* spec);
  void Error(const std::string& key, Place at, std::string message);

  std::vector<DeclarationError>* errors_;
};

}  // namespace otelpack::format::declared

#endif  // OTELPACK_FORMAT_DECLARED_RESOLVE_H_
