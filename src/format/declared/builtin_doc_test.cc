// docs/formats.md shows the built-in format as a declaration. That text must
// not drift from what otelpack does: parsed and compiled like any user's
// declaration, it must write exactly what the hand-written encoders write
// (body for body, for every signal), to the same paths with the same headers.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "config/values.h"
#include "format/declared/compile.h"
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

}  // namespace
}  // namespace otelpack::format::declared
