#pragma once
// The contract the harnesses check on every input, beyond "no crash, no sanitizer report": a load or
// import of untrusted bytes throws nothing but its one exception type (anything else escapes, and
// libFuzzer counts it as a crash), its message names the input where the API promises that, and a
// failed call leaves every parameter exactly as it was (else abort).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace rnncell_fuzz {

/// The parameters' bytes: compared as bytes, since a load may have put NaNs (NaN != NaN) there.
template <class Part>
std::vector<std::string> parameter_bytes(Part& part) {
  std::vector<std::string> bytes;
  part.for_each_parameter([&](std::string_view, auto& p) {
    bytes.emplace_back(reinterpret_cast<const char*>(p.data()), p.size() * sizeof(*p.data()));
  });
  return bytes;
}

/// Runs call(); if it throws Error, its message must contain `named` (unless empty) and `part`'s
/// parameters must be unchanged.
template <class Error, class Part, class Call>
void expect_transactional(Part& part, Call&& call, std::string_view what, std::string_view named = {}) {
  const auto before = parameter_bytes(part);
  try {
    call();
  } catch (const Error& e) {
    if (!named.empty() && std::string_view(e.what()).find(named) == std::string_view::npos) {
      std::fprintf(stderr, "%.*s error without %.*s: %s\n", int(what.size()), what.data(), int(named.size()),
                   named.data(), e.what());
      std::abort();
    }
    if (parameter_bytes(part) != before) {
      std::fprintf(stderr, "a failed %.*s changed the parameters (%s)\n", int(what.size()), what.data(), e.what());
      std::abort();
    }
  }
}

}  // namespace rnncell_fuzz
