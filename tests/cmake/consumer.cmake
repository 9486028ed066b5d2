# Builds and runs tests/consumer, a user's project, by each route a user can take to rnncell:
# cmake -DMODE=<mode> -DSOURCE_DIR=<rnncell source> -DWORK=<scratch folder> [-DBUILD_DIR=<rnncell build>]
#       [-DCXX=<compiler>] [-DVERSION=<project version>] [-DONNX=ON] -P consumer.cmake
#   install:      cmake --install BUILD_DIR into WORK/prefix, then find_package(rnncell CONFIG REQUIRED).
#   subdirectory: add_subdirectory(SOURCE_DIR).
#   pkgconfig:    cmake --install BUILD_DIR into WORK/prefix, then compile main.cpp with CXX and only
#                 `pkg-config --cflags --libs rnncell` (PKG_CONFIG_PATH=WORK/prefix/share/pkgconfig).
#   deb:          cpack -G DEB from BUILD_DIR; check the package's fields (Version VERSION,
#                 Architecture all, Depends) and files (every public header, the CMake package, the
#                 .pc, nothing architecture-dependent); unpack it into WORK/root with dpkg-deb -x and
#                 build the consumer against WORK/root/usr both through find_package and pkg-config.
# Each route also checks that where rnncell was found is the scratch folder, not the system. With
# ONNX=ON, the CMake routes build the component onnx too (tests/consumer/onnx_consumer.cpp).
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE ${WORK})

# Runs a command; stops the test with its output if it fails. Its stdout is left in run_output.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " command "${ARGN}")
    message(FATAL_ERROR "consumer (${MODE}): ${what} failed (${rc}): ${command}\n${out}${err}")
  endif()
  string(STRIP "${out}" out)
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

function(expect_under what path root)
  file(REAL_PATH "${path}" real_path)
  file(REAL_PATH "${root}" real_root)
  string(FIND "${real_path}/" "${real_root}/" at)
  if(NOT at EQUAL 0)
    message(FATAL_ERROR "consumer (${MODE}): ${what} is ${path}, expected inside ${root}")
  endif()
endfunction()

# find_package (or add_subdirectory) route: configure, build and run tests/consumer in WORK/<name>.
function(build_with_cmake name)
  set(dir ${WORK}/${name})
  set(onnx OFF)
  if(ONNX)
    set(onnx ON)
  endif()
  run("configure" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${dir} -DCMAKE_BUILD_TYPE=Release
      -DRNNCELL_CONSUMER_ONNX=${onnx} ${ARGN})
  run("build" ${CMAKE_COMMAND} --build ${dir})
  run("running the consumer" ${dir}/consumer)
  message(STATUS "${name}: ${run_output}")
  if(onnx)
    execute_process(COMMAND ${dir}/onnx_consumer WORKING_DIRECTORY ${dir} RESULT_VARIABLE rc OUTPUT_VARIABLE out)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "consumer (${MODE}): onnx_consumer failed (${rc}): ${out}")
    endif()
    message(STATUS "${name}: ${out}")
  endif()
endfunction()

# find_package route from an install prefix: the package found must be the one in prefix.
function(build_with_find_package name prefix)
  build_with_cmake(${name} -DCMAKE_PREFIX_PATH=${prefix})
  file(STRINGS ${WORK}/${name}/CMakeCache.txt rnncell_dir REGEX "^rnncell_DIR:")
  string(REGEX REPLACE "^[^=]*=" "" rnncell_dir "${rnncell_dir}")
  expect_under("rnncell_DIR" "${rnncell_dir}" ${prefix})
endfunction()

# pkg-config route: the compiler, main.cpp and the flags pkg-config gives, nothing else; the
# version pkg-config reports is handed to the program, which compares it with the header's.
function(build_with_pkgconfig name pc_dir)
  find_program(pkg_config NAMES pkg-config pkgconf REQUIRED)
  set(ENV{PKG_CONFIG_PATH} ${pc_dir})
  run("pkg-config" ${pkg_config} --variable=includedir rnncell)
  expect_under("pkg-config's includedir" "${run_output}" ${pc_dir}/../..)
  run("pkg-config" ${pkg_config} --modversion rnncell)
  set(version "${run_output}")
  run("pkg-config" ${pkg_config} --cflags --libs rnncell)
  separate_arguments(flags UNIX_COMMAND "${run_output}")
  message(STATUS "${name}: pkg-config --cflags --libs rnncell: ${run_output}")
  file(MAKE_DIRECTORY ${WORK}/${name})
  run("compile" ${CXX} ${SOURCE_DIR}/tests/consumer/main.cpp "-DRNNCELL_EXPECTED_VERSION=\"${version}\""
      ${flags} -o ${WORK}/${name}/consumer)
  run("running the consumer" ${WORK}/${name}/consumer)
  message(STATUS "${name}: ${run_output}")
