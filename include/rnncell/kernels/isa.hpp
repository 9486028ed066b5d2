#pragma once
// Run-time choice of the instruction set for header-only kernels.
//
// A user's default build (no -march) still runs AVX-512 or AVX2 code on a CPU that has it: the
// kernels are compiled once per path with function target attributes and one is chosen at run
// time. The choice, in order: force_isa() if called; else the environment variable
// RNNCELL_ISA=portable|avx2|avx512; else the best path the CPU has (AVX2 means avx2 + fma;
// AVX-512 means avx512f + avx512vl + avx512dq + fma). Naming a path the CPU lacks, or an unknown
// name, throws std::runtime_error at first use (active_isa()), never later in a hot loop.
//
// dispatch(i, f) calls f(isa_constant<i>{}) inside a function compiled for path i: for AVX2 and
// AVX-512 one marked flatten, so that f's body and what it calls (gate loops, activations) are
// inlined and vectorised for that path too. The portable path is the build's own target, which
// f's callees have already, so it leaves inlining to the compiler: flattened, its copy of every
// step loop was a quarter of the compile time of a unit with the notMNIST grid's models.
#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#if defined(__x86_64__) || defined(__i386__)
#define RNNCELL_KERNELS_X86 1
#define RNNCELL_TARGET_AVX2 __attribute__((target("avx2,fma")))
#define RNNCELL_TARGET_AVX512 __attribute__((target("avx512f,avx512vl,avx512dq,fma")))
#else
#define RNNCELL_KERNELS_X86 0
#endif

namespace rnncell::kernels {

enum class isa { portable, avx2, avx512 };

template <isa I>
using isa_constant = std::integral_constant<isa, I>;

constexpr std::string_view isa_name(isa i) {
  switch (i) {
    case isa::avx2: return "avx2";
    case isa::avx512: return "avx512";
    default: return "portable";
  }
}

/// Whether this CPU (and its operating system) can run path i.
inline bool cpu_supports(isa i) {
#if RNNCELL_KERNELS_X86
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  switch (i) {
    case isa::avx2: return avx2;
    case isa::avx512:
      return avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
             __builtin_cpu_supports("avx512dq");
    default: return true;
  }
#else
  return i == isa::portable;
#endif
}

inline isa best_supported_isa() {
  if (cpu_supports(isa::avx512)) return isa::avx512;
  if (cpu_supports(isa::avx2)) return isa::avx2;
  return isa::portable;
}

namespace detail {

// The cold paths (the environment's name checked, an error message built) are noinline: the
// step loops that dispatch() flattens call active_isa() at every product, and flatten would
// otherwise copy their string code into each call site (in a unit with one GRU cell, half its
// machine code and half its compile time).
[[gnu::noinline, gnu::cold]] inline isa require_supported(isa i, const std::string& source) {
  if (!cpu_supports(i))
    throw std::runtime_error("rnncell: " + source + " asks for the " + std::string(isa_name(i)) +
                             " kernels, which this CPU does not support (it supports up to " +
                             std::string(isa_name(best_supported_isa())) + ")");
  return i;
}

[[gnu::noinline, gnu::cold]] inline isa isa_from_environment() {
  const char* value = std::getenv("RNNCELL_ISA");
  if (value == nullptr || *value == '\0') return best_supported_isa();
  const std::string_view name(value);
  for (isa i : {isa::portable, isa::avx2, isa::avx512})
    if (name == isa_name(i)) return require_supported(i, "RNNCELL_ISA=" + std::string(name));
  throw std::runtime_error("rnncell: RNNCELL_ISA=" + std::string(name) +
                           " is not a kernel path; expected portable, avx2 or avx512");
}

// -1: nothing forced; otherwise the forced isa's value.
inline std::atomic<int> forced_isa{-1};

}  // namespace detail

/// Forces path i for the kernels chosen from now on (throws if the CPU lacks it).
inline void force_isa(isa i) { detail::forced_isa.store(int(detail::require_supported(i, "force_isa"))); }

/// Back to the environment variable or the CPU's best path.
inline void clear_forced_isa() { detail::forced_isa.store(-1); }

/// The path kernels use now; reads RNNCELL_ISA once (throws if it names a bad path).
inline isa active_isa() {
  const int forced = detail::forced_isa.load();
  if (forced >= 0) return isa(forced);
  static const isa from_environment = detail::isa_from_environment();
  return from_environment;
}

// The trampolines: each compiles f's body for its path (flatten inlines the whole call tree
// where the path's instruction set must reach every callee).
template <class F>
void run_portable(F& f) {
  f(isa_constant<isa::portable>{});
}
#if RNNCELL_KERNELS_X86
template <class F>
RNNCELL_TARGET_AVX2 __attribute__((flatten)) void run_avx2(F& f) {
  f(isa_constant<isa::avx2>{});
}
template <class F>
RNNCELL_TARGET_AVX512 __attribute__((flatten)) void run_avx512(F& f) {
  f(isa_constant<isa::avx512>{});
}
#endif

/// Calls f(isa_constant<i>{}) compiled for path i. i must be supported (active_isa() or a value
/// it returned): the caller checks once, up front, so that this never throws.
template <class F>
void dispatch(isa i, F&& f) {
#if RNNCELL_KERNELS_X86
  if (i == isa::avx512) return run_avx512(f);
  if (i == isa::avx2) return run_avx2(f);
#endif
  (void)i;
  run_portable(f);
}

/// Runs f() compiled for the active path (dispatch, flattened) when T is float, and as the build
/// compiled it when T is double: double is the reference type of the gradient checks, and three
/// flattened copies of every double step loop would triple the tests' compile time for no speed
/// anyone uses.
/// @tparam T the element type of the work in f.
/// @param f a callable without arguments.
template <class T, class F>
void run_on_active_path(F&& f) {
  if constexpr (std::is_same_v<T, float>)
    dispatch(active_isa(), [&](auto) { f(); });
  else
    f();
}

}  // namespace rnncell::kernels
