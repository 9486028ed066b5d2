// libFuzzer harness for the run-record reader (OUT/runs/*.json): bytes -> read_run_record. A
// refusal must be a std::exception (the store then moves the file aside); what the reader accepts
// must survive the writer: written back and read again, it gives the same text, so resume and
// merge never meet a file of their own making that they refuse (NaN and infinities included).
#include "grid/run_record.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace notmnist;
  run_record record;
  try {
    record = read_run_record(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const std::exception&) {
    return 0;
  }
  const std::string written = to_json(record).dump(1);
  const std::string rewritten = to_json(read_run_record(written)).dump(1);  // must not throw
  if (rewritten != written) std::abort();
  return 0;
}
