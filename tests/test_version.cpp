// <rnncell/version.hpp> against the CMake project version (RNNCELL_EXPECTED_VERSION, from
// project(rnncell VERSION ...)), and its macros, string and constants against each other.
#include <rnncell/version.hpp>

#include <cstdio>
#include <string>

int main() {
  const std::string from_parts = std::to_string(RNNCELL_VERSION_MAJOR) + "." + std::to_string(RNNCELL_VERSION_MINOR) +
                                 "." + std::to_string(RNNCELL_VERSION_PATCH);
  int failures = 0;
  auto expect = [&](bool ok, const char* what, const std::string& got, const std::string& wanted) {
    if (ok) return;
    std::printf("include/rnncell/version.hpp: %s is %s, expected %s\n", what, got.c_str(), wanted.c_str());
    ++failures;
  };
  expect(from_parts == RNNCELL_EXPECTED_VERSION, "RNNCELL_VERSION_MAJOR.MINOR.PATCH", from_parts,
         RNNCELL_EXPECTED_VERSION " (project(rnncell VERSION ...) in CMakeLists.txt)");
  expect(std::string(RNNCELL_VERSION_STRING) == RNNCELL_EXPECTED_VERSION, "RNNCELL_VERSION_STRING",
         RNNCELL_VERSION_STRING, RNNCELL_EXPECTED_VERSION " (project(rnncell VERSION ...) in CMakeLists.txt)");
  expect(RNNCELL_VERSION == RNNCELL_VERSION_MAJOR * 10000 + RNNCELL_VERSION_MINOR * 100 + RNNCELL_VERSION_PATCH,
         "RNNCELL_VERSION", std::to_string(RNNCELL_VERSION), "MAJOR * 10000 + MINOR * 100 + PATCH");
  const std::string from_constants = std::to_string(rnncell::version_major) + "." +
                                     std::to_string(rnncell::version_minor) + "." +
                                     std::to_string(rnncell::version_patch);
  expect(from_constants == from_parts && std::string(rnncell::version_string) == RNNCELL_VERSION_STRING,
         "rnncell::version_*", from_constants + " / " + rnncell::version_string, from_parts);
  if (failures == 0) std::printf("rnncell %s: header and project version agree\n", RNNCELL_VERSION_STRING);
  return failures == 0 ? 0 : 1;
}
