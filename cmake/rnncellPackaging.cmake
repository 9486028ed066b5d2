# CPack: `cpack -G DEB` in the build folder makes librnncell-dev_<version>_all.deb, the headers, the
# CMake package, the .pc file and the copyright, installed under /usr. Header-only, so the package is
# architecture-independent; it depends on the Debian -dev packages the headers include.
set(CPACK_PACKAGE_NAME librnncell-dev)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION "rnncell is a header-only C++20 library of recurrent cells, GRU and MGU,
with a full backward pass through time, a dense head, softmax cross-entropy, Adam and Glorot
initialisation. Widths are template parameters; it is built on xtensor and OpenBLAS.")
set(CPACK_PACKAGE_CONTACT "rnncell maintainers <maintainers@users.noreply.b-seed-9d9e7b9a.example>")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
# The versions Debian 12 ships, the oldest rnncell is tested with.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libxtensor-dev (>= 0.24), libopenblas-dev")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "cmake, pkg-config | pkgconf, libonnx-dev, libprotobuf-dev")  # libonnx: the onnx component
include(CPack)
