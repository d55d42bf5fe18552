// How a YAML node's kind is named in messages ("must be a duration, not a
// list"): the same words in the agent's configuration and in declared
// formats. Header-only: both of them link yaml-cpp, config_values does not.
#ifndef OTELPACK_CONFIG_YAML_TYPE_NAME_H_
#define OTELPACK_CONFIG_YAML_TYPE_NAME_H_

#include <yaml-cpp/yaml.h>

#include <string_view>

namespace otelpack::config {

inline std::string_view YamlTypeName(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  if (node.IsNull()) return "empty";
  return "a single value";
}

}  // namespace otelpack::config

#endif  // OTELPACK_CONFIG_YAML_TYPE_NAME_H_
