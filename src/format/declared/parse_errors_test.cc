// Every mistake the declaration parser finds, as the author reads it:
// FILE:LINE:COL, the dotted key and the message (with "did you mean" for a
// near miss); all of a document's mistakes at once, in order; secrets from
// ${env:NAME} in no message; the limits on size, depth and template values.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <chrono>
#include <string>
#include <vector>

#include "format/declared/parse.h"
#include "format/declared/parse_test_util.h"

namespace otelpack::format::declared {
namespace {

using testing::AllErrors;
using testing::MapEnv;

constexpr std::string_view kSecret = "s3cr3t-v4lue";

ParsedDeclaration Parse(std::string_view yaml) {
  return ParseDeclaration(yaml, "format.yaml", MapEnv({{"KEY", std::string(kSecret)}}));
}

// The formatted errors of `yaml`, which must not parse.
std::string Errors(std::string_view yaml) {
  ParsedDeclaration p = Parse(yaml);
  EXPECT_FALSE(p.ok()) << yaml;
  return AllErrors(p);
}

// A traces section around `event_lines` (each indented by four spaces):
// the event's first line is line 4.
std::string Event(std::string_view event_lines) { return StrCat("traces:\n  path: /\n  event:\n", event_lines); }

TEST(DeclarationErrorsTest, DocumentKeys) {
  EXPECT_EQ(Errors("trace: {path: /, event: {}}\n"), "format.yaml:1:1: trace: unknown key; did you mean 'traces'?\n");
  EXPECT_EQ(Errors("framing: ndjson\nbody: x\n"),
            "format.yaml:2:1: body: unknown key; expected one of: framing, envelope, content_type, headers, traces, "
            "logs, metrics\n");
  EXPECT_EQ(Errors("- framing\n"), "format.yaml:1:1: must be a mapping (key: value lines), not a list\n");
  EXPECT_EQ(Errors("ndjson\n"), "format.yaml:1:1: must be a mapping (key: value lines), not a single value\n");
  EXPECT_EQ(Errors("framing: ndjson\n---\nframing: array\n"),
            "format.yaml:3:1: has a second YAML document; one is allowed\n");
  EXPECT_EQ(Errors("framing: ndjson\nframing: array\n"),
            "format.yaml:2:1: framing: appears twice in the same mapping\n");
  EXPECT_EQ(Errors("null: 1\n"),
            "format.yaml:1:1: has an empty or null key (a key named null is written \"null\")\n");
  EXPECT_EQ(Errors("[a]: 1\n"), "format.yaml:1:1: has a key that is a list, not a single value\n");
  // yaml-cpp reads a lone "," as endless empty documents: one is enough to refuse it.
  EXPECT_EQ(Errors(","), "format.yaml:1:1: has a second YAML document; one is allowed\n");
  EXPECT_EQ(Errors("framing: [ndjson\n"), "format.yaml:2:1: YAML syntax error: end of sequence flow not found\n");
}

TEST(DeclarationErrorsTest, Framing) {
  EXPECT_EQ(Errors("framing: ndjosn\n"),
            "format.yaml:1:10: framing: 'ndjosn' is not a framing: expected envelope, ndjson or array "
            "(did you mean ndjson?)\n");
  EXPECT_EQ(Errors("framing: lines\n"),
            "format.yaml:1:10: framing: 'lines' is not a framing: expected envelope, ndjson or array\n");
  EXPECT_EQ(Errors("framing: [ndjson]\n"),
            "format.yaml:1:10: framing: must be envelope, ndjson or array, not a list\n");
  EXPECT_EQ(Errors("framing:\n"), "format.yaml:1:1: framing: has no value: expected envelope, ndjson or array\n");
}

TEST(DeclarationErrorsTest, Envelope) {
  EXPECT_EQ(Errors("framing: array\nenvelope: {events: $events}\n"),
            "format.yaml:2:1: envelope: is only for framing: envelope (framing is array)\n");
  // Before the framing in the document, and with no framing (the default, envelope).
  EXPECT_EQ(Errors("envelope: {events: $events}\nframing: ndjson\n"),
            "format.yaml:1:1: envelope: is only for framing: envelope (framing is ndjson)\n");
  EXPECT_TRUE(Parse("envelope: {events: $events}\n").ok());
  EXPECT_EQ(Errors("envelope: $events\n"),
            "format.yaml:1:11: envelope: must be a mapping (an object template), not a single value\n");
  EXPECT_EQ(Errors("envelope: [$events]\n"),
            "format.yaml:1:11: envelope: must be a mapping (an object template), not a list\n");
  EXPECT_EQ(Errors("envelope: {$each: $events, $item: $name}\n"),
            "format.yaml:1:11: envelope: must be an object, not a list: $each makes one\n");
}

TEST(DeclarationErrorsTest, ContentType) {
  EXPECT_EQ(Errors("content_type: json\n"),
            "format.yaml:1:15: content_type: 'json' is not a media type such as application/x-ndjson\n");
  EXPECT_EQ(Errors("content_type: \"application/json\\r\\nX-Evil: 1\"\n"),
            "format.yaml:1:15: content_type: 'application/json??X-Evil: 1' is not a media type such as "
            "application/x-ndjson\n");
  EXPECT_EQ(Errors("content_type: application /json\n"),
            "format.yaml:1:15: content_type: 'application /json' is not a media type such as application/x-ndjson\n");
  EXPECT_EQ(Errors("content_type: {a: b}\n"),
            "format.yaml:1:15: content_type: must be a media type such as application/json, not a mapping\n");
}

TEST(DeclarationErrorsTest, Headers) {
  EXPECT_EQ(Errors("headers:\n"
                   "  X Bad: 1\n"
                   "  Content-Type: text/plain\n"
                   "  content-length: 5\n"
                   "  X-Batch-ID: b\n"
                   "  X-Key: a\n"
                   "  x-key: b\n"
                   "  X-List: [a, b]\n"
                   "  X-Break: \"a\\r\\nX-Evil: 1\"\n"
                   "  X-Control: \"a\\x01b\"\n"
                   "  X-Unset: ${env:NOPE}\n"
                   "  X-Ref: $project_id |\n"),
            "format.yaml:2:3: headers.X Bad: is not a valid HTTP header name (letters, digits and "
            "!#$%&'*+-.^_`|~)\n"
            "format.yaml:3:3: headers.Content-Type: is set by content_type\n"
            "format.yaml:4:3: headers.content-length: is set by otelpack on every request\n"
            "format.yaml:5:3: headers.X-Batch-ID: is set by otelpack on every request\n"
            "format.yaml:7:3: headers.x-key: appears twice (header names ignore case)\n"
            "format.yaml:8:11: headers.X-List: must be a single value (a literal, ${env:NAME} or $project_id), "
            "not a list\n"
            "format.yaml:9:12: headers.X-Break: the value has a line break, which would end the header\n"
            "format.yaml:10:14: headers.X-Control: the value has a control character\n"
            "format.yaml:11:12: headers.X-Unset: the value refers to the environment variable NOPE, which is not "
            "set\n"
            "format.yaml:12:23: headers.X-Ref: expected a conversion name after '|', not the end (a name is a-z, "
            "0-9 and _, not starting with a digit)\n");
  EXPECT_EQ(Errors("headers: [X-Key]\n"),
            "format.yaml:1:10: headers: must be a mapping of header names to values (headers: {} for none), not a "
            "list\n");
  EXPECT_EQ(Errors("headers:\n"),
            "format.yaml:1:1: headers: must be a mapping of header names to values (headers: {} for none), not "
            "empty\n");
}

TEST(DeclarationErrorsTest, SecretsFromTheEnvironmentAreNeverShown) {
  // The secret with a line break in it: refused, and not shown.
  ParsedDeclaration p = ParseDeclaration(
      "headers:\n"
      "  X-Key: ${env:KEY}\n"
      "  X-Other: Bearer ${env:KEY}\n"
      "  X-Fine: ${env:FINE}\n"
      "content_type: ${env:KEY}\n"
      "traces:\n"
      "  path: /${env:KEY}\n"
      "  event:\n"
      "    a: ${env:KEY}\n"
      "    b: $x | f(${env:KEY})\n"
      "    c: ${env:NOPE}\n",
      "format.yaml", MapEnv({{"KEY", StrCat(kSecret, "\r\n")}, {"FINE", std::string(kSecret)}}));
  ASSERT_FALSE(p.ok());
  const std::string all = AllErrors(p);
  EXPECT_EQ(all.find(kSecret), std::string::npos) << all;
  EXPECT_EQ(all,
            "format.yaml:2:10: headers.X-Key: the value has a line break, which would end the header\n"
            "format.yaml:3:12: headers.X-Other: the value has a line break, which would end the header\n"
            "format.yaml:5:15: content_type: '${env:KEY}' is not a media type such as application/x-ndjson\n"
            "format.yaml:7:10: traces.path: has ${...}: environment variables are not read in a path\n"
            "format.yaml:10:15: traces.event.b: expected an argument after '(': a \"string\", a number, true, "
            "false, null or a word; not '$'\n"
            "format.yaml:11:8: traces.event.c: the value refers to the environment variable NOPE, which is not "
            "set\n");
  // What parsed is marked: a header from the environment is a secret.
  ParsedDeclaration fine = ParseDeclaration("headers: {X-Fine: \"${env:FINE}\", X-Plain: v}\n", "format.yaml",
                                            MapEnv({{"FINE", std::string(kSecret)}}));
  ASSERT_TRUE(fine.ok()) << AllErrors(fine);
  EXPECT_TRUE((*fine.declaration.headers)[0].secret);
  EXPECT_FALSE((*fine.declaration.headers)[1].secret);
}

TEST(DeclarationErrorsTest, Signals) {
  EXPECT_EQ(Errors("traces: /v1/traces\nlogs:\nmetrics: []\n"),
            "format.yaml:1:9: traces: must be a mapping, not a single value: expected path and event\n"
            "format.yaml:2:1: logs: has no value: expected path and event\n"
            "format.yaml:3:10: metrics: must be a mapping, not a list: expected path and event\n");
  EXPECT_EQ(Errors("traces:\n  path: /\n  evnet: {}\nlogs:\n  event: {}\n  query: x\n"),
            "format.yaml:1:1: traces: has no event: the template of each event\n"
            "format.yaml:3:3: traces.evnet: unknown key; did you mean 'event'?\n"
            "format.yaml:4:1: logs: has no path: where its requests go, such as path: /v1/ingest\n"
            "format.yaml:6:3: logs.query: unknown key; expected one of: path, event\n");
  EXPECT_EQ(Errors("traces:\n  path: /\n  event: $name\n"),
            "format.yaml:3:10: traces.event: must be a mapping (an object template), not a single value\n");
  EXPECT_EQ(Errors("traces:\n  path: /\n  event:\n"),
            "format.yaml:3:3: traces.event: has no value: expected a mapping (an object template)\n");
  EXPECT_EQ(Errors("traces:\n  path: /\n  event: {$each: $events, $item: $name}\n"),
            "format.yaml:3:10: traces.event: must be an object, not a list: $each makes one\n");
}

TEST(DeclarationErrorsTest, Paths) {
  auto path_errors = [](std::string_view path_line) {
    return Errors(StrCat("logs:\n  event: {}\n  path: ", path_line, "\n"));
  };
  EXPECT_EQ(path_errors("v1/ingest"),
            "format.yaml:3:9: logs.path: must start with / (a path and query string, such as /v1/ingest)\n");
  EXPECT_EQ(path_errors("\"\""),  // quoted: placed inside the quotes
            "format.yaml:3:10: logs.path: must start with / (a path and query string, such as /v1/ingest)\n");
  EXPECT_EQ(path_errors("/?query=INSERT INTO spans"),
            "format.yaml:3:23: logs.path: has a space: write it %20\n");
  EXPECT_EQ(path_errors("'/?query=INSERT INTO spans'"),  // quoted: still placed inside
            "format.yaml:3:24: logs.path: has a space: write it %20\n");
  EXPECT_EQ(path_errors("\"/a\\tb\""), "format.yaml:3:9: logs.path: has the byte 0x09, which cannot go in a "
                                       "request line: percent-encode it\n");
  EXPECT_EQ(path_errors("/caf\xc3\xa9"), "format.yaml:3:13: logs.path: has the byte 0xc3, which cannot go in a "
                                          "request line: percent-encode it\n");
  EXPECT_EQ(path_errors("/${env:DB}"),
            "format.yaml:3:10: logs.path: has ${...}: environment variables are not read in a path\n");
  EXPECT_EQ(path_errors(StrCat("/", std::string(8192, 'a'))),
            "format.yaml:3:9: logs.path: is longer than 8192 bytes\n");
  EXPECT_EQ(path_errors("[/a]"), "format.yaml:3:9: logs.path: must be a path such as /v1/ingest, not a list\n");
  EXPECT_EQ(path_errors(""), "format.yaml:3:3: logs.path: has no value: expected a path such as /v1/ingest\n");
}

TEST(DeclarationErrorsTest, TemplateKeys) {
  EXPECT_EQ(Errors(Event("    a: 1\n"
                         "    a: 2\n"
                         "    $eahc: $events\n"
                         "    $flaten: $attributes\n"
                         "    $schema: v1\n"
                         "    ${env:KEY}: v\n"
                         "    $item: $name\n"
                         "    ~: x\n"
                         "    nested: {b: {c: 1, c: 2}}\n")),
            "format.yaml:5:5: traces.event.a: appears twice in the same mapping\n"
            "format.yaml:6:5: traces.event.$eahc: unknown key; did you mean '$each'?\n"
            "format.yaml:7:5: traces.event.$flaten: unknown key; did you mean '$flatten'?\n"
            "format.yaml:8:5: traces.event.$schema: is not a template key ($each, $item or $flatten); for a literal "
            "key write $$schema\n"
            "format.yaml:9:5: traces.event.${env:KEY}: is not a template key ($each, $item or $flatten); for a "
            "literal key write $${env:KEY}\n"
            "format.yaml:10:5: traces.event.$item: goes with $each: {$each: <a list>, $item: <the template of "
            "each element>}\n"
            "format.yaml:11:5: traces.event: has an empty or null key (a key named null is written \"null\")\n"
            "format.yaml:12:24: traces.event.nested.b.c: appears twice in the same mapping\n");
}

TEST(DeclarationErrorsTest, Each) {
  EXPECT_EQ(Errors(Event("    a: {$each: $events, $item: $name, $itme: $x, name: $name}\n"
                         "    b: {$each: $events}\n"
                         "    c: {$each: events, $item: 1}\n"
                         "    d: {$each: [$events], $item: 1}\n"
                         "    e: {$each: , $item: 1}\n"
                         "    f: {$each: $$events, $item: 1}\n"
                         "    g: {$each: $events |, $item: 1}\n"
                         "    h: {$each: $events, $item: {x: $trace_id | }}\n")),
            "format.yaml:4:39: traces.event.a.$itme: unknown key; did you mean '$item'?\n"
            "format.yaml:4:50: traces.event.a.name: is not allowed next to $each: a list mapped by a template has "
            "only $each and $item\n"
            "format.yaml:5:8: traces.event.b: has $each without $item (the template of each element)\n"
            "format.yaml:6:16: traces.event.c.$each: must be a reference (a string that starts with $) such as "
            "$events\n"
            "format.yaml:7:16: traces.event.d.$each: must be a reference such as $events, not a list\n"
            "format.yaml:8:9: traces.event.e.$each: has no value: expected a reference such as $events\n"
            "format.yaml:9:16: traces.event.f.$each: must be a reference (a string that starts with $) such as "
            "$events\n"
            "format.yaml:10:25: traces.event.g.$each: expected a conversion name after '|', not the end (a name "
            "is a-z, 0-9 and _, not starting with a digit)\n"
            "format.yaml:11:47: traces.event.h.$item.x: expected a conversion name after '|', not the end (a "
            "name is a-z, 0-9 and _, not starting with a digit)\n");
}

TEST(DeclarationErrorsTest, Flatten) {
  EXPECT_EQ(Errors(Event("    a: {$flatten: attributes}\n"
                         "    b: {$flatten: {prefix: x.}}\n"
                         "    c: {$flatten: {from: $attributes, prefx: x., includes: [a]}}\n"
                         "    d: {$flatten: {from: $attributes, include: a, exclude: []}}\n"
                         "    e: {$flatten: {from: $attributes, include: [a, {b: 1}], prefix: [x]}}\n"
                         "    f: {$flatten: [$attributes, [$attributes], {from: attributes}]}\n"
                         "    g: {$flatten: []}\n"
                         "    h: {$flatten: }\n"
                         "    i: {$flatten: '$attributes[\"a\"] | '}\n")),
            "format.yaml:4:19: traces.event.a.$flatten: must be a reference (a string that starts with $) such as "
            "$attributes, or {from: $attributes, prefix: \"attr.\"}\n"
            "format.yaml:5:19: traces.event.b.$flatten: has no from: the map to flatten, such as from: "
            "$attributes\n"
            "format.yaml:6:39: traces.event.c.$flatten.prefx: unknown key; did you mean 'prefix'?\n"
            "format.yaml:6:50: traces.event.c.$flatten.includes: unknown key; did you mean 'include'?\n"
            "format.yaml:7:48: traces.event.d.$flatten.include: must be a list of keys such as [http.method, "
            "http.route], not a single value\n"
            "format.yaml:7:60: traces.event.d.$flatten.exclude: is an empty list: leave it out\n"
            "format.yaml:8:52: traces.event.e.$flatten.include[1]: must be a key (a single value), not a mapping\n"
            "format.yaml:8:69: traces.event.e.$flatten.prefix: must be a string, not a list\n"
            "format.yaml:9:33: traces.event.f.$flatten[1]: must be $attributes, or {from: $attributes, prefix: "
            "\"attr.\"}, not a list\n"
            "format.yaml:9:55: traces.event.f.$flatten[2].from: must be a reference (a string that starts with $) "
            "such as $attributes\n"
            "format.yaml:10:19: traces.event.g.$flatten: is an empty list: expected $attributes, or {from: "
            "$attributes, prefix: \"attr.\"}\n"
            "format.yaml:11:9: traces.event.h.$flatten: has no value: expected a reference such as $attributes, "
            "or {from: $attributes, prefix: \"attr.\"}\n"
            "format.yaml:12:39: traces.event.i.$flatten: expected a conversion name after '|', not the end (a "
            "name is a-z, 0-9 and _, not starting with a digit)\n");
}

TEST(DeclarationErrorsTest, Literals) {
  EXPECT_EQ(Errors(Event("    inf: .inf\n"
                         "    nan: .NaN\n"
                         "    big: 9223372036854775808\n"
                         "    hex: 0x10000000000000000\n"
                         "    huge: 1e999\n"
                         "    tagged: !!int 3\n"
                         "    custom: !thing x\n"
                         "    unset: a-${env:NOPE}\n"
                         "    open: ${env:KEY\n")),
            "format.yaml:4:10: traces.event.inf: '.inf' is not a finite number, which JSON cannot write; quote "
            "it for a string\n"
            "format.yaml:5:10: traces.event.nan: '.NaN' is not a finite number, which JSON cannot write; quote "
            "it for a string\n"
            "format.yaml:6:10: traces.event.big: '9223372036854775808' is too large an integer (64 bits); quote "
            "it for a string\n"
            "format.yaml:7:10: traces.event.hex: '0x10000000000000000' is too large an integer (64 bits); quote "
            "it for a string\n"
            "format.yaml:8:11: traces.event.huge: '1e999' is a number out of a double's range; quote it for a "
            "string\n"
            "format.yaml:9:13: traces.event.tagged: has the YAML tag 'tag:yaml.org,2002:int': only !!str is "
            "understood here (or quote the value for a string)\n"
            "format.yaml:10:13: traces.event.custom: has the YAML tag '!thing': only !!str is understood here (or "
            "quote the value for a string)\n"
            "format.yaml:11:12: traces.event.unset: the value refers to the environment variable NOPE, which is "
            "not set\n"
            "format.yaml:12:11: traces.event.open: the value has a \"${\" without its \"}\" (a literal \"${\" is "
            "written \"$${\")\n");
}

TEST(DeclarationErrorsTest, ReferenceSyntaxIsPlacedInsideTheScalar) {
  EXPECT_EQ(Errors(Event("    Timestamp: $start_time | rfc3339(digits=)\n"
                         "    Quoted: \"$attributes[\\\"k\\\"] | bad(\"\n"
                         "    Folded: $name |\n"
                         "      Upper\n"
                         "    Plain: $Name\n")),
            "format.yaml:4:45: traces.event.Timestamp: expected a value after 'digits=': a \"string\", a number, "
            "true, false, null or a word; not ')'\n"
            // Escapes inside the quotes: the scalar's place, and the character.
            "format.yaml:5:13: traces.event.Quoted: expected an argument after '(': a \"string\", a number, true, "
            "false, null or a word; not the end (at character 24 of the reference)\n"
            "format.yaml:6:13: traces.event.Folded: a conversion name is lowercase: a-z, 0-9 and _ (at "
            "character 9 of the reference)\n"
            "format.yaml:8:13: traces.event.Plain: a field name is lowercase: a-z, 0-9 and _\n");
}

TEST(DeclarationErrorsTest, EveryMistakeOfADocumentInOrder) {
  ParsedDeclaration p = Parse(
      "framing: ndjsn\n"
      "headers: {X Y: 1}\n"
      "traces:\n"
      "  path: v1\n"
      "  event: {a: $b |, $c: 1}\n"
      "metric: {}\n");
  EXPECT_EQ(AllErrors(p),
            "format.yaml:1:10: framing: 'ndjsn' is not a framing: expected envelope, ndjson or array (did you mean "
            "ndjson?)\n"
            "format.yaml:2:11: headers.X Y: is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~)\n"
            "format.yaml:4:9: traces.path: must start with / (a path and query string, such as /v1/ingest)\n"
            "format.yaml:5:18: traces.event.a: expected a conversion name after '|', not the end (a name is a-z, "
            "0-9 and _, not starting with a digit)\n"
            "format.yaml:5:20: traces.event.$c: is not a template key ($each, $item or $flatten); for a literal key "
            "write $$c\n"
            "format.yaml:6:1: metric: unknown key; did you mean 'metrics'?\n");
}

TEST(DeclarationErrorsTest, InsideAnotherDocumentKeysArePrefixed) {
  const YAML::Node config = YAML::Load(
      "format:\n"
      "  framing: ndjson\n"
      "  envelope: {a: 1}\n"
      "  traces:\n"
      "    path: /t\n"
      "    event: {a: $name | unix_ms(x=)}\n");
  ParsedDeclaration p = ParseDeclarationNode(config["format"], "otelpack.yaml", "format", MapEnv({}));
  EXPECT_EQ(AllErrors(p),
            "otelpack.yaml:3:3: format.envelope: is only for framing: envelope (framing is ndjson)\n"
            "otelpack.yaml:6:16: format.traces.event.a: expected a value after 'x=': a \"string\", a number, true, "
            "false, null or a word; not ')' (at character 19 of the reference)\n");
  ParsedDeclaration list = ParseDeclarationNode(YAML::Load("[1]"), "otelpack.yaml", "format", MapEnv({}));
  EXPECT_EQ(AllErrors(list), "otelpack.yaml:1:1: format: must be a mapping (key: value lines), not a list\n");
}

// --- limits ------------------------------------------------------------------

TEST(DeclarationLimitsTest, DocumentSize) {
  const std::string big = StrCat("framing: ndjson\n#", std::string(kMaxDeclarationBytes, 'x'), "\n");
  EXPECT_EQ(Errors(big), "format.yaml: is larger than 1MiB\n");
}

// An event whose innermost value is at `levels` (the event's object is 1).
std::string Nested(int levels) {
  std::string value = "1";
  for (int i = 1; i < levels; ++i) value = StrCat("{a: ", value, "}");
  return StrCat("traces:\n  path: /\n  event: ", value, "\n");
}

TEST(DeclarationLimitsTest, Depth) {
  ParsedDeclaration deepest = Parse(Nested(kMaxTemplateDepth + 1));  // 32 objects and a literal: 33 levels
  std::string key = "traces.event";
  for (int i = 0; i < kMaxTemplateDepth; ++i) key += ".a";
  EXPECT_EQ(AllErrors(deepest), StrCat("format.yaml:3:", 10 + 4 * kMaxTemplateDepth, ": ", key,
                                       ": nests deeper than 32 levels\n"));
  ParsedDeclaration ok = Parse(Nested(kMaxTemplateDepth));
  EXPECT_TRUE(ok.ok()) << AllErrors(ok);
  // Far deeper: YAML's own guard, or this one, but one error and no crash.
  ParsedDeclaration far = Parse(StrCat("traces:\n  path: /\n  event: ", std::string(100'000, '['), "\n"));
  EXPECT_EQ(far.errors.size(), 1u) << AllErrors(far);
}

// An event with a list of `items` literals: items + 2 template values.
std::string ListOf(std::size_t items) {
  std::string list;
  for (std::size_t i = 0; i < items; ++i) StrAppend(&list, i == 0 ? "" : ",", "1");
  return StrCat("traces:\n  path: /\n  event: {list: [", list, "]}\n");
}

TEST(DeclarationLimitsTest, TemplateValues) {
  ParsedDeclaration at_limit = Parse(ListOf(kMaxTemplateNodes - 2));
  EXPECT_TRUE(at_limit.ok()) << AllErrors(at_limit);
  ParsedDeclaration over = Parse(ListOf(kMaxTemplateNodes - 1));
  EXPECT_EQ(AllErrors(over), StrCat("format.yaml:3:", 18 + 2 * (kMaxTemplateNodes - 2), ": traces.event.list[",
                                    kMaxTemplateNodes - 2, "]: is past the limit of 10000 template values in a "
                                    "declaration\n"));
}

TEST(DeclarationLimitsTest, WideMappingsStayCheap) {
  // A megabyte of keys: 100,000 in one mapping. Looking for duplicates by a
  // scan per key took 23 s here; by a set, half a second.
  std::string event = "traces:\n  path: /\n  event: {";
  for (int i = 0; i < 100'000; ++i) {
    char hex[8];
    StrAppend(&event, i == 0 ? "" : ",", "k",
              std::string_view(hex, static_cast<std::size_t>(std::to_chars(hex, hex + 8, i, 16).ptr - hex)), ": 1");
  }
  event += "}\n";
  ASSERT_LE(event.size(), kMaxDeclarationBytes);
  const auto start = std::chrono::steady_clock::now();
  ParsedDeclaration wide = Parse(event);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(12));
  ASSERT_EQ(wide.errors.size(), 1u) << AllErrors(wide).substr(0, 1000);
  EXPECT_EQ(wide.errors[0].key, "traces.event.k270f");  // the 10,000th member, the 10,001st value
  EXPECT_EQ(wide.errors[0].message, "is past the limit of 10000 template values in a declaration");

  std::string headers = "headers:\n";
  for (int i = 0; i < 1000; ++i) StrAppend(&headers, "  h", i, ": 1\n");
  EXPECT_EQ(AllErrors(Parse(headers)), "format.yaml:2:3: headers: has 1000 headers; at most 100 are allowed\n");
  ParsedDeclaration hundred = Parse(headers.substr(0, headers.find("  h100:")));
  EXPECT_TRUE(hundred.ok()) << AllErrors(hundred);
}

TEST(DeclarationLimitsTest, AliasesCountAtEveryUse) {
  // 10^9 values once the aliases are expanded, in a few hundred bytes.
  std::string yaml = "traces:\n  path: /\n  event:\n    l0: &l0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n";
  for (int i = 1; i < 9; ++i) {
    StrAppend(&yaml, "    l", i, ": &l", i, " [");
    for (int j = 0; j < 10; ++j) StrAppend(&yaml, j == 0 ? "" : ", ", "*l", i - 1);
    yaml += "]\n";
  }
  const auto start = std::chrono::steady_clock::now();
  ParsedDeclaration p = Parse(yaml);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(p.errors.size(), 1u) << AllErrors(p);
  EXPECT_NE(p.errors[0].message.find("is past the limit of 10000 template values"), std::string::npos);
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(DeclarationLimitsTest, AliasesCannotMultiplyMistakes) {
  // 300 mistaken keys, the mapping used 301 times: 90,300 mistakes from 4 KiB.
  std::string keys;
  for (int i = 0; i < 300; ++i) StrAppend(&keys, i == 0 ? "" : ", ", "$k", i, ": 1");
  std::string aliases;
  for (int i = 0; i < 300; ++i) StrAppend(&aliases, i == 0 ? "" : ", ", "*a");
  ParsedDeclaration p = Parse(Event(StrCat("    a: &a {", keys, "}\n    b: [", aliases, "]\n")));
  ASSERT_EQ(p.errors.size(), kMaxErrors + 1);
  EXPECT_EQ(FormatError("format.yaml", p.errors[0]),
            "format.yaml:4:12: traces.event.a.$k0: is not a template key ($each, $item or $flatten); for a literal "
            "key write $$k0");
  EXPECT_EQ(FormatError("format.yaml", p.errors.back()),
            "format.yaml: has more mistakes than these 100; reading stopped there");
}

TEST(DeclarationLimitsTest, AliasesCannotMultiplyBytes) {
  // 100 KiB written once, read 200 times: 20 MiB of tree from 100 KiB.
  std::string aliases;
  for (int i = 0; i < 200; ++i) StrAppend(&aliases, i == 0 ? "" : ", ", "*s");
  ParsedDeclaration p =
      Parse(Event(StrCat("    s: &s ", std::string(100 << 10, 'x'), "\n    list: [", aliases, "]\n")));
  // 16 MiB holds it (and its key) 163 times: s and list[0..161]; list[162] is refused.
  EXPECT_EQ(AllErrors(p), "format.yaml:4:8: traces.event.list[162]: is past the limit of 16MiB of keys and values "
                          "read (YAML aliases count at every use)\n");
}

}  // namespace
}  // namespace otelpack::format::declared
