"""Python side of YOLOv5ParityTests: the `yolov5` PyPI package (7.0.14, ultralytics v7.0 code) as
the reference. torchvision's index wheel is a CUDA build that does not import with the CPU torch,
so its two op schemas are defined first (the model and the loss do not call them).

  yolov5_reference.py forward OUTDIR MODEL CLASSES
      MODEL (yolov5n, yolov5s…) with CLASSES classes, seeded random weights and batch-norm
      statistics. OUTDIR/state.pt holds dict(model.state_dict()) as the model was built;
      OUTDIR/io.pt the input, the eval-mode decoded output and raw maps, the train-mode raw maps,
      and the batch-norm running statistics of layer 0 after that train-mode forward.
  yolov5_reference.py count MODEL…
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


def count(*names):
    for name in names:
        print(name, sum(p.numel() for p in build(name, 80).parameters()))


if __name__ == "__main__":
    {"forward": forward, "count": count}[sys.argv[1]](*sys.argv[2:])
