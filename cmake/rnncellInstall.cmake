# Install the headers and a relocatable CMake package: find_package(rnncell CONFIG) then
# target_link_libraries(app PRIVATE rnncell::rnncell).
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/rnncell DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS rnncell EXPORT rnncellTargets)
set(RNNCELL_CMAKE_DIR ${CMAKE_INSTALL_DATADIR}/cmake/rnncell)
install(EXPORT rnncellTargets NAMESPACE rnncell:: DESTINATION ${RNNCELL_CMAKE_DIR})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/rnncellConfig.cmake.in
  ${PROJECT_BINARY_DIR}/rnncellConfig.cmake INSTALL_DESTINATION ${RNNCELL_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/rnncellConfigVersion.cmake
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES
  ${PROJECT_BINARY_DIR}/rnncellConfig.cmake
  ${PROJECT_BINARY_DIR}/rnncellConfigVersion.cmake
  ${CMAKE_CURRENT_LIST_DIR}/rnncellDependencies.cmake
  DESTINATION ${RNNCELL_CMAKE_DIR})
