package dev.shapeproof.processor.op;

import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code F.pad(input, pad, mode='constant', value=0)}: {@code pad} lists (before, after) pairs from the last axis
 * backwards, as PyTorch's; {@code constant} pads with {@code value} (negative pads crop), {@code reflect} mirrors
 * without the edge, {@code replicate} repeats the edge, {@code circular} wraps around. PyTorch 1.13's rules: any
 * number of axes for {@code constant}; for the other modes 1, 2 or 3 axes on an input of one or two more axes
 * ({@code circular} two more), reflect padding smaller than the axis, circular padding at most the axis.
 */
final class PadOp extends UnaryOp<PadOp.Config> {
    /**
     * @param pad the (before, after) pairs from the last axis backwards, as written
     * @param mode {@code constant}, {@code reflect}, {@code replicate} or {@code circular}
     */
    record Config(List<Integer> pad, String mode, double value) {}

    PadOp() {
        super("pad", List.of(AttributeSpec.choice("mode", "PyTorch's modes are 'constant', 'reflect', "
                + "'replicate' and 'circular'", "constant", "reflect", "replicate", "circular")));
    }

    @Override
    public boolean isModule() {
        return false;
    }

    @Override
    public List<FunctionSignature> functions() {
        return List.of(FunctionSignature.of("pad", Param.tensor("input"),
                Param.required("pad", "pad", ParamKind.INTS),
                Param.optional("mode", "mode", ParamKind.STRING, "constant", "'constant'"),
                Param.optional("value", "value", ParamKind.DOUBLE, 0.0, "None")).in(Namespace.F));
    }

    @Override
    public Config configure(NodeContext node) {
        Attribute pad = node.attribute("pad");
        Attribute value = node.attribute("value");
        String mode = node.attribute("mode").asString();
        if (pad.asInts().size() % 2 != 0) {
            node.report(pad.location(), Message.WRONG_ARGUMENTS, node.name(),
                    "pad lists a (before, after) pair per axis, but has " + pad.asInts().size() + " values",
                    "pad = " + pad.asInts(), "an even number of values, last axis first",
                    "write pad=(left, right) for the last axis, (left, right, top, bottom) for the last two");
            return null;
        }
        if (!mode.equals("constant") && value.explicit() && value.asDouble() != 0) {
            node.report(value.location(), Message.CONFLICTING_ATTRIBUTES, node.name(), "value", "mode",
                    "value=" + value.asDouble() + " with mode='" + mode + "'",
                    "remove value: only mode='constant' pads with a value");
            return null;
        }
        return new Config(pad.asInts(), mode, value.asDouble());
    }

    @Override
    TensorShape infer(Config config, TensorShape input, NodeContext node) {
        Attribute padAttribute = node.attribute("pad");
        int axes = config.pad().size() / 2;
        int rank = input.rank();
        if (!config.mode().equals("constant")) {
            int extra = rank - axes;
            boolean fits = axes >= 1 && axes <= 3 && (config.mode().equals("circular") ? extra == 2
                    : extra == 1 || extra == 2);
            if (!fits) {
                node.report(padAttribute.location(), Message.WRONG_ARGUMENTS, node.name(),
                        "mode='" + config.mode() + "' pads 1 to 3 axes of an input with "
                                + (config.mode().equals("circular") ? "two" : "one or two")
                                + " more, but pad has " + axes + " pairs for the rank-" + rank + " input " + input,
                        "pad = " + config.pad() + " on " + input,
                        (config.mode().equals("circular") ? rank - 2 : rank - 1) + " pairs (PyTorch 1.13's rule)",
                        "pad the last " + (rank - 2 >= 1 ? rank - 2 : 1) + " axes, e.g. pad=(1, 1, 1, 1) for height "
                                + "and width");
                return null;
            }
        } else if (axes > rank) {
            node.report(padAttribute.location(), Message.WRONG_ARGUMENTS, node.name(),
                    "pad has " + axes + " pairs for the rank-" + rank + " input " + input,
                    "pad = " + config.pad(), "at most one pair per axis", "drop the extra pairs");
            return null;
        } else if (axes == rank) {
            node.report(padAttribute.location(), Message.BATCH_AXIS, node.name(),
                    "pad has " + axes + " pairs, so it would pad the batch axis of " + input,
                    "pad = " + config.pad() + " on " + input, "at most " + (rank - 1) + " pairs",
                    "pad only the sample axes: drop the last pair");
            return null;
        }
        long[] sample = new long[rank - 1];
        for (int axis = 1; axis < rank; axis++) {
            sample[axis - 1] = input.dim(axis);
        }
        for (int i = 0; i < axes; i++) {
            int axis = rank - 1 - i;
            int before = config.pad().get(2 * i);
            int after = config.pad().get(2 * i + 1);
            int size = input.dim(axis);
            if (!config.mode().equals("constant") && (before < 0 || after < 0)) {
                node.report(padAttribute.location(), Message.NEGATIVE_PADDING, node.name(), "pad",
                        config.pad().toString());
                return null;
            }
            if (config.mode().equals("reflect") && (before >= size || after >= size)) {
                node.report(padAttribute.location(), Message.WRONG_ARGUMENTS, node.name(),
                        "reflect padding must be smaller than the axis it pads (axis " + axis + " of size " + size + ")",
                        "pad " + before + ", " + after + " on axis " + axis + " of " + input,
                        "padding ≤ " + (size - 1), "use mode='replicate', or pad less");
                return null;
            }
            if (config.mode().equals("circular") && (before > size || after > size)) {
                node.report(padAttribute.location(), Message.WRONG_ARGUMENTS, node.name(),
                        "circular padding wraps around at most once (axis " + axis + " of size " + size + ")",
                        "pad " + before + ", " + after + " on axis " + axis + " of " + input,
                        "padding ≤ " + size, "pad less");
                return null;
            }
            long padded = (long) size + before + after;
            if (padded <= 0) {
                node.report(padAttribute.location(), Message.NOT_POSITIVE, node.name(), "the padded size",
                        size + " + " + before + " + " + after + " = " + padded + " (axis " + axis + ")",
                        "negative padding crops; it cannot remove the whole axis", "≥ 1");
                return null;
            }
            sample[axis - 1] = padded;
        }
        return Shapes.output(input, sample, node, padAttribute.location(), "pad = " + config.pad(),
                "pad less");
    }

    /** {@code F.pad(x, new int[] {left, right, top, bottom}, "reflect", 0.0)}. */
    @Override
    public CodeBlock call(Config config, List<CodeBlock> arguments, TensorShape output, boolean inPlace,
            CodeBlock training) {
        List<CodeBlock> pads = new ArrayList<>();
        config.pad().forEach(p -> pads.add(CodeBlock.of("$L", p)));
        return RuntimeCalls.f("pad", arguments.get(0), CodeBlock.of("new int[] {$L}", CodeBlock.join(pads, ", ")),
                CodeBlock.of("$S", config.mode()), ArithmeticOp.literal(config.value()));
    }

    /** Constant padding keeps a channels-last input's format; the other modes write a contiguous output. */
    @Override
    public Strides strides(Config config, List<TensorShape> inputs, List<Strides> inputStrides, TensorShape output) {
        return config.mode().equals("constant") ? Strides.inMemoryFormat(inputs.get(0), inputStrides.get(0), output)
                : Strides.contiguous(output);
    }
}
