"""Python side of `make bench`'s header: the versions and BLAS the reference runs on."""
import re

import numpy
import torch

blas = numpy.__config__.CONFIG.get("Build Dependencies", {}).get("blas", {})
found = re.search(r"BLAS_INFO=([^,\s]*)", torch.__config__.show())
torch_blas = found.group(1) if found else "?"
print(f"Python reference: torch {torch.__version__} (BLAS {torch_blas}), numpy {numpy.__version__} "
      f"(BLAS {blas.get('name', '?')} {blas.get('version', '')})")
