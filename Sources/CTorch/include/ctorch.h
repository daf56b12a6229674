// CTorch: a thin C boundary over libtorch (the only code in LookKit that includes it).
//
// Ownership: every lk_tensor returned is owned by the caller and released with lk_free.
// Errors: no call ever lets a C++ exception escape. A failing call returns NULL (tensor results)
// or -1 (int results) and leaves the message in a thread-local string read by lk_last_error.
#ifndef CTORCH_H
#define CTORCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lk_tensor_s *lk_tensor;

typedef enum {
  LK_FLOAT32 = 0, LK_FLOAT16, LK_BFLOAT16, LK_FLOAT64, LK_INT64, LK_INT32, LK_UINT8, LK_BOOL
} lk_dtype;

typedef enum { LK_CPU = 0, LK_CUDA = 1 } lk_device_type;

typedef enum {
  LK_NEG, LK_ABS, LK_EXP, LK_LOG, LK_LOG1P, LK_SQRT, LK_RSQRT, LK_RECIPROCAL, LK_SIGN,
  LK_FLOOR, LK_CEIL, LK_ROUND, LK_SIN, LK_COS, LK_ATAN, LK_ERF,
  LK_RELU, LK_RELU6, LK_SILU, LK_SIGMOID, LK_TANH, LK_HARDSWISH, LK_HARDSIGMOID, LK_GELU,
  LK_SOFTPLUS, LK_LOGICAL_NOT, LK_ISNAN
} lk_unary_op;

typedef enum {
  LK_ADD, LK_SUB, LK_MUL, LK_DIV, LK_POW, LK_MAXIMUM, LK_MINIMUM, LK_REMAINDER,
  LK_EQ, LK_NE, LK_LT, LK_LE, LK_GT, LK_GE, LK_LOGICAL_AND, LK_LOGICAL_OR
} lk_binary_op;

typedef enum {
  LK_SUM, LK_MEAN, LK_AMAX, LK_AMIN, LK_PROD, LK_VAR, LK_STD, LK_LOGSUMEXP, LK_ALL, LK_ANY
} lk_reduce_op;

typedef enum { LK_REDUCTION_NONE = 0, LK_REDUCTION_MEAN = 1, LK_REDUCTION_SUM = 2 } lk_reduction;

// Errors, threads, devices, randomness.
const char *lk_last_error(void);
void lk_free(lk_tensor t);
int lk_set_num_threads(int n);
int lk_get_num_threads(void);
// libtorch's build configuration (at::show_config: BLAS, CPU capability…), malloc'd; the caller frees it.
char *lk_show_config(void);
int lk_cuda_is_available(void);
int lk_cuda_device_count(void);
int lk_manual_seed(uint64_t seed);
// A device's default generator state as a uint8 tensor, and back (for bit-exact resume).
lk_tensor lk_get_rng_state(int device, int index);
int lk_set_rng_state(int device, int index, lk_tensor state);
// Mixed precision: ops on `device` run in `dtype` where autocast deems it safe. Calls pair
// (enable, then disable); the last disable drops the cache of low-precision weight copies.
int lk_set_autocast(int device, int enabled, lk_dtype dtype);

// Creation (data is copied).
lk_tensor lk_from_data(const void *data, const int64_t *shape, int ndim, lk_dtype dtype);
lk_tensor lk_full(const int64_t *shape, int ndim, double value, lk_dtype dtype, int device, int index);
lk_tensor lk_arange(double start, double end, double step, lk_dtype dtype);
lk_tensor lk_rand(const int64_t *shape, int ndim, lk_dtype dtype, int device, int index);
lk_tensor lk_randn(const int64_t *shape, int ndim, lk_dtype dtype, int device, int index);
lk_tensor lk_randint(int64_t low, int64_t high, const int64_t *shape, int ndim, int device, int index);
lk_tensor lk_randperm(int64_t n, int device, int index);

// Inspection and transfer.
int lk_ndim(lk_tensor t);
int lk_shape(lk_tensor t, int64_t *out);  // out holds lk_ndim entries
int lk_dtype_of(lk_tensor t);
int lk_device_of(lk_tensor t, int *type, int *index);
int lk_copy_to(lk_tensor t, void *out, size_t bytes);  // contiguous CPU copy, t's dtype
lk_tensor lk_to(lk_tensor t, lk_dtype dtype, int device, int index);
char *lk_describe(lk_tensor t);  // free with lk_free_string
void lk_free_string(char *s);

