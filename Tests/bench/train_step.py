"""Python side of `make bench`: median seconds of one training step (forward, cross-entropy,
backward, optimizer step), the same work as LookKit's train-step rows.
Usage: train_step.py smallcnn|resnet18 adamw|sgd THREADS BATCH SIZE REPEATS"""
import os, statistics, sys, time
import torch, torch.nn as nn, torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ModelsTests"))
from backbone_reference import BasicBlock, ResNet  # noqa: E402

name, optimizer = sys.argv[1:3]
threads, batch, size, repeats = (int(a) for a in sys.argv[3:7])
torch.set_num_threads(threads)
torch.manual_seed(0)

def stage(i, o, pool):
    return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(), pool]

class SmallCNN(nn.Module):
    """LookKit's Models.SmallCNN."""
    def __init__(self, classes=10, w=32):
        super().__init__()
        self.features = nn.Sequential(*stage(3, w, nn.MaxPool2d(2)), *stage(w, 2 * w, nn.MaxPool2d(2)),
                                      *stage(2 * w, 4 * w, nn.AdaptiveAvgPool2d(1)))
        self.classifier = nn.Linear(4 * w, classes)
    def forward(self, x): return self.classifier(self.features(x).flatten(1))

model = SmallCNN() if name == "smallcnn" else ResNet(BasicBlock, [2, 2, 2, 2], num_classes=10)
opt = (torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4) if optimizer == "adamw"
       else torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9))
x, y = torch.randn(batch, 3, size, size), torch.randint(0, 10, (batch,))

def step():
    opt.zero_grad()
    F.cross_entropy(model(x), y).backward()
    opt.step()

for _ in range(2): step()
times = []
for _ in range(repeats):
    t = time.perf_counter(); step(); times.append(time.perf_counter() - t)
print(statistics.median(times))
