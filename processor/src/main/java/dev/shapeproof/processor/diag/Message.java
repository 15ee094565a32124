package dev.shapeproof.processor.diag;

import java.util.Locale;
import javax.tools.Diagnostic;

/**
 * Every diagnostic ShapeProof prints: a stable id, its kind and its format, in one catalog.
 *
 * <p>Formats follow javac's and the Checker Framework's {@code found/required} layout and end with a hint; they carry
 * the numbers and the formula, so a message can be acted on without reading the docs. Tests assert on {@link #tag()}.
 * Positional arguments ({@code %1$s}) let one argument appear on several lines.
 */
public enum Message {
    // The model class itself.
    MODEL_NOT_CLASS("ModelNotClass", """
            %3$s goes on an abstract class, but %1$s is %2$s
              hint    : declare it as `abstract class %1$s`, whose fields are the layers"""),
    MODEL_NOT_ABSTRACT("ModelNotAbstract", """
            %1$s: a %3$s class must be abstract
              found   : class %1$s
              required: abstract class %1$s (the generated %2$s extends it and fills its layer fields)
              hint    : add `abstract` to the class"""),
    MODEL_NOT_SUBCLASSABLE("ModelNotSubclassable", """
            %1$s: the generated %2$s cannot extend it, because %3$s
              hint    : %4$s"""),
    INVALID_INPUT_SHAPE("InvalidInputShape", """
            %1$s: %2$s
              found   : input = %3$s
              required: {C, H, W} for images or {F} for features, every size positive (the batch dimension is free)
              hint    : %4$s"""),
    NO_LAYERS("NoLayers", """
            %1$s: a @Model needs at least one layer field, or a forward
              hint    : add a field such as `@Linear(out = 10) LinearLayer fc;`, or a forward that calls functions"""),

    // Free input sizes (docs/any-size.md).
    INVALID_FREE_SIZES("InvalidFreeSizes", """
            %1$s: %2$s
              found   : %3$s
              required: %4$s
              hint    : %5$s"""),
    NO_ADMISSIBLE_SIZE("NoAdmissibleSize", """
            %1$s: no input size passes every op
              found   : %2$s
              required: %3$s
              hint    : %4$s"""),
    BOUNDS_EXCLUDE_ALL("BoundsExcludeAll", """
            %1$s: sizes = %2$s excludes every size the model admits
              found   : admissible %3$s
              required: bounds that keep at least one of them
              hint    : %4$s"""),
    FEW_ADMISSIBLE_SIZES("FewAdmissibleSizes", Diagnostic.Kind.WARNING, """
            %1$s: only %2$s of the sizes within the bounds are admissible: %3$s
              hint    : %4$s"""),
    FREE_SIZE_READ("FreeSizeRead", """
            %1$s: forward reads %2$s, which depends on the free sizes
              found   : %3$s
              required: a forward whose code and values do not depend on %4$s
              hint    : %5$s"""),
    FREE_SIZE_UNSUPPORTED("FreeSizeUnsupported", """
            %1$s: %2$s depends on the free sizes, which %3$s
              found   : %4$s
              required: %5$s
              hint    : %6$s"""),
    FREE_SIZE_LIMIT("FreeSizeLimit", Diagnostic.Kind.WARNING, """
            %1$s: %2$s
              found   : %3$s
              required: %4$s
              hint    : %5$s"""),

    // Layer fields.
    LAYER_FIELD_MODIFIER("LayerFieldModifier", """
            %1$s: a layer field cannot be %2$s
              found   : %3$s
              required: a non-private, non-final, non-static field (the generated %4$s assigns it)
              hint    : remove `%2$s`"""),
    LAYER_TYPE_MISMATCH("LayerTypeMismatch", """
            %1$s: @%2$s needs a field of type %3$s
              found   : %4$s
              required: %3$s
              hint    : declare `%5$s %1$s;`"""),
    MULTIPLE_LAYER_ANNOTATIONS("MultipleLayerAnnotations", """
            %1$s: one field is one layer, but it has both @%2$s and @%3$s
              hint    : declare a second field for @%3$s"""),

