#include <faiss/IndexFlat.h>
#include <faiss/invlists/InvertedLists.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <vector>

#include "fast_search.h"
#include "scan.h"

namespace lkf {

// faiss::IndexIVF::search's default path: the nprobe lists whose centroids score highest, then
// every vector of those lists into one top-k heap.
void ivf_search(const faiss::IndexIVFFlat &index, const float *query, int k, float *scores, idx_t *ids) {
  const auto *centroids = dynamic_cast<const faiss::IndexFlat *>(index.quantizer);
  if (!centroids) throw std::invalid_argument("IVF quantizer is not a flat index");
  if (!index.is_trained || centroids->ntotal != static_cast<idx_t>(index.nlist)) throw std::invalid_argument("the IVF index is not trained");
  const size_t d = index.d;
  const int nprobe = static_cast<int>(std::min(index.nprobe, index.nlist));

  std::vector<float> list_scores(nprobe);
  std::vector<idx_t> lists(nprobe);
  TopScores best_lists(nprobe, list_scores.data(), lists.data());
  score_rows(query, centroids->get_xb(), index.nlist, d, [&](size_t list, float s) { best_lists.offer(s, idx_t(list)); });
  best_lists.finish();

  TopScores best(k, scores, ids);
  for (const idx_t list : lists) {
    if (list < 0) continue;
    const size_t size = index.invlists->list_size(list);
    if (size == 0) continue;
    faiss::InvertedLists::ScopedCodes codes(index.invlists, list);
    faiss::InvertedLists::ScopedIds list_ids(index.invlists, list);
    score_rows(query, reinterpret_cast<const float *>(codes.get()), size, d,
               [&](size_t j, float s) { best.offer(s, list_ids[j]); });
  }
  best.finish();
}

}  // namespace lkf
