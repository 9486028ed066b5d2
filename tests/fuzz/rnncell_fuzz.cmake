# rnncell_fuzz_harness(NAME name SOURCES files... [LIBRARIES targets...] [REPLAY_ARGS args...]
#                      [CORPUS folder] [REGRESSIONS folder])
# One fuzz harness (a source defining LLVMFuzzerTestOneInput) becomes:
# - replay_<name>, built in every build: the harness plus replay_main.cpp, registered as the test
#   fuzz_replay_<name>, which runs every file of CORPUS and REGRESSIONS (default: corpus/<name> and
#   regressions/<name> beside this file) and fails on a crash or an allocation beyond the bound;
# - fuzz_<name>, with RNNCELL_BUILD_FUZZERS (clang only): the libFuzzer binary that
#   run-fuzzers.sh runs.
# Both define FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION (checksums skipped, see zip_reader.hpp), so
# an input replays along the path on which the fuzzer found it.
set(RNNCELL_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})

function(rnncell_fuzz_harness)
  cmake_parse_arguments(FUZZ "" "NAME;CORPUS;REGRESSIONS" "SOURCES;LIBRARIES;REPLAY_ARGS" ${ARGN})
  if(NOT FUZZ_CORPUS)
    set(FUZZ_CORPUS ${RNNCELL_FUZZ_DIR}/corpus/${FUZZ_NAME})
  endif()
  if(NOT FUZZ_REGRESSIONS)
    set(FUZZ_REGRESSIONS ${RNNCELL_FUZZ_DIR}/regressions/${FUZZ_NAME})
  endif()

  add_executable(replay_${FUZZ_NAME} ${RNNCELL_FUZZ_DIR}/replay_main.cpp ${FUZZ_SOURCES})
  target_link_libraries(replay_${FUZZ_NAME} PRIVATE ${FUZZ_LIBRARIES})
  target_compile_definitions(replay_${FUZZ_NAME} PRIVATE FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
  target_compile_options(replay_${FUZZ_NAME} PRIVATE -Wall -Wextra)
  add_test(NAME fuzz_replay_${FUZZ_NAME}
    COMMAND replay_${FUZZ_NAME} ${FUZZ_REPLAY_ARGS} ${FUZZ_CORPUS} ${FUZZ_REGRESSIONS})

  if(RNNCELL_BUILD_FUZZERS)
    set(flags -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)
    add_executable(fuzz_${FUZZ_NAME} ${FUZZ_SOURCES})
    target_link_libraries(fuzz_${FUZZ_NAME} PRIVATE ${FUZZ_LIBRARIES})
    target_compile_definitions(fuzz_${FUZZ_NAME} PRIVATE FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
    target_compile_options(fuzz_${FUZZ_NAME} PRIVATE ${flags})
    target_link_options(fuzz_${FUZZ_NAME} PRIVATE ${flags})
  endif()
endfunction()
