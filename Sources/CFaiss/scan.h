// The pieces every LookKit scan over stored rows shares: a top-k heap and a prefetching scorer.
#pragma once
#include <faiss/utils/Heap.h>

#include <algorithm>
#include <cstddef>

#include "inner_product.h"

namespace lkf {

/// Keeps the k largest scores seen (a min-heap: the weakest kept score on top). Unfilled slots
/// hold id -1; finish() sorts best first.
struct TopScores {
  int k;
  float *scores;
  faiss::Index::idx_t *ids;

  TopScores(int k, float *scores, faiss::Index::idx_t *ids) : k(k), scores(scores), ids(ids) {
    faiss::minheap_heapify(k, scores, ids);
  }
  void offer(float score, faiss::Index::idx_t id) {
    if (score > scores[0]) faiss::minheap_replace_top(k, scores, ids, score, id);
  }
  void finish() { faiss::minheap_reorder(k, scores, ids); }
};

/// `count` rows of d floats, scored against the query four at a time; visit(row, score) for each.
/// The scan runs at memory speed; asking for the rows 16 ahead keeps more lines in flight than the
/// hardware prefetcher does.
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

}  // namespace lkf
