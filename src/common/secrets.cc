// The process's registry of secrets, and masking them in text.
#include "common/secrets.h"

#include <pthread.h>

#include <algorithm>
#include <mutex>
#include <vector>

namespace otelpack {
namespace {

// Bounds the registry: a program that creates exporters in a loop with
// fresh credentials must not grow it forever. Past it the oldest go.
constexpr std::size_t kMaxSecrets = 256;

struct Registry {
  std::mutex mu;
  std::vector<std::string> secrets;  // oldest first; guarded by mu
};

Registry& TheRegistry() {
  static Registry* registry = [] {
    auto* r = new Registry();  // never destroyed: logging may run at exit
    // A fork while another thread holds mu (a pre-forking server whose
    // exporter is logging) would leave the child's copy locked for ever:
    // the forking thread holds it across fork, and both sides release it.
    pthread_atfork([] { TheRegistry().mu.lock(); }, [] { TheRegistry().mu.unlock(); },
                   [] { TheRegistry().mu.unlock(); });
    return r;
  }();
  return *registry;
}

}  // namespace

void RegisterSecret(std::string_view secret) {
  if (secret.size() < kMinSecretBytes) return;
  Registry& r = TheRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  if (std::find(r.secrets.begin(), r.secrets.end(), secret) != r.secrets.end()) return;
  if (r.secrets.size() >= kMaxSecrets) r.secrets.erase(r.secrets.begin());
  r.secrets.emplace_back(secret);
}

std::string RedactSecrets(std::string_view text) {
  std::string out(text);
  Registry& r = TheRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  std::vector<const std::string*> longest_first;
  for (const std::string& secret : r.secrets) {
    if (out.find(secret) != std::string::npos) longest_first.push_back(&secret);
  }
  std::sort(longest_first.begin(), longest_first.end(),
            [](const std::string* a, const std::string* b) { return a->size() > b->size(); });
  for (const std::string* s : longest_first) {
    const std::string& secret = *s;
    for (std::size_t at = out.find(secret); at != std::string::npos; at = out.find(secret, at + 3)) {
      out.replace(at, secret.size(), "***");
    }
  }
  return out;
}

}  // namespace otelpack
