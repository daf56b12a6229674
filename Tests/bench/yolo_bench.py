"""Python side of `make bench`'s detector rows, with the `yolov5` package (7.0.14) as the reference.
  yolo_bench.py train THREADS BATCH SIZE REPEATS   median s of a yolov5n (10 classes) training step:
      forward, ComputeLoss (hyp.scratch-low), backward, smart_optimizer SGD (Nesterov, 3 groups)
  yolo_bench.py detect THREADS SIZE DATA COUNT     img/s of letterbox + forward + NMS (conf 0.25, IoU 0.45)
      over COUNT photos of DATA/images (decoded first, as LookKit's row times it after decoding too)
  yolo_bench.py nms THREADS COUNT REPEATS          median s of greedy NMS (IoU 0.45) on COUNT boxes
The CPU torch has no torchvision::nms: the package's NMS runs with a greedy loop over a vectorised IoU."""
import logging, os, statistics, sys, time, warnings
import numpy as np
import torch

warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)
lib = torch.library.Library("torchvision", "DEF")
lib.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
lib.define("qnms(Tensor qdets, Tensor qscores, float iou_threshold) -> Tensor")
import torchvision  # noqa: E402
import yolov5  # noqa: E402
from yolov5.models.yolo import Model  # noqa: E402
from yolov5.utils.loss import ComputeLoss  # noqa: E402
from yolov5.utils.torch_utils import smart_optimizer  # noqa: E402
from yolov5.utils.augmentations import letterbox  # noqa: E402
from yolov5.utils import general  # noqa: E402

HYP = dict(lr0=0.01, momentum=0.937, weight_decay=0.0005, box=0.05, cls=0.5, cls_pw=1.0, obj=1.0, obj_pw=1.0,
           anchor_t=4.0, fl_gamma=0.0, label_smoothing=0.0)


def greedy_nms(boxes, scores, iou):
    order = scores.argsort(descending=True)
    boxes = boxes[order]
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    alive = torch.ones(len(boxes), dtype=torch.bool)
    keep = []
    for i in range(len(boxes)):
        if not alive[i]:
            continue
        keep.append(i)
        b = boxes[i]
        w = (torch.minimum(b[2], boxes[i + 1:, 2]) - torch.maximum(b[0], boxes[i + 1:, 0])).clamp(min=0)
        h = (torch.minimum(b[3], boxes[i + 1:, 3]) - torch.maximum(b[1], boxes[i + 1:, 1])).clamp(min=0)
        inter = w * h
        alive[i + 1:] &= inter / (area[i] + area[i + 1:] - inter) <= iou
    return order[torch.tensor(keep, dtype=torch.long)]


torchvision.ops.nms = greedy_nms
general.torchvision.ops.nms = greedy_nms


def model(classes=10):
    torch.manual_seed(0)
    return Model(os.path.join(os.path.dirname(yolov5.__file__), "models", "yolov5n.yaml"), ch=3, nc=classes)


def targets(batch):
    """The rows LookKit's bench builds: 4 boxes per image, placed by formula."""
    return torch.tensor([[i, (i + k) % 10, 0.2 + 0.15 * k, 0.3 + 0.1 * k, 0.1 + 0.05 * k, 0.2 + 0.05 * k]
                         for i in range(batch) for k in range(4)], dtype=torch.float32)


def train(batch, size, repeats):
    m = model()
    m.hyp = HYP
    m.train()
    loss_fn = ComputeLoss(m)
    opt = smart_optimizer(m, "SGD", HYP["lr0"], HYP["momentum"], HYP["weight_decay"])
    x, t = torch.rand(batch, 3, size, size), targets(batch)

    def step():
        opt.zero_grad()
        loss, _ = loss_fn(m(x), t)
        loss.backward()
        opt.step()

    for _ in range(2):
        step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter(); step(); times.append(time.perf_counter() - start)
    print(statistics.median(times))


def detect(size, data, count):
    import cv2
    m = model().eval()
    names = sorted(os.listdir(os.path.join(data, "images")))[:count]
    photos = [cv2.imread(os.path.join(data, "images", n))[:, :, ::-1] for n in names]
    def run():
        for i in range(0, len(photos), 16):
            batch = [letterbox(p, size, auto=False)[0] for p in photos[i:i + 16]]
            x = torch.from_numpy(np.ascontiguousarray(np.stack(batch).transpose(0, 3, 1, 2))).float() / 255
            with torch.no_grad():
                general.non_max_suppression(m(x)[0], 0.25, 0.45, max_det=300)
    run()
    start = time.perf_counter(); run()
    print(len(photos) / (time.perf_counter() - start))


def nms(count, repeats):
    i = np.arange(count)
    x1, y1 = (i * 37 % 1000).astype(np.float32), (i * 91 % 1000).astype(np.float32)
    w, h = (20 + i * 13 % 80).astype(np.float32), (20 + i * 7 % 80).astype(np.float32)
    boxes = torch.from_numpy(np.stack([x1, y1, x1 + w, y1 + h], 1))
    scores = torch.from_numpy(((i * 7919) % count / count).astype(np.float32))
    times = []
    for _ in range(repeats):
        start = time.perf_counter(); greedy_nms(boxes, scores, 0.45); times.append(time.perf_counter() - start)
    print(statistics.median(times))


command, threads = sys.argv[1], int(sys.argv[2])
torch.set_num_threads(threads)
if command == "train":
    train(*(int(a) for a in sys.argv[3:6]))
elif command == "detect":
    detect(int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
else:
    nms(int(sys.argv[3]), int(sys.argv[4]))
