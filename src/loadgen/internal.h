// Loadgen internals: the random source and the canned vocabulary (names,
// error messages, stack traces) the generator draws from.
#ifndef OTELPACK_LOADGEN_INTERNAL_H_
#define OTELPACK_LOADGEN_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <string_view>

namespace otelpack::loadgen::internal {

// xoshiro256** seeded through splitmix64: fast, and identical on every
// platform (unlike the <random> distributions), which the determinism
// promise needs.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (std::uint64_t& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }

  std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n); the modulo bias is irrelevant for test data.
  std::uint64_t Below(std::uint64_t n) { return n == 0 ? 0 : Next() % n; }
  // Uniform in [lo, hi].
  int Between(int lo, int hi) { return lo + static_cast<int>(Below(static_cast<std::uint64_t>(hi - lo) + 1)); }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  // A uniformly chosen element of a non-empty array or span.
  template <typename C>
  const auto& Pick(const C& items) { return items[Below(std::size(items))]; }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

enum class Language : std::uint8_t { kJava, kPython, kGo };

// What an operation does; decides its span kind, scope and attributes.
enum class OpKind : std::uint8_t { kServer, kHttpClient, kDb, kCache, kProducer, kConsumer, kInternal };

// Vocabulary (stable storage: the arrays are static).
std::span<const std::string_view> ServiceNames();   // 20 names
std::span<const std::string_view> ResourceNouns();  // "orders", "users", ...
std::span<const std::string_view> DbTables();
std::span<const std::string_view> UserAgents();
std::span<const std::string_view> ClassNames();     // "OrderService", ...
std::span<const std::string_view> MethodNames();    // "placeOrder", ...

// An exception as the "exception" event describes it.
struct ExceptionText {
  std::string_view type;
  std::string_view message;
};
ExceptionText PickException(Language lang, Rng& rng);

// Replaces *out with a stack trace in the style of `lang` for `exc`, between
// 1050 and 2200 bytes long. `service` names the application's own packages.
void MakeStackTrace(Language lang, const ExceptionText& exc, std::string_view service, Rng& rng,
                    std::string* out);

}  // namespace otelpack::loadgen::internal

#endif  // OTELPACK_LOADGEN_INTERNAL_H_
