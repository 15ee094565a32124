package dev.shapeproof.processor.op;

import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pieces of a tensor along one axis: {@code x.chunk(2, dim=1)} and {@code torch.split(x, 58, dim=1)} (or sizes
 * {@code [24, 40]}) return a tuple, one node per piece (the attribute {@code piece} tells them apart);
 * {@code x.narrow(dim, start, length)} returns one. Each piece is PyTorch's {@code narrow} of the input.
 */
final class SplitOp extends UnaryOp<SplitOp.Config> {
    /** What was called. */
    enum Kind { CHUNK, SPLIT, NARROW }

    /**
     * @param dim the axis as written
     * @param amount chunks (chunk), the piece size or the list of sizes (split), or {@code [start, length]} (narrow)
     * @param piece which piece this node computes
     */
    record Config(int dim, Object amount, int piece) {}

    private final Kind kind;

    private SplitOp(String name, Kind kind) {
        super(name, List.of());
        this.kind = kind;
    }

    static SplitOp chunk() {
        return new SplitOp("chunk", Kind.CHUNK);
    }

    static SplitOp split() {
        return new SplitOp("split", Kind.SPLIT);
    }

    static SplitOp narrow() {
        return new SplitOp("narrow", Kind.NARROW);
    }

    @Override
    public boolean isModule() {
        return false;
    }

    @Override
    public List<FunctionSignature> functions() {
        return List.of(switch (kind) {
            case CHUNK -> FunctionSignature.of("chunk", Param.tensor("input"),
                    Param.required("chunks", "chunks", ParamKind.INT),
                    Param.optional("dim", "dim", ParamKind.INT, 0, "0")).in(Namespace.TORCH).withNumpyNames();
            case SPLIT -> FunctionSignature.of("split", Param.tensor("tensor"),
                    Param.required("split_size_or_sections", "sizes", ParamKind.INT_OR_INTS),
                    Param.optional("dim", "dim", ParamKind.INT, 0, "0")).in(Namespace.TORCH, Namespace.TORCH_FUNCTIONAL);
            case NARROW -> FunctionSignature.of("narrow", Param.tensor("input"),
                    Param.required("dim", "dim", ParamKind.INT),
                    Param.required("start", "start", ParamKind.INT),
                    Param.required("length", "length", ParamKind.INT)).in(Namespace.TORCH).withNumpyNames();
        });
    }

    /** The method names PyTorch's: {@code x.split(split_size, dim)}. */
    @Override
    public List<FunctionSignature> methods() {
        if (kind == Kind.SPLIT) {
            return List.of(FunctionSignature.of("split", Param.tensor("self"),
                    Param.required("split_size", "sizes", ParamKind.INT_OR_INTS),
                    Param.optional("dim", "dim", ParamKind.INT, 0, "0")));
        }
        return functions();
    }

    /** A view: a piece along one axis keeps every stride of its input, only its start moves. */
    @Override
    public Strides strides(Config config, List<TensorShape> inputs, List<Strides> inputStrides, TensorShape output) {
        return inputStrides.get(0);
    }

    /** A view of its input in PyTorch; the runtime copies (see {@link PermuteOp#aliasesInput}). */
    @Override
    public boolean aliasesInput() {
        return true;
    }

    @Override
    public Config configure(NodeContext node) {
        int piece = node.findAttribute("piece").map(Attribute::asInt).orElse(0);
        Object amount = switch (kind) {
            case CHUNK -> node.attribute("chunks").asInt();
            case SPLIT -> node.attribute("sizes").value();
            case NARROW -> List.of(node.attribute("start").asInt(), node.attribute("length").asInt());
        };
        if (kind == Kind.CHUNK && (Integer) amount <= 0) {
            Attribute chunks = node.attribute("chunks");
            node.report(chunks.location(), Message.NOT_POSITIVE, node.name(), "chunks", chunks.sourceText(),
                    "chunk splits into at least one piece", "≥ 1");
            return null;
        }
        return new Config(node.attribute("dim").asInt(), amount, piece);
    }

    @Override
    TensorShape infer(Config config, TensorShape input, NodeContext node) {
        int axis = Dims.axis(config.dim(), input.rank(), input, node.attribute("dim"), node, "split",
                "split along a sample axis, e.g. dim=1 for channels");
        if (axis < 0) {
            return null;
        }
        List<int[]> pieces = pieces(config, input.dim(axis), node);
        if (pieces == null) {
            return null;
        }
        return input.withDim(axis, pieces.get(Math.min(config.piece(), pieces.size() - 1))[1]);
    }

