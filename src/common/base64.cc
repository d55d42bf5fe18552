// Base64 encoding, standard alphabet with padding (see base64.h).
#include "common/base64.h"

namespace otelpack {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

char* Base64EncodeTo(std::string_view data, char* out) {
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    unsigned v = (unsigned{in[i]} << 16) | (unsigned{in[i + 1]} << 8) | in[i + 2];
    *out++ = kAlphabet[(v >> 18) & 63];
    *out++ = kAlphabet[(v >> 12) & 63];
    *out++ = kAlphabet[(v >> 6) & 63];
    *out++ = kAlphabet[v & 63];
  }
  if (std::size_t rest = n - i; rest > 0) {
    unsigned v = unsigned{in[i]} << 16;
    if (rest == 2) v |= unsigned{in[i + 1]} << 8;
    *out++ = kAlphabet[(v >> 18) & 63];
    *out++ = kAlphabet[(v >> 12) & 63];
    *out++ = rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    *out++ = '=';
  }
  return out;
}

void Base64Append(std::string_view data, std::string* out) {
  std::size_t old_size = out->size();
  out->resize(old_size + Base64EncodedSize(data.size()));
  Base64EncodeTo(data, out->data() + old_size);
}

}  // namespace otelpack
