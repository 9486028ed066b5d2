# The API reference: `cmake --build <build> --target docs` runs Doxygen over the public headers
# (include/rnncell/*.hpp, not detail/) into <build>/docs/html. Any warning, an undocumented public
# symbol included, fails the target. Defined only when doxygen is installed (Debian: doxygen).
find_program(RNNCELL_DOXYGEN doxygen)
if(NOT RNNCELL_DOXYGEN)
  message(STATUS "rnncell: doxygen not found, no docs target")
  return()
endif()
set(RNNCELL_DOCS_DIR ${PROJECT_BINARY_DIR}/docs)
configure_file(${PROJECT_SOURCE_DIR}/docs/Doxyfile.in ${RNNCELL_DOCS_DIR}/Doxyfile @ONLY)
add_custom_target(docs
  COMMAND ${RNNCELL_DOXYGEN} ${RNNCELL_DOCS_DIR}/Doxyfile
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  COMMENT "Doxygen: API reference in ${RNNCELL_DOCS_DIR}/html"
  VERBATIM)
