# Install the headers, a relocatable CMake package and a pkg-config file:
#   find_package(rnncell CONFIG) then target_link_libraries(app PRIVATE rnncell::rnncell), or
#   c++ app.cpp $(pkg-config --cflags --libs rnncell).
include(CMakePackageConfigHelpers)
# Header-only: installing (and cpack, which runs the preinstall target) needs nothing built, so it
# does not wait for, or fail with, the tests and examples.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/rnncell DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS rnncell EXPORT rnncellTargets)
set(RNNCELL_CMAKE_DIR ${CMAKE_INSTALL_DATADIR}/cmake/rnncell)
install(EXPORT rnncellTargets NAMESPACE rnncell:: DESTINATION ${RNNCELL_CMAKE_DIR})
if(RNNCELL_ONNX)
  install(TARGETS rnncell_onnx EXPORT rnncellOnnxTargets)
  install(EXPORT rnncellOnnxTargets NAMESPACE rnncell:: DESTINATION ${RNNCELL_CMAKE_DIR})
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/rnncellOnnxDependencies.cmake DESTINATION ${RNNCELL_CMAKE_DIR})
endif()

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/rnncellConfig.cmake.in
  ${PROJECT_BINARY_DIR}/rnncellConfig.cmake INSTALL_DESTINATION ${RNNCELL_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/rnncellConfigVersion.cmake
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES
  ${PROJECT_BINARY_DIR}/rnncellConfig.cmake
  ${PROJECT_BINARY_DIR}/rnncellConfigVersion.cmake
  ${CMAKE_CURRENT_LIST_DIR}/rnncellDependencies.cmake
  DESTINATION ${RNNCELL_CMAKE_DIR})

# Header-only, so the .pc goes to share/pkgconfig (architecture-independent), like xtl's.
# Paths in it are relative to the .pc's own folder (${pcfiledir}) unless the install dirs are absolute.
set(RNNCELL_PC_DIR ${CMAKE_INSTALL_DATADIR}/pkgconfig)
if(IS_ABSOLUTE "${CMAKE_INSTALL_DATADIR}")
  set(RNNCELL_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH pc_dir_to_prefix /prefix/${RNNCELL_PC_DIR} /prefix)
  string(REGEX REPLACE "/$" "" pc_dir_to_prefix "${pc_dir_to_prefix}")
  set(RNNCELL_PC_PREFIX "\${pcfiledir}/${pc_dir_to_prefix}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(RNNCELL_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(RNNCELL_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/rnncell.pc.in ${PROJECT_BINARY_DIR}/rnncell.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/rnncell.pc DESTINATION ${RNNCELL_PC_DIR})

# A copyright file and the changelog, where Debian looks for them.
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/CHANGELOG.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
