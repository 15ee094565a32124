"""The weight file of a port: the model's state_dict, written by tools/convert_checkpoint.py's writers (so the file
is byte for byte what that converter writes for the same state_dict)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import convert_checkpoint  # noqa: E402

FORMATS = convert_checkpoint.FORMATS


class WeightsError(Exception):
    pass


def write(module, path):
    """Writes `module`'s state_dict to `path` (.npz or .safetensors); returns the number of tensors."""
    extension = os.path.splitext(path)[1].lower()
    if extension not in FORMATS:
        raise WeightsError("%s: the weight file must end in .npz or .safetensors" % path)
    state = module.state_dict()
    notes = []
    try:
        arrays, _ = convert_checkpoint.collect(state, [(k, k) for k in state], False, extension == ".safetensors",
                                               notes)
        if extension == ".npz":
            convert_checkpoint.write_npz(path, arrays)
        else:
            convert_checkpoint.write_safetensors(path, arrays)
    except convert_checkpoint.ConversionError as e:
        raise WeightsError(str(e)) from e
    return len(arrays)
