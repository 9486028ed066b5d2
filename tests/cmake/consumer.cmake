# cmake -DMODE=install|subdirectory -DSOURCE_DIR=... -DBUILD_DIR=... -DWORK=... -P consumer.cmake
# install: cmake --install the project's build tree into WORK/prefix, then build tests/consumer
#          against it with find_package(rnncell CONFIG REQUIRED) and run it.
# subdirectory: build tests/consumer with add_subdirectory(SOURCE_DIR) and run it.
file(REMOVE_RECURSE ${WORK})
if(MODE STREQUAL "install")
  execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK}/prefix
                  RESULT_VARIABLE rc COMMAND_ECHO STDOUT)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cmake --install failed")
  endif()
  set(configure_args -DCMAKE_PREFIX_PATH=${WORK}/prefix)
else()
  set(configure_args -DRNNCELL_SOURCE_DIR=${SOURCE_DIR})
endif()
foreach(step
    "${CMAKE_COMMAND};-S;${SOURCE_DIR}/tests/consumer;-B;${WORK}/build;-DCMAKE_BUILD_TYPE=Release;${configure_args}"
    "${CMAKE_COMMAND};--build;${WORK}/build"
    "${WORK}/build/consumer")
  execute_process(COMMAND ${step} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "consumer (${MODE}) step failed: ${step}")
  endif()
endforeach()
