# The installed package, used for real (CTest test install_consumer):
#  1. `cmake --install` into a fresh prefix.
#  2. A program that links only otelpack::exporter configures, builds and runs
#     where none of the other components' dependencies can be found:
#     find_package(Protobuf, simdjson, SQLite3, gRPC, opentelemetry-cpp)
#     are disabled (CMAKE_DISABLE_FIND_PACKAGE_*) and pkg-config sees only
#     libzstd, liblz4 and libdeflate (PKG_CONFIG_LIBDIR).
#  3. In that same environment COMPONENTS agent and sink fail, naming what they
#     need (so the environment does hide them, and they are asked for only then).
#  4. In the ordinary environment COMPONENTS sink agent are found; with the SDK,
#     examples/otel_sdk builds against the installed otel components.
#  5. COMPONENTS otel says why it cannot be had: the SDK not found here, or
#     (on a copy of the package as a build without the SDK writes it) not built.
#
#   cmake -DBUILD_DIR=... -DWORK_DIR=... -DSOURCE_DIR=... -DGENERATOR=... -DCXX=...
#         [-DCXX_FLAGS=-fsanitize=...] [-DOTEL_SDK_DIR=...] -P cmake/install_test.cmake
cmake_minimum_required(VERSION 3.25)

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(check result output what)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${what} failed (${result}):\n${output}")
  endif()
endfunction()

# Runs a command with the output captured; sets <out>_result and <out>_output.
function(run out)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  set(${out}_result "${result}" PARENT_SCOPE)
  set(${out}_output "${output}" PARENT_SCOPE)
endfunction()

