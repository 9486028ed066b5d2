# The `onnx` component's dependencies; shared by the build tree and rnncellConfig.cmake.
# Protobuf first: Debian's ONNXConfig.cmake names protobuf::libprotobuf without finding it, so
# find_package(ONNX) alone fails at generate time.
include(CMakeFindDependencyMacro)
find_dependency(Protobuf)
find_dependency(ONNX)
