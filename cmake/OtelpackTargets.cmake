# Helpers that give every target the same flags.

set(OTELPACK_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
    # Designated initializers of option structs leave defaulted fields out on purpose.
    -Wno-missing-field-initializers)
if(OTELPACK_WERROR)
  list(APPEND OTELPACK_WARNINGS -Werror)
endif()

if(OTELPACK_BUILD_FUZZERS)
  # Every library gets coverage instrumentation; the fuzz targets add the driver.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(OTELPACK_SANITIZE)
  add_compile_options(-fsanitize=${OTELPACK_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${OTELPACK_SANITIZE})
endif()

set(OTELPACK_LIBRARIES "" CACHE INTERNAL "")

# otelpack_library(NAME SOURCES ... DEPS ... PRIVATE_DEPS ...)
# A static library otelpack_NAME with alias otelpack::NAME, installed and exported.
function(otelpack_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  set(target otelpack_${name})
  add_library(${target} STATIC ${ARG_SOURCES})
  add_library(otelpack::${name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name} OUTPUT_NAME otelpack_${name})
  target_compile_options(${target} PRIVATE ${OTELPACK_WARNINGS})
  target_include_directories(${target}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
           $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/generated>
           $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${target} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  set(OTELPACK_LIBRARIES ${OTELPACK_LIBRARIES} ${target} CACHE INTERNAL "")
endfunction()

# otelpack_test(NAME SOURCES ... DEPS ... [LABELS ...])
# A GoogleTest binary registered in CTest, one CTest test per TEST().
function(otelpack_test name)
  if(NOT OTELPACK_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${OTELPACK_WARNINGS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
    PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS}")
endfunction()

# The installed package's optional components (find_package(otelpack
# COMPONENTS ...)): which this build has, and why not when not, so that a
# program asking for a missing one is told the reason. Install.cmake writes
# both into the package.
function(otelpack_component_built name)
  set_property(GLOBAL APPEND PROPERTY OTELPACK_COMPONENTS_BUILT ${name})
endfunction()
function(otelpack_component_not_built name why)
  set_property(GLOBAL PROPERTY OTELPACK_COMPONENT_WHY_NOT_${name} "${why}")
endfunction()
