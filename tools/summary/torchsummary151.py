"""torchsummary 1.5.1's summary(), re-implemented: torchsummary is not a Debian package, and its table is the
byte-for-byte reference for ShapeProof's SUMMARY.

It follows torchsummary 1.5.1 (pip package, torchsummary/torchsummary.py): a forward hook on every module that is not
an nn.Sequential, an nn.ModuleList or the model itself; each hook call, in the order the calls finish, adds a row
"<ClassName>-<number of rows + 1>" with the output shape (batch -1) and Param # = prod(weight.size()) +
prod(bias.size()) where the module has those attributes; then the 64-column table, the totals and the four memory
lines (sizes are numbers * 4 / 1024**2). Two things differ on purpose, as ShapeProof's summary does: a module called
twice has a row per call but its parameters are counted once in the totals, and several inputs' sizes are added.

Where torchsummary 1.5.1 itself fails (a module whose input is a list, such as DenseNet's _DenseLayer, whose output
is a dict, such as torchvision's IntermediateLayerGetter, or that is called with keyword arguments only, such as the
vision transformer's MultiheadAttention), summary_rows() returns the rows it had printed up to that
point and the reason, instead of raising.
"""
import numpy as np
import torch
import torch.nn as nn

SEPARATOR = "-" * 64
DOUBLE = "=" * 64


def _count(n):
    return "{0:,}".format(int(n))


def summary_rows(model, input_size):
    """The rows torchsummary 1.5.1 collects for `model` on one input of `input_size` (C, H, W), and the reason it
    stopped early (None when it ran through): [(key, output_shape, params, module)], reason."""
    rows = []
    hooks = []

    def hook(module, inputs, output):
        class_name = str(module.__class__).split(".")[-1].split("'")[0]
        key = "%s-%i" % (class_name, len(rows) + 1)
        if len(inputs) == 0:
            raise _Stop("%s is called with keyword arguments only, and torchsummary 1.5.1 reads its input[0]" % key)
        if not hasattr(inputs[0], "size"):
            raise _Stop("%s's input is a %s, which torchsummary 1.5.1 calls .size() on"
                        % (key, type(inputs[0]).__name__))
        if isinstance(output, (list, tuple)):
            if not all(hasattr(o, "size") for o in output):
                raise _Stop("%s's output tuple holds a %s, which torchsummary 1.5.1 calls .size() on"
                            % (key, next(type(o).__name__ for o in output if not hasattr(o, "size"))))
            shape = [[-1] + list(o.size())[1:] for o in output]
        elif not hasattr(output, "size"):
            raise _Stop("%s's output is a %s, which torchsummary 1.5.1 calls .size() on"
                        % (key, type(output).__name__))
        else:
            shape = list(output.size())
            shape[0] = -1
        params = 0
        if hasattr(module, "weight") and hasattr(module.weight, "size"):
            params += int(np.prod(list(module.weight.size())))
        if hasattr(module, "bias") and hasattr(module.bias, "size"):
            params += int(np.prod(list(module.bias.size())))
        rows.append((key, shape, params, module))

    for module in model.modules():
        if not isinstance(module, (nn.Sequential, nn.ModuleList)) and module is not model:
            hooks.append(module.register_forward_hook(hook))
    reason = None
    try:
        with torch.no_grad():
            model(torch.rand(2, *input_size))
    except _Stop as stop:
        reason = str(stop)
    finally:
        for h in hooks:
            h.remove()
    return rows, reason


class _Stop(Exception):
    pass


def row_line(key, shape, params):
    return "{:>20}  {:>25} {:>15}".format(key, str(shape), _count(params))


def summary_text(model, input_size):
    """torchsummary 1.5.1's text for `model` (every line ending in a newline), or raises where it would."""
    rows, reason = summary_rows(model, input_size)
    if reason is not None:
        raise RuntimeError(reason)
    lines = [SEPARATOR, "{:>20}  {:>25} {:>15}".format("Layer (type)", "Output Shape", "Param #"), DOUBLE]
    total_params = 0
    trainable = 0
    total_output = 0
    counted = set()
    for key, shape, params, module in rows:
        lines.append(row_line(key, shape, params))
        if id(module) not in counted:
            counted.add(id(module))
            total_params += params
            weight = getattr(module, "weight", None)
            if weight is not None and hasattr(weight, "requires_grad") and weight.requires_grad:
                trainable += params
        total_output += int(np.prod(shape)) if not isinstance(shape[0], list) else sum(
            int(np.prod(s)) for s in shape)
    input_elements = int(np.prod(input_size))
    input_mb = abs(input_elements * -1 * 4.0 / (1024 ** 2.0))
    forward_mb = abs(2.0 * total_output * 4.0 / (1024 ** 2.0))
    params_mb = abs(total_params * 4.0 / (1024 ** 2.0))
    lines += [DOUBLE,
              "Total params: " + _count(total_params),
              "Trainable params: " + _count(trainable),
              "Non-trainable params: " + _count(total_params - trainable),
              SEPARATOR,
              "Input size (MB): %0.2f" % input_mb,
              "Forward/backward pass size (MB): %0.2f" % forward_mb,
              "Params size (MB): %0.2f" % params_mb,
              "Estimated Total Size (MB): %0.2f" % (params_mb + forward_mb + input_mb),
              SEPARATOR]
    return "".join(line + "\n" for line in lines)
