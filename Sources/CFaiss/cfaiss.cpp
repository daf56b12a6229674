#include "cfaiss.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/index_io.h>

#include <omp.h>

#include <memory>
#include <stdexcept>

#include "guard.h"

namespace {

thread_local std::string last_error;

using idx_t = faiss::Index::idx_t;

// Every LookKit index is an IndexIDMap2 (caller ids, reconstruct by id) over one inner index.
faiss::IndexIDMap2 *M(lkf_index index) {
  if (!index) throw std::invalid_argument("null FAISS index handle");
  return reinterpret_cast<faiss::IndexIDMap2 *>(index);
}

lkf_index wrap(faiss::Index *inner) {
  std::unique_ptr<faiss::Index> owned(inner);
  auto *map = new faiss::IndexIDMap2(owned.get());
  map->own_fields = true;
  owned.release();
  return reinterpret_cast<lkf_index>(map);
}

void check_dim(int dim) {
  if (dim <= 0) throw std::invalid_argument("dimension must be positive, got " + std::to_string(dim));
}

}  // namespace

void lkf::set_error(const std::string &message) { last_error = message; }

extern "C" {

const char *lkf_last_error(void) { return last_error.c_str(); }

lkf_index lkf_new_flat_ip(int dim) {
  return lkf::fence<lkf_index>(nullptr, [&] {
    check_dim(dim);
    return wrap(new faiss::IndexFlatIP(dim));
  });
}

lkf_index lkf_new_ivf_flat_ip(int dim, int nlist, int nprobe) {
  return lkf::fence<lkf_index>(nullptr, [&] {
    check_dim(dim);
    if (nlist <= 0 || nprobe <= 0) throw std::invalid_argument("nlist and nprobe must be positive");
    auto quantizer = std::make_unique<faiss::IndexFlatIP>(dim);
    auto ivf = std::make_unique<faiss::IndexIVFFlat>(quantizer.get(), dim, nlist, faiss::METRIC_INNER_PRODUCT);
    quantizer.release();
    ivf->own_fields = true;
    ivf->nprobe = nprobe;
    ivf->make_direct_map(true);  // reconstruct() for the exact fallback of filtered queries
    return wrap(ivf.release());
  });
}

lkf_index lkf_new_hnsw_ip(int dim, int m, int ef_construction, int ef_search) {
  return lkf::fence<lkf_index>(nullptr, [&] {
    check_dim(dim);
    if (m <= 0 || ef_construction <= 0 || ef_search <= 0)
      throw std::invalid_argument("M, efConstruction and efSearch must be positive");
    auto hnsw = std::make_unique<faiss::IndexHNSWFlat>(dim, m, faiss::METRIC_INNER_PRODUCT);
    hnsw->hnsw.efConstruction = ef_construction;
    hnsw->hnsw.efSearch = ef_search;
    return wrap(hnsw.release());
  });
}

void lkf_free(lkf_index index) { delete reinterpret_cast<faiss::IndexIDMap2 *>(index); }

int lkf_describe(lkf_index index, int *kind, int *param1, int *param2, int *param3) {
  return lkf::fence_i([&] {
    faiss::Index *inner = M(index)->index;
    *param3 = 0;
    if (auto *ivf = dynamic_cast<faiss::IndexIVFFlat *>(inner)) {
      *kind = LKF_IVF_FLAT, *param1 = static_cast<int>(ivf->nlist), *param2 = static_cast<int>(ivf->nprobe);
    } else if (auto *hnsw = dynamic_cast<faiss::IndexHNSWFlat *>(inner)) {
      // M is the neighbour count of the upper levels; level 0 holds 2 * M.
      *kind = LKF_HNSW, *param1 = hnsw->hnsw.nb_neighbors(1), *param2 = hnsw->hnsw.efSearch;
      *param3 = hnsw->hnsw.efConstruction;
    } else if (dynamic_cast<faiss::IndexFlatIP *>(inner)) {
      *kind = LKF_FLAT, *param1 = 0, *param2 = 0;
    } else {
      throw std::runtime_error("unsupported inner FAISS index type");
    }
  });
}

int lkf_dimension(lkf_index index) {
  return lkf::fence<int>(-1, [&] { return static_cast<int>(M(index)->d); });
}

int64_t lkf_ntotal(lkf_index index) {
  return lkf::fence<int64_t>(-1, [&] { return static_cast<int64_t>(M(index)->ntotal); });
}

int lkf_is_trained(lkf_index index) {
  return lkf::fence<int>(-1, [&] { return M(index)->is_trained ? 1 : 0; });
}

int lkf_set_search_breadth(lkf_index index, int value) {
  return lkf::fence_i([&] {
    if (value <= 0) throw std::invalid_argument("search breadth must be positive");
    faiss::Index *inner = M(index)->index;
    if (auto *ivf = dynamic_cast<faiss::IndexIVFFlat *>(inner)) ivf->nprobe = value;
    if (auto *hnsw = dynamic_cast<faiss::IndexHNSWFlat *>(inner)) hnsw->hnsw.efSearch = value;
  });
}

int lkf_train(lkf_index index, int64_t n, const float *vectors) {
  return lkf::fence_i([&] {
    faiss::IndexIDMap2 *map = M(index);
    map->index->train(n, vectors);
    map->is_trained = map->index->is_trained;
  });
}

int lkf_add(lkf_index index, int64_t n, const float *vectors, const int64_t *ids) {
  return lkf::fence_i([&] {
    static_assert(sizeof(idx_t) == sizeof(int64_t), "FAISS ids are 64-bit");
    M(index)->add_with_ids(n, vectors, reinterpret_cast<const idx_t *>(ids));
  });
}

int lkf_search(lkf_index index, int64_t n, const float *queries, int64_t k, float *scores, int64_t *ids) {
  return lkf::fence_i([&] {
    if (k <= 0) throw std::invalid_argument("k must be positive");
    // A few queries cannot keep an OpenMP team busy; starting one costs more than the search
    // (milliseconds when the cores are shared), so they run on the calling thread.
    const int threads = omp_get_max_threads();
    if (n < 4) omp_set_num_threads(1);
    try {
      M(index)->search(n, queries, k, scores, reinterpret_cast<idx_t *>(ids));
    } catch (...) {
      omp_set_num_threads(threads);
      throw;
    }
    omp_set_num_threads(threads);
  });
}

int lkf_reconstruct(lkf_index index, int64_t id, float *out) {
  return lkf::fence_i([&] { M(index)->reconstruct(id, out); });
}

int lkf_write(lkf_index index, const char *path) {
  return lkf::fence_i([&] { faiss::write_index(M(index), path); });
}

lkf_index lkf_read(const char *path) {
  return lkf::fence<lkf_index>(nullptr, [&] {
    std::unique_ptr<faiss::Index> loaded(faiss::read_index(path));
    auto *map = dynamic_cast<faiss::IndexIDMap2 *>(loaded.get());
    if (!map) throw std::runtime_error("not a LookKit FAISS index (expected an IndexIDMap2)");
    loaded.release();
    return reinterpret_cast<lkf_index>(map);
  });
}

}  // extern "C"
