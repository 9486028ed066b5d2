#pragma once
/// @file
/// read_tensors: the named arrays of a `.safetensors` file (what PyTorch and Hugging Face save weights
/// in) or of an `.npz` (`numpy.savez(path, **{k: v.numpy() for k, v in model.state_dict().items()})`),
/// e.g. a PyTorch state dict, for the importers by name (import.hpp):
/// @code
///   const rnncell::tensor_map tensors = rnncell::read_tensors("model.safetensors");
///   rnncell::import_pytorch_stack(model.rnn, tensors, {"rnn", "rnn2"});   // nn.GRU / nn.LSTM modules
///   rnncell::import_pytorch_linear(model.head, tensors, "fc");            // nn.Linear
/// @endcode
/// float32 and float64 tensors of any rank are read; the values are kept as double (exact for
/// both). The file is untrusted: a bad one (a header length past the end, offsets outside the data
/// or overlapping, a byte count that is not shape x dtype size, a dtype other than float32 or
/// float64, a name twice) throws std::runtime_error naming the file and the entry.
#include <rnncell/detail/npz.hpp>
#include <rnncell/detail/read_file.hpp>
#include <rnncell/detail/safetensors.hpp>
#include <rnncell/detail/xtensor.hpp>
#include <rnncell/detail/zip_reader.hpp>

#include <bit>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rnncell {

/// Named arrays as read_tensors returns them, each row-major, values as double.
using tensor_map = std::map<std::string, xt::xarray<double>, std::less<>>;

namespace detail {

static_assert(std::endian::native == std::endian::little,
              "rnncell reads the little-endian tensors of .safetensors and .npz files on little-endian hosts");

/// An array of `shape` from `bytes` holding its values as S (float or double), row-major or, where
/// `fortran_order`, column-major; `bytes` holds exactly their count (checked by the caller). memcpy
/// per value: values inside a file are not aligned for S.
template <class S>
xt::xarray<double> array_from_bytes(std::string_view bytes, const std::vector<std::size_t>& shape, bool fortran_order) {
  xt::xarray<double> out = xt::xarray<double>::from_shape(shape);
  const std::size_t count = out.size();
  std::vector<std::size_t> stride(shape.size());  // the file's strides, in values
  for (std::size_t d = 0, s = 1; d < shape.size(); ++d) {
    const std::size_t axis = fortran_order ? d : shape.size() - 1 - d;
    stride[axis] = s;
    s *= shape[axis];
  }
  std::vector<std::size_t> index(shape.size(), 0);
  std::size_t from = 0;
  for (std::size_t i = 0; i < count; ++i) {  // row-major over `out`, tracking the file's offset
    S value;
    std::memcpy(&value, bytes.data() + from * sizeof(S), sizeof(S));
    out.data()[i] = double(value);
    for (std::size_t d = shape.size(); d-- > 0;) {
      from += stride[d];
      if (++index[d] < shape[d]) break;
      from -= stride[d] * index[d];
      index[d] = 0;
    }
  }
  return out;
}

inline tensor_map tensors_from_safetensors(std::string_view bytes, const std::string& where) {
  tensor_map tensors;
  for (const safetensors_entry& e : read_safetensors(bytes, where))
    tensors.emplace(e.name, e.dtype == "F32" ? array_from_bytes<float>(e.data, e.shape, false)
                                             : array_from_bytes<double>(e.data, e.shape, false));
  return tensors;
}

inline tensor_map tensors_from_npz(std::string_view bytes, const std::string& where) {
  tensor_map tensors;
  for (const zip_entry& z : read_stored_zip(bytes, where)) {
    const std::string entry = where + ": entry " + printable_name(z.name);
    constexpr std::string_view suffix = ".npy";
    if (z.name.size() <= suffix.size() || !z.name.ends_with(suffix))
      throw std::runtime_error(entry + " is not an .npy array (numpy.savez names every entry <name>.npy)");
    const npy_array array = parse_npy(z.data, entry);
    const bool is_float = array.descr == "<f4", is_double = array.descr == "<f8";
    if (!is_float && !is_double)
      throw std::runtime_error(entry + " has dtype " + npy_dtype_name(array.descr) +
                               "; rnncell reads float32 ('<f4') and float64 ('<f8')");
    const std::size_t value_size = is_float ? 4 : 8;
    std::size_t values = 1;
    for (const std::size_t extent : array.shape) {
      if (extent != 0 && values > std::numeric_limits<std::size_t>::max() / value_size / extent)
        throw std::runtime_error(entry + " has a shape too large: " + shape_string(array.shape));
      values *= extent;
    }
    if (array.data.size() != values * value_size)
      throw std::runtime_error(entry + " holds " + std::to_string(array.data.size()) + " data bytes, but its shape " +
                               shape_string(array.shape) + " needs " + std::to_string(values * value_size));
    tensors.emplace(z.name.substr(0, z.name.size() - suffix.size()),
                    is_float ? array_from_bytes<float>(array.data, array.shape, array.fortran_order)
                             : array_from_bytes<double>(array.data, array.shape, array.fortran_order));
  }
  return tensors;
}

/// read_tensors on bytes already in memory; `where` names their origin in error messages. An .npz
/// is a zip (it starts "PK"); anything else is read as .safetensors. The fuzzing harness calls this.
inline tensor_map tensors_from_bytes(std::string_view bytes, const std::string& where) {
  return bytes.starts_with("PK") ? tensors_from_npz(bytes, where) : tensors_from_safetensors(bytes, where);
}

}  // namespace detail

/// The named arrays of a .safetensors or .npz file (see the top of tensors.hpp).
/// @param path the file.
/// @return its tensors by name, values as double.
/// @throws std::runtime_error naming the file (and the entry) if it cannot be read or is not a
///         well-formed .safetensors or .npz of float32 / float64 arrays.
inline tensor_map read_tensors(const std::filesystem::path& path) {
  return detail::tensors_from_bytes(detail::read_whole_file(path, "tensor file"),
                                    "rnncell: tensor file " + detail::quoted(path));
}

}  // namespace rnncell
