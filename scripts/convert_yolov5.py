"""Converts an ultralytics YOLOv5 checkpoint (an official release such as `yolov5s.pt`, or a training
run's `best.pt`: a pickled dict whose 'ema' or 'model' entry is the model itself) to safetensors
with ultralytics' state-dict names, which LookKit's YOLOv5 loads strictly. Unpickling needs the
model's classes; the `yolov5` PyPI package (`make setup` installs it) provides them under the names
official checkpoints were pickled with (`models.yolo.Model`). Nothing is downloaded.

  convert_yolov5.py SOURCE.pt TARGET.safetensors

Metadata: `model` (yolov5n/s/m/l/x, from the depth and width multiples), `classes`, `names` (JSON
list), `source`. Weights are stored as float32 (releases keep float16).
"""
import json
import os
import sys
import warnings

import torch

from safetensors_io import write_checked

SIZES = {(0.33, 0.25): "yolov5n", (0.33, 0.50): "yolov5s", (0.67, 0.75): "yolov5m", (1.0, 1.0): "yolov5l", (1.33, 1.25): "yolov5x"}


def import_yolov5():
    """The package's classes, importable as `yolov5.models…` and as the `models…` of official files."""
    warnings.filterwarnings("ignore")
    lib = torch.library.Library("torchvision", "DEF")  # the index's torchvision is a CUDA build
    lib.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    lib.define("qnms(Tensor qdets, Tensor qscores, float iou_threshold) -> Tensor")
    import yolov5
    sys.path.insert(0, os.path.dirname(yolov5.__file__))


def main(source, target):
    import_yolov5()
    checkpoint = torch.load(source, map_location="cpu", weights_only=False)
    model = checkpoint.get("ema") or checkpoint.get("model") if isinstance(checkpoint, dict) else None
    if model is None or not hasattr(model, "yaml"):
        sys.exit(f"{source}: not a YOLOv5 checkpoint (no 'ema' or 'model' entry holding a model)")
    model = model.float()
    multiples = (round(model.yaml["depth_multiple"], 2), round(model.yaml["width_multiple"], 2))
    if multiples not in SIZES:
        sys.exit(f"{source}: depth/width multiples {multiples} are not a released YOLOv5 size")
    state = dict(model.state_dict())
    names = list(model.names.values()) if isinstance(model.names, dict) else list(model.names)
    write_checked(state, target, {"model": SIZES[multiples], "classes": str(model.yaml["nc"]),
                                  "names": json.dumps(names), "source": os.path.basename(source)})
    print(f"{target}: {SIZES[multiples]}, {model.yaml['nc']} classes, {len(state)} tensors")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
