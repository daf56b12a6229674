// LookKit's one-query search loops over FAISS's own structures (HNSW graph, IVF lists): the same
// algorithms as faiss::HNSW::search and faiss::IndexIVF::search in the FAISS LookKit links, with
// the distance work on lkf::inner_product's vector kernels; and the exact search over a plain
// row-major gallery. Scores are inner products, best first.
#pragma once
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/impl/AuxIndexStructures.h>

#include <cstdint>

namespace lkf {

using idx_t = faiss::Index::idx_t;

/// Top-k of an IndexHNSWFlat over inner product for one query; `visited` is sized to the index
/// and may be reused by later queries of the same thread. Unfilled slots get id -1.
void hnsw_search(const faiss::IndexHNSW &index, const float *query, int k, float *scores, idx_t *ids,
                 faiss::VisitedTable &visited);

/// Top-k of an IndexIVFFlat over inner product for one query, probing its nprobe best lists.
void ivf_search(const faiss::IndexIVFFlat &index, const float *query, int k, float *scores, idx_t *ids);

/// Exact top-k of nq queries among `rows` gallery rows (only those with allowed[row] != 0 when
/// `allowed` is given); ids are row numbers, -1 where fewer than k rows are allowed. Fewer than
/// FAISS's BLAS threshold of queries are scanned on `threads` (≥ 1) threads; more run FAISS's BLAS search.
void exact_search(const float *gallery, int64_t rows, size_t d, const uint8_t *allowed, int64_t nq, const float *queries, int k,
                  int threads, float *scores, idx_t *row_ids);

}  // namespace lkf
