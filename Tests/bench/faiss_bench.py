"""Python side of `make bench`'s approximate-search rows: the same FAISS indexes as LookKit's (HNSW
and IVF-Flat over inner product on L2-normalised vectors, same parameters) built with the
`faiss-cpu` wheel on the same vectors. Prints, for HNSW then IVF, recall@10 against exact search and
the median one-query latency in ms (three rounds of one query per call over the first SINGLES queries).
Usage: faiss_bench.py GALLERY.npy QUERIES.npy THREADS SINGLES M EF_CONSTRUCTION EF_SEARCH NLIST NPROBE"""
import statistics, sys, time
import numpy as np
import faiss

gallery_path, queries_path = sys.argv[1:3]
threads, singles, m, ef_construction, ef_search, nlist, nprobe = (int(a) for a in sys.argv[3:10])
faiss.omp_set_num_threads(threads)
k = 10
gallery, queries = np.load(gallery_path), np.load(queries_path)
gallery /= np.linalg.norm(gallery, axis=1, keepdims=True)
queries /= np.linalg.norm(queries, axis=1, keepdims=True)
truth = np.argsort(-(queries @ gallery.T), axis=1, kind="stable")[:, :k]

hnsw = faiss.IndexHNSWFlat(gallery.shape[1], m, faiss.METRIC_INNER_PRODUCT)
hnsw.hnsw.efConstruction = ef_construction
hnsw.add(gallery)
hnsw.hnsw.efSearch = ef_search

quantizer = faiss.IndexFlatIP(gallery.shape[1])
ivf = faiss.IndexIVFFlat(quantizer, gallery.shape[1], nlist, faiss.METRIC_INNER_PRODUCT)
ivf.train(gallery)
ivf.add(gallery)
ivf.nprobe = nprobe


def recall(index):
    _, ids = index.search(queries, k)
    return np.mean([len(set(a) & set(b)) / k for a, b in zip(ids, truth)])


def latency_ms(index):
    rounds = []
    for _ in range(3):
        start = time.perf_counter()
        for i in range(singles):
            index.search(queries[i:i + 1], k)
        rounds.append((time.perf_counter() - start) / singles * 1000)
    return statistics.median(rounds)


print(recall(hnsw), latency_ms(hnsw), recall(ivf), latency_ms(ivf))
