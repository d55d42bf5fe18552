#include "otelpack/arena.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "otelpack/buffer.h"
#include "otelpack/model.h"

namespace otelpack {
namespace {

TEST(ArenaTest, CopiesOutliveTheSource) {
  Arena arena(64);
  std::string_view kept;
  {
    std::string source = "a string that is longer than one tiny block of the arena";
    kept = arena.Copy(source);
  }
  EXPECT_EQ(kept, "a string that is longer than one tiny block of the arena");
  EXPECT_TRUE(arena.Copy("").empty());
}

TEST(ArenaTest, MakeAlignsAndValueInitialises) {
  Arena arena(128);
  arena.Copy("x");  // misalign the cursor
  std::span<KeyValue> kvs = arena.Make<KeyValue>(10);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(kvs.data()) % alignof(KeyValue), 0u);
  for (const KeyValue& kv : kvs) {
    EXPECT_TRUE(kv.key.empty());
    EXPECT_EQ(kv.value.type(), ValueType::kEmpty);
  }
}

TEST(ArenaTest, ResetReusesTheFirstBlock) {
  Arena arena(1024);
  for (int i = 0; i < 100; ++i) arena.Copy(std::string(100, 'x'));
  EXPECT_GT(arena.bytes_reserved(), 1024u);
  arena.Reset();
  EXPECT_EQ(arena.bytes_reserved(), 1024u);
  std::string_view s = arena.Copy("after reset");
  EXPECT_EQ(s, "after reset");
}

TEST(ModelTest, AnyValueHoldsEveryType) {
  AnyValue items[] = {AnyValue::Int(-1), AnyValue::Bool(true)};
  KeyValue nested[] = {{"k", AnyValue::Double(1.5)}};
  EXPECT_EQ(AnyValue::String("s").string_value(), "s");
  EXPECT_EQ(AnyValue::Bytes(std::string_view("\0\1", 2)).string_value().size(), 2u);
  EXPECT_EQ(AnyValue::Array(items).array_value()[0].int_value(), -1);
  EXPECT_EQ(AnyValue::KvList(nested).kvlist_value()[0].value.double_value(), 1.5);
  EXPECT_EQ(AnyValue().type(), ValueType::kEmpty);
  static_assert(sizeof(AnyValue) <= 24);
}

TEST(BufferTest, GrowsWithoutLosingBytes) {
  Buffer b;
  for (int i = 0; i < 10000; ++i) b.Append(static_cast<char>('a' + i % 26));
  ASSERT_EQ(b.size(), 10000u);
  EXPECT_EQ(b.view()[27], 'b');
  std::size_t cap = b.capacity();
  b.Clear();
  EXPECT_EQ(b.capacity(), cap);
  char* p = b.ReserveAppend(5);
  std::memcpy(p, "hello", 5);
  b.Commit(5);
  EXPECT_EQ(b.view(), "hello");
  Buffer copy = b;
  EXPECT_EQ(copy.view(), "hello");
}

}  // namespace
}  // namespace otelpack