    // Attribute values, before any shape is known.
    NOT_POSITIVE("NotPositive", """
            %1$s: %2$s = %3$s, but it must be positive
              found   : %2$s = %3$s
              required: %2$s %5$s
              hint    : %4$s"""),
    NEGATIVE_PADDING("NegativePadding", """
            %1$s: %2$s = %3$s, but padding cannot be negative
              found   : %2$s = %3$s
              required: %2$s ≥ 0
              hint    : set %2$s = 0 for no padding"""),
    PROBABILITY_OUT_OF_RANGE("ProbabilityOutOfRange", """
            %1$s: %2$s = %3$s is not a probability
              found   : %2$s = %3$s
              required: 0 ≤ %2$s ≤ 1
              hint    : %4$s"""),
    PAIR_EXPECTED("PairExpected", """
            %1$s: %2$s takes one value for both axes or {h, w}, but has %3$d values
              found   : %2$s = %4$s
              required: %2$s = k or %2$s = {kH, kW}
              hint    : write %2$s = %5$s"""),
    INVALID_CHOICE("InvalidChoice", """
            %1$s: %2$s = "%3$s" is not one of %4$s
              found   : %2$s = "%3$s"
              required: one of %4$s, as in PyTorch
              hint    : %5$s"""),
    CONFLICTING_ATTRIBUTES("ConflictingAttributes", """
            %1$s: both %2$s and %3$s are given, and they say different things
              found   : %4$s
              required: one of them
              hint    : %5$s"""),
    SAME_PADDING_STRIDE("SamePaddingStride", """
            %1$s: autoPad = SAME needs stride 1, as in PyTorch
              found   : stride = %2$s
              required: stride = 1
              hint    : %3$s"""),
    POOL_PADDING_TOO_LARGE("PoolPaddingTooLarge", """
            %1$s: padding = %2$d is more than half the kernel (%3$s axis)
              found   : padding %2$d > ⌊kernel / 2⌋ = ⌊%4$d / 2⌋ = %5$d
              required: padding ≤ %5$d (PyTorch checks the undilated kernel)
              hint    : set padding = %5$d, or use a larger kernel"""),
    GROUPS_MISMATCH("GroupsMismatch", """
            %1$s: %2$s = %3$d is not divisible by groups = %4$d
              found   : %2$s %% groups = %3$d %% %4$d = %5$d
              required: in and out both multiples of groups
              hint    : %6$s"""),

    // Shapes flowing between layers.
    KERNEL_TOO_LARGE("KernelTooLarge", """
            %1$s: the %2$s does not fit the input (%3$s axis)
              found   : effective kernel %4$s on input %5$s with padding %6$s
              required: effective kernel ≤ %7$s
              hint    : %8$s"""),
    SIZE_OVERFLOW("SizeOverflow", """
            %1$s: %2$s makes %3$s larger than any tensor
              found   : %4$s
              required: %5$s
              hint    : %6$s"""),
    CHANNEL_MISMATCH("ChannelMismatch", """
            %1$s: %2$s = %3$d, but its input has %4$d channels
              found   : input %5$s from %6$s
              required: %2$s = %4$d
              hint    : set %2$s = %4$d, or omit %2$s to infer it"""),
    FEATURE_MISMATCH("FeatureMismatch", """
            %1$s: in = %2$d, but %3$s
              found   : input %4$s from %5$s
              required: in = %6$d
              hint    : set in = %6$d, or omit in to infer it"""),
    MISSING_FLATTEN("MissingFlatten", """
            %1$s: in = %2$d is the flattened size of its input %3$s, but Linear acts on the last dimension only
              found   : input %3$s from %4$s; Linear would use its last dimension, %5$d features
              required: a flat input [-1, %2$d]
              hint    : add @Flatten before %1$s (PyTorch's nn.Flatten, or flatten(x, 1) in forward): without it %1$s \
            meets %6$d rows of %5$d features, and PyTorch stops at "mat1 and mat2 shapes cannot be multiplied\""""),
    RANK_MISMATCH("RankMismatch", """
            %1$s: %2$s needs a %3$s input, but its input has rank %4$d
              found   : input %5$s from %6$s
              required: %7$s
              hint    : %8$s"""),
    DIM_OUT_OF_RANGE("DimOutOfRange", """
            %1$s: %2$s = %3$d is out of range for its rank-%4$d input %5$s
              found   : %2$s = %3$d
              required: %6$d ≤ %2$s ≤ %7$d (negative counts from the end; 0 is the batch)
              hint    : %8$s"""),
    INVALID_FLATTEN_DIMS("InvalidFlattenDims", """
            %1$s: %2$s
              found   : startDim = %3$d, endDim = %4$d on input %5$s
              required: 1 ≤ startDim ≤ endDim (the batch dimension 0 stays free)
              hint    : %6$s"""),

