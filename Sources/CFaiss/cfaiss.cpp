#include "cfaiss.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/impl/io.h>
#include <faiss/invlists/InvertedLists.h>
#include <faiss/index_io.h>

#include <omp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <stdexcept>
#include <vector>

#include "fast_search.h"
#include "guard.h"
#include "inner_product.h"
#include "parallel.h"

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

namespace lkf {

using idx_t = faiss::Index::idx_t;

template <typename T> T read_value(faiss::VectorIOReader &reader) {
  T value;
  if (reader(&value, sizeof(T), 1) != 1) throw std::runtime_error("the file ends early");
  return value;
}

// A list of `count` items of `width` bytes must fit in what is left of the file: FAISS allocates
// (and zero-fills) whatever size a file declares up to 2^40 items before reading it.
void check_fits(const faiss::VectorIOReader &reader, uint64_t count, size_t width) {
  if (count > (reader.data.size() - reader.rp) / width) {
    throw std::runtime_error("declares " + std::to_string(count) + " items, more than the file holds");
  }
}

// The header faiss::write_index_header writes before every index.
void read_header(faiss::VectorIOReader &reader, faiss::Index &index) {
  index.d = read_value<int>(reader);
  index.ntotal = read_value<idx_t>(reader);
  read_value<idx_t>(reader);  // two unused fields
  read_value<idx_t>(reader);
  index.is_trained = read_value<uint8_t>(reader) != 0;
  index.metric_type = static_cast<faiss::MetricType>(read_value<int>(reader));
  if (index.metric_type > 1) index.metric_arg = read_value<float>(reader);
  if (index.d <= 0 || index.ntotal < 0) throw std::runtime_error("its header declares dimension " + std::to_string(index.d));
}

// A flat index's vector list is checked against the file before faiss::read_index allocates it.
void check_flat(faiss::VectorIOReader &reader) {
  const size_t start = reader.rp;
  const auto kind = read_value<uint32_t>(reader);
  if (kind == faiss::fourcc("IxFI") || kind == faiss::fourcc("IxF2")) {
    faiss::IndexFlat header;
    read_header(reader, header);
    const auto floats = read_value<uint64_t>(reader);
    check_fits(reader, floats, sizeof(float));
    if (floats != static_cast<uint64_t>(header.ntotal) * static_cast<uint64_t>(header.d)) {
      throw std::runtime_error("its vectors do not fill " + std::to_string(header.ntotal) + " rows");
    }
  }
  reader.rp = start;
}

// FAISS sizes its arrays from the counts a file declares before reading them (an IVF list, an
// HNSW level may declare up to 2^40 entries), so a damaged file could get the process killed for
// memory. While an index is read, the address space may grow only by a margin over the file's
// size: such a request then fails as std::bad_alloc, which the fence turns into an error.
class AddressSpaceLimit {
  rlimit saved_{};
  bool active_ = false;

