"""Reference for LoaderBench.swift: the same decode + augment + collate pipelines with PIL and a
torch DataLoader, reporting median images/s. Needs pillow in the reference venv (`pip install pillow`);
without it, prints nan and explains on stderr.

usage: loader_bench.py {classify,detect} DATA_DIR WORKERS IMAGES REPEATS
"""
import math
import os
import random
import sys
import time

import numpy as np
import torch

try:
    from PIL import Image
except ImportError:
    print("loader_bench.py: pillow is not installed in this Python (pip install pillow)", file=sys.stderr)
    print("nan")
    sys.exit(0)

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def to_tensor(img):
    """HWC uint8 -> normalised CHW float tensor, as torchvision ToTensor + Normalize."""
    a = np.asarray(img, dtype=np.float32) / 255.0
    return torch.from_numpy(((a - MEAN) / STD).transpose(2, 0, 1).copy())


def random_resized_crop(img, size, rng, scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3)):
    """torchvision.transforms.RandomResizedCrop's sampling, bilinear resize."""
    w, h = img.size
    area = w * h
    for _ in range(10):
        target = area * rng.uniform(*scale)
        aspect = math.exp(rng.uniform(math.log(ratio[0]), math.log(ratio[1])))
        cw, ch = round(math.sqrt(target * aspect)), round(math.sqrt(target / aspect))
        if 0 < cw <= w and 0 < ch <= h:
            x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
            return img.resize((size, size), Image.BILINEAR, box=(x, y, x + cw, y + ch))
    return img.resize((size, size), Image.BILINEAR)


class Classify(torch.utils.data.Dataset):
    def __init__(self, files, size=224):
        self.files, self.size = files, size

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        rng = random.Random(i)
        img = Image.open(self.files[i]).convert("RGB")
        img = random_resized_crop(img, self.size, rng)
        if rng.random() < 0.5:
            img = img.transpose(Image.FLIP_LEFT_RIGHT)
        return to_tensor(img), 0


def read_boxes(label_file):
    with open(label_file) as f:
        return [list(map(float, line.split())) for line in f if line.strip()]


class Detect(torch.utils.data.Dataset):
    """Letterbox (half the samples) or 4-image mosaic at 416, HSV jitter, flip: LoaderBench's DetectionSet."""

    def __init__(self, images, labels, size=416):
        self.images, self.labels, self.size = images, labels, size

    def __len__(self):
        return len(self.images)

    def letterbox(self, i):
        img = Image.open(self.images[i]).convert("RGB")
        w, h = img.size
        s = min(self.size / w, self.size / h)
        nw, nh = round(w * s), round(h * s)
        canvas = Image.new("RGB", (self.size, self.size), (114, 114, 114))
        dx, dy = (self.size - nw) // 2, (self.size - nh) // 2
        canvas.paste(img.resize((nw, nh), Image.BILINEAR), (dx, dy))
        boxes = [[c, (cx * nw + dx) / self.size, (cy * nh + dy) / self.size, bw * nw / self.size, bh * nh / self.size]
                 for c, cx, cy, bw, bh in read_boxes(self.labels[i])]
        return canvas, boxes

    def mosaic(self, i, rng):
        s = self.size
        canvas = Image.new("RGB", (s, s), (114, 114, 114))
        cx, cy = rng.randint(s // 4, 3 * s // 4), rng.randint(s // 4, 3 * s // 4)
        boxes = []
        for q, j in enumerate([i] + [rng.randrange(len(self.images)) for _ in range(3)]):
            img = Image.open(self.images[j]).convert("RGB")
            scale = (s // 2) / max(img.size)
            w, h = max(1, round(img.size[0] * scale)), max(1, round(img.size[1] * scale))
            x, y = (cx - w if q % 2 == 0 else cx), (cy - h if q < 2 else cy)
            canvas.paste(img.resize((w, h), Image.BILINEAR), (x, y))
            for c, bx, by, bw, bh in read_boxes(self.labels[j]):
                x1, y1 = max(0, (bx - bw / 2) * w + x), max(0, (by - bh / 2) * h + y)
                x2, y2 = min(s, (bx + bw / 2) * w + x), min(s, (by + bh / 2) * h + y)
                if x2 - x1 > 1 and y2 - y1 > 1:
                    boxes.append([c, (x1 + x2) / 2 / s, (y1 + y2) / 2 / s, (x2 - x1) / s, (y2 - y1) / s])
        return canvas, boxes

    def __getitem__(self, i):
        rng = random.Random(i)
        img, boxes = self.mosaic(i, rng) if rng.random() < 0.5 else self.letterbox(i)
        gains = [1 + rng.uniform(-1, 1) * g for g in (0.015, 0.7, 0.4)]
        hsv = np.asarray(img.convert("HSV"))
        luts = [((np.arange(256) * gains[0]) % 256).astype(np.uint8)] + \
               [np.clip(np.arange(256) * g, 0, 255).astype(np.uint8) for g in gains[1:]]
        hsv = np.stack([luts[c][hsv[..., c]] for c in range(3)], axis=-1)
        img = Image.fromarray(hsv, "HSV").convert("RGB")
        if rng.random() < 0.5:
            img = img.transpose(Image.FLIP_LEFT_RIGHT)
            boxes = [[c, 1 - x, y, w, h] for c, x, y, w, h in boxes]
        return to_tensor(img), torch.tensor(boxes, dtype=torch.float32).reshape(-1, 5)


def collate_detect(batch):
    """Stack images, keep each image's boxes (as LookKit's DetectionBatch)."""
    return torch.stack([b[0] for b in batch]), [b[1] for b in batch]


def main():
    kind, data, workers, count, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(1)
    if kind == "classify":
        root = os.path.join(data, "clothing-dataset-small", "train")
        files = sorted(os.path.join(root, c, f) for c in sorted(os.listdir(root)) for f in os.listdir(os.path.join(root, c)))
        dataset, collate = Classify(files[:count]), None
    else:
        root = os.path.join(data, "colorful-fashion-detection-train")
        ids = sorted(f[:-4] for f in os.listdir(os.path.join(root, "images")))[:count]
        dataset = Detect([os.path.join(root, "images", i + ".jpg") for i in ids],
                         [os.path.join(root, "labels", i + ".txt") for i in ids])
        collate = collate_detect
    loader = torch.utils.data.DataLoader(dataset, batch_size=16, shuffle=True, num_workers=workers,
                                         persistent_workers=workers > 0, prefetch_factor=4 if workers > 0 else None,
                                         collate_fn=collate)
    rates = []
    for epoch in range(repeats + 1):
        start = time.perf_counter()
        n = sum(len(batch[0]) for batch in loader)
        if epoch > 0:  # the first epoch starts the workers
            rates.append(n / (time.perf_counter() - start))
    print(sorted(rates)[len(rates) // 2])


if __name__ == "__main__":
    main()
