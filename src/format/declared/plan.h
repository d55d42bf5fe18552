// The compiled form of one signal's event template (compile.h makes it; the
// runners of declared_encoder.h run it): a list of steps over pre-escaped
// bytes, with no interpretation left for the records.
//
// An event is a Block: a run of Ops, the last a kEnd that writes the text
// after the last value (so that running a block needs no bounds check: the
// runner goes from op to op until kEnd). Each op first copies its `lead`,
// the text between the previous value and its own (keys, punctuation,
// quotes and literals merged into one piece: `","span_id":"`), then writes
// one field of the record in the form its conversions chose.
//
// Values the same for a whole resource, scope or metric are not ops of the
// event: the compiler groups each run of them, with the text around it,
// into a PreparedGroup that the encoder writes once per resource, scope or
// metric and the next op copies whole as the start of its lead
// (kPreparedLead), as SpanEncoder does with its service piece. A list
// mapped with $each is an op whose item is a Block of its own. Attributes
// picked by key are found by one pass over the record's attributes before
// its block runs (PickSet), never by a scan per field.
//
// Every piece lives in `text`, padded so that a lead can be copied in two
// 16-byte blocks whatever its size; each prepared group's bytes are copied
// in 16-byte blocks too (format::CopyPiece).
#ifndef OTELPACK_FORMAT_DECLARED_PLAN_H_
#define OTELPACK_FORMAT_DECLARED_PLAN_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "format/declared/fields.h"
#include "format/time_writer.h"
#include "otelpack/model/metrics.h"

namespace otelpack::format::declared {

// Bytes [offset, offset + size) of a plan's text.
struct Piece {
  std::uint32_t offset = 0;
  std::uint32_t size = 0;
};

// How an op writes its value; what applies depends on the field's type.
enum class Form : std::uint8_t {
  kNatural,  // ids hex; times per `time`; enums by name; maps as objects; any value as JSON; numbers
  kBase64,   // ids
  kTable,    // enums (a name, a number or case()): the JSON of each value in `tables[arg]`
  kCase,     // strings: case(), the keys and texts in `tables[arg]`
  kStrings,  // maps: every value as a string
  kJson,     // maps, any values: the JSON as a string
  kString,   // any value: a scalar as its text, the rest as JSON text, in a string
  kFlatten,  // maps: entries as members of the enclosing object, per `flattens[arg]`
};

// Op::flags.
enum OpFlag : std::uint8_t {
  kRaw = 1,          // the value is a string whose quotes are in the texts: write its characters only
  kMember = 2,       // omit_if_empty (or a flatten): write `key`, the value and a ',' only when present and not empty
  kNullIfEmpty = 4,  // null when empty
  kHasDefault = 8,   // `absent` is written when the value is absent
  kQuote = 16,       // a number, boolean or time written inside quotes (`| string`)
  kPreparedLead = 32,  // the lead starts with prepared group `group` (the values before it that
                       // depend only on the resource, scope or metric)
  kLongLead = 64,      // the lead is over 32 bytes (the usual lead is copied in two blocks)
};

// How a time or duration op writes its value: the usual forms have a path of
// their own (one division by a constant); the others go through
// format::WriteUnixTime and WriteRfc3339.
enum class TimeWrite : std::uint8_t {
  kNs, kUs, kMs, kS,  // integers rounded down
  kMs3,               // ms with at most 3 decimals (the article's duration_ms)
  kUnix,              // any other Unix form
  kRfc3339,
};

// The fast path for `f`.
constexpr TimeWrite TimeWriteOf(const format::TimeFormat& f) {
  if (f.style == format::TimeFormat::Style::kRfc3339) return TimeWrite::kRfc3339;
  if (f.decimals == 0 && !f.round_nearest) {
    switch (f.unit_digits) {
      case 0: return TimeWrite::kNs;
      case 3: return TimeWrite::kUs;
      case 6: return TimeWrite::kMs;
      case 9: return TimeWrite::kS;
      default: break;
    }
  }
  if (f.unit_digits == 6 && f.decimals == 3) return TimeWrite::kMs3;
  return TimeWrite::kUnix;
}

// The structural steps, after the fields in the op codes.
enum class Step : std::uint8_t {
  kCloseObject = kFieldIdCount,  // '}' over the trailing ',' of members that may be left out
  kEnd,                       // the last op of every block: its lead is the text after the last value
};

// Op::code's high bit: a plain op in a straight run. Each op of the usual
// kind checks the room it needs and tests its flags before it writes; in a
// run of ops whose size the compiler bounds (ids, numbers, times, enums,
// the '}' of an object, the lead of a map), the first op reserves the room
// of the whole run (its `room` is the sum) and the others are plain: no
// flags but kRaw, a short text lead, the field's usual form. The runners
// write a plain op with no room check and no flag test (plain_writers.h).
// Measured (callgrind): 41 instructions fewer a span of the article's event.
inline constexpr std::uint8_t kPlain = 0x80;

// What the straight runs (runs.cc, ChainRuns, which lower.cc calls) may do
// with an op of `code` (without kPlain); each runner has a Plain case for
// every code that may be plain in its signal.
enum class RunRole : std::uint8_t {
  kBreak,   // writes through the cursor or loops: the run ends before it
  kStart,   // reserves its own room on every path: may reserve for the ops after it
  kFixed,   // a start that may also be plain: a value of bounded size
  kLast,    // may be plain, but writes through the cursor after its lead: ends the run
};

struct Op {
  std::uint8_t code = 0;  // a FieldId or a Step, kPlain added (above)
  Form form = Form::kNatural;
  std::uint8_t flags = 0;
  TimeWrite time_write = TimeWrite::kNs;  // times and durations: TimeWriteOf(time)
  format::TimeFormat time;
  // The most this op writes besides its strings' characters (6 per byte,
  // added at run time) and what the nested writers reserve themselves.
  std::uint32_t room = 0;
  Piece lead;    // always written first
  // The lead's bytes when it is short (not kLongLead), zero-padded: copied
  // from here, next to the fields an op reads anyway.
  char short_lead[32] = {};
  Piece key;     // kMember: `"key":`
  Piece absent;  // kHasDefault: the default's JSON
  std::uint32_t group = 0;  // kPreparedLead
  // A list: its item's Block; kPick: the slot; kTable / kCase: the table;
  // kFlatten: the flatten.
  std::uint32_t arg = 0;

