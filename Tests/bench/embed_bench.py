"""Python side of `make bench`'s embedder row: median seconds of one photo (batch 1, SIZE²) through
the EfficientNet-Lite0 embedder in eval mode without gradients — the backbone of
Tests/ModelsTests/backbone_reference.py, LookKit's projection head (Linear → BatchNorm1d → ReLU →
Dropout → Linear) and L2 normalisation — read back to host memory.
Usage: embed_bench.py THREADS SIZE REPEATS"""
import math, os, statistics, sys, time
import torch, torch.nn as nn, torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ModelsTests"))
import backbone_reference as ref  # noqa: E402


def same_conv(self, x):
    """TensorFlow "SAME" padding, given to the convolution itself where it is symmetric (no copy),
    as LookKit's EfficientNetLite0 does and an idiomatic PyTorch port would."""
    pads = []
    for size, k, s in zip(x.shape[-2:], self.weight.shape[-2:], self.stride):
        total = max((math.ceil(size / s) - 1) * s + k - size, 0)
        pads.append((total // 2, total - total // 2))
    if all(a == b for a, b in pads):
        return F.conv2d(x, self.weight, None, self.stride, tuple(a for a, _ in pads), 1, self.groups)
    return F.conv2d(F.pad(x, [pads[1][0], pads[1][1], pads[0][0], pads[0][1]]), self.weight, None, self.stride, 0, 1, self.groups)


ref.SameConv2d.forward = same_conv


class Embedder(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = ref.EfficientNetLite0()
        self.head = nn.Sequential(nn.Linear(1280, 512), nn.BatchNorm1d(512), nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 128))

    def forward(self, x):
        return F.normalize(self.head(ref.run(self.backbone, x, "avgpool")[1]), dim=1)


threads, size, repeats = (int(a) for a in sys.argv[1:4])
torch.set_num_threads(threads)
torch.manual_seed(0)
model = Embedder().eval()
x = torch.rand(1, 3, size, size)
with torch.no_grad():
    for _ in range(3):
        model(x).numpy()
    times = []
    for _ in range(repeats):
        start = time.perf_counter(); model(x).numpy(); times.append(time.perf_counter() - start)
print(statistics.median(times))
