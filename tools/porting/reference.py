"""The PyTorch side of a port's check: one forward of the model on a seeded random input, recording what each module
was called with and returned the first time (the forward translation traces blocks with those inputs and reads which
blocks return dicts), and the outputs, named as the Java model names them."""
import dataclasses

import numpy as np
import torch


@dataclasses.dataclass
class Reference:
    input: np.ndarray
    outputs: list              # [(name, ndarray)] in the order the model returns them
    module_inputs: dict        # id(module) → the positional arguments of its first call
    module_outputs: dict       # id(module) → what its first call returned


def run(model, input_shape, seed=0):
    torch.manual_seed(seed)
    x = torch.randn(1, *input_shape)
    module_inputs, module_outputs = {}, {}

    def record(module, args, result):
        if id(module) not in module_outputs:
            module_inputs[id(module)] = args
            module_outputs[id(module)] = result

    handles = [m.register_forward_hook(record) for m in model.modules()]
    try:
        with torch.no_grad():
            result = model(x.clone())
    finally:
        for handle in handles:
            handle.remove()
    return Reference(x.numpy(), _named(result), module_inputs, module_outputs)


def _named(result):
    if isinstance(result, torch.Tensor):
        return [("output", result.numpy())]
    if isinstance(result, dict):
        return [(str(k), v.numpy()) for k, v in result.items()]
    if isinstance(result, (tuple, list)):
        return [("output%d" % i, v.numpy()) for i, v in enumerate(result)]
    raise TypeError("the model returned a %s; a port's model returns tensors, a tuple or a dict of them"
                    % type(result).__name__)
