// libFuzzer harness for reading a class-folder archive from bytes: libarchive (tar or zip, any
// built-in compression) through the loader's archive source, then each PNG entry decoded and
// resized as the loader does. The only exception allowed out of the reader is dataset_error
// (anything else escapes and counts as a crash); every entry passed on names its class folder
// and holds at most max_png_file_bytes bytes.
#include "data/bilinear_resize.hpp"
#include "data/dataset.hpp"
#include "data/dataset_sources.hpp"
#include "data/png_decode.hpp"

#include <cstdint>
#include <cstdlib>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace notmnist;
  std::vector<float> resized(image_pixels);
  try {
    read_archive_bytes({data, size}, "fuzz-input.tar", [&](source_file&& file) {
      if (file.file_name.empty() || !is_png_name(file.file_name) || file.bytes.size() > max_png_file_bytes) std::abort();
      if (!file.read_error.empty()) return;
      const decoded_png png = decode_png_gray(file.bytes);
      if (png.image) resize_bilinear(*png.image, image_side, image_side, resized);
    });
  } catch (const dataset_error&) {
  }
  return 0;
}
