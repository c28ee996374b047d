"""PyTorch reference for Fathom's CNN models (models/src/test/java/fathom/models/CnnModelsTest.java).

Builds, in plain torch.nn (torch 1.13; torchvision is not needed), the three model families with the
layouts and state-dict names Fathom uses:
  lenet:  nn.Sequential(Conv2d(C, 6, 5, padding=2), ReLU, MaxPool2d(2), Conv2d(6, 16, 5), ReLU,
          MaxPool2d(2), Flatten, Linear(16*h*w, 120), ReLU, Linear(120, 84), ReLU, Linear(84, classes))
  vgg:    features = [Conv2d 3x3 pad 1, BatchNorm2d, ReLU] x2 + MaxPool2d(2) per width; classifier =
          Flatten, Linear, ReLU, Dropout(0.5), Linear
  resnet: torchvision's resnet (BasicBlock) with the small-image stem conv1 = Conv2d(C, w, 3, 1, 1,
          bias=False) and no max pool; stage widths w, 2w, 4w, 8w
Prints parameter counts of the full-size models (pasted into the Java test) and writes, for small
instances of each, weights (with random BatchNorm running statistics), an input and the eval-mode
logits to models/src/test/resources/reference/cnn_models.safetensors (float32).

    /usr/bin/python3 reference/make_cnn_fixtures.py
"""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import write_safetensors  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_PATH = os.path.join(ROOT, "models", "src", "test", "resources", "reference", "cnn_models.safetensors")


def lenet(c, h, w, classes):
    flat = 16 * ((h // 2 - 4) // 2) * ((w // 2 - 4) // 2)
    return nn.Sequential(
        nn.Conv2d(c, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(flat, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, classes))


class Vgg(nn.Module):
    def __init__(self, c, h, w, widths, hidden, classes):
        super().__init__()
        layers = []
        for width in widths:
            for _ in range(2):
                layers += [nn.Conv2d(c, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU()]
                c = width
            layers.append(nn.MaxPool2d(2))
        self.features = nn.Sequential(*layers)
        flat = widths[-1] * (h >> len(widths)) * (w >> len(widths))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(flat, hidden), nn.ReLU(), nn.Dropout(0.5), nn.Linear(hidden, classes))

    def forward(self, x):
        return self.classifier(self.features(x))


class BasicBlock(nn.Module):
    def __init__(self, inplanes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + (x if self.downsample is None else self.downsample(x)))


class ResNet(nn.Module):
    def __init__(self, c, width, blocks, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(c, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU()
        inplanes = width
        for s, n in enumerate(blocks):
            planes = width << s
            stage = []
            for b in range(n):
                stage.append(BasicBlock(inplanes, planes, 2 if b == 0 and s > 0 else 1))
                inplanes = planes
            setattr(self, f"layer{s + 1}", nn.Sequential(*stage))
        self.stages = len(blocks)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(inplanes, classes)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        for s in range(self.stages):
            x = getattr(self, f"layer{s + 1}")(x)
        return self.fc(torch.flatten(self.avgpool(x), 1))


def count(m):
    return sum(p.numel() for p in m.parameters())


def main():
    print("lenet [1,28,28] 10:", count(lenet(1, 28, 28, 10)))
    print("lenet [3,32,32] 10:", count(lenet(3, 32, 32, 10)))
    print("vgg [1,28,28] 32,64,128 hidden 256:", count(Vgg(1, 28, 28, [32, 64, 128], 256, 10)))
    print("resnet18 [3] w64:", count(ResNet(3, 64, [2, 2, 2, 2], 10)))
    print("resnet18 [1] w16:", count(ResNet(1, 16, [2, 2, 2, 2], 10)))
    print("resnet18 [1] w32:", count(ResNet(1, 32, [2, 2, 2, 2], 10)))

    torch.manual_seed(0)
    small = {
        "lenet": (lenet(3, 16, 16, 10), (2, 3, 16, 16)),
        "vgg": (Vgg(1, 8, 8, [2, 4], 8, 5), (2, 1, 8, 8)),
        "resnet": (ResNet(1, 4, [1, 1], 3), (2, 1, 9, 9)),
    }
    items = []
    for name, (model, shape) in small.items():
        for mod in model.modules():
            if isinstance(mod, nn.BatchNorm2d):  # statistics away from (0, 1), so eval mode is really tested
                mod.running_mean.uniform_(-0.5, 0.5)
                mod.running_var.uniform_(0.5, 2.0)
                mod.weight.data.uniform_(0.5, 1.5)
                mod.bias.data.uniform_(-0.2, 0.2)
                mod.num_batches_tracked.fill_(3)
        model.eval()
        x = torch.randn(shape)
        with torch.no_grad():
            y = model(x)
        for k, v in model.state_dict().items():
            items.append((f"{name}.{k}", v.detach().clone()))
        items.append((f"{name}.input", x))
        items.append((f"{name}.logits", y))
    write_safetensors(OUT_PATH, items, {"generator": "reference/make_cnn_fixtures.py", "torch": torch.__version__})
    print("wrote", OUT_PATH, os.path.getsize(OUT_PATH), "bytes")


if __name__ == "__main__":
    main()
