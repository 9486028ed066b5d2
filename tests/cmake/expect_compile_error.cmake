# cmake -DCXX=... -DINCLUDE=... -DSOURCE=... -DPATTERN=... -P expect_compile_error.cmake
# Passes when SOURCE compiles with -DRNNCELL_EXPECT_OK (so the snippet itself is sound) and fails
# without it, with compiler output matching PATTERN (the message names both widths).
set(flags -std=c++20 -fsyntax-only -I${INCLUDE})
execute_process(COMMAND ${CXX} ${flags} -DRNNCELL_EXPECT_OK ${SOURCE} RESULT_VARIABLE ok_rc ERROR_VARIABLE ok_err)
if(NOT ok_rc EQUAL 0)
  message(FATAL_ERROR "the control build of ${SOURCE} failed; the snippet is broken:\n${ok_err}")
endif()
execute_process(COMMAND ${CXX} ${flags} ${SOURCE} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but must not")
endif()
if(NOT err MATCHES "${PATTERN}")
  message(FATAL_ERROR "${SOURCE} failed to compile, but the message does not match '${PATTERN}':\n${err}")
endif()
string(REGEX MATCH "[^\n]*static assert[^\n]*" first_line "${err}")
message(STATUS "compile error as expected: ${first_line}")
