#pragma once
// What the C++ peers share: the command line (batches, seconds per measurement), the
// configurations, the timing rule, and the one-line JSON record bench/report.py reads.
// Timing rule (same as peer_pytorch.py): warm up, then repeat until `min_time` seconds have
// passed (at least 5 repetitions) and report the median time of one repetition.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "../step_gemms.hpp"

namespace rnncell_bench {

struct peer_options {
  std::vector<int> batches{32, 128};
  double min_time = 0.2;  // seconds per measurement
  std::vector<int> hiddens{50, 128, 256};
  std::vector<int> layer_counts{1, 2, 3};
};

inline std::vector<int> parse_int_list(std::string_view s, std::string_view what) {
  std::vector<int> out;
  while (!s.empty()) {
    const auto comma = s.find(',');
    const std::string item(s.substr(0, comma));
    char* end = nullptr;
    const long v = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || v <= 0)
      throw std::invalid_argument("bad " + std::string(what) + " list entry '" + item +
                                  "': expected positive integers separated by commas");
    out.push_back(static_cast<int>(v));
    s = comma == std::string_view::npos ? std::string_view{} : s.substr(comma + 1);
  }
  return out;
}

// Accepts --batches=32,128 --hiddens=50,128,256 --layers=1,2,3 --min-time=0.2
inline peer_options parse_peer_options(int argc, char** argv) {
  peer_options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&](std::string_view key) -> std::string_view {
      return a.substr(key.size());
    };
    if (a.starts_with("--batches=")) o.batches = parse_int_list(value("--batches="), "--batches");
    else if (a.starts_with("--hiddens=")) o.hiddens = parse_int_list(value("--hiddens="), "--hiddens");
    else if (a.starts_with("--layers=")) o.layer_counts = parse_int_list(value("--layers="), "--layers");
    else if (a.starts_with("--min-time=")) o.min_time = std::stod(std::string(value("--min-time=")));
    else
      throw std::invalid_argument("unknown argument '" + std::string(a) +
                                  "'; expected --batches=, --hiddens=, --layers=, --min-time=");
  }
  return o;
}

// Milliseconds of each repetition after a warm-up, repeating until `min_time` seconds have
// passed and at least 5 repetitions were made.
template <class F>
std::vector<double> repetition_ms(F&& run_once, double min_time) {
  using clock = std::chrono::steady_clock;
  for (int i = 0; i < 2; ++i) run_once();
  std::vector<double> ms;
  const auto start = clock::now();
  while (ms.size() < 5 || std::chrono::duration<double>(clock::now() - start).count() < min_time) {
    const auto t0 = clock::now();
    run_once();
    ms.push_back(std::chrono::duration<double, std::milli>(clock::now() - t0).count());
  }
  return ms;
}

template <class F>
double median_ms(F&& run_once, double min_time) {
  auto ms = repetition_ms(run_once, min_time);
  std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
  return ms[ms.size() / 2];
}

inline void print_record(std::string_view tool, const step_config& c, pass_kind pass, double ms,
                         std::string_view note = "") {
  std::printf(
      "{\"tool\": \"%.*s\", \"cell\": \"%.*s\", \"layers\": %d, \"hidden\": %d, \"batch\": %d, "
      "\"pass\": \"%.*s\", \"ms\": %.6g, \"flops\": %.6g, \"note\": \"%.*s\"}\n",
      int(tool.size()), tool.data(), int(name_of(c.cell).size()), name_of(c.cell).data(), c.layers,
      c.hidden, c.batch, int(name_of(pass).size()), name_of(pass).data(), ms, step_flops(c, pass),
      int(note.size()), note.data());
  std::fflush(stdout);
}

}  // namespace rnncell_bench
