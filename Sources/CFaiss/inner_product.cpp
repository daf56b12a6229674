#include "inner_product.h"

namespace lkf {

// The compiler vectorises these loops for each target. Letting it reassociate the sums is what
// lets a float reduction use vector lanes at all, and sum the lanes as a tree at the end.
#if defined(__x86_64__)
#define LKF_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define LKF_CLONES  // other CPUs: one build for the compiler's target
#endif

LKF_CLONES float inner_product(const float *x, const float *y, size_t d) {
#pragma clang fp reassociate(on)
  float sum = 0;
  for (size_t i = 0; i < d; i++) sum += x[i] * y[i];
  return sum;
}

LKF_CLONES void inner_products_4(const float *q, const float *const rows[4], size_t d, float out[4]) {
#pragma clang fp reassociate(on)
  const float *r0 = rows[0], *r1 = rows[1], *r2 = rows[2], *r3 = rows[3];
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (size_t i = 0; i < d; i++) {
    s0 += q[i] * r0[i];
    s1 += q[i] * r1[i];
    s2 += q[i] * r2[i];
    s3 += q[i] * r3[i];
  }
  out[0] = s0, out[1] = s1, out[2] = s2, out[3] = s3;
}

// The same test the clones' resolver makes.
const char *inner_product_variant() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("x86-64-v4")) return "AVX-512";
  if (__builtin_cpu_supports("x86-64-v3")) return "AVX2";
  return "baseline x86-64";
#else
  return "the compiler's target";
#endif
}

}  // namespace lkf