// Elementwise.
lk_tensor lk_unary(lk_unary_op op, lk_tensor a);
lk_tensor lk_binary(lk_binary_op op, lk_tensor a, lk_tensor b);
lk_tensor lk_binary_scalar(lk_binary_op op, lk_tensor a, double s, int scalar_first);
lk_tensor lk_add_alpha(lk_tensor a, lk_tensor b, double alpha);  // a + alpha * b, one kernel (torch.add's alpha)
lk_tensor lk_clamp(lk_tensor a, double min, double max, int has_min, int has_max);
lk_tensor lk_where(lk_tensor cond, lk_tensor a, lk_tensor b);
lk_tensor lk_masked_fill(lk_tensor a, lk_tensor mask, double value);
lk_tensor lk_leaky_relu(lk_tensor a, double slope);

// In place, always outside autograd (optimizer and state updates).
int lk_copy_(lk_tensor dst, lk_tensor src);
int lk_fill_(lk_tensor t, double value);
int lk_mul_scalar_(lk_tensor t, double s);
int lk_scalar_op_(lk_binary_op op, lk_tensor t, double s);           // t = t op s for LK_ADD/SUB/MUL/DIV
int lk_add_scaled_(lk_tensor t, lk_tensor other, double alpha);       // t += alpha * other
int lk_addcmul_(lk_tensor t, lk_tensor a, lk_tensor b, double value); // t += value * a * b
int lk_addcdiv_(lk_tensor t, lk_tensor a, lk_tensor b, double value); // t += value * a / b
int lk_lerp_(lk_tensor t, lk_tensor end, double weight);              // t += weight * (end - t)

// Reductions, sorting.
lk_tensor lk_reduce(lk_reduce_op op, lk_tensor a, const int64_t *dims, int ndims, int keepdim);
lk_tensor lk_argmax(lk_tensor a, int64_t dim, int keepdim);
lk_tensor lk_argmin(lk_tensor a, int64_t dim, int keepdim);
int lk_topk(lk_tensor a, int64_t k, int64_t dim, int largest, int sorted, lk_tensor *values, lk_tensor *indices);
int lk_sort(lk_tensor a, int64_t dim, int descending, lk_tensor *values, lk_tensor *indices);
lk_tensor lk_norm(lk_tensor a, double p, const int64_t *dims, int ndims, int keepdim);
lk_tensor lk_cdist(lk_tensor a, lk_tensor b, double p);

// Shapes and indexing.
lk_tensor lk_reshape(lk_tensor a, const int64_t *shape, int ndim);
lk_tensor lk_permute(lk_tensor a, const int64_t *dims, int ndim);
lk_tensor lk_transpose(lk_tensor a, int64_t d0, int64_t d1);
lk_tensor lk_expand(lk_tensor a, const int64_t *shape, int ndim);
lk_tensor lk_repeat(lk_tensor a, const int64_t *repeats, int ndim);
lk_tensor lk_flip(lk_tensor a, const int64_t *dims, int ndims);
lk_tensor lk_squeeze(lk_tensor a, int64_t dim);
lk_tensor lk_unsqueeze(lk_tensor a, int64_t dim);
lk_tensor lk_contiguous(lk_tensor a);
lk_tensor lk_channels_last(lk_tensor a);
// Keeps freed memory in the process (no mmap for large blocks, no trimming): large activations are
// then reused instead of being mapped, zero-filled and unmapped at every step. Returns 1 when applied.
int lk_retain_freed_memory(void);  // NHWC strides, same shape (faster convolutions on CPU)
lk_tensor lk_clone(lk_tensor a);
lk_tensor lk_slice(lk_tensor a, int64_t dim, int64_t start, int64_t end, int64_t step);
lk_tensor lk_index_select(lk_tensor a, int64_t dim, lk_tensor index);
lk_tensor lk_gather(lk_tensor a, int64_t dim, lk_tensor index);
lk_tensor lk_scatter(lk_tensor a, int64_t dim, lk_tensor index, lk_tensor src);
lk_tensor lk_masked_select(lk_tensor a, lk_tensor mask);
lk_tensor lk_nonzero(lk_tensor a);
lk_tensor lk_cat(const lk_tensor *ts, int n, int64_t dim);
lk_tensor lk_stack(const lk_tensor *ts, int n, int64_t dim);
// Splits into pieces of the given sizes; writes n_sizes handles into out.
int lk_split(lk_tensor a, const int64_t *sizes, int n_sizes, int64_t dim, lk_tensor *out);

