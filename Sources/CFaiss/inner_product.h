// Inner products for LookKit's own FAISS search loops. Debian's libfaiss is built for baseline
// x86-64 (SSE2), so its distance kernels use a quarter of an AVX-512 core; these are compiled for
// AVX-512, AVX2 and baseline and picked at load time by the CPU (GCC/Clang function clones).
#pragma once
#include <cstddef>

namespace lkf {

/// x · y over d floats.
float inner_product(const float *x, const float *y, size_t d);

/// q · rows[0..3] over d floats: the four rows' memory loads overlap, which is what bounds a
/// graph search (each neighbour is a cache miss).
void inner_products_4(const float *q, const float *const rows[4], size_t d, float out[4]);

/// Which of the compiled variants this CPU runs: "AVX-512", "AVX2" or "baseline x86-64".
const char *inner_product_variant();

}  // namespace lkf
