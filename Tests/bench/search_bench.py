"""Python side of `make bench`: exact cosine top-k with numpy over the same gallery and queries
as LookKit's search bench (.npy files it writes). Normalising the gallery is index building and
not timed; a search normalises the queries, takes one matrix product per chunk of queries (sized
so a chunk's scores stay within 128 MB, as LookKit's libtorch contender) and an argpartition top-k. Prints queries/s for the whole batch and for one query at a time.
Usage: search_bench.py GALLERY.npy QUERIES.npy K REPEATS SINGLE_QUERIES"""
import sys, time, statistics
import numpy as np

gallery_path, queries_path = sys.argv[1:3]
k, repeats, single = (int(a) for a in sys.argv[3:6])
gallery = np.load(gallery_path)
gallery = gallery / np.linalg.norm(gallery, axis=1, keepdims=True)
queries = np.load(queries_path)

def search(q, chunk=max(1, 2**25 // len(gallery))):
    q = q / np.linalg.norm(q, axis=1, keepdims=True)
    ids, scores = [], []
    for start in range(0, len(q), chunk):
        s = q[start:start + chunk] @ gallery.T
        top = np.argpartition(-s, k - 1, axis=1)[:, :k]
        top_scores = np.take_along_axis(s, top, 1)
        order = np.argsort(-top_scores, axis=1, kind="stable")
        ids.append(np.take_along_axis(top, order, 1))
        scores.append(np.take_along_axis(top_scores, order, 1))
    return np.concatenate(ids), np.concatenate(scores)

def rate(q, runs):
    search(q)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        search(q)
        times.append(time.perf_counter() - start)
    return len(q) / statistics.median(times)

def one_at_a_time():
    start = time.perf_counter()
    for i in range(single):
        search(queries[i:i + 1])
    return single / (time.perf_counter() - start)

print(rate(queries, repeats), statistics.median(one_at_a_time() for _ in range(repeats)))