    /**
     * The pieces as {start, length}, or {@code null} after reporting why there are none ({@code node} is only read to
     * report, so the generated call, whose configuration was checked, passes none).
     */
    private List<int[]> pieces(Config config, int size, NodeContext node) {
        List<int[]> pieces = new ArrayList<>();
        switch (kind) {
            case CHUNK -> {
                int chunks = (Integer) config.amount();
                int length = (int) ((size + (long) chunks - 1) / chunks);
                for (int start = 0; start < size; start += length) {
                    pieces.add(new int[] {start, Math.min(length, size - start)});
                }
            }
            case SPLIT -> {
                if (config.amount() instanceof Integer length) {
                    if (length <= 0) {
                        node.report(node.attribute("sizes").location(), Message.NOT_POSITIVE, node.name(),
                                "split_size", node.attribute("sizes").sourceText(), "each piece has at least one element", "≥ 1");
                        return null;
                    }
                    for (int start = 0; start < size; start += length) {
                        pieces.add(new int[] {start, Math.min(length, size - start)});
                    }
                } else {
                    @SuppressWarnings("unchecked")
                    List<Integer> lengths = (List<Integer>) config.amount();
                    long total = 0;
                    for (int length : lengths) {
                        if (length <= 0) {
                            node.report(node.attribute("sizes").location(), Message.NOT_POSITIVE, node.name(),
                                    "split_size_or_sections", lengths.toString(),
                                    "each piece has at least one element", "≥ 1");
                            return null;
                        }
                        pieces.add(new int[] {(int) total, length});
                        total += length;
                    }
                    if (total != size) {
                        node.report(node.attribute("sizes").location(), Message.SHAPE_MISMATCH, node.name(),
                                "the sizes " + lengths + " add up to " + total + ", but axis "
                                        + node.attribute("dim").asInt() + " has " + size,
                                "sections " + lengths + " of an axis of " + size,
                                "sizes that add up to " + size + " (PyTorch's split_with_sizes)",
                                "make the last size " + (size - (total - lengths.get(lengths.size() - 1))));
                        return null;
                    }
                }
            }
            case NARROW -> {
                @SuppressWarnings("unchecked")
                List<Integer> range = (List<Integer>) config.amount();
                int start = range.get(0);
                int length = range.get(1);
                if (start < -size || start > size) {
                    node.report(node.attribute("start").location(), Message.INDEX_OUT_OF_RANGE, node.name(), start,
                            node.attribute("dim").asInt(), "the input", size, -size, size,
                            "start within the axis");
                    return null;
                }
                int from = start < 0 ? start + size : start;
                if (length <= 0 || (long) from + length > size) {
                    Attribute lengthAttribute = node.attribute("length");
                    node.report(lengthAttribute.location(), Message.WRONG_ARGUMENTS, node.name(),
                            "narrow(" + start + ", " + length + ") does not fit an axis of " + size,
                            "start " + from + " + length " + length + " = " + (from + (long) length),
                            "1 ≤ length ≤ " + (size - from), "use length " + (size - from) + " at most");
                    return null;
                }
                pieces.add(new int[] {from, length});
            }
        }
        return pieces;
    }

    @Override
    public Returns returns(Config config, List<TensorShape> inputs, Map<String, Object> call) {
        if (kind == Kind.NARROW) {
            return Returns.ONE;
        }
        TensorShape input = inputs.get(0);
        int size = input.dim(input.normalizeAxis(config.dim()));
        if (config.amount() instanceof Integer amount) {
            int length = kind == Kind.CHUNK ? (int) ((size + (long) amount - 1) / amount) : amount;
            return Returns.tuple((int) ((size + (long) length - 1) / length));
        }
        return Returns.tuple(((List<?>) config.amount()).size());
    }

    /** {@code F.narrow(x, dim, start, length)} for this node's piece. */
    @Override
    public CodeBlock call(Config config, List<CodeBlock> arguments, List<TensorShape> inputs, TensorShape output,
            boolean inPlace, CodeBlock training) {
        TensorShape input = inputs.get(0);
        int axis = input.normalizeAxis(config.dim());
        int[] piece = pieces(config, input.dim(axis), null).get(config.piece());
        return RuntimeCalls.f("narrow", arguments.get(0), axis, piece[0], piece[1]);
    }
}