    // The forward DSL. Each message also quotes the DSL line with a caret under the place.
    DSL_SYNTAX("DslSyntax", """
            %1$s: the forward text does not parse: %2$s
              hint    : %3$s"""),
    UNKNOWN_NAME("UnknownName", """
            %1$s: forward calls %2$s, which is %3$s
              found   : %2$s
              required: %4$s
              hint    : %5$s"""),
    /** An unknown name in a module expression or a block's parameters. */
    UNKNOWN_INIT_NAME("UnknownName", """
            %1$s: %2$s is %3$s
              found   : %2$s
              required: %4$s
              hint    : %5$s"""),
    WRONG_ARGUMENTS("WrongArguments", """
            %1$s: %2$s
              found   : %3$s
              required: %4$s
              hint    : %5$s"""),
    UNDEFINED_VARIABLE("UndefinedVariable", """
            %1$s: %2$s is read before anything is assigned to it
              found   : %2$s
              required: a model input (%3$s) or a variable assigned on an earlier line
              hint    : %4$s"""),
    MISSING_RETURN("MissingReturn", """
            %1$s: the forward text never returns a value
              hint    : end it with `return %2$s`"""),
    CAT_MISMATCH("CatMismatch", """
            %1$s: cat along dim %2$d needs equal sizes on every other axis, but input %3$d differs on axis %4$d
              found   : input 0 %5$s from %6$s, input %3$d %7$s from %8$s
              required: axis %4$d of size %9$s in every input
              hint    : %10$s"""),
    NO_READER_FITS("NoReaderFits", """
            %1$s: its result %2$s fits none of the %3$d ops that read it
              found   : %2$s from %1$s, read by %4$s
              required: %5$s (for %6$s)
              hint    : one mistake here, not %3$d there: %6$s says "%7$s\""""),
    ADD_MISMATCH("AddMismatch", """
            %1$s: the shapes of a + b do not broadcast
              found   : %2$s from %3$s + %4$s from %5$s (axis %6$d: %7$s vs %8$s)
              required: equal sizes, or 1 on one side, on every axis (PyTorch's broadcasting)
              hint    : %9$s"""),
    IN_PLACE_ADD("InPlaceAdd", """
            %1$s: %2$s += ... would change %2$s's shape, which an add in place cannot
              found   : %3$s += %4$s from %5$s broadcasts to %6$s
              required: a sum of %2$s's shape, %3$s (PyTorch stops too: the output with shape %3$s does not match \
            the broadcast shape %6$s)
              hint    : write %2$s = %2$s + ... for the broadcast sum"""),
    BROADCAST_MISMATCH("BroadcastMismatch", """
            %1$s: the shapes of a %10$s b do not broadcast
              found   : %2$s from %3$s %10$s %4$s from %5$s (axis %6$d: %7$s vs %8$s)
              required: equal sizes, or 1 on one side, on every axis (PyTorch's broadcasting)
              hint    : %9$s"""),
    IN_PLACE_MISMATCH("InPlaceMismatch", """
            %1$s: %2$s %7$s= ... would change %2$s's shape, which an op in place cannot
              found   : %3$s %7$s= %4$s from %5$s broadcasts to %6$s
              required: a result of %2$s's shape, %3$s (PyTorch stops too: the output with shape %3$s does not match \
            the broadcast shape %6$s)
              hint    : write %2$s = %2$s %7$s ... for the broadcast result"""),
    /** An op that would move, mix, reduce or index the batch axis, which ShapeProof keeps free on axis 0. */
    BATCH_AXIS("BatchAxis", """
            %1$s: %2$s
              found   : %3$s
              required: %4$s (axis 0 is the batch, which stays free and first)
              hint    : %5$s"""),
    /** A parameter without the batch axis where an op needs a batched tensor. */
    UNBATCHED_INPUT("UnbatchedInput", """
            %1$s: input %2$d is %3$s, a tensor without the batch axis (%4$s)
              found   : %3$s %4$s
              required: a tensor whose axis 0 is the batch
              hint    : %5$s"""),
    /** Shapes an op needs to agree that do not: stack inputs, split sections, attention inputs, norm shapes. */
    SHAPE_MISMATCH("ShapeMismatch", """
            %1$s: %2$s
              found   : %3$s
              required: %4$s
              hint    : %5$s"""),
    INDEX_OUT_OF_RANGE("IndexOutOfRange", """
            %1$s: index %2$d is out of range for axis %3$d of %4$s, of size %5$d
              found   : index %2$d
              required: %6$d ≤ index ≤ %7$d (negative counts from the end)
              hint    : %8$s"""),
    OUTPUT_PADDING_TOO_LARGE("OutputPaddingTooLarge", """
            %1$s: outputPadding = %2$d is not smaller than the stride (%3$d) or the dilation (%4$d) (%5$s axis)
              found   : outputPadding %2$d, stride %3$d, dilation %4$d
              required: outputPadding < stride or outputPadding < dilation (PyTorch's rule)
              hint    : %6$s"""),
    HEADS_MISMATCH("HeadsMismatch", """
            %1$s: numHeads = %2$d does not divide embedDim = %3$d
              found   : embedDim %% numHeads = %3$d %% %2$d = %4$d
              required: embedDim a multiple of numHeads (each head gets embedDim / numHeads features)
              hint    : %5$s"""),
    VIEW_MISMATCH("ViewMismatch", """
            %1$s: %2$s
              found   : %3$s of %4$s = %5$d elements per sample
              required: %6$s
              hint    : %7$s"""),

