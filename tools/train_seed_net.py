#!/usr/bin/env python3
"""Trains the seed's MNIST network on scikit-learn's bundled handwritten digits and writes its weights.

Run from the repository root, with Debian's PyTorch (1.13), NumPy and scikit-learn (no download: the 8x8 digits
dataset ships inside the package):

    apt-get install -y python3-torch python3-numpy python3-sklearn     # once
    /usr/bin/python3 tools/train_seed_net.py                           # about 15 s, one CPU thread

Result (PyTorch 1.13, one thread): test-split accuracy 97.78 % (440 / 450); PyTorch classifies all ten saved digits
right. Files: weights.npz 89,398 bytes, digits.npz 32,560 bytes.

MNIST cannot be downloaded here, so the data is sklearn.datasets.load_digits(): 1797 images of 8x8 pixels with values
0..16, ten classes. Each image is scaled to [0, 1], upsampled bilinearly to 20x20 and padded with 4 zero pixels on every
side to 28x28 (MNIST's digits are 20x20 boxes centred in 28x28), then normalised like MNIST: (x - 0.1307) / 0.3081.
A stratified split (random_state 0) keeps 1347 images for training and 450 for testing.

The network is the seed's: the same layers, attribute names and forward as PyTorch's classic MNIST example, so its
state_dict keys (conv1.weight, conv1.bias, conv2.weight, conv2.bias, fc1.weight, fc1.bias, fc2.weight, fc2.bias) are
the field names of dev.shapeproof.examples.Net. It is trained from a fixed seed with Adam for 30 epochs, in one thread,
so a rerun on the same machine writes the same bytes.

Writes into examples/src/main/resources/seed-net/:

    weights.npz   the trained state_dict, float32, PyTorch layouts (np.savez; load with `new NetModel(path)`)
    digits.npz    `images`    float32 [10, 1, 28, 28]: for each class 0..9, the first test-split image of that class
                              (never seen in training), preprocessed exactly as above
                  `labels`    float32 [10]: their classes, 0..9 (float32, not int64: ShapeProof's weight-file reader
                              refuses int64 outside BatchNorm's num_batches_tracked, and reads a file all or nothing)
                  `log_probs` float32 [10, 10]: PyTorch's output (eval mode) for `images`, to check a Java forward
    README.md     the numbers above, regenerated

With --checkpoint PATH it also saves a typical training checkpoint there (torch.save of a dict with `epoch`,
`state_dict`, `optimizer` and `test_accuracy`), the input tools/convert_checkpoint.py was written for:

    /usr/bin/python3 tools/train_seed_net.py --checkpoint /tmp/seed-net.pth
    /usr/bin/python3 tools/convert_checkpoint.py /tmp/seed-net.pth examples/src/test/resources/converted/seed-net.npz
    /usr/bin/python3 tools/convert_checkpoint.py /tmp/seed-net.pth \
        examples/src/test/resources/converted/seed-net.safetensors
"""
import argparse
import hashlib
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "examples", "src", "main", "resources", "seed-net")
SEED = 20240601
EPOCHS = 30
BATCH = 32
LEARNING_RATE = 1e-3
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


