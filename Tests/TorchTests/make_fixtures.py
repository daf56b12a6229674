"""Writes Tests/TorchTests/Fixtures/parity.safetensors: inputs and PyTorch's outputs/gradients for the
Swift parity tests. Run with the project venv: .venv/bin/python Tests/TorchTests/make_fixtures.py
Everything is float64 where gradients are compared, so the check is not limited by float32 noise."""
import json, os, struct
import torch
import torch.nn.functional as F

torch.manual_seed(0)
out = {}

def put(name, t):
    out[name] = t.detach().clone().contiguous()  # clone: later in-place steps must not change it

def grads(fn, inputs, prefix):
    """Runs fn on leaf copies of inputs, back-propagates a fixed random upstream gradient."""
    leaves = {k: v.clone().requires_grad_(True) for k, v in inputs.items()}
    y = fn(**leaves)
    g = torch.randn_like(y)
    (y * g).sum().backward()
    for k, v in inputs.items():
        put(f"{prefix}.{k}", v)
        put(f"{prefix}.grad_{k}", leaves[k].grad)
    put(f"{prefix}.upstream", g)
    put(f"{prefix}.out", y)

D = torch.float64
grads(lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1), dict(x=torch.randn(2, 3, 8, 8, dtype=D), w=torch.randn(4, 3, 3, 3, dtype=D), b=torch.randn(4, dtype=D)), "conv")
grads(lambda x, w: F.conv2d(x, w, None, stride=1, padding=2, dilation=2, groups=3), dict(x=torch.randn(2, 3, 7, 7, dtype=D), w=torch.randn(6, 1, 3, 3, dtype=D)), "conv_grouped")
grads(lambda x, w, b: F.linear(x, w, b), dict(x=torch.randn(5, 7, dtype=D), w=torch.randn(3, 7, dtype=D), b=torch.randn(3, dtype=D)), "linear")
grads(lambda x: F.max_pool2d(x, 3, 2, 1), dict(x=torch.randn(2, 3, 9, 9, dtype=D)), "maxpool")
grads(lambda x: F.avg_pool2d(x, 2), dict(x=torch.randn(2, 3, 9, 9, dtype=D)), "avgpool")
grads(lambda x: F.adaptive_avg_pool2d(x, (3, 3)), dict(x=torch.randn(2, 3, 10, 10, dtype=D)), "adaptive")

# Batch norm in training mode: output, gradients and the updated running statistics; then eval.
x = torch.randn(4, 3, 5, 5, dtype=D)
bn = torch.nn.BatchNorm2d(3).double()
with torch.no_grad():
    bn.weight.copy_(torch.randn(3)); bn.bias.copy_(torch.randn(3))
    bn.running_mean.copy_(torch.randn(3)); bn.running_var.copy_(torch.rand(3) + 0.5)
for k, v in bn.state_dict().items():
    put(f"bn.before.{k}", v)
xl = x.clone().requires_grad_(True)
y = bn(xl); g = torch.randn_like(y); (y * g).sum().backward()
put("bn.x", x); put("bn.upstream", g); put("bn.out", y); put("bn.grad_x", xl.grad)
put("bn.grad_weight", bn.weight.grad); put("bn.grad_bias", bn.bias.grad)
for k, v in bn.state_dict().items():
    put(f"bn.after.{k}", v)
bn.eval(); put("bn.eval_out", bn(x))

# Losses.
logits = torch.randn(6, 4, dtype=D); target = torch.tensor([0, 3, 1, 1, 2, 3]); weight = torch.rand(4, dtype=D) + 0.5
put("ce.logits", logits); put("ce.target", target); put("ce.weight", weight)
put("ce.plain", F.cross_entropy(logits, target))
put("ce.smooth_weighted", F.cross_entropy(logits, target, weight=weight, label_smoothing=0.1))
bx = torch.randn(5, 3, dtype=D); by = torch.rand(5, 3, dtype=D).round(); pw = torch.rand(3, dtype=D) + 0.5
put("bce.x", bx); put("bce.y", by); put("bce.pos_weight", pw)
put("bce.out", F.binary_cross_entropy_with_logits(bx, by, pos_weight=pw))
put("mse.out", F.mse_loss(bx, by))
a, p, n = (torch.randn(8, 16, dtype=D) for _ in range(3))
put("triplet.a", a); put("triplet.p", p); put("triplet.n", n)
put("triplet.euclidean", F.triplet_margin_loss(a, p, n, margin=0.2))
cos = lambda u, v: 1 - F.cosine_similarity(u, v)
put("triplet.cosine", F.triplet_margin_with_distance_loss(a, p, n, distance_function=cos, margin=0.2))
sq = lambda u, v: (u - v).pow(2).sum(-1)
put("triplet.squared", F.triplet_margin_with_distance_loss(a, p, n, distance_function=sq, margin=0.2))

