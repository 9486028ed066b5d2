// Replays fuzz inputs through a harness's LLVMFuzzerTestOneInput without libFuzzer, so every
// build (g++ included) runs the seed corpus and the regression inputs as a normal test:
//   replay_<harness> [--max-alloc-per-byte R] [--max-alloc-extra BYTES] FILE_OR_FOLDER...
// A crash or sanitizer report fails the run, and so does an input during whose replay the live
// C++ heap grew by more than R * input size + BYTES: a reader must not allocate what a file
// declares before checking it against what the file holds.
//
// A standalone program because it replaces the global operator new/delete to measure the heap.
#include <malloc.h>  // malloc_usable_size (glibc; AddressSanitizer intercepts it too)

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::size_t live_bytes = 0, peak_bytes = 0;

void* tracked_alloc(std::size_t size) noexcept {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p != nullptr) peak_bytes = std::max(peak_bytes, live_bytes += malloc_usable_size(p));
  return p;
}

void tracked_free(void* p) noexcept {
  if (p == nullptr) return;
  live_bytes -= malloc_usable_size(p);
  std::free(p);
}

void* tracked_alloc_or_throw(std::size_t size) {
  if (void* p = tracked_alloc(size)) return p;
  throw std::bad_alloc();
}

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

// Over-aligned new keeps the library's own (aligned_alloc/free pairs): not measured.
void* operator new(std::size_t n) { return tracked_alloc_or_throw(n); }
void* operator new[](std::size_t n) { return tracked_alloc_or_throw(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return tracked_alloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return tracked_alloc(n); }
void operator delete(void* p) noexcept { tracked_free(p); }
void operator delete[](void* p) noexcept { tracked_free(p); }
void operator delete(void* p, std::size_t) noexcept { tracked_free(p); }
void operator delete[](void* p, std::size_t) noexcept { tracked_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { tracked_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { tracked_free(p); }

int main(int argc, char** argv) {
  double per_byte = 4;
  std::size_t extra = std::size_t(1) << 20;
  std::vector<std::filesystem::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if ((arg == "--max-alloc-per-byte" || arg == "--max-alloc-extra") && i + 1 < argc) {
      const char* value = argv[++i];
      char* end = nullptr;
      const double number = std::strtod(value, &end);
      if (end == value || *end != '\0' || !(number >= 0)) {
        std::fprintf(stderr, "%s must be a number >= 0, got '%s'\n", argv[i - 1], value);
        return 2;
      }
      if (arg == "--max-alloc-per-byte")
        per_byte = number;
      else
        extra = static_cast<std::size_t>(number);
      continue;
    }
    std::error_code error;
    if (std::filesystem::is_directory(arg, error)) {
      for (const auto& entry : std::filesystem::directory_iterator(arg))
        if (entry.is_regular_file()) inputs.push_back(entry.path());
    } else if (std::filesystem::is_regular_file(arg, error)) {
      inputs.emplace_back(arg);
    } else {
      std::fprintf(stderr, "'%s' is neither a file nor a folder\n", argv[i]);
      return 2;
    }
  }
  std::sort(inputs.begin(), inputs.end());
  int failures = 0;
  for (const auto& path : inputs) {
    const std::string bytes = file_bytes(path);
    const std::size_t baseline = live_bytes;
    peak_bytes = live_bytes;
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    const std::size_t grew = peak_bytes - baseline;
    const double allowed = per_byte * double(bytes.size()) + double(extra);
    if (double(grew) > allowed) {
      std::fprintf(stderr, "%s: the heap grew by %zu bytes on a %zu-byte input (allowed %.0f)\n",
                   path.string().c_str(), grew, bytes.size(), allowed);
      ++failures;
    }
  }
  std::printf("replayed %zu inputs, %d over the allocation bound\n", inputs.size(), failures);
  return failures == 0 && !inputs.empty() ? 0 : 1;
}