class Net(nn.Module):
    """The seed's network: PyTorch's classic MNIST example, attribute for attribute."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.conv2_drop = nn.Dropout2d()
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = x.view(-1, 320)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, training=self.training)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)


def preprocess(images):
    """8x8 images with values 0..16 → normalised float32 [N, 1, 28, 28], MNIST-like."""
    x = torch.from_numpy(images.astype(np.float32) / 16.0).reshape(-1, 1, 8, 8)
    x = F.interpolate(x, size=(20, 20), mode="bilinear", align_corners=False)
    x = F.pad(x, (4, 4, 4, 4))
    x = (x - MNIST_MEAN) / MNIST_STD
    return x.contiguous()


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        predicted = model(x).argmax(dim=1)
    return int((predicted == y).sum()), len(y)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checkpoint", metavar="PATH",
                        help="also save a training checkpoint (dict with state_dict, optimizer, ...) as PATH (.pth)")
    args = parser.parse_args()

    torch.set_num_threads(1)  # reductions in one fixed order: the same bytes on every rerun
    torch.manual_seed(SEED)
    started = time.time()

    digits = load_digits()
    train_index, test_index = train_test_split(np.arange(len(digits.target)), test_size=0.25,
                                               random_state=0, stratify=digits.target)
    x_all = preprocess(digits.images)
    y_all = torch.from_numpy(digits.target.astype(np.int64))
    x_train, y_train = x_all[train_index], y_all[train_index]
    x_test, y_test = x_all[test_index], y_all[test_index]

    model = Net()
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    order = torch.Generator().manual_seed(SEED)
    for epoch in range(1, EPOCHS + 1):
        model.train()
        permutation = torch.randperm(len(y_train), generator=order)
        total = 0.0
        for start in range(0, len(permutation), BATCH):
            batch = permutation[start:start + BATCH]
            optimizer.zero_grad()
            loss = F.nll_loss(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
            total += float(loss) * len(batch)
        if epoch % 5 == 0 or epoch == 1:
            right, count = accuracy(model, x_test, y_test)
            print(f"epoch {epoch:2d}  train loss {total / len(y_train):.4f}  test accuracy {right}/{count}")

    right, count = accuracy(model, x_test, y_test)
    test_accuracy = right / count
    print(f"test-split accuracy: {100 * test_accuracy:.2f} % ({right} / {count}); "
          f"trained on {len(y_train)} images in {time.time() - started:.1f} s")

    # One test image per class, the first of each class in test-split order.
    chosen = [int(np.flatnonzero(y_test.numpy() == digit)[0]) for digit in range(10)]
    images = x_test[chosen].numpy().astype(np.float32)
    labels = y_test[chosen].numpy()
    model.eval()
    with torch.no_grad():
        log_probs = model(torch.from_numpy(images)).numpy().astype(np.float32)
    predicted = log_probs.argmax(axis=1)
    print("checked digits: labels", labels.tolist(), " PyTorch argmax", predicted.tolist())

    os.makedirs(OUT, exist_ok=True)
    state = {key: value.detach().numpy() for key, value in model.state_dict().items()}
    weights_path = os.path.join(OUT, "weights.npz")
    digits_path = os.path.join(OUT, "digits.npz")
    np.savez(weights_path, **state)
    np.savez(digits_path, images=images, labels=labels.astype(np.float32), log_probs=log_probs)

    if args.checkpoint:
        torch.save({"epoch": EPOCHS, "state_dict": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "test_accuracy": test_accuracy}, args.checkpoint)
        print(f"checkpoint: {args.checkpoint}")

    files = [(name, os.path.getsize(os.path.join(OUT, name)), sha256(os.path.join(OUT, name)))
             for name in ("weights.npz", "digits.npz")]
    for name, size, digest in files:
        print(f"{name:12s} {size:7d} bytes  sha256 {digest}")
    write_readme(state, test_accuracy, right, count, len(y_train), labels, predicted, files)


def write_readme(state, test_accuracy, right, count, train_count, labels, predicted, files):
    lines = [
        "# The seed network, trained",
        "",
        "Written by `tools/train_seed_net.py`; do not edit by hand. Regenerate from the repository root with",
        "",
        "```sh",
        "apt-get install -y python3-torch python3-numpy python3-sklearn   # once",
        "/usr/bin/python3 tools/train_seed_net.py",
        "```",
        "",
        "The seed's MNIST network (`dev.shapeproof.examples.Net`), trained in PyTorch 1.13 on scikit-learn's bundled",
        "8×8 handwritten digits (MNIST cannot be downloaded here), upsampled bilinearly to 20×20, padded to 28×28 and",
        f"normalised like MNIST ((x − {MNIST_MEAN}) / {MNIST_STD}). Trained on {train_count} images (Adam, "
        f"{EPOCHS} epochs, fixed seed, one thread);",
        f"**test-split accuracy {100 * test_accuracy:.2f} % ({right} / {count})**.",
        "",
        "| file | bytes | contents |",
        "| --- | ---: | --- |",
        f"| `weights.npz` | {files[0][1]} | the `state_dict`, float32, PyTorch layouts: "
        + ", ".join(f"`{k}` {list(v.shape)}" for k, v in state.items()) + " |",
        f"| `digits.npz` | {files[1][1]} | `images` float32 [10, 1, 28, 28] (one test-split image per class 0–9, never "
        "trained on, already normalised), `labels` float32 [10] (0–9; float32 because ShapeProof's reader refuses "
        "int64 outside `num_batches_tracked`), `log_probs` float32 [10, 10] (PyTorch's eval-mode output for "
        "`images`) |",
        "",
        f"PyTorch's argmax on the ten digits: {predicted.tolist()} (labels {labels.tolist()}).",
        "",
        "```java",
        "NetModel net = new NetModel(path.resolve(\"weights.npz\"));",
        "Map<String, INDArray> digits = StateDictFiles.read(path.resolve(\"digits.npz\")).tensors();",
        "INDArray logProbs = net.forward(digits.get(\"images\"));   // ≈ digits.get(\"log_probs\")",
        "```",
        "",
    ]
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