 public:
  explicit AddressSpaceLimit(size_t margin) {
    long pages = 0;
    if (FILE *statm = std::fopen("/proc/self/statm", "r")) {
      if (std::fscanf(statm, "%ld", &pages) != 1) pages = 0;
      std::fclose(statm);
    }
    if (pages <= 0 || getrlimit(RLIMIT_AS, &saved_) != 0) return;
    rlimit limited = saved_;
    const rlim_t wanted = static_cast<rlim_t>(pages) * static_cast<rlim_t>(sysconf(_SC_PAGESIZE)) + margin;
    if (saved_.rlim_cur != RLIM_INFINITY && saved_.rlim_cur <= wanted) return;
    limited.rlim_cur = wanted;
    active_ = setrlimit(RLIMIT_AS, &limited) == 0;
  }
  ~AddressSpaceLimit() {
    if (active_) setrlimit(RLIMIT_AS, &saved_);
  }
};

// FAISS does not check a graph or an inverted file it reads; a damaged one is searched anyway,
// following ids out of bounds. The structure of the inner index is checked after reading.
void check_structure(const faiss::Index &index) {
  auto fail = [](const std::string &what) { throw std::runtime_error("its " + what + " is damaged"); };
  const auto n = index.ntotal;
  if (auto *flat = dynamic_cast<const faiss::IndexFlat *>(&index)) {
    if (flat->codes.size() != static_cast<size_t>(n) * flat->code_size) fail("vector list");
  } else if (auto *hnsw = dynamic_cast<const faiss::IndexHNSW *>(&index)) {
    const auto &g = hnsw->hnsw;
    if (!hnsw->storage || hnsw->storage->ntotal != n || hnsw->storage->d != index.d) fail("HNSW storage");
    check_structure(*hnsw->storage);
    if (g.levels.size() != static_cast<size_t>(n) || g.offsets.size() != static_cast<size_t>(n) + 1 || g.offsets[0] != 0) fail("HNSW level table");
    for (idx_t i = 0; i < n; i++) {
      const int level = g.levels[i];
      if (level < 1 || level > g.max_level + 1 || static_cast<size_t>(level) >= g.cum_nneighbor_per_level.size() ||
          g.offsets[i + 1] < g.offsets[i] || g.offsets[i + 1] - g.offsets[i] != static_cast<size_t>(g.cum_nneighbor_per_level[level])) {
        fail("HNSW node " + std::to_string(i));
      }
    }
    if (g.offsets[n] != g.neighbors.size()) fail("HNSW neighbour list");
    for (auto neighbour : g.neighbors) {
      if (neighbour < -1 || neighbour >= n) fail("HNSW neighbour list");
    }
    if (g.entry_point < -1 || g.entry_point >= n || (n > 0 && (g.entry_point < 0 || g.levels[g.entry_point] != g.max_level + 1))) {
      fail("HNSW entry point");
    }
    if (g.efSearch <= 0) fail("HNSW search setting");
  } else if (auto *ivf = dynamic_cast<const faiss::IndexIVF *>(&index)) {
    if (!ivf->quantizer || ivf->quantizer->ntotal != static_cast<idx_t>(ivf->nlist) || ivf->quantizer->d != index.d) fail("IVF quantizer");
    check_structure(*ivf->quantizer);
    if (ivf->nprobe == 0 || ivf->nprobe > ivf->nlist || !ivf->invlists || ivf->invlists->nlist != ivf->nlist) fail("IVF settings");
    size_t total = 0;
    for (size_t list = 0; list < ivf->nlist; list++) {
      const size_t size = ivf->invlists->list_size(list);
      total += size;
      const idx_t *ids = ivf->invlists->get_ids(list);
      for (size_t k = 0; k < size; k++) {
        if (ids[k] < 0 || ids[k] >= n) fail("IVF list " + std::to_string(list));
      }
      ivf->invlists->release_ids(list, ids);
      auto *arrays = dynamic_cast<const faiss::ArrayInvertedLists *>(ivf->invlists);
      if (!arrays || arrays->codes[list].size() != size * ivf->code_size) fail("IVF list " + std::to_string(list));
    }
    if (total != static_cast<size_t>(n)) fail("IVF list sizes");
  } else {
    throw std::runtime_error("not an index kind LookKit writes");
  }
}

// faiss::read_index trusts an IndexIDMap2's declared ntotal when it builds the reverse id map,
// reading far past the id list of a damaged file; so LookKit reads that wrapper itself (the layout
// faiss::write_index writes) and checks it against the index inside before building the map.
faiss::IndexIDMap2 *read_id_map(const char *path) {
  faiss::VectorIOReader reader;
  {
    faiss::FileIOReader file(path);
    std::vector<uint8_t> chunk(1 << 16);
    while (size_t n = file(chunk.data(), 1, chunk.size())) reader.data.insert(reader.data.end(), chunk.begin(), chunk.begin() + n);
  }
  if (read_value<uint32_t>(reader) != faiss::fourcc("IxM2")) {
    throw std::runtime_error("not a LookKit FAISS index (expected an IndexIDMap2)");
  }
  auto map = std::make_unique<faiss::IndexIDMap2>();
  read_header(reader, *map);
  check_flat(reader);
  {
    // Eight times the file (an index never needs more than a few) plus room for FAISS itself.
    AddressSpaceLimit limit(8 * reader.data.size() + (size_t{512} << 20));
    map->index = faiss::read_index(&reader);
  }
  map->own_fields = true;
  check_structure(*map->index);
  const auto ids = read_value<uint64_t>(reader);
  check_fits(reader, ids, sizeof(idx_t));
  if (ids != static_cast<uint64_t>(map->ntotal) || map->index->d != map->d || map->index->ntotal != map->ntotal) {
    throw std::runtime_error("its header (" + std::to_string(map->ntotal) + " vectors of dimension " + std::to_string(map->d) +
                             ") disagrees with its contents");
  }
  // Every LookKit index scores by inner product (vectors are normalised: cosine).
  if (map->metric_type != faiss::METRIC_INNER_PRODUCT || map->index->metric_type != faiss::METRIC_INNER_PRODUCT) {
    throw std::runtime_error("not an inner-product index");
  }
  map->id_map.resize(ids);
  if (reader(map->id_map.data(), sizeof(idx_t), ids) != ids) throw std::runtime_error("the file ends early");
  map->construct_rev_map();
  return map.release();
}

// FAISS's own search, as FAISS runs it.
void faiss_search(const faiss::IndexIDMap2 &map, int64_t n, const float *queries, int64_t k, float *scores, int64_t *ids) {
  // A few queries cannot keep an OpenMP team busy; starting one costs more than the search
  // (milliseconds when the cores are shared), so they run on the calling thread.
  with_omp_threads(n < 4 ? 1 : omp_get_max_threads(), [&] { map.search(n, queries, k, scores, reinterpret_cast<idx_t *>(ids)); });
}

// LookKit's search loops (fast_search.h) cover HNSW and IVF-Flat in the settings LookKit makes;
// anything else (the flat index; a graph searched with other options) is searched by FAISS.
bool has_own_search(const faiss::Index &inner) {
  if (auto *hnsw = dynamic_cast<const faiss::IndexHNSWFlat *>(&inner)) {
    const auto &g = hnsw->hnsw;
    return g.upper_beam == 1 && g.search_bounded_queue && g.check_relative_distance;
  }
  return dynamic_cast<const faiss::IndexIVFFlat *>(&inner) != nullptr;
}

// One visited table per thread, kept between calls: making and zeroing one per query costs as
// much as a small search. hnsw_search starts each query with a new mark, so what an earlier
// (or failed) search left in it does not count.
faiss::VisitedTable &visited_table(idx_t nodes) {
  thread_local std::unique_ptr<faiss::VisitedTable> table;
  if (!table || table->visited.size() != static_cast<size_t>(nodes)) table = std::make_unique<faiss::VisitedTable>(static_cast<int>(nodes));
  return *table;
}

void own_search(const faiss::IndexIDMap2 &map, int64_t n, const float *queries, int64_t k, float *scores, int64_t *ids) {
  const faiss::Index &inner = *map.index;
  const int kk = static_cast<int>(std::min<int64_t>(k, std::numeric_limits<int>::max()));
  // Fewer than four queries stay on the calling thread, as in faiss_search.
  parallel_ranges(n, n < 4 ? 1 : omp_get_max_threads(), [&](int64_t, int64_t first, int64_t last) {
    auto *hnsw = dynamic_cast<const faiss::IndexHNSWFlat *>(&inner);
    for (int64_t q = first; q < last; q++) {
      float *row_scores = scores + q * k;
      idx_t *row_ids = reinterpret_cast<idx_t *>(ids) + q * k;
      if (hnsw) {
        hnsw_search(*hnsw, queries + q * inner.d, kk, row_scores, row_ids, visited_table(inner.ntotal));
      } else {
        ivf_search(dynamic_cast<const faiss::IndexIVFFlat &>(inner), queries + q * inner.d, kk, row_scores, row_ids);
      }
      for (int64_t r = 0; r < k; r++) {
        if (r >= kk) row_scores[r] = -std::numeric_limits<float>::infinity(), row_ids[r] = -1;
        if (row_ids[r] >= 0) row_ids[r] = map.id_map.at(row_ids[r]);
      }
    }
  });
}

}  // namespace lkf

