"""Python side of YOLOv5ParityTests: the `yolov5` PyPI package (7.0.14, ultralytics v7.0 code) as
the reference. torchvision's index wheel is a CUDA build that does not import with the CPU torch,
so its two op schemas are defined first (the model and the loss do not call them).

  yolov5_reference.py forward OUTDIR MODEL CLASSES
      MODEL (yolov5n, yolov5s…) with CLASSES classes, seeded random weights and batch-norm
      statistics. OUTDIR/state.pt holds dict(model.state_dict()) as the model was built;
      OUTDIR/io.pt the input, the eval-mode decoded output and raw maps, the train-mode raw maps,
      and the batch-norm running statistics of layer 0 after that train-mode forward.
  yolov5_reference.py nms OUTDIR
      random decoded predictions [2, 3000, 5 + 4] (OUTDIR/nms-in.pt) through the package's
      non_max_suppression, its torchvision.ops.nms replaced by a plain greedy loop: OUTDIR/nms-out.pt
      holds `detect{i}` (conf 0.25, IoU 0.45) and `val{i}` (conf 0.001, IoU 0.6, multi-label) per image.
  yolov5_reference.py loss OUTDIR
      the package's ComputeLoss (hyp.scratch-low) on random raw maps of a 10-class yolov5n at
      128×96 and targets placed on cell borders, image edges and outside the anchor ratio:
      OUTDIR/loss.pt holds the maps, targets, anchors, the total, the three parts and the maps' gradients.
  yolov5_reference.py step OUTDIR
      one training step of a 10-class yolov5n as train.py takes it: train-mode forward of a 2×3×128×96
      batch, ComputeLoss (hyp.scratch-low), backward, smart_optimizer SGD (lr 0.01, momentum 0.937,
      Nesterov, decay 5e-4 on conv weights only). OUTDIR/state.pt is the state before, OUTDIR/step.pt
      the input, targets, loss and every parameter and buffer after the step.
  yolov5_reference.py checkpoint OUTDIR
      a 10-class yolov5n saved as train.py saves `best.pt` (the model itself, half precision, pickled
      as official releases are: `models.yolo.Model`) to OUTDIR/best.pt, and its float state dict
      after that rounding to OUTDIR/expected.pt.
  yolov5_reference.py count OUTDIR MODEL…
      prints `name parameters` for each MODEL with 80 classes (the unfused model).
"""
import logging
import os
import sys
import warnings

import torch

warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)
lib = torch.library.Library("torchvision", "DEF")
lib.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
lib.define("qnms(Tensor qdets, Tensor qscores, float iou_threshold) -> Tensor")

import yolov5  # noqa: E402
from yolov5.models.yolo import Model  # noqa: E402


def build(name, classes):
    torch.manual_seed(0)
    model = Model(os.path.join(os.path.dirname(yolov5.__file__), "models", f"{name}.yaml"), ch=3, nc=classes)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0, 0.1)
                module.running_mean.normal_(0, 0.1)
                module.running_var.uniform_(0.5, 1.5)
    return model


def forward(outdir, name, classes):
    model = build(name, int(classes))
    torch.save(dict(model.state_dict()), os.path.join(outdir, "state.pt"))
    x = torch.randn(2, 3, 128, 96)
    model.eval()
    with torch.no_grad():
        decoded, raw = model(x)
    model.train()
    with torch.no_grad():
        trained = model(x)
    out = {"input": x, "decoded": decoded, "bn0_mean": model.model[0].bn.running_mean.clone(),
           "bn0_var": model.model[0].bn.running_var.clone()}
    for i in range(3):
        out[f"raw{i}"] = raw[i]
        out[f"train{i}"] = trained[i]
    torch.save(out, os.path.join(outdir, "io.pt"))


def greedy_nms(boxes, scores, threshold):
    """torchvision.ops.nms written out: by descending score, drop boxes overlapping a kept one."""
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    suppressed = torch.zeros(len(boxes), dtype=torch.bool)
    keep = []
    for i in scores.argsort(descending=True).tolist():
        if suppressed[i]:
            continue
        keep.append(i)
        w = (torch.minimum(boxes[i, 2], boxes[:, 2]) - torch.maximum(boxes[i, 0], boxes[:, 0])).clamp(min=0)
        h = (torch.minimum(boxes[i, 3], boxes[:, 3]) - torch.maximum(boxes[i, 1], boxes[:, 1])).clamp(min=0)
        inter = w * h
        suppressed |= inter / (areas[i] + areas - inter) > threshold
    return torch.tensor(keep, dtype=torch.long)


