// Threads for LookKit's own loops. Clang cannot use GCC's OpenMP runtime (-fopenmp wants libomp),
// so the loops split their work over std::threads, as many as FAISS's OpenMP team would have.
#pragma once
#include <omp.h>

#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

namespace lkf {

/// Runs body(part, first, last) over `parts` contiguous ranges of [0, n), one thread each (the
/// calling thread alone when parts ≤ 1). The first exception a part throws is rethrown here.
template <typename Body> void parallel_ranges(int64_t n, int64_t parts, Body &&body) {
  if (parts <= 1 || n <= 1) return body(int64_t{0}, int64_t{0}, n);
  std::vector<std::exception_ptr> errors(parts);
  std::vector<std::thread> workers;
  for (int64_t t = 0; t < parts; t++) {
    workers.emplace_back([&, t] {
      try {
        body(t, n * t / parts, n * (t + 1) / parts);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  }
  for (auto &worker : workers) worker.join();
  for (auto &error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

/// fn() with FAISS's OpenMP team set to `threads`, restored afterwards even when fn throws.
template <typename Fn> void with_omp_threads(int threads, Fn &&fn) {
  const int before = omp_get_max_threads();
  omp_set_num_threads(threads);
  try {
    fn();
  } catch (...) {
    omp_set_num_threads(before);
    throw;
  }
  omp_set_num_threads(before);
}

}  // namespace lkf
