// Tensor creation, elementwise math, reductions, shapes, nn kernels and autograd over ATen.
// ATen (not <torch/torch.h>) keeps this file's compile at ~10 s.
#include <ATen/ATen.h>
#include <climits>
#include <malloc.h>
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <c10/core/GradMode.h>
#include <cstring>
#include <sstream>
#include <vector>
#include "guard.h"

using lk::T;
using lk::fence_i;
using lk::fence_t;
using lk::ints;
using lk::opt;

namespace lk {

thread_local std::string last_error;
void set_error(const std::string &message) { last_error = message; }

at::ScalarType scalar_type(lk_dtype d) {
  switch (d) {
    case LK_FLOAT32: return at::kFloat;
    case LK_FLOAT16: return at::kHalf;
    case LK_BFLOAT16: return at::kBFloat16;
    case LK_FLOAT64: return at::kDouble;
    case LK_INT64: return at::kLong;
    case LK_INT32: return at::kInt;
    case LK_UINT8: return at::kByte;
    case LK_BOOL: return at::kBool;
  }
  throw std::invalid_argument("unknown dtype code " + std::to_string(static_cast<int>(d)));
}

lk_dtype lk_type(at::ScalarType s) {
  switch (s) {
    case at::kFloat: return LK_FLOAT32;
    case at::kHalf: return LK_FLOAT16;
    case at::kBFloat16: return LK_BFLOAT16;
    case at::kDouble: return LK_FLOAT64;
    case at::kLong: return LK_INT64;
    case at::kInt: return LK_INT32;
    case at::kByte: return LK_UINT8;
    case at::kBool: return LK_BOOL;
    default: throw std::invalid_argument(std::string("unsupported dtype ") + c10::toString(s));
  }
}

at::Device device(int type, int index) {
  if (type == LK_CPU) return at::Device(at::kCPU);
  if (type == LK_CUDA) return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
  throw std::invalid_argument("unknown device type " + std::to_string(type));
}

// A Python-number-like scalar: type promotion treats it as a scalar, not as a 0-d tensor.
static at::Tensor wrapped(double s) {
  auto t = at::scalar_tensor(s, at::kDouble);
  t.unsafeGetTensorImpl()->set_wrapped_number(true);
  return t;
}

static at::Tensor binary(lk_binary_op op, const at::Tensor &a, const at::Tensor &b) {
  switch (op) {
    case LK_ADD: return at::add(a, b);
    case LK_SUB: return at::sub(a, b);
    case LK_MUL: return at::mul(a, b);
    case LK_DIV: return at::div(a, b);
    case LK_POW: return at::pow(a, b);
    case LK_MAXIMUM: return at::maximum(a, b);
    case LK_MINIMUM: return at::minimum(a, b);
    case LK_REMAINDER: return at::remainder(a, b);
    case LK_EQ: return at::eq(a, b);
    case LK_NE: return at::ne(a, b);
    case LK_LT: return at::lt(a, b);
    case LK_LE: return at::le(a, b);
    case LK_GT: return at::gt(a, b);
    case LK_GE: return at::ge(a, b);
    case LK_LOGICAL_AND: return at::logical_and(a, b);
    case LK_LOGICAL_OR: return at::logical_or(a, b);
  }
  throw std::invalid_argument("unknown binary op " + std::to_string(static_cast<int>(op)));
}

static at::Tensor unary(lk_unary_op op, const at::Tensor &a) {
  switch (op) {
    case LK_NEG: return at::neg(a);
    case LK_ABS: return at::abs(a);
    case LK_EXP: return at::exp(a);
    case LK_LOG: return at::log(a);
    case LK_LOG1P: return at::log1p(a);
    case LK_SQRT: return at::sqrt(a);
    case LK_RSQRT: return at::rsqrt(a);
    case LK_RECIPROCAL: return at::reciprocal(a);
    case LK_SIGN: return at::sign(a);
    case LK_FLOOR: return at::floor(a);
    case LK_CEIL: return at::ceil(a);
    case LK_ROUND: return at::round(a);
    case LK_SIN: return at::sin(a);
    case LK_COS: return at::cos(a);
    case LK_ATAN: return at::atan(a);
    case LK_ERF: return at::erf(a);
    case LK_RELU: return at::relu(a);
    case LK_RELU6: return at::hardtanh(a, 0, 6);
    case LK_SILU: return at::silu(a);
    case LK_SIGMOID: return at::sigmoid(a);
    case LK_TANH: return at::tanh(a);
    case LK_HARDSWISH: return at::hardswish(a);
    case LK_HARDSIGMOID: return at::hardsigmoid(a);
    case LK_GELU: return at::gelu(a);
    case LK_SOFTPLUS: return at::softplus(a);
    case LK_LOGICAL_NOT: return at::logical_not(a);
    case LK_ISNAN: return at::isnan(a);
  }
  throw std::invalid_argument("unknown unary op " + std::to_string(static_cast<int>(op)));
}

static at::Tensor reduce(lk_reduce_op op, const at::Tensor &a, at::IntArrayRef dims, bool keep) {
  bool all = dims.empty();
  switch (op) {
    case LK_SUM: return all ? at::sum(a) : at::sum(a, dims, keep);
    case LK_MEAN: return all ? at::mean(a) : at::mean(a, dims, keep);
    case LK_AMAX: return at::amax(a, dims, keep);
    case LK_AMIN: return at::amin(a, dims, keep);
    case LK_VAR: return at::var(a, all ? at::OptionalIntArrayRef() : dims, true, keep);
    case LK_STD: return at::std(a, all ? at::OptionalIntArrayRef() : dims, true, keep);
    case LK_LOGSUMEXP: {
      std::vector<int64_t> every(a.dim());
      for (int64_t i = 0; i < a.dim(); ++i) every[i] = i;
      return at::logsumexp(a, all ? at::IntArrayRef(every) : dims, keep);
    }
    case LK_PROD: case LK_ALL: case LK_ANY: {
      if (all) return op == LK_PROD ? at::prod(a) : op == LK_ALL ? at::all(a) : at::any(a);
      // These take one dim at a time; reduce from the last so earlier indices stay valid.
      std::vector<int64_t> sorted(dims.begin(), dims.end());
      for (auto &d : sorted) d = c10::maybe_wrap_dim(d, a.dim());
      std::sort(sorted.rbegin(), sorted.rend());
      at::Tensor r = a;
      for (auto d : sorted) r = op == LK_PROD ? at::prod(r, d, keep) : op == LK_ALL ? at::all(r, d, keep) : at::any(r, d, keep);
      return r;
    }
  }
  throw std::invalid_argument("unknown reduction " + std::to_string(static_cast<int>(op)));
}

}  // namespace lk