def nms(outdir):
    import torchvision
    from yolov5.utils.general import non_max_suppression
    torchvision.ops.nms = greedy_nms
    torch.manual_seed(1)
    n = 3000
    centres = torch.rand(2, n, 2) * 320
    sizes = torch.rand(2, n, 2) * 120 + 8
    scores = torch.rand(2, n, 5) ** 3  # objectness and 4 class probabilities, mostly low
    predictions = torch.cat([centres, sizes, scores], 2)
    torch.save({"predictions": predictions}, os.path.join(outdir, "nms-in.pt"))
    out = {}
    for name, kwargs in [("detect", dict(conf_thres=0.25, iou_thres=0.45)),
                         ("val", dict(conf_thres=0.001, iou_thres=0.6, multi_label=True))]:
        # One image per call: the package stops after the image during which its time limit
        # (0.5 s + 0.05 s per image) runs out, which the slow greedy loop would hit.
        for i in range(len(predictions)):
            out[f"{name}{i}"] = non_max_suppression(predictions[i:i + 1].clone(), max_det=300, **kwargs)[0]
    torch.save(out, os.path.join(outdir, "nms-out.pt"))


def loss(outdir):
    import yaml
    from yolov5.utils.loss import ComputeLoss
    model = build("yolov5n", 10)
    with open(os.path.join(os.path.dirname(yolov5.__file__), "data", "hyps", "hyp.scratch-low.yaml")) as f:
        model.hyp = yaml.safe_load(f)
    torch.manual_seed(2)
    shapes = [(16, 12), (8, 6), (4, 3)]  # (ny, nx) of a 128×96 input at strides 8, 16, 32
    maps = [(torch.randn(2, 3, ny, nx, 15) * 1.5).requires_grad_() for ny, nx in shapes]
    targets = torch.tensor([
        [0, 3, 0.50, 0.50, 0.20, 0.30],    # centre
        [0, 7, 0.0, 0.0, 0.10, 0.10],      # top-left corner of the image
        [0, 1, 1.0, 1.0, 0.15, 0.05],      # bottom-right corner
        [1, 0, 0.5 / 12, 0.25, 0.3, 0.1],  # on a cell border at stride 8
        [1, 9, 0.30, 0.71, 0.01, 0.01],    # tiny: beyond the anchor ratio on the coarse levels
        [1, 5, 0.66, 0.12, 0.95, 0.90],    # huge
        [1, 2, 0.2083, 0.5, 0.25, 0.25],
    ])
    total, parts = ComputeLoss(model)(maps, targets)
    total.backward()
    out = {"targets": targets, "total": total.detach(), "parts": parts, "anchors": model.model[-1].anchors}
    for i, m in enumerate(maps):
        out[f"map{i}"] = m.detach()
        out[f"grad{i}"] = m.grad
    torch.save(out, os.path.join(outdir, "loss.pt"))


def step(outdir):
    import yaml
    from yolov5.utils.loss import ComputeLoss
    from yolov5.utils.torch_utils import smart_optimizer
    model = build("yolov5n", 10)
    with open(os.path.join(os.path.dirname(yolov5.__file__), "data", "hyps", "hyp.scratch-low.yaml")) as f:
        model.hyp = yaml.safe_load(f)
    torch.save(dict(model.state_dict()), os.path.join(outdir, "state.pt"))
    torch.manual_seed(3)
    x = torch.randn(2, 3, 128, 96)
    targets = torch.tensor([[0, 3, 0.5, 0.5, 0.2, 0.3], [0, 7, 0.2, 0.8, 0.1, 0.1], [1, 1, 0.7, 0.3, 0.4, 0.5]])
    optimizer = smart_optimizer(model, "SGD", 0.01, 0.937, 5e-4)
    model.train()
    loss, parts = ComputeLoss(model)(model(x), targets)
    loss.backward()
    optimizer.step()
    out = {"input": x, "targets": targets, "loss": loss.detach()}
    out.update({f"after.{k}": v for k, v in model.state_dict().items()})
    torch.save(out, os.path.join(outdir, "step.pt"))


def checkpoint(outdir):
    from copy import deepcopy
    sys.path.insert(0, os.path.dirname(yolov5.__file__))
    from models.yolo import Model as OfficialModel  # the module path official checkpoints pickle
    torch.manual_seed(4)
    model = OfficialModel(os.path.join(os.path.dirname(yolov5.__file__), "models", "yolov5n.yaml"), ch=3, nc=10)
    model.names = [f"garment{i}" for i in range(10)]
    half = deepcopy(model).half()
    torch.save({"epoch": -1, "best_fitness": None, "model": half, "ema": None, "updates": None, "optimizer": None},
               os.path.join(outdir, "best.pt"))
    torch.save(dict(half.float().state_dict()), os.path.join(outdir, "expected.pt"))


def count(outdir, *names):
    for name in names:
        print(name, sum(p.numel() for p in build(name, 80).parameters()))


if __name__ == "__main__":
    {"forward": forward, "nms": nms, "loss": loss, "step": step, "checkpoint": checkpoint, "count": count}[sys.argv[1]](*sys.argv[2:])
