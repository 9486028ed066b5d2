# The library's own dependencies; shared by the build tree and rnncellConfig.cmake.
include(CMakeFindDependencyMacro)
find_dependency(xtensor)
if(NOT TARGET BLAS::BLAS)
  set(BLA_VENDOR OpenBLAS)
  find_dependency(BLAS)
endif()
