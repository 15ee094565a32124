"""torchsummary 1.5.1's summary() table as text, for the campaign's verdicts (torchsummary is not installed here).

It follows torchsummary.py (sksq96/pytorch-summary, 1.5.1) line by line: a forward hook on every module except
nn.Sequential, nn.ModuleList and the model itself; each call adds a row keyed "<ClassName>-<len(summary)+1>" when the
call ends (so children before parents); "Param #" is prod(weight.size()) + prod(bias.size()) for the attributes that
exist and have a size; the same format strings and size arithmetic. The model runs on torch.rand(2, *shape) inputs.

With shapeproof=True (the default) it applies ShapeProof's documented, deliberate differences (README "Summary";
dev.shapeproof.summary.ModelSummary): a module called again has a row per call whose "Param #" is "(shared)" (if it
has parameters) and adds nothing to the totals; several inputs' sizes are added, not multiplied.

`python3 tsummary.py` checks it against the seed's table in runtime/src/test/.../TorchsummaryFormatTest.java.
"""
import collections
import os
import re
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def summary_text(model, input_sizes, shapeproof=True):
    """The table for `input_sizes` (per-sample shapes, one per input), as print() would write it, newline-terminated."""
    summary = collections.OrderedDict()
    seen = {}  # module -> first row key, for ShapeProof's shared calls
    hooks = []
    batch_size = -1

    def register_hook(module):
        def hook(module, input, output):
            class_name = str(module.__class__).split(".")[-1].split("'")[0]
            module_idx = len(summary)
            m_key = "%s-%i" % (class_name, module_idx + 1)
            row = collections.OrderedDict()
            row["input_shape"] = list(input[0].size())
            row["input_shape"][0] = batch_size
            if isinstance(output, (list, tuple)):
                row["output_shape"] = [[-1] + list(o.size())[1:] for o in output]
            else:
                row["output_shape"] = list(output.size())
                row["output_shape"][0] = batch_size
            params = 0
            if hasattr(module, "weight") and hasattr(module.weight, "size"):
                params += int(torch.prod(torch.LongTensor(list(module.weight.size()))))
                row["trainable"] = module.weight.requires_grad
            if hasattr(module, "bias") and hasattr(module.bias, "size"):
                params += int(torch.prod(torch.LongTensor(list(module.bias.size()))))
            row["nb_params"] = params
            row["shared"] = shapeproof and id(module) in seen
            seen.setdefault(id(module), m_key)
            summary[m_key] = row

        if not isinstance(module, nn.Sequential) and not isinstance(module, nn.ModuleList) and not (module is model):
            hooks.append(module.register_forward_hook(hook))

    x = [torch.rand(2, *in_size) for in_size in input_sizes]
    model.apply(register_hook)
    try:
        with torch.no_grad():
            model(*x)
    finally:
        for h in hooks:
            h.remove()

    lines = []
    lines.append("----------------------------------------------------------------")
    lines.append("{:>20}  {:>25} {:>15}".format("Layer (type)", "Output Shape", "Param #"))
    lines.append("================================================================")
    total_params = 0
    total_output = 0
    trainable_params = 0
    for layer in summary:
        row = summary[layer]
        cell = "(shared)" if row["shared"] and row["nb_params"] > 0 else "{0:,}".format(row["nb_params"])
        lines.append("{:>20}  {:>25} {:>15}".format(layer, str(row["output_shape"]), cell))
        if not row["shared"]:
            total_params += row["nb_params"]
            if row.get("trainable") is True:
                trainable_params += row["nb_params"]
        total_output += np.prod(row["output_shape"])
    if shapeproof:
        input_elements = sum(int(np.prod(s)) for s in input_sizes)
    else:
        input_elements = np.prod(input_sizes)
    total_input_size = abs(input_elements * batch_size * 4. / (1024 ** 2.))
    total_output_size = abs(2. * total_output * 4. / (1024 ** 2.))
    total_params_size = abs(total_params * 4. / (1024 ** 2.))
    total_size = total_params_size + total_output_size + total_input_size
    lines.append("================================================================")
    lines.append("Total params: {0:,}".format(total_params))
    lines.append("Trainable params: {0:,}".format(trainable_params))
    lines.append("Non-trainable params: {0:,}".format(total_params - trainable_params))
    lines.append("----------------------------------------------------------------")
    lines.append("Input size (MB): %0.2f" % total_input_size)
    lines.append("Forward/backward pass size (MB): %0.2f" % total_output_size)
    lines.append("Params size (MB): %0.2f" % total_params_size)
    lines.append("Estimated Total Size (MB): %0.2f" % total_size)
    lines.append("----------------------------------------------------------------")
    return "\n".join(lines) + "\n"


class SeedNet(nn.Module):
    """torchsummary's README MNIST example, the project's seed network."""

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


def seed_table():
    """The seed's table from the Java test, its text block with the indentation stripped."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.path.join(root, "runtime", "src", "test", "java", "dev", "shapeproof", "summary",
                        "TorchsummaryFormatTest.java")
    text = open(path, encoding="utf-8").read()
    block = re.search(r'SEED_TABLE = """\n(.*?)""";', text, re.S).group(1)
    lines = block.split("\n")
    indent = min(len(l) - len(l.lstrip()) for l in lines if l.strip())
    return "\n".join(l[indent:] for l in lines[:-1]) + "\n"


def shared_check():
    """A module called twice: torchsummary counts it twice; ShapeProof once, with (shared)."""
    class Twice(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 4)

        def forward(self, x):
            return self.fc(self.fc(x))
    text = summary_text(Twice(), [(4,)])
    assert "Linear-2                    [-1, 4]        (shared)" in text, text
    assert "Total params: 20\n" in text, text
    assert "Total params: 40\n" in summary_text(Twice(), [(4,)], shapeproof=False)


if __name__ == "__main__":
    torch.manual_seed(0)
    expected = seed_table()
    actual = summary_text(SeedNet(), [(1, 28, 28)])
    if actual != expected:
        sys.stdout.write("MISMATCH\n--- expected\n" + expected + "--- actual\n" + actual)
        sys.exit(1)
    # torchsummary itself prints the same table for one input and unshared modules
    assert summary_text(SeedNet(), [(1, 28, 28)], shapeproof=False) == expected
    shared_check()
    print("tsummary: the seed table matches byte for byte; shared calls as ShapeProof counts them")