    VIEW_STRIDES("ViewStrides", """
            %1$s: %2$s cannot be a view of %3$s from %4$s, whose axes no longer lie in order in memory
              found   : %3$s with strides %5$s (the batch counted as 2)
              required: sizes formed by splitting or merging only axes that lie next to each other in memory, as \
            PyTorch's view requires ("view size is not compatible with input tensor's size and stride")
              hint    : use .reshape(...) or .contiguous().view(...), which copy when they must"""),
    // Lints: what PyTorch runs but is almost always a mistake. Warnings, suppressible per model like every
    // ShapeProof warning: @SuppressWarnings("ShapeProof/<id>") (or "ShapeProof" for all) on the class or the field.
    LINEAR_ON_FEATURE_MAP("LinearOnFeatureMap", Diagnostic.Kind.WARNING, """
            %1$s: Linear on the 4-D feature map %2$s acts on its last axis only, the width
              found   : input %2$s from %3$s; %1$s maps each of its %4$d rows of %5$d pixels
              required: a flat input [-1, %6$d]: Linear is a classifier's layer after a flatten
              hint    : add @Flatten before %1$s and set in = %6$d (or omit in); if a per-row Linear is meant, \
            suppress this with @SuppressWarnings("ShapeProof/LinearOnFeatureMap")"""),
    SOFTMAX_OVER_BATCH("SoftmaxOverBatch", Diagnostic.Kind.WARNING, """
            %1$s: %2$s over dim = %3$d normalises across the samples of the batch
              found   : dim = %3$d on input %4$s, whose axis 0 is the batch
              required: 1 ≤ dim ≤ %5$d (or a negative dim that does not reach the batch)
              hint    : set dim = 1 for the classes or channels, or dim = -1 for the last axis"""),
    DROPOUT2D_NOT_IMAGE("Dropout2dNotImage", Diagnostic.Kind.WARNING, """
            %1$s: Dropout2d on the rank-%2$d input %3$s, which has no channels of images to drop
              found   : input %3$s from %4$s
              required: [N, C, H, W] (PyTorch 1.13 drops %5$s, warning that a future release will reject it)
              hint    : %6$s"""),
    CAT_OVER_BATCH("CatOverBatch", Diagnostic.Kind.WARNING, """
            %1$s: cat without dim joins along dim 0, the batch: the result holds %2$d batches of samples
              found   : %3$s, no dim (PyTorch's default 0)
              required: dim = 1 to join channels or features (or dim = 0 written, if stacking batches is meant)
              hint    : add dim=1"""),
    UNUSED_VARIABLE("UnusedVariable", Diagnostic.Kind.WARNING, """
            %1$s: %2$s is assigned but never used
              hint    : remove the assignment, or use %2$s"""),
    UNUSED_MODULE("UnusedModule", Diagnostic.Kind.WARNING, """
            %1$s: forward never calls the layer %2$s
              hint    : call it, or remove the field: an uncalled layer is not constructed, and its parameters are \
            not part of the model's state_dict (a checkpoint that has them needs LoadOptions.lenient())"""),

