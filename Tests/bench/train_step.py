"""Python side of `make bench`: median seconds of one training step of the small CNN (same
architecture, optimizer and batch as LookKit's SmallCNN bench). Usage: train_step.py THREADS BATCH SIZE REPEATS"""
import sys, time, statistics
import torch, torch.nn as nn, torch.nn.functional as F

threads, batch, size, repeats = (int(a) for a in sys.argv[1:5])
torch.set_num_threads(threads)
torch.manual_seed(0)

def stage(i, o, pool):
    return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(), pool]

class SmallCNN(nn.Module):
    def __init__(self, classes=10, w=32):
        super().__init__()
        self.features = nn.Sequential(*stage(3, w, nn.MaxPool2d(2)), *stage(w, 2 * w, nn.MaxPool2d(2)),
                                      *stage(2 * w, 4 * w, nn.AdaptiveAvgPool2d(1)))
        self.classifier = nn.Linear(4 * w, classes)
    def forward(self, x): return self.classifier(self.features(x).flatten(1))

model = SmallCNN()
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
x, y = torch.randn(batch, 3, size, size), torch.randint(0, 10, (batch,))
def step():
    opt.zero_grad()
    F.cross_entropy(model(x), y).backward()
    opt.step()
for _ in range(5): step()
times = []
for _ in range(repeats):
    t = time.perf_counter(); step(); times.append(time.perf_counter() - t)
print(statistics.median(times))
