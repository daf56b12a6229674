"""Python side of `make bench`'s header: the versions, BLAS and thread counts the reference runs on."""
import os
import re

import numpy
import torch

blas = numpy.__config__.CONFIG.get("Build Dependencies", {}).get("blas", {})
found = re.search(r"BLAS_INFO=([^,\s]*)", torch.__config__.show())
torch_blas = found.group(1) if found else "?"
try:
    import faiss
    faiss_info = f"faiss-cpu {faiss.__version__} ({faiss.get_compile_options().strip()}, its own OpenBLAS)"
except ImportError:
    faiss_info = "faiss-cpu not installed"
print(f"Python reference: torch {torch.__version__} (BLAS {torch_blas}, {torch.get_num_threads()} threads), "
      f"numpy {numpy.__version__} (BLAS {blas.get('name', '?')} {blas.get('version', '')}, "
      f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}), {faiss_info}")