# 1. Install.
run(install ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
check("${install_result}" "${install_output}" "cmake --install")

# Consumer projects: consumer(NAME CMAKELISTS-BODY) writes one with a main.cc.
set(main_cc [=[
// Links otelpack::exporter only: creates an exporter and shuts it down.
#include <cstdio>
#include "otelpack/exporter.h"
int main() {
  otelpack::ExporterOptions options;
  options.endpoint = "http://127.0.0.1:9";  // never reached: nothing is exported
  options.project_id = "consumer";
  options.auth.api_key = "key";
  auto exporter = otelpack::Exporter::Create(options);
  if (!exporter.ok()) {
    std::printf("consumer: %s\n", exporter.status().ToString().c_str());
    return 1;
  }
  const bool ok = (*exporter)->Shutdown(std::chrono::milliseconds(100)).ok();
  std::printf("consumer: exporter created and shut down: %s\n", ok ? "ok" : "not ok");
  return ok ? 0 : 1;
}
]=])
function(consumer name body)
  file(WRITE ${WORK_DIR}/${name}/CMakeLists.txt
    "cmake_minimum_required(VERSION 3.25)\nproject(${name} CXX)\nset(CMAKE_CXX_STANDARD 20)\n${body}\n")
  file(WRITE ${WORK_DIR}/${name}/main.cc "${main_cc}")
endfunction()

# Configures consumer `name` (extra cmake arguments after it); sets
# configure_result and configure_output.
function(configure name)
  run(configure ${CMAKE_COMMAND} -S ${WORK_DIR}/${name} -B ${WORK_DIR}/${name}/build -G ${GENERATOR}
      -DCMAKE_CXX_COMPILER=${CXX} "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${CXX_FLAGS}"
      ${ARGN})
  set(configure_result "${configure_result}" PARENT_SCOPE)
  set(configure_output "${configure_output}" PARENT_SCOPE)
endfunction()

function(expect_failure_saying what)
  if(configure_result EQUAL 0)
    message(FATAL_ERROR "${what}: configured, but it should have failed:\n${configure_output}")
  endif()
  foreach(text IN LISTS ARGN)
    string(FIND "${configure_output}" "${text}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${what}: the message does not say \"${text}\":\n${configure_output}")
    endif()
  endforeach()
  message(STATUS "${what}: fails as it should")
endfunction()

# The hidden environment: only the core's pkg-config modules, the other
# components' packages disabled.
set(pc_dir ${WORK_DIR}/pkgconfig)
file(MAKE_DIRECTORY ${pc_dir})
foreach(module libzstd liblz4 libdeflate)
  run(pc pkg-config --variable=pcfiledir ${module})
  check("${pc_result}" "${pc_output}" "pkg-config ${module}")
  string(STRIP "${pc_output}" pc_path)
  file(COPY ${pc_path}/${module}.pc DESTINATION ${pc_dir})
endforeach()
set(ENV{PKG_CONFIG_LIBDIR} ${pc_dir})
set(ENV{PKG_CONFIG_PATH} "")
set(hidden -DCMAKE_PREFIX_PATH=${prefix})
foreach(package Protobuf simdjson SQLite3 gRPC opentelemetry-cpp CLI11 GTest benchmark)
  list(APPEND hidden -DCMAKE_DISABLE_FIND_PACKAGE_${package}=ON)
endforeach()

# 2. The exporter alone.
consumer(exporter_only [=[
find_package(otelpack CONFIG REQUIRED)
foreach(target http sink agent otlp otel)
  if(TARGET otelpack::${target})
    message(FATAL_ERROR "find_package(otelpack) defined otelpack::${target}")
  endif()
endforeach()
add_executable(consumer main.cc)
target_link_libraries(consumer PRIVATE otelpack::exporter)
]=])
configure(exporter_only ${hidden})
check("${configure_result}" "${configure_output}" "configuring a program that links otelpack::exporter alone")
run(build ${CMAKE_COMMAND} --build ${WORK_DIR}/exporter_only/build)
check("${build_result}" "${build_output}" "building it")
run(consumer ${WORK_DIR}/exporter_only/build/consumer)
check("${consumer_result}" "${consumer_output}" "running it")
message(STATUS "the exporter alone, without the other components' dependencies: ${consumer_output}")

# 3. The components that need what is hidden.
consumer(agent_hidden "find_package(otelpack CONFIG REQUIRED COMPONENTS agent)")
configure(agent_hidden ${hidden})
expect_failure_saying("COMPONENTS agent without its dependencies"
  "component agent: needs libmicrohttpd (pkg-config), gnutls (pkg-config), simdjson (find_package), Protobuf (find_package), "
  "grpc++ (pkg-config), not found here")
consumer(sink_hidden "find_package(otelpack CONFIG REQUIRED COMPONENTS sink)")
configure(sink_hidden ${hidden})
expect_failure_saying("COMPONENTS sink without its dependencies"
  "component sink: needs libmicrohttpd (pkg-config), gnutls (pkg-config), simdjson (find_package), SQLite3 (find_package), not found here")
consumer(unknown "find_package(otelpack CONFIG REQUIRED COMPONENTS agnet)")
configure(unknown ${hidden})
expect_failure_saying("an unknown component" "component agnet: no such component; otelpack has sink, agent")
unset(ENV{PKG_CONFIG_LIBDIR})
unset(ENV{PKG_CONFIG_PATH})

# 4. The ordinary environment: every component this build has.
consumer(components [=[
find_package(otelpack CONFIG REQUIRED COMPONENTS sink agent)
foreach(target sink agent receiver config)
  if(NOT TARGET otelpack::${target})
    message(FATAL_ERROR "COMPONENTS sink agent did not define otelpack::${target}")
  endif()
endforeach()
]=])
configure(components -DCMAKE_PREFIX_PATH=${prefix})
check("${configure_result}" "${configure_output}" "COMPONENTS sink agent")
message(STATUS "COMPONENTS sink agent: found")

if(OTEL_SDK_DIR)
  run(configure ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/otel_sdk -B ${WORK_DIR}/otel_example -G ${GENERATOR}
      -DCMAKE_CXX_COMPILER=${CXX} "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${CXX_FLAGS}"
      -DCMAKE_PREFIX_PATH=${prefix} -Dopentelemetry-cpp_DIR=${OTEL_SDK_DIR})
  check("${configure_result}" "${configure_output}" "configuring examples/otel_sdk against the install")
  run(build ${CMAKE_COMMAND} --build ${WORK_DIR}/otel_example)
  check("${build_result}" "${build_output}" "building examples/otel_sdk against the install")
  message(STATUS "examples/otel_sdk: built against the installed otel, otel_logs and otel_metrics")

  # 5a. The SDK not found where the program is configured.
  consumer(otel_no_sdk "find_package(otelpack CONFIG REQUIRED COMPONENTS otel)")
  configure(otel_no_sdk -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_DISABLE_FIND_PACKAGE_opentelemetry-cpp=ON)
  expect_failure_saying("COMPONENTS otel without the SDK" "component otel: needs opentelemetry-cpp"
                        "add its install prefix to CMAKE_PREFIX_PATH")
endif()

# 5b. A package as a build without the SDK installs it: no otel targets file,
# and otelpackComponents.cmake as src/otel/CMakeLists.txt has it written.
set(bare ${WORK_DIR}/bare)
file(MAKE_DIRECTORY ${bare}/lib)
file(CREATE_LINK ${prefix}/include ${bare}/include SYMBOLIC)
file(GLOB libraries ${prefix}/lib/*.a)
foreach(library IN LISTS libraries)
  get_filename_component(library_name ${library} NAME)
  file(CREATE_LINK ${library} ${bare}/lib/${library_name} SYMBOLIC)
endforeach()
file(GLOB package_files ${prefix}/lib/cmake/otelpack/*.cmake)
list(FILTER package_files EXCLUDE REGEX "otelpackOtelTargets|otelpackComponents")
file(COPY ${package_files} DESTINATION ${bare}/lib/cmake/otelpack)
file(WRITE ${bare}/lib/cmake/otelpack/otelpackComponents.cmake
  "set(otelpack_BUILT_COMPONENTS sink agent)\n"
  "set(otelpack_otel_WHY_NOT \"opentelemetry-cpp was not found when otelpack was configured\")\n")
consumer(otel_not_built "find_package(otelpack CONFIG REQUIRED COMPONENTS otel)")
configure(otel_not_built -DCMAKE_PREFIX_PATH=${bare})
expect_failure_saying("COMPONENTS otel of a build without the SDK"
                      "component otel: not built: opentelemetry-cpp was not found when otelpack was configured")
message(STATUS "install_consumer: all checks passed")
