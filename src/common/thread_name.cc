#include "common/thread_name.h"

#include <pthread.h>

#include <string>

namespace otelpack {

void NameThread(std::thread& thread, std::string_view name) {
  constexpr std::size_t kMaxName = 15;  // TASK_COMM_LEN - 1
  const std::string cut(name.substr(0, kMaxName));
  pthread_setname_np(thread.native_handle(), cut.c_str());  // fails only on a name too long
}

}  // namespace otelpack
