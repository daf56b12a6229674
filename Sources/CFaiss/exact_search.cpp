#include <faiss/utils/distances.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "fast_search.h"
#include "parallel.h"
#include "scan.h"

namespace lkf {
namespace {

// The allowed rows of [first, last) scored against one query into `top` (row numbers as ids).
void scan(const float *gallery, const uint8_t *allowed, size_t d, const float *query, int64_t first, int64_t last, TopScores &top) {
  score_rows(query, gallery + first * d, last - first, d, [&](size_t j, float score) {
    const int64_t row = first + static_cast<int64_t>(j);
    if (!allowed || allowed[row]) top.offer(score, row);
  });
}

// A few queries: each streams the gallery once through the vector kernels. Queries go to threads;
// a single query on several threads splits the rows (a large gallery is memory-bound, and two
// cores read it faster than one), each part keeping its own top k, merged at the end.
void scan_search(const float *gallery, int64_t rows, size_t d, const uint8_t *allowed, int64_t nq, const float *queries, int k,
                 int threads, float *scores, idx_t *row_ids) {
  if (nq >= threads) {
    parallel_ranges(nq, threads, [&](int64_t, int64_t first, int64_t last) {
      for (int64_t q = first; q < last; q++) {
        TopScores top(k, scores + q * k, row_ids + q * k);
        scan(gallery, allowed, d, queries + q * d, 0, rows, top);
        top.finish();
      }
    });
    return;
  }
  std::vector<float> part_scores(static_cast<size_t>(threads) * k);
  std::vector<idx_t> part_rows(part_scores.size());
  for (int64_t q = 0; q < nq; q++) {
    std::fill(part_rows.begin(), part_rows.end(), idx_t{-1});  // a part with no rows leaves its slots empty
    parallel_ranges(rows, threads, [&](int64_t part, int64_t first, int64_t last) {
      TopScores top(k, part_scores.data() + part * k, part_rows.data() + part * k);
      scan(gallery, allowed, d, queries + q * d, first, last, top);
    });
    TopScores merged(k, scores + q * k, row_ids + q * k);
    for (size_t i = 0; i < part_scores.size(); i++) {
      if (part_rows[i] >= 0) merged.offer(part_scores[i], part_rows[i]);
    }
    merged.finish();
  }
}

// Many queries: FAISS's blocked BLAS product with a heap per query (no full score matrix). A
// filter keeps only the allowed rows, gathered once: a copy costs less than the product.
void blas_search(const float *gallery, int64_t rows, size_t d, const uint8_t *allowed, int64_t nq, const float *queries, int k,
                 int threads, float *scores, idx_t *row_ids) {
  std::vector<float> kept;
  std::vector<idx_t> kept_rows;
  if (allowed && !std::all_of(allowed, allowed + rows, [](uint8_t a) { return a != 0; })) {
    for (int64_t row = 0; row < rows; row++) {
      if (!allowed[row]) continue;
      kept.insert(kept.end(), gallery + row * d, gallery + (row + 1) * d);
      kept_rows.push_back(row);
    }
    gallery = kept.data(), rows = static_cast<int64_t>(kept_rows.size());
  }
  if (rows == 0) {
    std::fill(scores, scores + nq * k, -std::numeric_limits<float>::infinity());
    std::fill(row_ids, row_ids + nq * k, idx_t{-1});
    return;
  }
  with_omp_threads(threads, [&] { faiss::knn_inner_product(queries, gallery, d, nq, rows, k, scores, row_ids); });
  if (kept_rows.empty()) return;
  for (int64_t i = 0; i < nq * k; i++) {
    if (row_ids[i] >= 0) row_ids[i] = kept_rows[row_ids[i]];
  }
}

}  // namespace

void exact_search(const float *gallery, int64_t rows, size_t d, const uint8_t *allowed, int64_t nq, const float *queries, int k,
                  int threads, float *scores, idx_t *row_ids) {
  // FAISS's own switch point between its per-query kernels and BLAS.
  const bool few = nq < faiss::distance_compute_blas_threshold;
  (few ? scan_search : blas_search)(gallery, rows, d, allowed, nq, queries, k, threads, scores, row_ids);
}

}  // namespace lkf