extern "C" {

const char *lkf_last_error(void) { return last_error.c_str(); }

#define LKF_STRING(x) #x
#define LKF_VERSION(major, minor, patch) LKF_STRING(major) "." LKF_STRING(minor) "." LKF_STRING(patch)
const char *lkf_version(void) { return LKF_VERSION(FAISS_VERSION_MAJOR, FAISS_VERSION_MINOR, FAISS_VERSION_PATCH); }

const char *lkf_search_kernels(void) { return lkf::inner_product_variant(); }

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
    if (lkf::has_own_search(*M(index)->index)) {
      lkf::own_search(*M(index), n, queries, k, scores, ids);
    } else {
      lkf::faiss_search(*M(index), n, queries, k, scores, ids);
    }
  });
}

int lkf_exact_search(const float *gallery, int64_t rows, int dim, const uint8_t *allowed, int64_t n, const float *queries, int64_t k,
                     int threads, float *scores, int64_t *row_ids) {
  return lkf::fence_i([&] {
    check_dim(dim);
    if (k <= 0 || k > std::numeric_limits<int>::max()) throw std::invalid_argument("k must be between 1 and 2^31 - 1");
    if (rows < 0 || n < 0) throw std::invalid_argument("negative row or query count");
    lkf::exact_search(gallery, rows, static_cast<size_t>(dim), allowed, n, queries, static_cast<int>(k),
                      threads > 0 ? threads : omp_get_max_threads(), scores, reinterpret_cast<idx_t *>(row_ids));
  });
}

int lkf_search_faiss(lkf_index index, int64_t n, const float *queries, int64_t k, float *scores, int64_t *ids) {
  return lkf::fence_i([&] {
    if (k <= 0) throw std::invalid_argument("k must be positive");
    lkf::faiss_search(*M(index), n, queries, k, scores, ids);
  });
}

int lkf_reconstruct(lkf_index index, int64_t id, float *out) {
  return lkf::fence_i([&] { M(index)->reconstruct(id, out); });
}

int lkf_write(lkf_index index, const char *path) {
  return lkf::fence_i([&] { faiss::write_index(M(index), path); });
}

lkf_index lkf_read(const char *path) {
  return lkf::fence<lkf_index>(nullptr, [&] { return reinterpret_cast<lkf_index>(lkf::read_id_map(path)); });
}

}  // extern "C"