# Batch-hard triplet loss on a P×K batch (P = 3 classes, K = 4), as in Hermans et al.
emb = torch.randn(12, 8, dtype=D); lab = torch.arange(3).repeat_interleave(4)
put("bh.emb", emb); put("bh.labels", lab)
pairwise = {"euclidean": lambda e: torch.cdist(e, e), "squared": lambda e: torch.cdist(e, e) ** 2,
            "cosine": lambda e: 1 - F.normalize(e, dim=1, eps=1e-8) @ F.normalize(e, dim=1, eps=1e-8).T}
for key, dist in pairwise.items():
    e = emb.clone().requires_grad_(True); d = dist(e); same = lab[:, None] == lab[None, :]
    hp = d.masked_fill(~same, float("-inf")).amax(1); hn = d.masked_fill(same, float("inf")).amin(1)
    loss = F.relu(hp - hn + 0.2).mean(); loss.backward()
    put(f"bh.{key}", loss); put(f"bh.{key}.grad", e.grad)
    # Batch-all: every valid triplet, averaged over those violating the margin.
    e = emb.clone().requires_grad_(True); d = dist(e); n = len(lab)
    pos = same & ~torch.eye(n, dtype=torch.bool)
    valid = pos[:, :, None] & ~same[:, None, :]
    losses = F.relu(d[:, :, None] - d[:, None, :] + 0.2) * valid
    loss = losses.sum() / (losses > 1e-16).sum().clamp(min=1); loss.backward()
    put(f"ba.{key}", loss); put(f"ba.{key}.grad", e.grad)

# Optimizers: three steps from the same start with fixed gradients.
p0, p1 = torch.randn(4, 3, dtype=D), torch.randn(3, dtype=D)
steps = [(torch.randn(4, 3, dtype=D), torch.randn(3, dtype=D)) for _ in range(3)]
put("opt.p0", p0); put("opt.p1", p1)
for k, (g0, g1) in enumerate(steps):
    put(f"opt.g0.{k}", g0); put(f"opt.g1.{k}", g1)
configs = {
    "sgd": lambda ps: torch.optim.SGD(ps, lr=0.1),
    "sgd_momentum": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=1e-2),
    "sgd_nesterov": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-2),
    "adam": lambda ps: torch.optim.Adam(ps, lr=1e-2, weight_decay=1e-2),
    "adamw": lambda ps: torch.optim.AdamW(ps, lr=1e-2, weight_decay=0.1),
}
for name, make in configs.items():
    ps = [p0.clone().requires_grad_(True), p1.clone().requires_grad_(True)]
    opt = make(ps)
    for k, (g0, g1) in enumerate(steps):
        ps[0].grad, ps[1].grad = g0.clone(), g1.clone()
        opt.step()
        put(f"opt.{name}.{k}.p0", ps[0]); put(f"opt.{name}.{k}.p1", ps[1])

# Learning-rate schedules over 12 steps.
def lrs(make):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.5)
    sched = make(opt); values = []
    for _ in range(12):
        values.append(opt.param_groups[0]["lr"]); opt.step(); sched.step()
    return torch.tensor(values, dtype=D)
S = torch.optim.lr_scheduler
put("lr.step", lrs(lambda o: S.StepLR(o, step_size=4, gamma=0.5)))
put("lr.cosine", lrs(lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.01)))
put("lr.warmup_cosine", lrs(lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=3),
                                                         S.CosineAnnealingLR(o, T_max=9)], milestones=[3])))

# Minimal safetensors writer (the format: u64 header size, JSON header, raw little-endian data).
names = {torch.float64: "F64", torch.float32: "F32", torch.int64: "I64"}
header, blobs, offset = {}, [], 0
for k, t in out.items():
    b = t.numpy().tobytes()
    header[k] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
    blobs.append(b); offset += len(b)
h = json.dumps(header).encode(); h += b" " * ((8 - len(h) % 8) % 8)
path = os.path.join(os.path.dirname(__file__), "Fixtures", "parity.safetensors")
with open(path, "wb") as f:
    f.write(struct.pack("<Q", len(h))); f.write(h); f.write(b"".join(blobs))
print(f"wrote {len(out)} tensors to {path}")
