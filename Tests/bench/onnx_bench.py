"""Python side of `make bench`'s serving table: onnxruntime (CPU provider) on a LookKit export.
  onnx_bench.py FILE THREADS SIZE BATCH REPEATS
      prints two numbers: the median seconds of one image, and images per second at BATCH
      (the file must have a dynamic batch; inputs are seeded random pixels in [-1, 1])."""
import statistics, sys, time
import numpy as np
import onnxruntime as ort

path, threads, size, batch, repeats = sys.argv[1], *map(int, sys.argv[2:6])
options = ort.SessionOptions()
options.intra_op_num_threads, options.inter_op_num_threads = threads, 1
session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
name = session.get_inputs()[0].name
rng = np.random.default_rng(0)


def timed(x):
    session.run(None, {name: x})
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        session.run(None, {name: x})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


one = timed(rng.uniform(-1, 1, (1, 3, size, size)).astype(np.float32))
many = timed(rng.uniform(-1, 1, (batch, 3, size, size)).astype(np.float32))
print(one, batch / many)
