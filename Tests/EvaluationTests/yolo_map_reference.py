"""Reference detection metrics: a numpy-only re-implementation of ultralytics/yolov5
val.py `process_batch` + utils/metrics.py `ap_per_class` / `compute_ap` / `smooth`.

Usage: yolo_map_reference.py LABEL_DIR PREDICTION_DIR  -> JSON on stdout.
Files are YOLO txt (labels: class cx cy w h; predictions: class cx cy w h conf). Predictions
of each image are sorted by descending confidence, the order NMS hands them to val.py.
"""
import json
import os
import sys

import numpy as np


def read(path, fields):
    if not os.path.exists(path):
        return np.zeros((0, fields))
    rows = [line.split() for line in open(path) if line.strip()]
    return np.array(rows, dtype=np.float64).reshape(-1, fields)


def xywh2xyxy(x):
    y = x.copy()
    y[:, 0] = x[:, 0] - x[:, 2] / 2
    y[:, 1] = x[:, 1] - x[:, 3] / 2
    y[:, 2] = x[:, 0] + x[:, 2] / 2
    y[:, 3] = x[:, 1] + x[:, 3] / 2
    return y


def box_iou(box1, box2, eps=1e-7):
    a1, a2 = box1[:, None, :2], box1[:, None, 2:]
    b1, b2 = box2[None, :, :2], box2[None, :, 2:]
    inter = (np.minimum(a2, b2) - np.maximum(a1, b1)).clip(0).prod(2)
    return inter / ((a2 - a1).prod(2) + (b2 - b1).prod(2) - inter + eps)


def process_batch(detections, labels, iouv):
    """detections: (N, 6) x1 y1 x2 y2 conf cls; labels: (M, 5) cls x1 y1 x2 y2."""
    correct = np.zeros((detections.shape[0], iouv.shape[0]), dtype=bool)
    iou = box_iou(labels[:, 1:], detections[:, :4])
    correct_class = labels[:, 0:1] == detections[:, 5]
    for i in range(len(iouv)):
        x = np.where((iou >= iouv[i]) & correct_class)
        if x[0].shape[0]:
            matches = np.concatenate((np.stack(x, 1), iou[x[0], x[1]][:, None]), 1)
            if x[0].shape[0] > 1:
                matches = matches[matches[:, 2].argsort()[::-1]]
                matches = matches[np.unique(matches[:, 1], return_index=True)[1]]
                matches = matches[np.unique(matches[:, 0], return_index=True)[1]]
            correct[matches[:, 1].astype(int), i] = True
    return correct


def smooth(y, f=0.05):
    nf = round(len(y) * f * 2) // 2 + 1
    p = np.ones(nf // 2)
    yp = np.concatenate((p * y[0], y, p * y[-1]), 0)
    return np.convolve(yp, np.ones(nf) / nf, mode="valid")


def compute_ap(recall, precision):
    mrec = np.concatenate(([0.0], recall, [1.0]))
    mpre = np.concatenate(([1.0], precision, [0.0]))
    mpre = np.flip(np.maximum.accumulate(np.flip(mpre)))
    x = np.linspace(0, 1, 101)
    y = np.interp(x, mrec, mpre)
    ap = float(np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2.0))  # np.trapz
    return ap, mpre, mrec


def ap_per_class(tp, conf, pred_cls, target_cls, eps=1e-16):
    i = np.argsort(-conf, kind="stable")
    tp, conf, pred_cls = tp[i], conf[i], pred_cls[i]
    unique_classes, nt = np.unique(target_cls, return_counts=True)
    nc = unique_classes.shape[0]
    px = np.linspace(0, 1, 1000)
    ap, p, r = np.zeros((nc, tp.shape[1])), np.zeros((nc, 1000)), np.zeros((nc, 1000))
    for ci, c in enumerate(unique_classes):
        i = pred_cls == c
        n_l, n_p = nt[ci], i.sum()
        if n_p == 0 or n_l == 0:
            continue
        fpc = (1 - tp[i]).cumsum(0)
        tpc = tp[i].cumsum(0)
        recall = tpc / (n_l + eps)
        r[ci] = np.interp(-px, -conf[i], recall[:, 0], left=0)
        precision = tpc / (tpc + fpc)
        p[ci] = np.interp(-px, -conf[i], precision[:, 0], left=1)
        for j in range(tp.shape[1]):
            ap[ci, j], _, _ = compute_ap(recall[:, j], precision[:, j])
    f1 = 2 * p * r / (p + r + eps)
    i = smooth(f1.mean(0), 0.1).argmax()
    return p[:, i], r[:, i], ap, unique_classes.astype(int), nt


def main(label_dir, prediction_dir):
    iouv = np.linspace(0.5, 0.95, 10)
    names = sorted({n for d in (label_dir, prediction_dir) for n in os.listdir(d) if n.endswith(".txt")})
    stats = []
    for name in names:
        labels = read(os.path.join(label_dir, name), 5)
        pred = read(os.path.join(prediction_dir, name), 6)
        pred = pred[np.argsort(-pred[:, 5], kind="stable")]
        tcls = labels[:, 0]
        if len(pred) == 0:
            if len(labels):
                stats.append((np.zeros((0, 10), dtype=bool), np.zeros(0), np.zeros(0), tcls))
            continue
        detections = np.concatenate((xywh2xyxy(pred[:, 1:5]), pred[:, 5:6], pred[:, 0:1]), 1)
        if len(labels):
            labelsn = np.concatenate((labels[:, 0:1], xywh2xyxy(labels[:, 1:5])), 1)
            correct = process_batch(detections, labelsn, iouv)
        else:
            correct = np.zeros((len(pred), 10), dtype=bool)
        stats.append((correct, pred[:, 5], pred[:, 0], tcls))
    stats = [np.concatenate(x, 0) for x in zip(*stats)]
    result = {"precision": 0.0, "recall": 0.0, "map50": 0.0, "map": 0.0, "classes": []}
    if len(stats) and stats[0].any():
        p, r, ap, classes, nt = ap_per_class(*stats)
        result.update(precision=float(p.mean()), recall=float(r.mean()),
                      map50=float(ap[:, 0].mean()), map=float(ap.mean(1).mean()))
        result["classes"] = [{"class": int(c), "labels": int(n), "precision": float(p[k]), "recall": float(r[k]),
                              "ap50": float(ap[k, 0]), "ap": float(ap[k].mean())}
                             for k, (c, n) in enumerate(zip(classes, nt))]
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
