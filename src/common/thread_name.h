// Names a thread, so that `top -H`, perf, gdb and /proc show what each of
// otelpack's threads does ("otelpack-batch", "otelpack-send0"...). `otelpack
// bench` adds up the agent's CPU time by these names.
#ifndef OTELPACK_COMMON_THREAD_NAME_H_
#define OTELPACK_COMMON_THREAD_NAME_H_

#include <string_view>
#include <thread>

namespace otelpack {

// Called by the thread's creator, so that the name is set once the call
// returns. Linux keeps 15 bytes of a name: longer names are cut there.
void NameThread(std::thread& thread, std::string_view name);

}  // namespace otelpack

#endif  // OTELPACK_COMMON_THREAD_NAME_H_
