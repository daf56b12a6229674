"""Python side of `make bench`: median seconds of one ResNet18 training step (SGD with momentum,
cross-entropy), the same work as LookKit's backbone bench. Reuses the plain-torch reference
ResNet of the parity tests. Usage: backbone_step.py THREADS BATCH SIZE REPEATS"""
import os, statistics, sys, time
import torch, torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ModelsTests"))
from backbone_reference import BasicBlock, ResNet  # noqa: E402

threads, batch, size, repeats = (int(a) for a in sys.argv[1:5])
torch.set_num_threads(threads)
torch.manual_seed(0)
model = ResNet(BasicBlock, [2, 2, 2, 2], num_classes=10)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
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
