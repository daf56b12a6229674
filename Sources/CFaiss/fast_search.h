// LookKit's one-query search loops over FAISS's own structures (HNSW graph, IVF lists): the same
// algorithms as faiss::HNSW::search and faiss::IndexIVF::search in the FAISS LookKit links, with
// the distance work on lkf::inner_product's vector kernels. Scores are inner products, best first.
#pragma once
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/impl/AuxIndexStructures.h>

namespace lkf {

using idx_t = faiss::Index::idx_t;

/// Top-k of an IndexHNSWFlat over inner product for one query; `visited` is sized to the index
/// and may be reused by later queries of the same thread. Unfilled slots get id -1.
void hnsw_search(const faiss::IndexHNSW &index, const float *query, int k, float *scores, idx_t *ids,
                 faiss::VisitedTable &visited);

/// Top-k of an IndexIVFFlat over inner product for one query, probing its nprobe best lists.
void ivf_search(const faiss::IndexIVFFlat &index, const float *query, int k, float *scores, idx_t *ids);

}  // namespace lkf
