// C interface to the parts of FAISS that LookKit's Search layer uses. Every function catches C++
// exceptions: on failure it returns NULL or -1 and lkf_last_error() says why (per thread).
#pragma once
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lkf_index_opaque *lkf_index;

typedef enum { LKF_FLAT = 0, LKF_IVF_FLAT = 1, LKF_HNSW = 2 } lkf_kind;

/// The last error raised on this thread ("" when none).
const char *lkf_last_error(void);
/// The FAISS version this shim was compiled against, e.g. "1.7.3".
const char *lkf_version(void);
/// The vector kernels LookKit's own HNSW / IVF search loops run on this CPU, e.g. "AVX-512".
const char *lkf_search_kernels(void);

// Inner-product indexes keyed by caller-chosen 64-bit ids.
lkf_index lkf_new_flat_ip(int dim);
lkf_index lkf_new_ivf_flat_ip(int dim, int nlist, int nprobe);
lkf_index lkf_new_hnsw_ip(int dim, int m, int ef_construction, int ef_search);
void lkf_free(lkf_index index);

/// Kind and its parameters: (nlist, nprobe, 0) for IVF, (M, efSearch, efConstruction) for HNSW, zeros for flat.
int lkf_describe(lkf_index index, int *kind, int *param1, int *param2, int *param3);
int lkf_dimension(lkf_index index);
int64_t lkf_ntotal(lkf_index index);
int lkf_is_trained(lkf_index index);
/// Sets nprobe (IVF) or efSearch (HNSW); no-op for flat.
int lkf_set_search_breadth(lkf_index index, int value);

int lkf_train(lkf_index index, int64_t n, const float *vectors);
int lkf_add(lkf_index index, int64_t n, const float *vectors, const int64_t *ids);
/// Top-k by inner product for n queries; missing results get id -1. HNSW and IVF-Flat run
/// LookKit's search loops (FAISS's algorithms on vector kernels for this CPU), the rest FAISS's.
int lkf_search(lkf_index index, int64_t n, const float *queries, int64_t k, float *scores, int64_t *ids);
/// The same search run by FAISS itself: the reference lkf_search is tested against.
int lkf_search_faiss(lkf_index index, int64_t n, const float *queries, int64_t k, float *scores, int64_t *ids);
/// Exact top-k by inner product of n queries among `rows` row-major gallery vectors (no index
/// object: the caller keeps the rows), restricted to rows with allowed[row] != 0 when `allowed` is
/// not NULL. row_ids are row numbers, -1 (score -inf or lowest float) past the allowed rows.
/// A few queries are scanned with LookKit's vector kernels on `threads` threads (0: OpenMP's
/// count); many run FAISS's blocked BLAS search.
int lkf_exact_search(const float *gallery, int64_t rows, int dim, const uint8_t *allowed, int64_t n, const float *queries, int64_t k,
                     int threads, float *scores, int64_t *row_ids);
/// The stored vector of `id` into out[dim].
int lkf_reconstruct(lkf_index index, int64_t id, float *out);

int lkf_write(lkf_index index, const char *path);
lkf_index lkf_read(const char *path);

#ifdef __cplusplus
}
#endif
