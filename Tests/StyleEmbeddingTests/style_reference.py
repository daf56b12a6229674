"""Plain-torch reference of the style embedder's distances (StyleEmbedderTests).
  style_reference.py IN.safetensors OUT.pt
IN holds the heads' weights (global.*, local.*, key.*, as LookKit names them) and the features
scene_pooled [N, C], scene_regions [N, R, C], product_pooled [N, C]; OUT gets global, local, attention."""
import json, sys
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_safetensors(path):
    data = open(path, "rb").read()
    length = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + length])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = (8 + length + o for o in info["data_offsets"])
        dtype = {"F32": torch.float32, "I64": torch.int64}[info["dtype"]]
        out[name] = torch.frombuffer(bytearray(data[start:end]), dtype=dtype).reshape(info["shape"])
    return out


def head(c, hidden, out):
    return nn.Sequential(nn.Linear(c, hidden), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Dropout(0.2), nn.Linear(hidden, out))


t = read_safetensors(sys.argv[1])
c, hidden, dim = t["global.0.weight"].shape[1], t["global.0.weight"].shape[0], t["global.4.weight"].shape[0]
heads = {}
for name in ["global", "local"]:
    h = head(c, hidden, dim)
    h.load_state_dict({k[len(name) + 1:]: v for k, v in t.items() if k.startswith(name + ".")})
    heads[name] = h.eval()
key = nn.Linear(c, t["key.weight"].shape[0])
key.load_state_dict({"weight": t["key.weight"], "bias": t["key.bias"]})
with torch.no_grad():
    sp, sr, pp = t["scene_pooled"], t["scene_regions"], t["product_pooled"]
    n, r, _ = sr.shape
    g = (F.normalize(heads["global"](sp), dim=1) - F.normalize(heads["global"](pp), dim=1)).pow(2).sum(1)
    regions = F.normalize(heads["local"](sr.reshape(n * r, c)), dim=1).reshape(n, r, -1)
    item = F.normalize(heads["local"](pp), dim=1)[:, None]
    attention = torch.softmax(-(key(sr) - key(pp)[:, None]).pow(2).sum(2), dim=1)
    local = (attention * (regions - item).pow(2).sum(2)).sum(1)
torch.save({"global": g, "local": local, "attention": attention}, sys.argv[2])
