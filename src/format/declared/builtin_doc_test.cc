// docs/formats.md shows the built-in format as a declaration. That text must
// not drift from what otelpack does: parsed and compiled like any user's
// declaration, it must write exactly what the hand-written encoders write
// (body for body, for every signal), to the same paths with the same headers.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>

#include "config/values.h"
#include "format/declared/builtin.h"
#include "format/declared/compile.h"
#include "format/declared/declared_encoder.h"
#include "format/envelope.h"
#include "format/log_encoder.h"
#include "format/metric_encoder.h"
#include "format/span_encoder.h"
#include "format/testing/whole_body.h"
#include "loadgen/loadgen.h"
#include "loadgen/signals.h"
#include "otelpack/format.h"

namespace otelpack::format::declared {
namespace {

// The first ```yaml block under "## The built-in format".
std::string DocumentedBuiltIn() {
  Result<std::string> doc = config::ReadFileUpTo(OTELPACK_FORMATS_DOC, 1 << 20);
  EXPECT_TRUE(doc.ok()) << OTELPACK_FORMATS_DOC;
  if (!doc.ok()) return "";
  const std::size_t section = doc->find("\n## The built-in format\n");
  const std::size_t start = doc->find("```yaml\n", section);
  const std::size_t end = doc->find("```", start + 8);
  EXPECT_NE(section, std::string::npos) << "docs/formats.md has no \"## The built-in format\"";
  if (section == std::string::npos || start == std::string::npos || end == std::string::npos) return "";
  return doc->substr(start + 8, end - start - 8);
}

template <typename View>
void ExpectSameBody(SignalEncoder<View>& hand, SignalEncoder<View>& declared, const Envelope& envelope, View data) {
  const Envelope article = Envelope::ForProject("prod-main");
  testing::WholeBody hand_body(article), declared_body(envelope);
  Buffer a, b;
  hand_body.Encode(hand, data, &a);
  declared_body.Encode(declared, data, &b);
  ASSERT_GT(hand_body.events(), 0u);
  EXPECT_EQ(a.view(), b.view());
}

TEST(BuiltinDocTest, TheDocumentedDeclarationWritesWhatTheHandWrittenEncodersWrite) {
  const std::string yaml = DocumentedBuiltIn();
  ASSERT_FALSE(yaml.empty());
  Result<std::shared_ptr<const Format>> format = Format::Parse(yaml, "docs/formats.md");
  ASSERT_TRUE(format.ok()) << format.status().message();
  CompileResult compiled = Compile((*format)->declaration(), {.project_id = "prod-main"});
  ASSERT_TRUE(compiled.ok()) << DeclarationErrorsStatus("docs/formats.md", compiled.errors).ToString();
  const CompiledFormat& f = *compiled.format;

  for (Signal s : kAllSignals) EXPECT_EQ(f.path(s), "/v1/ingest");
  EXPECT_EQ(f.content_type(), "application/json");
  ASSERT_EQ(f.headers().size(), 1u);
  EXPECT_EQ(f.headers()[0].name, "X-Project-ID");
  EXPECT_EQ(f.headers()[0].value, "prod-main");

  loadgen::GeneratorOptions odd;
  odd.all_value_types = true;
  loadgen::SpanGenerator spans(odd);
  loadgen::LogGenerator logs;
  loadgen::MetricGenerator metrics;
  SpanEncoder span_encoder;
  LogEncoder log_encoder;
  MetricEncoder metric_encoder;
  ExpectSameBody<TracesView>(span_encoder, *f.NewTracesEncoder(), f.envelope(), spans.Next(500));
  ExpectSameBody<LogsView>(log_encoder, *f.NewLogsEncoder(), f.envelope(), logs.Next(500));
  ExpectSameBody<MetricsView>(metric_encoder, *f.NewMetricsEncoder(), f.envelope(), metrics.Next(500));
}

// `from` replaced by `to` everywhere in `text`.
std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

TEST(BuiltinDocTest, TheArticlesEventRunsShapedUnderAnyKeyNames) {
  // The shaped runner (shape.h) is chosen by the plan's op codes, not by
  // its texts: the article's event with other key names runs it too, and
  // writes what the hand-written encoder writes under those names.
  const std::string yaml = DocumentedBuiltIn();
  ASSERT_NE(yaml.find("span_id: $span_id"), std::string::npos);
  ASSERT_NE(yaml.find("status_message: $status_message"), std::string::npos);
  std::string renamed = ReplaceAll(yaml, "span_id: $span_id", "SpanID: $span_id");
  renamed = ReplaceAll(renamed, "status_message: $status_message", "msg: $status_message");
  Result<std::shared_ptr<const Format>> format = Format::Parse(renamed, "renamed.yaml");
  ASSERT_TRUE(format.ok()) << format.status().message();
  CompileResult compiled = Compile((*format)->declaration(), {.project_id = "prod-main"});
  ASSERT_TRUE(compiled.ok()) << DeclarationErrorsStatus("renamed.yaml", compiled.errors).ToString();
  const CompiledFormat& f = *compiled.format;
  EXPECT_TRUE(RunsShaped(f.traces_plan()));

  loadgen::SpanGenerator spans;
  const TracesView data = spans.Next(300);
  SpanEncoder hand;
  const Envelope article = Envelope::ForProject("prod-main");
  testing::WholeBody hand_body(article), declared_body(f.envelope());
  Buffer a, b;
  hand_body.Encode(hand, data, &a);
  declared_body.Encode(*f.NewTracesEncoder(), data, &b);
  std::string expected = ReplaceAll(std::string(a.view()), "\"span_id\":", "\"SpanID\":");
  expected = ReplaceAll(expected, "\"status_message\":", "\"msg\":");
  ASSERT_NE(expected, a.view());
  const std::string_view got = b.view();
  const std::size_t at = static_cast<std::size_t>(
      std::mismatch(expected.begin(), expected.end(), got.begin(), got.end()).first - expected.begin());
  EXPECT_EQ(expected.size(), got.size());
  EXPECT_EQ(at, expected.size()) << "first difference at byte " << at << ": " << got.substr(at, 80);
}

TEST(BuiltinDocTest, OnlyTheArticlesShapeRunsShaped) {
  // Every other declaration runs the dispatching runner: the built-in one
  // with extra fields, and the documented one with a field taken out.
  EXPECT_TRUE(RunsShaped(Compile(BuiltinDeclaration({}), {.project_id = "p"}).format->traces_plan()));
  const ExtraFields kind{.kind = true};
  EXPECT_FALSE(RunsShaped(Compile(BuiltinDeclaration(kind), {.project_id = "p"}).format->traces_plan()));
  const std::string yaml = ReplaceAll(DocumentedBuiltIn(), "    duration_ms: $duration | ms(decimals=3)\n", "");
  ASSERT_NE(yaml, DocumentedBuiltIn());
  Result<std::shared_ptr<const Format>> format = Format::Parse(yaml, "fewer.yaml");
  ASSERT_TRUE(format.ok()) << format.status().message();
  CompileResult compiled = Compile((*format)->declaration(), {.project_id = "p"});
  ASSERT_TRUE(compiled.ok());
  EXPECT_FALSE(RunsShaped(compiled.format->traces_plan()));
}

}  // namespace
}  // namespace otelpack::format::declared
