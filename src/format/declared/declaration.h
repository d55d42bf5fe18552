// A declared format, as written: the parse tree of a declaration document
// (docs/formats.md). parse.h makes it from YAML and checks its shape (known
// keys, the framing, reference and conversion *syntax*); compile.h checks
// what it means for each signal (known fields, known conversions with valid
// arguments that apply to their field) and turns it into the plans the
// declared encoder runs. Each rule lives in one of the two, not both.
//
// Every node keeps where it was written, so that a problem found at any
// stage is reported as FILE:LINE:COL with its dotted key.
#ifndef OTELPACK_FORMAT_DECLARED_DECLARATION_H_
#define OTELPACK_FORMAT_DECLARED_DECLARATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace otelpack::format::declared {

// 1-based; 0 when unknown (a declaration built in code).
struct Place {
  int line = 0;
  int column = 0;
};

// A literal as written in YAML, kept with its JSON type.
struct Literal {
  enum class Type : std::uint8_t { kNull, kBool, kInt, kDouble, kString };
  Type type = Type::kNull;
  bool bool_value = false;
  std::int64_t int_value = 0;
  double double_value = 0;
  std::string string_value;  // kString: the text (unescaped)
};

// One argument of a conversion: `decimals=3` (name "decimals") or `"x"`
// (no name). A bare word is a kString literal.
struct Argument {
  std::string name;
  Literal value;
};

// `| name(args...)`, as written: compile.h knows the conversions, checks
// their arguments and that they apply to the field they follow.
struct Conversion {
  std::string name;
  std::vector<Argument> arguments;
  Place at;
};

// `$a.b["key"] | conv | conv(...)`.
struct Reference {
  std::vector<std::string> path;    // {"resource", "attributes"}; {"name"}
  std::optional<std::string> key;   // the ["key"] of a picked attribute
  std::vector<Conversion> conversions;
  std::string text;                 // as written, for messages
  Place at;
};

struct Template;

// `$flatten: {from: $attributes, prefix: "a.", include: [...], exclude: [...]}`
// (or `$flatten: $attributes`).
struct Flatten {
  Reference from;
  std::string prefix;
  std::vector<std::string> include;  // empty: every key
  std::vector<std::string> exclude;
  Place at;
};

// One member of an object template, in document order: a key and its
// value, or a flattened map.
struct Member {
  std::string key;                   // empty for a $flatten
  std::vector<Template> value;       // exactly one element unless flatten (a vector: Template is incomplete here)
  std::optional<Flatten> flatten;
  Place at;                          // the key's place
};

// A JSON value to write.
struct Template {
  enum class Kind : std::uint8_t {
    kLiteral,    // literal
    kReference,  // reference
    kObject,     // members
    kArray,      // items
    kEach,       // reference (the list) and items[0] (the $item template)
  };
  Kind kind = Kind::kLiteral;
  Literal literal;
  Reference reference;
  std::vector<Member> members;
  std::vector<Template> items;
  Place at;
};

// How events are joined into a request body.
enum class Framing : std::uint8_t { kEnvelope, kNdjson, kArray };

struct Header {
  std::string name;
  Template value;   // a literal or $project_id
  bool secret = false;  // came from ${env:...}: never shown
  Place at;
};

// One signal's part: where its requests go and what each event holds.
struct SignalFormat {
  std::string path;       // with the query string; starts with '/'
  Template event;         // kObject
  Place at;
};

struct Declaration {
  std::string source;  // the file name, or a description ("built-in"), for messages
  Framing framing = Framing::kEnvelope;
  std::optional<Template> envelope;  // kObject, with $events once; nullopt: the article's
  std::optional<std::string> content_type;  // nullopt: by framing
  std::optional<std::vector<Header>> headers;  // nullopt: the article's
  // nullopt: the built-in event and path for that signal.
  std::optional<SignalFormat> traces;
  std::optional<SignalFormat> logs;
  std::optional<SignalFormat> metrics;
};

}  // namespace otelpack::format::declared

#endif  // OTELPACK_FORMAT_DECLARED_DECLARATION_H_
