# Test install_consumer (label install): the package installed for real and
# used by small CMake projects the test writes (cmake/install_test.cmake).
if(NOT OTELPACK_BUILD_TESTS)
  return()
endif()
set(otelpack_consumer_flags "")
if(OTELPACK_SANITIZE)
  # The installed static libraries are instrumented: the consumer links the runtime.
  set(otelpack_consumer_flags "-fsanitize=${OTELPACK_SANITIZE}")
endif()
get_property(otelpack_otel_sdk GLOBAL PROPERTY OTELPACK_OTEL_SDK)
set(otelpack_otel_sdk_dir "")
if(otelpack_otel_sdk)
  list(GET otelpack_otel_sdk 1 otelpack_otel_sdk_dir)
endif()
add_test(NAME install_consumer
  COMMAND ${CMAKE_COMMAND}
    -DBUILD_DIR=${PROJECT_BINARY_DIR}
    -DWORK_DIR=${PROJECT_BINARY_DIR}/install_test
    -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
    -DGENERATOR=${CMAKE_GENERATOR}
    -DCXX=${CMAKE_CXX_COMPILER}
    -DCXX_FLAGS=${otelpack_consumer_flags}
    -DOTEL_SDK_DIR=${otelpack_otel_sdk_dir}
    -P ${PROJECT_SOURCE_DIR}/cmake/install_test.cmake)
set_tests_properties(install_consumer PROPERTIES LABELS install TIMEOUT 300 RUN_SERIAL TRUE)