  FieldId field() const { return static_cast<FieldId>(code & ~kPlain); }
};

// runs.cc: the role of an op's code (without kPlain) in a run; whether
// `op`, of a kFixed or kLast code, has what its plain writer assumes; and
// the pass that chains a block's ops into runs (adds kPlain, sums rooms).
RunRole RunRoleOf(std::uint8_t code);
bool PlainShape(const Op& op);
void ChainRuns(std::span<Op> ops);

// A list's item template, a prepared run or the event itself.
struct Block {
  std::uint32_t begin = 0;  // ops [begin, end); ops[end - 1] is a Step::kEnd
  std::uint32_t end = 0;
  std::int32_t picks = -1;  // the PickSet filled before the ops run, or -1
};

// Keys to slots, for picked attributes and flatten's include / exclude:
// open addressing on a hash of the key's length and its first and last
// eight bytes, so a lookup reads the key once to compare.
class KeyTable {
 public:
  // Adds `key` (if new) with `value`; Find works only after Build().
  void Add(std::string_view key, std::uint32_t value);
  void Build();
  bool empty() const { return keys_.empty(); }
  std::size_t size() const { return keys_.size(); }

  // The value of `key`, or -1.
  std::int64_t Find(std::string_view key) const;

 private:
  std::vector<std::string> keys_;
  std::vector<std::uint32_t> values_;
  std::vector<std::int32_t> index_;  // key index + 1, 0 for an empty bucket
  std::uint64_t mask_ = 0;
};

// The attributes picked by key from one map: each key's slot (a
// `const AnyValue*` of the encoder's, null when the map lacks the key).
struct PickSet {
  FieldId map = FieldId::kSpanAttributes;
  KeyTable keys;                     // key -> slot
  std::vector<std::uint32_t> slots;  // to clear before a pass
};

struct FlattenSpec {
  Piece prefix;       // escaped
  KeyTable include;   // empty: every key
  KeyTable exclude;
  bool strings = false;
};

// kTable: the JSON text of each enum value, the last for any other value.
// kCase on strings: `keys[i]` writes `texts[i]`, anything else texts.back().
struct Table {
  std::vector<std::string> keys;
  std::vector<Piece> texts;
  std::uint32_t max_size = 0;  // of the texts
};

// A run of values of one level (resource, scope or metric), written into a
// buffer of its own when that level begins.
struct PreparedRun {
  Level level = Level::kResource;
  std::uint32_t block = 0;
};

// Adjacent runs copied as one piece per event (their buffers joined).
struct PreparedGroup {
  std::vector<PreparedRun> runs;
};

struct Plan {
  std::vector<Op> ops;
  std::vector<Block> blocks;  // blocks[0] is the event
  std::vector<Table> tables;
  std::vector<PickSet> picks;
  std::vector<FlattenSpec> flattens;
  std::vector<PreparedGroup> groups;
  std::uint32_t slots = 0;
  // Prepared levels the plan has, so that an encoder skips the others.
  bool has_level[6] = {};
  std::string text;  // every piece, then kTextPadding bytes
};

// Zero bytes after a plan's text, so that any piece can be copied in two
// 16-byte blocks, whatever its size.
inline constexpr std::size_t kTextPadding = 32;

// The metrics plan: one event plan per kind, for the kinds in MetricKind
// order (kNone's stays empty): a member naming a field a kind lacks is not
// in that kind's plan.
using MetricPlans = std::array<Plan, 6>;

}  // namespace otelpack::format::declared

#endif  // OTELPACK_FORMAT_DECLARED_PLAN_H_