extern "C" {

const char *lk_last_error(void) { return lk::last_error.c_str(); }
void lk_free(lk_tensor t) { delete reinterpret_cast<at::Tensor *>(t); }
int lk_set_num_threads(int n) { return fence_i([&] { at::set_num_threads(n); }); }
int lk_get_num_threads(void) { return at::get_num_threads(); }
char *lk_show_config(void) {
    try { return strdup(at::show_config().c_str()); } catch (...) { return nullptr; }
}
int lk_cuda_is_available(void) { return lk::fence<int>(0, [] { return at::globalContext().hasCUDA() ? 1 : 0; }); }
int lk_cuda_device_count(void) {
  return lk::fence<int>(0, [] { return static_cast<int>(at::detail::getCUDAHooks().deviceCount()); });
}
int lk_manual_seed(uint64_t seed) { return fence_i([&] { at::manual_seed(seed); }); }
// The default generator of a device; a CUDA one throws where libtorch has no CUDA.
static at::Generator default_generator(int device, int index) {
  return at::globalContext().defaultGenerator(lk::device(device, index));
}
lk_tensor lk_get_rng_state(int device, int index) {
  return fence_t([&] {
    auto generator = default_generator(device, index);
    std::lock_guard<std::mutex> lock(generator.mutex());
    return generator.get_state();
  });
}
int lk_set_rng_state(int device, int index, lk_tensor state) {
  return fence_i([&] {
    auto generator = default_generator(device, index);
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(T(state));
  });
}
int lk_set_autocast(int device, int enabled, lk_dtype dtype) {
  return fence_i([&] {
    auto type = lk::device(device, 0).type();
    if (enabled) {
      at::autocast::set_autocast_dtype(type, lk::scalar_type(dtype));
      at::autocast::set_autocast_enabled(type, true);
      at::autocast::increment_nesting();
    } else {
      at::autocast::set_autocast_enabled(type, false);
      // As torch.autocast's exit does: the low-precision copies of weights cached during the
      // region would be stale after the optimizer step.
      if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    }
  });
}

// Creation.
static at::TensorOptions options(lk_dtype dtype, int device, int index) {
  return at::TensorOptions().dtype(lk::scalar_type(dtype)).device(lk::device(device, index));
}
lk_tensor lk_from_data(const void *data, const int64_t *shape, int ndim, lk_dtype dtype) {
  return fence_t([&] {
    return at::from_blob(const_cast<void *>(data), ints(shape, ndim), at::TensorOptions().dtype(lk::scalar_type(dtype))).clone();
  });
}
lk_tensor lk_full(const int64_t *shape, int ndim, double value, lk_dtype dtype, int device, int index) {
  return fence_t([&] { return at::full(ints(shape, ndim), value, options(dtype, device, index)); });
}
lk_tensor lk_arange(double start, double end, double step, lk_dtype dtype) {
  return fence_t([&] { return at::arange(start, end, step, at::TensorOptions().dtype(lk::scalar_type(dtype))); });
}
lk_tensor lk_rand(const int64_t *shape, int ndim, lk_dtype dtype, int device, int index) {
  return fence_t([&] { return at::rand(ints(shape, ndim), options(dtype, device, index)); });
}
lk_tensor lk_randn(const int64_t *shape, int ndim, lk_dtype dtype, int device, int index) {
  return fence_t([&] { return at::randn(ints(shape, ndim), options(dtype, device, index)); });
}
lk_tensor lk_randint(int64_t low, int64_t high, const int64_t *shape, int ndim, int device, int index) {
  return fence_t([&] { return at::randint(low, high, ints(shape, ndim), options(LK_INT64, device, index)); });
}
lk_tensor lk_randperm(int64_t n, int device, int index) {
  return fence_t([&] { return at::randperm(n, options(LK_INT64, device, index)); });
}

// Inspection and transfer.
int lk_ndim(lk_tensor t) { return static_cast<int>(T(t).dim()); }
int lk_shape(lk_tensor t, int64_t *out) {
  return fence_i([&] { auto s = T(t).sizes(); std::copy(s.begin(), s.end(), out); });
}
int lk_dtype_of(lk_tensor t) { return lk::fence<int>(-1, [&] { return static_cast<int>(lk::lk_type(T(t).scalar_type())); }); }
int lk_device_of(lk_tensor t, int *type, int *index) {
  return fence_i([&] {
    auto d = T(t).device();
    *type = d.is_cuda() ? LK_CUDA : LK_CPU;
    *index = d.has_index() ? d.index() : 0;
  });
}
int lk_copy_to(lk_tensor t, void *out, size_t bytes) {
  return fence_i([&] {
    auto c = T(t).detach().to(at::kCPU).contiguous();
    TORCH_CHECK(c.nbytes() == bytes, "copy_to: tensor holds ", c.nbytes(), " bytes, buffer has ", bytes);
    std::memcpy(out, c.data_ptr(), bytes);
  });
}
lk_tensor lk_to(lk_tensor t, lk_dtype dtype, int device, int index) {
  return fence_t([&] { return T(t).to(lk::device(device, index), lk::scalar_type(dtype)); });
}
char *lk_describe(lk_tensor t) {
  return lk::fence<char *>(nullptr, [&] { std::ostringstream os; os << T(t); return strdup(os.str().c_str()); });
}
void lk_free_string(char *s) { free(s); }

// Elementwise.
lk_tensor lk_unary(lk_unary_op op, lk_tensor a) { return fence_t([&] { return lk::unary(op, T(a)); }); }
lk_tensor lk_binary(lk_binary_op op, lk_tensor a, lk_tensor b) { return fence_t([&] { return lk::binary(op, T(a), T(b)); }); }
lk_tensor lk_binary_scalar(lk_binary_op op, lk_tensor a, double s, int scalar_first) {
  return fence_t([&] { return scalar_first ? lk::binary(op, lk::wrapped(s), T(a)) : lk::binary(op, T(a), lk::wrapped(s)); });
}
lk_tensor lk_add_alpha(lk_tensor a, lk_tensor b, double alpha) { return fence_t([&] { return at::add(T(a), T(b), alpha); }); }
lk_tensor lk_clamp(lk_tensor a, double min, double max, int has_min, int has_max) {
  return fence_t([&] {
    return at::clamp(T(a), has_min ? std::optional<at::Scalar>(min) : std::nullopt,
                     has_max ? std::optional<at::Scalar>(max) : std::nullopt);
  });
}
lk_tensor lk_where(lk_tensor c, lk_tensor a, lk_tensor b) { return fence_t([&] { return at::where(T(c), T(a), T(b)); }); }
lk_tensor lk_masked_fill(lk_tensor a, lk_tensor mask, double v) { return fence_t([&] { return at::masked_fill(T(a), T(mask), v); }); }
lk_tensor lk_leaky_relu(lk_tensor a, double slope) { return fence_t([&] { return at::leaky_relu(T(a), slope); }); }

// In place, outside autograd.
int lk_copy_(lk_tensor d, lk_tensor s) { return lk::fence_nograd([&] { T(d).copy_(T(s)); }); }
int lk_fill_(lk_tensor t, double v) { return lk::fence_nograd([&] { T(t).fill_(v); }); }
int lk_mul_scalar_(lk_tensor t, double s) { return lk::fence_nograd([&] { T(t).mul_(s); }); }
int lk_scalar_op_(lk_binary_op op, lk_tensor t, double s) {
  return lk::fence_nograd([&] {
    auto &x = T(t);
    // Integer tensors (counters) take an integral scalar, as Python's `+= 1` does.
    const at::Scalar v = x.is_floating_point() ? at::Scalar(s) : at::Scalar(static_cast<int64_t>(s));
    switch (op) {
      case LK_ADD: x.add_(v); break;
      case LK_SUB: x.sub_(v); break;
      case LK_MUL: x.mul_(v); break;
      case LK_DIV: x.div_(v); break;
      default: throw std::invalid_argument("in-place scalar op must be add, sub, mul or div");
    }
  });
}
int lk_add_scaled_(lk_tensor t, lk_tensor o, double alpha) {
  // Integer tensors (counters) take an integral alpha only.
  return lk::fence_nograd([&] { T(t).add_(T(o), T(t).is_floating_point() ? at::Scalar(alpha) : at::Scalar(static_cast<int64_t>(alpha))); });
}
int lk_addcmul_(lk_tensor t, lk_tensor a, lk_tensor b, double v) { return lk::fence_nograd([&] { T(t).addcmul_(T(a), T(b), v); }); }
int lk_addcdiv_(lk_tensor t, lk_tensor a, lk_tensor b, double v) { return lk::fence_nograd([&] { T(t).addcdiv_(T(a), T(b), v); }); }
int lk_lerp_(lk_tensor t, lk_tensor e, double w) { return lk::fence_nograd([&] { T(t).lerp_(T(e), w); }); }

// Reductions, sorting.
lk_tensor lk_reduce(lk_reduce_op op, lk_tensor a, const int64_t *dims, int ndims, int keepdim) {
  return fence_t([&] { return lk::reduce(op, T(a), ints(dims, ndims), keepdim != 0); });
}
lk_tensor lk_argmax(lk_tensor a, int64_t dim, int keep) { return fence_t([&] { return at::argmax(T(a), dim, keep != 0); }); }
lk_tensor lk_argmin(lk_tensor a, int64_t dim, int keep) { return fence_t([&] { return at::argmin(T(a), dim, keep != 0); }); }
int lk_topk(lk_tensor a, int64_t k, int64_t dim, int largest, int sorted, lk_tensor *values, lk_tensor *indices) {
  return fence_i([&] {
    auto [v, i] = at::topk(T(a), k, dim, largest != 0, sorted != 0);
    *values = lk::wrap(v);
    *indices = lk::wrap(i);
  });
}
int lk_sort(lk_tensor a, int64_t dim, int descending, lk_tensor *values, lk_tensor *indices) {
  return fence_i([&] {
    auto [v, i] = at::sort(T(a), /*stable=*/true, dim, descending != 0);
    *values = lk::wrap(v);
    *indices = lk::wrap(i);
  });
}
lk_tensor lk_norm(lk_tensor a, double p, const int64_t *dims, int ndims, int keepdim) {
  return fence_t([&] {
    return at::linalg_vector_norm(T(a), p, ndims ? at::OptionalIntArrayRef(ints(dims, ndims)) : std::nullopt, keepdim != 0);
  });
}
lk_tensor lk_cdist(lk_tensor a, lk_tensor b, double p) { return fence_t([&] { return at::cdist(T(a), T(b), p); }); }

// Shapes and indexing.
lk_tensor lk_reshape(lk_tensor a, const int64_t *s, int n) { return fence_t([&] { return T(a).reshape(ints(s, n)); }); }
lk_tensor lk_permute(lk_tensor a, const int64_t *d, int n) { return fence_t([&] { return T(a).permute(ints(d, n)); }); }
lk_tensor lk_transpose(lk_tensor a, int64_t d0, int64_t d1) { return fence_t([&] { return T(a).transpose(d0, d1); }); }
lk_tensor lk_expand(lk_tensor a, const int64_t *s, int n) { return fence_t([&] { return T(a).expand(ints(s, n)); }); }
lk_tensor lk_repeat(lk_tensor a, const int64_t *r, int n) { return fence_t([&] { return T(a).repeat(ints(r, n)); }); }
lk_tensor lk_flip(lk_tensor a, const int64_t *d, int n) { return fence_t([&] { return T(a).flip(ints(d, n)); }); }
lk_tensor lk_squeeze(lk_tensor a, int64_t d) { return fence_t([&] { return T(a).squeeze(d); }); }
lk_tensor lk_unsqueeze(lk_tensor a, int64_t d) { return fence_t([&] { return T(a).unsqueeze(d); }); }
lk_tensor lk_contiguous(lk_tensor a) { return fence_t([&] { return T(a).contiguous(); }); }
int lk_retain_freed_memory(void) {
    // glibc maps every block over 32 MB afresh (then zero-fills it page by page) and unmaps it when
    // freed: on batches of 416² activations that was a third of the run in page faults.
    return mallopt(M_MMAP_MAX, 0) == 1 && mallopt(M_TRIM_THRESHOLD, INT_MAX) == 1 ? 1 : 0;
}
lk_tensor lk_channels_last(lk_tensor a) { return fence_t([&] { return T(a).contiguous(at::MemoryFormat::ChannelsLast); }); }
lk_tensor lk_clone(lk_tensor a) { return fence_t([&] { return T(a).clone(); }); }
lk_tensor lk_slice(lk_tensor a, int64_t dim, int64_t start, int64_t end, int64_t step) {
  return fence_t([&] { return T(a).slice(dim, start, end, step); });
}
lk_tensor lk_index_select(lk_tensor a, int64_t dim, lk_tensor i) { return fence_t([&] { return at::index_select(T(a), dim, T(i)); }); }
lk_tensor lk_gather(lk_tensor a, int64_t dim, lk_tensor i) { return fence_t([&] { return at::gather(T(a), dim, T(i)); }); }
lk_tensor lk_scatter(lk_tensor a, int64_t dim, lk_tensor i, lk_tensor s) { return fence_t([&] { return at::scatter(T(a), dim, T(i), T(s)); }); }
lk_tensor lk_masked_select(lk_tensor a, lk_tensor m) { return fence_t([&] { return at::masked_select(T(a), T(m)); }); }
lk_tensor lk_nonzero(lk_tensor a) { return fence_t([&] { return at::nonzero(T(a)); }); }
static std::vector<at::Tensor> list(const lk_tensor *ts, int n) {
  std::vector<at::Tensor> v;
  v.reserve(n);
  for (int i = 0; i < n; ++i) v.push_back(T(ts[i]));
  return v;
}
lk_tensor lk_cat(const lk_tensor *ts, int n, int64_t dim) { return fence_t([&] { return at::cat(list(ts, n), dim); }); }
lk_tensor lk_stack(const lk_tensor *ts, int n, int64_t dim) { return fence_t([&] { return at::stack(list(ts, n), dim); }); }
int lk_split(lk_tensor a, const int64_t *sizes, int n, int64_t dim, lk_tensor *out) {
  return fence_i([&] {
    auto parts = at::split_with_sizes(T(a), ints(sizes, n), dim);
    for (int i = 0; i < n; ++i) out[i] = lk::wrap(parts[i]);
  });
}

// Neural-network kernels.
lk_tensor lk_conv2d(lk_tensor x, lk_tensor w, lk_tensor b, const int64_t *stride, const int64_t *padding,
                    const int64_t *dilation, int64_t groups) {
  return fence_t([&] { return at::conv2d(T(x), T(w), opt(b), ints(stride, 2), ints(padding, 2), ints(dilation, 2), groups); });
}
lk_tensor lk_conv_transpose2d(lk_tensor x, lk_tensor w, lk_tensor b, const int64_t *stride, const int64_t *padding,
                              const int64_t *output_padding, const int64_t *dilation, int64_t groups) {
  return fence_t([&] {
    return at::conv_transpose2d(T(x), T(w), opt(b), ints(stride, 2), ints(padding, 2), ints(output_padding, 2), groups,
                                ints(dilation, 2));
  });
}
lk_tensor lk_batch_norm(lk_tensor x, lk_tensor w, lk_tensor b, lk_tensor rm, lk_tensor rv, int training, double momentum,
                        double eps) {
  return fence_t([&] {
    return at::batch_norm(T(x), opt(w), opt(b), opt(rm), opt(rv), training != 0, momentum, eps, /*cudnn_enabled=*/true);
  });
}
lk_tensor lk_layer_norm(lk_tensor x, const int64_t *shape, int ndim, lk_tensor w, lk_tensor b, double eps) {
  return fence_t([&] { return at::layer_norm(T(x), ints(shape, ndim), opt(w), opt(b), eps); });
}
lk_tensor lk_linear(lk_tensor x, lk_tensor w, lk_tensor b) { return fence_t([&] { return at::linear(T(x), T(w), opt(b)); }); }
lk_tensor lk_matmul(lk_tensor a, lk_tensor b) { return fence_t([&] { return at::matmul(T(a), T(b)); }); }
lk_tensor lk_max_pool2d(lk_tensor x, const int64_t *k, const int64_t *s, const int64_t *p, const int64_t *d, int ceil) {
  return fence_t([&] { return at::max_pool2d(T(x), ints(k, 2), ints(s, 2), ints(p, 2), ints(d, 2), ceil != 0); });
}
lk_tensor lk_avg_pool2d(lk_tensor x, const int64_t *k, const int64_t *s, const int64_t *p, int ceil, int include_pad) {
  return fence_t([&] { return at::avg_pool2d(T(x), ints(k, 2), ints(s, 2), ints(p, 2), ceil != 0, include_pad != 0); });
}
lk_tensor lk_adaptive_avg_pool2d(lk_tensor x, const int64_t *o) { return fence_t([&] { return at::adaptive_avg_pool2d(T(x), ints(o, 2)); }); }
lk_tensor lk_adaptive_max_pool2d(lk_tensor x, const int64_t *o) {
  return fence_t([&] { return std::get<0>(at::adaptive_max_pool2d(T(x), ints(o, 2))); });
}
lk_tensor lk_upsample_nearest2d(lk_tensor x, const int64_t *o) {
  return fence_t([&] { return at::upsample_nearest2d(T(x), ints(o, 2), std::nullopt, std::nullopt); });
}
lk_tensor lk_pad(lk_tensor x, const int64_t *pad, int n, double v) { return fence_t([&] { return at::constant_pad_nd(T(x), ints(pad, n), v); }); }
lk_tensor lk_dropout(lk_tensor x, double p, int training) { return fence_t([&] { return at::dropout(T(x), p, training != 0); }); }
lk_tensor lk_softmax(lk_tensor x, int64_t dim) { return fence_t([&] { return at::softmax(T(x), dim); }); }
lk_tensor lk_log_softmax(lk_tensor x, int64_t dim) { return fence_t([&] { return at::log_softmax(T(x), dim); }); }
lk_tensor lk_cross_entropy(lk_tensor logits, lk_tensor target, lk_tensor weight, lk_reduction reduction,
                           int64_t ignore_index, double label_smoothing) {
  return fence_t([&] {
    return at::cross_entropy_loss(T(logits), T(target), opt(weight), reduction, ignore_index, label_smoothing);
  });
}
lk_tensor lk_bce_with_logits(lk_tensor x, lk_tensor y, lk_tensor weight, lk_tensor pos_weight, lk_reduction reduction) {
  return fence_t([&] { return at::binary_cross_entropy_with_logits(T(x), T(y), opt(weight), opt(pos_weight), reduction); });
}
lk_tensor lk_mse_loss(lk_tensor x, lk_tensor y, lk_reduction reduction) { return fence_t([&] { return at::mse_loss(T(x), T(y), reduction); }); }

// Autograd.
int lk_set_requires_grad(lk_tensor t, int r) { return fence_i([&] { T(t).set_requires_grad(r != 0); }); }
int lk_requires_grad(lk_tensor t) { return T(t).requires_grad() ? 1 : 0; }
int lk_grad(lk_tensor t, lk_tensor *out) {
  return fence_i([&] {
    const auto &g = T(t).grad();
    *out = g.defined() ? lk::wrap(g) : nullptr;
  });
}
int lk_set_grad(lk_tensor t, lk_tensor g) {
  return fence_i([&] {
    if (g) T(t).mutable_grad() = T(g);
    else T(t).mutable_grad().reset();
  });
}
int lk_backward(lk_tensor t, lk_tensor grad, int retain) {
  return fence_i([&] { T(t).backward(opt(grad), retain ? std::optional<bool>(true) : std::nullopt); });
}
lk_tensor lk_detach(lk_tensor t) { return fence_t([&] { return T(t).detach(); }); }
int lk_set_grad_enabled(int enabled) {
  bool previous = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(enabled != 0);
  return previous ? 1 : 0;
}
int lk_is_grad_enabled(void) { return c10::GradMode::is_enabled() ? 1 : 0; }

}  // extern "C"