endfunction()

# The .deb: one package, its control fields, its files; then unpacked into WORK/root.
function(check_and_unpack_deb)
  run("cpack" ${CMAKE_CPACK_COMMAND} -G DEB --config ${BUILD_DIR}/CPackConfig.cmake -B ${WORK}/package)
  file(GLOB debs ${WORK}/package/*.deb)
  list(LENGTH debs count)
  if(NOT count EQUAL 1)
    message(FATAL_ERROR "consumer (deb): expected one .deb in ${WORK}/package, found ${count}: ${debs}")
  endif()
  message(STATUS "deb: ${debs}")

  run("dpkg-deb -f" dpkg-deb -f ${debs} Version Architecture Depends)
  message(STATUS "deb fields:\n${run_output}")
  set(fields "\n${run_output}\n")
  set(required "\nVersion: ${VERSION}\n" "\nArchitecture: all\n")
  foreach(dep libxtensor-dev libopenblas-dev)
    string(REGEX MATCH "\nDepends:[^\n]*[ ,]${dep}[ ,\n]" found "${fields}")
    if(NOT found)
      message(FATAL_ERROR "consumer (deb): Depends lacks ${dep}:${fields}")
    endif()
  endforeach()
  foreach(line ${required})
    string(FIND "${fields}" "${line}" at)
    if(at EQUAL -1)
      string(STRIP "${line}" line)
      message(FATAL_ERROR "consumer (deb): expected '${line}' among the package's fields:${fields}")
    endif()
  endforeach()

  run("dpkg-deb -c" dpkg-deb -c ${debs})
  string(REPLACE "\n" ";" lines "${run_output}")
  set(files "")
  foreach(line ${lines})
    if(line MATCHES " \\./(.*[^/])$")  # a file: directories end in /
      list(APPEND files "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  file(GLOB_RECURSE headers RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/include/rnncell/*.hpp)
  list(TRANSFORM headers PREPEND usr/)
  if(ONNX)
    list(APPEND headers usr/share/cmake/rnncell/rnncellOnnxTargets.cmake)
  endif()
  foreach(file ${headers} usr/share/cmake/rnncell/rnncellConfig.cmake usr/share/cmake/rnncell/rnncellConfigVersion.cmake
               usr/share/cmake/rnncell/rnncellTargets.cmake usr/share/pkgconfig/rnncell.pc)
    if(NOT file IN_LIST files)
      message(FATAL_ERROR "consumer (deb): the package lacks /${file}; it holds:\n${run_output}")
    endif()
  endforeach()
  foreach(file ${files})
    if(NOT file MATCHES "^usr/(include/rnncell|share/(cmake/rnncell|pkgconfig|doc/rnncell))/")
      message(FATAL_ERROR "consumer (deb): /${file} is outside the headers, the CMake package, the .pc and the docs")
    endif()
  endforeach()

  run("dpkg-deb -x" dpkg-deb -x ${debs} ${WORK}/root)
endfunction()

if(MODE STREQUAL "install")
  run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK}/prefix)
  build_with_find_package(build ${WORK}/prefix)
elseif(MODE STREQUAL "subdirectory")
  build_with_cmake(build -DRNNCELL_SOURCE_DIR=${SOURCE_DIR})
elseif(MODE STREQUAL "pkgconfig")
  run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK}/prefix)
  build_with_pkgconfig(build ${WORK}/prefix/share/pkgconfig)
elseif(MODE STREQUAL "deb")
  check_and_unpack_deb()
  build_with_find_package(find_package ${WORK}/root/usr)
  build_with_pkgconfig(pkgconfig ${WORK}/root/usr/share/pkgconfig)
else()
  message(FATAL_ERROR "consumer.cmake: MODE is '${MODE}'; expected install, subdirectory, pkgconfig or deb")
endif()
