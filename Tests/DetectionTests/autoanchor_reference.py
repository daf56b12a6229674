"""Python side of AutoAnchorTests: the `yolov5` package's AutoAnchor (7.0.14) on label sizes and
anchors the Swift test chose.

  autoanchor_reference.py INPUT.json
      INPUT holds `images` (width, height, boxes as normalised [w, h]), one augmentation `scales`
      factor per image, `imageSize`, `threshold`, `strides` and named `anchors` sets (per level,
      [w, h, w, h, …] in pixels). Prints JSON: `wh`, the label sizes as check_anchors builds them
      (its np.random.uniform replaced by the given scales), and per anchor set `bpr` and `aat` from
      check_anchors' own `metric` closure, the two numbers check_anchors logs (rounded as it logs
      them), and `reversed`, whether check_anchor_order flips the set for `strides`.
"""
import contextlib
import json
import logging
import re
import sys
import types
import warnings

import numpy as np
import torch

warnings.filterwarnings("ignore")
lib = torch.library.Library("torchvision", "DEF")  # see yolov5_reference.py: the CPU torch lacks these schemas
lib.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
lib.define("qnms(Tensor qdets, Tensor qscores, float iou_threshold) -> Tensor")

from yolov5.utils import autoanchor  # noqa: E402


class Captured:
    """Stands in for autoanchor.LOGGER, keeping what check_anchors reports."""
    def __init__(self):
        self.lines = []

    def info(self, message, *args):
        self.lines.append(str(message))

    warning = error = info


def package_metric(wh, thr):
    """check_anchors' nested `metric`, run from the package's own code object with its free
    variables (the label sizes and the threshold) bound to ours."""
    code = next(c for c in autoanchor.check_anchors.__wrapped__.__code__.co_consts
                if isinstance(c, types.CodeType) and c.co_name == "metric")
    values = {"wh": wh, "thr": thr}
    cells = tuple(types.CellType(values[name]) for name in code.co_freevars)
    return types.FunctionType(code, autoanchor.__dict__, "metric", None, cells)


def detect(anchors, strides, grid):
    """A stand-in Detect: anchors in grid cells (as check_anchors reads them) or in pixels (as
    check_anchor_order must see them, both in Model.__init__ and in check_anchors)."""
    stride = torch.tensor(strides, dtype=torch.float32)
    pixels = torch.tensor(anchors, dtype=torch.float32).view(len(anchors), -1, 2)
    return types.SimpleNamespace(anchors=pixels / stride.view(-1, 1, 1) if grid else pixels, stride=stride)


def main(path):
    with open(path) as f:
        spec = json.load(f)
    shapes = np.array([[i["width"], i["height"]] for i in spec["images"]], dtype=np.float64)
    labels = [np.array([[0, 0.5, 0.5, w, h] for w, h in i["boxes"]], dtype=np.float64).reshape(-1, 5) for i in spec["images"]]
    dataset = types.SimpleNamespace(shapes=shapes, labels=labels)
    scales = np.array(spec["scales"], dtype=np.float64).reshape(-1, 1)
    imgsz, thr = spec["imageSize"], spec["threshold"]

    # The label sizes exactly as check_anchors builds them, with our scale factors.
    s = imgsz * dataset.shapes / dataset.shapes.max(1, keepdims=True)
    wh = torch.tensor(np.concatenate([l[:, 3:5] * f for f, l in zip(s * scales, dataset.labels)])).float()
    metric = package_metric(wh, thr)

    out = {"wh": wh.tolist(), "sets": {}}
    autoanchor.np.random.uniform = lambda *a, **k: scales
    for name, anchors in spec["anchors"].items():
        bpr, aat = metric(torch.tensor(anchors, dtype=torch.float32).view(-1, 2))
        logger = Captured()
        autoanchor.LOGGER = logger
        model = types.SimpleNamespace(model=[detect(anchors, spec["strides"], grid=True)])
        logging.disable(logging.CRITICAL)
        with contextlib.redirect_stdout(sys.stderr):  # a poor fit needs scipy: TryExcept prints its error
            autoanchor.check_anchors(dataset, model, thr=thr, imgsz=imgsz)
        logged = next(m for m in map(re.compile(r"([\d.]+) anchors/target, ([\d.]+) Best Possible Recall").search, logger.lines) if m)
        m = detect(anchors, spec["strides"], grid=False)
        before = m.anchors.clone()
        autoanchor.check_anchor_order(m)
        out["sets"][name] = {"bpr": bpr.item(), "aat": aat.item(), "loggedAAT": float(logged.group(1)),
                             "loggedBPR": float(logged.group(2)), "reversed": not torch.equal(before, m.anchors)}
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
