"""Runs an exported .onnx file in onnxruntime after onnx.checker: the independent side of ONNXExportTests.

usage: onnx_reference.py MODEL.onnx INPUT.f32 N C H W
Prints JSON {"shape": [...], "output": [...] (float32 as float), "metadata": {...}}.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort

path, data = sys.argv[1], sys.argv[2]
shape = [int(v) for v in sys.argv[3:7]]
model = onnx.load(path)
onnx.checker.check_model(model, full_check=True)
images = np.fromfile(data, dtype=np.float32).reshape(shape)
session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
(output,) = session.run(None, {session.get_inputs()[0].name: images})
print(json.dumps({"shape": list(output.shape), "output": output.astype(np.float64).ravel().tolist(),
                  "metadata": {p.key: p.value for p in model.metadata_props}}))
