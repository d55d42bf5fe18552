// What the agent's configuration and declared formats (src/format/declared)
// both need from yaml-cpp beyond its API: the words for a node's kind in
// messages, and a document loaded without LoadAll's endless loop.
// Header-only: both of them link yaml-cpp, config_values does not.
#ifndef OTELPACK_CONFIG_YAML_UTIL_H_
#define OTELPACK_CONFIG_YAML_UTIL_H_

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace otelpack::config {

// "a mapping", "a list", "empty", "a single value", for "must be X, not Y".
inline std::string_view YamlTypeName(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  if (node.IsNull()) return "empty";
  return "a single value";
}

struct FirstYamlDocument {
  YAML::Node root;                   // null for an empty text
  std::optional<YAML::Mark> second;  // where a second document's content starts, when there is one
};

// The first document of `text`, and whether another follows. Instead of
// YAML::LoadAll, which yaml-cpp 0.7 never returns from on some inputs: a
// lone "," reads as an endless run of empty documents, until memory runs
// out. Throws YAML::Exception on a syntax error, as YAML::Load does.
inline FirstYamlDocument LoadFirstYamlDocument(const std::string& text) {
  // Where each document's root is (as YAML::Node::Mark says), from a pass
  // of events that stops at the second document.
  class DocumentRoots final : public YAML::EventHandler {
   public:
    std::vector<YAML::Mark> roots;
    void OnDocumentStart(const YAML::Mark&) override { in_root_ = false; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { Node(mark); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { Node(mark); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
      Node(mark);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {
      Node(mark);
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
      Node(mark);
    }
    void OnMapEnd() override {}

   private:
    void Node(const YAML::Mark& mark) {
      if (!in_root_) roots.push_back(mark);
      in_root_ = true;
    }
    bool in_root_ = false;
  };
  FirstYamlDocument out;
  out.root = YAML::Load(text);
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentRoots documents;
  int count = 0;
  while (count < 2 && parser.HandleNextDocument(documents)) ++count;
  if (count > 1) out.second = documents.roots.size() > 1 ? documents.roots[1] : YAML::Mark::null_mark();
  return out;
}

}  // namespace otelpack::config

#endif  // OTELPACK_CONFIG_YAML_UTIL_H_
