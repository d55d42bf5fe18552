// The encoders' promise that nothing is allocated per record: once an
// encoder and its output buffer have seen a batch, encoding it again — or
// another batch of the same shape — makes no call to operator new.
//
// This file replaces the global operator new of the test binary with one
// that counts calls while a test asks it to.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "format/declared/builtin.h"
#include "format/declared/compile.h"
#include "format/envelope.h"
#include "format/log_encoder.h"
#include "format/metric_encoder.h"
#include "format/span_encoder.h"
#include "format/testing/sample_formats.h"
#include "format/testing/sample_signals.h"
#include "format/testing/whole_body.h"
#include "loadgen/loadgen.h"

namespace {

std::atomic<bool> counting{false};
std::atomic<long> allocations{0};

void* Allocate(std::size_t n) noexcept {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}

void* AllocateOrThrow(std::size_t n) {
  if (void* p = Allocate(n)) return p;
  throw std::bad_alloc();
}

}  // namespace

// Every form that pairs with a plain delete is replaced, so that a sanitizer
// never sees one side of a pair from here and the other from its own.
void* operator new(std::size_t n) { return AllocateOrThrow(n); }
void* operator new[](std::size_t n) { return AllocateOrThrow(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return Allocate(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return Allocate(n); }
// GCC cannot see that these operators new are malloc, and takes free here
// for a mismatch.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace otelpack {
namespace {

// The calls to operator new while encoding `data` into a warm body: the
// encoder and the body have encoded `warm_up` first.
template <typename View>
long AllocationsWhileEncoding(SignalEncoder<View>& encoder, View warm_up, View data) {
  const Envelope envelope = Envelope::ForProject("prod-main");
  testing::WholeBody whole(envelope);
  Buffer body;
  whole.Encode(encoder, warm_up, &body);
  body.Reserve(body.capacity() * 2);  // a later batch may be somewhat larger
  allocations = 0;
  counting = true;
  whole.Encode(encoder, data, &body);
  counting = false;
  EXPECT_GT(whole.events(), 0u);
  return allocations.load();
}

// With and without the optional pieces, which are copied per record too.
template <typename Encoder, typename Sample>
void ExpectNoAllocationPerRecord() {
  for (ExtraFields extra : {ExtraFields{}, ExtraFields{.resource = true, .scope = true}}) {
    Sample first(1), second(2);
    Encoder encoder(extra);
    EXPECT_EQ(AllocationsWhileEncoding(encoder, first.Next(2000), second.Next(2000)), 0);
  }
}

TEST(EncoderAllocationTest, LogsAllocateNothingPerRecord) {
  ExpectNoAllocationPerRecord<LogEncoder, testing::SampleLogs>();
}

TEST(EncoderAllocationTest, MetricsAllocateNothingPerPoint) {
  ExpectNoAllocationPerRecord<MetricEncoder, testing::SampleMetrics>();
}

TEST(EncoderAllocationTest, SpansAllocateNothingPerSpan) {
  loadgen::GeneratorOptions a, b;
  b.seed = 7;
  loadgen::SpanGenerator first(a), second(b);
  SpanEncoder enc(ExtraFields{true, true, true, true, true, true});
  EXPECT_EQ(AllocationsWhileEncoding(enc, first.Next(2000), second.Next(2000)), 0);
}

// Declared formats: the built-in one with every optional piece, and the
// samples whose conversions write through scratch buffers (JSON in strings,
// strings maps, flattened maps, picks).
std::shared_ptr<const format::declared::CompiledFormat> Compiled(const format::declared::Declaration& d) {
  format::declared::CompileResult r = format::declared::Compile(d, {.project_id = "p"});
  EXPECT_TRUE(r.ok());
  return r.format;
}

TEST(EncoderAllocationTest, DeclaredFormatsAllocateNothingPerRecord) {
  const ExtraFields all{true, true, true, true, true, true};
  for (const format::declared::Declaration& d :
       {format::declared::BuiltinDeclaration(all), testing::FlatNdjsonDeclaration(), testing::HeavyDeclaration()}) {
    SCOPED_TRACE(d.source);
    auto f = Compiled(d);
    ASSERT_NE(f, nullptr);
    loadgen::GeneratorOptions a, b;
    b.seed = 7;
    b.all_value_types = true;
    loadgen::SpanGenerator first(a), second(b);
    std::unique_ptr<TracesEncoder> spans = f->NewTracesEncoder();
    EXPECT_EQ(AllocationsWhileEncoding(*spans, first.Next(2000), second.Next(2000)), 0);
  }
  auto f = Compiled(format::declared::BuiltinDeclaration(all));
  testing::SampleLogs logs_a(1), logs_b(2);
  std::unique_ptr<LogsEncoder> logs = f->NewLogsEncoder();
  EXPECT_EQ(AllocationsWhileEncoding(*logs, logs_a.Next(2000), logs_b.Next(2000)), 0);
  testing::SampleMetrics metrics_a(1), metrics_b(2);
  std::unique_ptr<MetricsEncoder> metrics = f->NewMetricsEncoder();
  EXPECT_EQ(AllocationsWhileEncoding(*metrics, metrics_a.Next(2000), metrics_b.Next(2000)), 0);
}

TEST(EncoderAllocationTest, TheCounterSeesAllocations) {
  allocations = 0;
  counting = true;
  Buffer grown;
  grown.Reserve(1000);
  counting = false;
  grown.Append("x");
  EXPECT_EQ(grown.view(), "x");
  EXPECT_EQ(allocations.load(), 1);
}

}  // namespace
}  // namespace otelpack
