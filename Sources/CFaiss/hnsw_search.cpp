#include <faiss/IndexFlat.h>
#include <faiss/utils/Heap.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "fast_search.h"
#include "inner_product.h"

namespace lkf {
namespace {

using Node = faiss::HNSW::storage_idx_t;

// The graph with its stored vectors. Distances are negated inner products, as FAISS's HNSW keeps
// them for inner-product indexes (it always walks towards smaller distances).
struct Walk {
  const faiss::HNSW &graph;
  const float *vectors;
  size_t d;
  const float *query;

  const float *row(Node v) const { return vectors + static_cast<size_t>(v) * d; }
  float distance(Node v) const { return -inner_product(query, row(v), d); }

  // Greedy descent on one upper level: move to any closer neighbour until none is closer.
  void descend(int level, Node &nearest, float &nearest_distance) const {
    for (Node previous = -1; previous != nearest;) {
      previous = nearest;
      size_t begin, end;
      graph.neighbor_range(nearest, level, &begin, &end);
      for (size_t j = begin; j < end && graph.neighbors[j] >= 0; j++) {
        const Node v = graph.neighbors[j];
        const float dv = distance(v);
        if (dv < nearest_distance) nearest = v, nearest_distance = dv;
      }
    }
  }
};

// A neighbour's vector is a cache miss in a large gallery: ask for all of its lines at once.
inline void prefetch_row(const float *row, size_t d) {
  const char *bytes = reinterpret_cast<const char *>(row);
  for (size_t offset = 0; offset < d * sizeof(float); offset += 64) __builtin_prefetch(bytes + offset);
}

}  // namespace

// faiss::HNSW::search's default path (greedy upper levels, then a candidate queue of efSearch on
// level 0 with its relative-distance stop), visiting nodes and updating both heaps in the same
// order, so it returns what FAISS returns for the same distances. What differs is the distance
// work: a node's unvisited neighbours are gathered and prefetched first, then scored four at a time.
void hnsw_search(const faiss::IndexHNSW &index, const float *query, int k, float *scores, idx_t *ids,
                 faiss::VisitedTable &visited) {
  const auto *flat = dynamic_cast<const faiss::IndexFlat *>(index.storage);
  if (!flat) throw std::invalid_argument("HNSW storage is not a flat index");
  const faiss::HNSW &graph = index.hnsw;
  std::fill(scores, scores + k, -std::numeric_limits<float>::infinity());
  std::fill(ids, ids + k, idx_t{-1});
  if (graph.entry_point < 0) return;
  visited.advance();  // a new mark: nodes marked by earlier queries count as unvisited

  const Walk walk{graph, flat->get_xb(), static_cast<size_t>(index.d), query};
  Node nearest = graph.entry_point;
  float nearest_distance = walk.distance(nearest);
  for (int level = graph.max_level; level >= 1; level--) walk.descend(level, nearest, nearest_distance);

  // Level 0: `found` is a max-heap of the k smallest distances (FAISS's result heap).
  std::vector<float> found_distance(k);
  std::vector<idx_t> found_id(k);
  int found = 0;
  auto offer = [&](Node v, float dv) {
    if (found < k) {
      faiss::maxheap_push(++found, found_distance.data(), found_id.data(), dv, idx_t{v});
    } else if (dv < found_distance[0]) {
      faiss::maxheap_replace_top(found, found_distance.data(), found_id.data(), dv, idx_t{v});
    }
  };
  const int ef = graph.efSearch;
  faiss::HNSW::MinimaxHeap candidates(std::max(ef, k));
  candidates.push(nearest, nearest_distance);
  offer(nearest, nearest_distance);
  visited.set(nearest);

  std::vector<Node> fresh;
  while (candidates.size() > 0) {
    float d0 = 0;
    const Node v0 = candidates.pop_min(&d0);
    // FAISS's stop: efSearch queued candidates are already closer than the one just taken.
    if (candidates.count_below(d0) >= ef) break;
    size_t begin, end;
    graph.neighbor_range(v0, 0, &begin, &end);
    fresh.clear();
    for (size_t j = begin; j < end && graph.neighbors[j] >= 0; j++) {
      const Node v = graph.neighbors[j];
      if (visited.get(v)) continue;
      visited.set(v);
      prefetch_row(walk.row(v), walk.d);
      fresh.push_back(v);
    }
    size_t i = 0;
    for (; i + 4 <= fresh.size(); i += 4) {
      const float *rows[4] = {walk.row(fresh[i]), walk.row(fresh[i + 1]), walk.row(fresh[i + 2]), walk.row(fresh[i + 3])};
      float products[4];
      inner_products_4(query, rows, walk.d, products);
      for (int t = 0; t < 4; t++) {
        offer(fresh[i + t], -products[t]);
        candidates.push(fresh[i + t], -products[t]);
      }
    }
    for (; i < fresh.size(); i++) {
      const float dv = walk.distance(fresh[i]);
      offer(fresh[i], dv);
      candidates.push(fresh[i], dv);
    }
  }
  faiss::maxheap_reorder(found, found_distance.data(), found_id.data());
  for (int r = 0; r < found; r++) scores[r] = -found_distance[r], ids[r] = found_id[r];
}

}  // namespace lkf