    FORWARD_TOO_LONG("ForwardTooLong", """
            %1$s: this forward runs %2$,d ops, more than one generated Java method holds
              found   : %2$,d ops%3$s
              required: at most %4$,d ops per forward (javac's limit of 64 KB of bytecode per method)
              hint    : move a repeated part into a @Block: each block's forward is a method of its own"""),

    // Blocks and module expressions.
    BLOCK_DECLARATION("BlockDeclaration", """
            %1$s: %2$s
              found   : %3$s
              required: %4$s
              hint    : %5$s"""),
    FIELD_TYPE_MISMATCH("FieldTypeMismatch", """
            %1$s: the field %2$s holds %3$s, which is not a %4$s
              found   : %3$s, a %5$s
              required: a module assignable to %4$s
              hint    : %6$s"""),

    // The processor itself.
    UNRESOLVED_TYPE("UnresolvedType", Diagnostic.Kind.NOTE, """
            %1$s: %2$s was not generated, because %3$s never resolved
              hint    : fix the errors javac reports for %3$s; if it is generated by another processor, check that \
            processor ran"""),
    INTERNAL("Internal", """
            %1$s: ShapeProof failed while processing this model; this is a bug in ShapeProof, please report it with \
            this trace
            %2$s""");

    /** The prefix every ShapeProof diagnostic starts with. */
    public static final String TAG_PREFIX = "[ShapeProof/";

    private final String id;
    private final Diagnostic.Kind kind;
    private final String format;

    Message(String id, String format) {
        this(id, Diagnostic.Kind.ERROR, format);
    }

    Message(String id, Diagnostic.Kind kind, String format) {
        this.id = id;
        this.kind = kind;
        this.format = format;
    }

    /** The stable id, e.g. {@code KernelTooLarge}. */
    public String id() {
        return id;
    }

    /** {@code [ShapeProof/KernelTooLarge]}: what a message starts with, and what tests look for. */
    public String tag() {
        return TAG_PREFIX + id + "]";
    }

    /**
     * An error when the generated model would be wrong or would not run; a warning when it would run but something
     * looks unintended (an unused layer or variable); a note where javac's own error already stops the build (a type
     * that never resolved) and ShapeProof only says why the model was not generated.
     */
    public Diagnostic.Kind kind() {
        return kind;
    }

    /** The full text, tag first. */
    public String format(Object... arguments) {
        return tag() + " " + String.format(Locale.ROOT, format, arguments);
    }
}
