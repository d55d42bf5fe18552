// Declarations built in code: small helpers that make the nodes of
// declaration.h, for the built-in format (builtin.cc), tests and benchmarks,
// so that a declaration needs no YAML where there is no file.
//
//   Object({{"ts", Ref("start_time", {Conv("unix_s", {Arg("decimals", Int(3))})})},
//           {"name", Ref("name")},
//           {"events", Each("events", Object({{"n", Ref("name")}}))}})
#ifndef OTELPACK_FORMAT_DECLARED_BUILD_H_
#define OTELPACK_FORMAT_DECLARED_BUILD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "format/declared/declaration.h"

namespace otelpack::format::declared::build {

Literal Str(std::string s);
Literal Int(std::int64_t v);
Literal Dbl(double v);
Literal Bool(bool v);
Literal Null();

// `name=value`; an empty name for an unnamed argument.
Argument Arg(std::string name, Literal value);
Conversion Conv(std::string name, std::vector<Argument> arguments = {});

// A literal value.
Template Lit(Literal value);
inline Template Text(std::string s) { return Lit(Str(std::move(s))); }

// `$a.b | conv | ...`, the path given dotted ("resource.attributes").
Reference MakeReference(const std::string& dotted, std::vector<Conversion> conversions = {},
                        std::optional<std::string> key = std::nullopt);
Template Ref(const std::string& dotted, std::vector<Conversion> conversions = {});
// `$a["key"] | conv ...`: one attribute picked from the map `dotted`.
Template Pick(const std::string& dotted, std::string key, std::vector<Conversion> conversions = {});

Template Object(std::vector<std::pair<std::string, Template>> members);
Template Array(std::vector<Template> items);
// {$each: $list, $item: item}
Template Each(const std::string& list, Template item, std::vector<Conversion> conversions = {});

// Appends a member to an object template.
void Add(Template* object, std::string key, Template value);
// Appends `$flatten: {from: $map, prefix, include, exclude}`.
void AddFlatten(Template* object, const std::string& map, std::string prefix = "",
                std::vector<std::string> include = {}, std::vector<std::string> exclude = {},
                std::vector<Conversion> conversions = {});

SignalFormat SignalAt(std::string path, Template event);

}  // namespace otelpack::format::declared::build

#endif  // OTELPACK_FORMAT_DECLARED_BUILD_H_
