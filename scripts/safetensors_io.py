"""safetensors written and read by hand (8-byte little-endian header length, JSON header padded to
8 bytes, raw little-endian data), so the converters need no package beyond torch."""
import json
import os
import sys

import torch

DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.int64: "I64"}


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


def write_checked(tensors, target, metadata):
    """Writes beside `target`, reads the file back and compares every tensor before it replaces
    `target`, so a failed conversion never leaves a damaged file under the final name."""
    os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
    partial = target + ".partial"
    write_safetensors(tensors, partial, metadata)
    back = read_safetensors(partial)
    if list(back) != list(tensors) or not all(torch.equal(back[k], tensors[k]) for k in tensors):
        os.remove(partial)
        sys.exit(f"{partial}: read-back differs from what was written")
    os.replace(partial, target)
