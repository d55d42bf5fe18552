# Installs the libraries, headers and binary, and exports the CMake package so
# that users write find_package(otelpack) and link otelpack::exporter.
include(CMakePackageConfigHelpers)

install(TARGETS ${OTELPACK_LIBRARIES} EXPORT otelpackTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/otelpack DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_BINARY_DIR}/generated/otelpack/version.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/otelpack)
install(EXPORT otelpackTargets NAMESPACE otelpack::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/otelpack)

configure_package_config_file(cmake/otelpackConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/otelpackConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/otelpack)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/otelpackConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/otelpackConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/otelpackConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/otelpack)
