#include <faiss/IndexFlat.h>
#include <faiss/invlists/InvertedLists.h>
#include <faiss/utils/Heap.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <vector>

#include "fast_search.h"
#include "inner_product.h"

namespace lkf {
namespace {

// Keeps the k largest scores seen (a min-heap: the weakest kept score on top).
struct TopScores {
  int k;
  float *scores;
  idx_t *ids;

  TopScores(int k, float *scores, idx_t *ids) : k(k), scores(scores), ids(ids) {
    faiss::minheap_heapify(k, scores, ids);
  }
  void offer(float score, idx_t id) {
    if (score > scores[0]) faiss::minheap_replace_top(k, scores, ids, score, id);
  }
  void finish() { faiss::minheap_reorder(k, scores, ids); }
};

// `count` rows of d floats, scored against the query four at a time. The scan runs at memory
// speed; asking for the rows 16 ahead keeps more lines in flight than the hardware prefetcher does.
template <typename Visit> void score_rows(const float *query, const float *rows, size_t count, size_t d, Visit &&visit) {
  const char *end = reinterpret_cast<const char *>(rows + count * d);
  size_t j = 0;
  for (; j + 4 <= count; j += 4) {
    const char *ahead = reinterpret_cast<const char *>(rows + std::min(j + 16, count) * d);
    for (const char *line = ahead; line < std::min(ahead + 4 * d * sizeof(float), end); line += 64) __builtin_prefetch(line);
    const float *four[4] = {rows + j * d, rows + (j + 1) * d, rows + (j + 2) * d, rows + (j + 3) * d};
    float products[4];
    inner_products_4(query, four, d, products);
    for (int t = 0; t < 4; t++) visit(j + t, products[t]);
  }
  for (; j < count; j++) visit(j, inner_product(query, rows + j * d, d));
}

}  // namespace

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
