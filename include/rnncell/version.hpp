#pragma once
/// @file
/// The version of rnncell these headers belong to, for `#if` and for run-time checks.
/// It must equal `project(rnncell VERSION ...)` in CMakeLists.txt, which names the CMake package,
/// the pkg-config file and the Debian package: the `version_header` test fails if they differ.
/// The version is bumped whenever the public API changes (see CHANGELOG.md).

/// Major version: changes when a release breaks the public API.
#define RNNCELL_VERSION_MAJOR 0
/// Minor version: changes when a release adds to the public API.
#define RNNCELL_VERSION_MINOR 6
/// Patch version: changes for fixes that leave the public API as it is.
#define RNNCELL_VERSION_PATCH 0
/// The version as a string literal, "MAJOR.MINOR.PATCH".
#define RNNCELL_VERSION_STRING "0.6.0"
/// The version as one comparable number, MAJOR * 10000 + MINOR * 100 + PATCH (as fmt's FMT_VERSION).
#define RNNCELL_VERSION (RNNCELL_VERSION_MAJOR * 10000 + RNNCELL_VERSION_MINOR * 100 + RNNCELL_VERSION_PATCH)

namespace rnncell {

// Plain constants rather than a struct with members major/minor: <sys/sysmacros.h> defines those
// two names as macros.
/// RNNCELL_VERSION_MAJOR as a value.
inline constexpr int version_major = RNNCELL_VERSION_MAJOR;
/// RNNCELL_VERSION_MINOR as a value.
inline constexpr int version_minor = RNNCELL_VERSION_MINOR;
/// RNNCELL_VERSION_PATCH as a value.
inline constexpr int version_patch = RNNCELL_VERSION_PATCH;
/// RNNCELL_VERSION_STRING as a value, "MAJOR.MINOR.PATCH".
inline constexpr const char* version_string = RNNCELL_VERSION_STRING;

}  // namespace rnncell