// Neural-network kernels (bias/weight arguments may be NULL where PyTorch allows None).
lk_tensor lk_conv2d(lk_tensor x, lk_tensor w, lk_tensor b, const int64_t *stride, const int64_t *padding,
                    const int64_t *dilation, int64_t groups);
lk_tensor lk_conv_transpose2d(lk_tensor x, lk_tensor w, lk_tensor b, const int64_t *stride, const int64_t *padding,
                              const int64_t *output_padding, const int64_t *dilation, int64_t groups);
lk_tensor lk_batch_norm(lk_tensor x, lk_tensor w, lk_tensor b, lk_tensor running_mean, lk_tensor running_var,
                        int training, double momentum, double eps);
lk_tensor lk_layer_norm(lk_tensor x, const int64_t *shape, int ndim, lk_tensor w, lk_tensor b, double eps);
lk_tensor lk_linear(lk_tensor x, lk_tensor w, lk_tensor b);
lk_tensor lk_matmul(lk_tensor a, lk_tensor b);
lk_tensor lk_max_pool2d(lk_tensor x, const int64_t *kernel, const int64_t *stride, const int64_t *padding,
                        const int64_t *dilation, int ceil_mode);
lk_tensor lk_avg_pool2d(lk_tensor x, const int64_t *kernel, const int64_t *stride, const int64_t *padding,
                        int ceil_mode, int count_include_pad);
lk_tensor lk_adaptive_avg_pool2d(lk_tensor x, const int64_t *output_size);
lk_tensor lk_adaptive_max_pool2d(lk_tensor x, const int64_t *output_size);
lk_tensor lk_upsample_nearest2d(lk_tensor x, const int64_t *output_size);
lk_tensor lk_pad(lk_tensor x, const int64_t *pad, int npad, double value);
lk_tensor lk_dropout(lk_tensor x, double p, int training);
lk_tensor lk_softmax(lk_tensor x, int64_t dim);
lk_tensor lk_log_softmax(lk_tensor x, int64_t dim);
lk_tensor lk_cross_entropy(lk_tensor logits, lk_tensor target, lk_tensor weight, lk_reduction reduction,
                           int64_t ignore_index, double label_smoothing);
lk_tensor lk_bce_with_logits(lk_tensor x, lk_tensor target, lk_tensor weight, lk_tensor pos_weight,
                             lk_reduction reduction);
lk_tensor lk_mse_loss(lk_tensor x, lk_tensor target, lk_reduction reduction);

// Autograd.
int lk_set_requires_grad(lk_tensor t, int requires_grad);
int lk_requires_grad(lk_tensor t);
int lk_grad(lk_tensor t, lk_tensor *out);  // *out = NULL when no gradient exists yet
int lk_set_grad(lk_tensor t, lk_tensor grad);  // grad may be NULL to clear it
int lk_backward(lk_tensor t, lk_tensor grad, int retain_graph);
lk_tensor lk_detach(lk_tensor t);
int lk_set_grad_enabled(int enabled);  // returns the previous mode
int lk_is_grad_enabled(void);

// Checkpoints in PyTorch's zip format (torch.save of a dict[str, Tensor]).
int lk_save_tensors(const char *path, const char *const *names, const lk_tensor *tensors, int n);
// Reads the `size` bytes of a checkpoint file at `bytes`. On success *names and *tensors are malloc'd
// arrays of *n entries; free them with lk_free_loaded.
int lk_load_tensors(const void *bytes, size_t size, int *n, char ***names, lk_tensor **tensors);
void lk_free_loaded(int n, char **names, lk_tensor *tensors);

#ifdef __cplusplus
}
#endif
#endif
