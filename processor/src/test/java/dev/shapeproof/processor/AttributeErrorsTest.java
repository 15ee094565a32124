package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.shapeproof.processor.diag.Message;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Attribute values that are wrong on their own or together, before any shape is known. Each error belongs on the
 * value the user wrote, so every such value is on a line of its own, apart from its annotation.
 */
class AttributeErrorsTest {

    @Test
    void kernelZero() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 4,",
                "            kernel = 0) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.NOT_POSITIVE.tag()).inFile(net).onLineContaining("kernel = 0");
        assertThat(c).hadErrorContaining("conv: kernel = 0, but it must be positive");
        assertThat(c).hadErrorContaining("required: kernel ≥ 1");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void convStrideZero() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3,",
                "            stride = 0) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.NOT_POSITIVE.tag()).inFile(net).onLineContaining("stride = 0");
        assertThat(c).hadErrorContaining("conv: stride = 0, but it must be positive");
        assertThat(c).hadErrorCount(1);
    }

    /** An explicit stride = 0 is an error, not "the kernel" as an omitted stride is. */
    @Test
    void poolStrideZeroIsNotPositive() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @MaxPool2d(kernel = 2,",
                "            stride = 0) MaxPool2dLayer pool;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.NOT_POSITIVE.tag()).inFile(net).onLineContaining("stride = 0");
        assertThat(c).hadErrorContaining("pool: stride = 0, but it must be positive");
        assertThat(c).hadErrorContaining("hint    : omit stride to move by the kernel size");
        assertThat(c).hadErrorCount(1);
    }

    /** Omitted, MaxPool2d's stride is its kernel (PyTorch): 8×8 pooled by 2 is 4×4, so 1×4×4 = 16 features. */
    @Test
    void poolStrideOmittedIsTheKernel() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @MaxPool2d(kernel = 2) MaxPool2dLayer pool;",
                "    @Flatten FlattenLayer flat;",
                "    @Linear(in = 16, out = 2) LinearLayer fc;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("test.NetModel").contentsAsUtf8String()
                .contains("POOL_OUTPUT_SHAPE = TensorShape.of(-1, 1, 4, 4)");
    }

    @Test
    void dilationZero() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3,",
                "            dilation = 0) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.NOT_POSITIVE.tag()).inFile(net).onLineContaining("dilation = 0");
        assertThat(c).hadErrorContaining("conv: dilation = 0, but it must be positive");
        assertThat(c).hadErrorContaining("required: dilation ≥ 1");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void groupsZero() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3,",
                "            groups = 0) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.NOT_POSITIVE.tag()).inFile(net).onLineContaining("groups = 0");
        assertThat(c).hadErrorContaining("conv: groups = 0, but it must be positive");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void outZero() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {16})",
                "abstract class Net {",
                "    @Linear(",
                "            out = 0) LinearLayer fc;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.NOT_POSITIVE.tag()).inFile(net).onLineContaining("out = 0");
        assertThat(c).hadErrorContaining("fc: out = 0, but it must be positive");
        assertThat(c).hadErrorContaining("required: out ≥ 1");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void batchNormEpsZero() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @BatchNorm2d(",
                "            eps = 0) BatchNorm2dLayer bn;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.NOT_POSITIVE.tag()).inFile(net).onLineContaining("eps = 0");
        assertThat(c).hadErrorContaining("bn: eps = 0.0, but it must be positive");
        assertThat(c).hadErrorContaining("PyTorch's default is 1e-5");
        assertThat(c).hadErrorCount(1);
    }

    /** eps is a double: PyTorch's default 1e-5 is positive but not ≥ 1. */
    @Test
    void batchNormEpsRequiresPositiveNotAtLeastOne() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @BatchNorm2d(",
                "            eps = 0) BatchNorm2dLayer bn;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining("required: eps > 0").inFile(net).onLineContaining("eps = 0");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void adaptivePoolOutputZero() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @AdaptiveAvgPool2d(",
                "            output = 0) AdaptiveAvgPool2dLayer gap;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.NOT_POSITIVE.tag()).inFile(net).onLineContaining("output = 0");
        assertThat(c).hadErrorContaining("gap: output = 0, but it must be positive");
        assertThat(c).hadErrorCount(1);
    }

    /** padding = -1 has no special meaning (such as "same"): it is an error. */
    @Test
    void negativePadding() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3,",
                "            padding = -1) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.NEGATIVE_PADDING.tag())
                .inFile(net).onLineContaining("padding = -1");
        assertThat(c).hadErrorContaining("conv: padding = -1, but padding cannot be negative");
        assertThat(c).hadErrorContaining("required: padding ≥ 0");
        assertThat(c).hadErrorContaining("hint    : set padding = 0 for no padding");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void dropoutProbabilityAboveOne() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {16})",
                "abstract class Net {",
                "    @Dropout(",
                "            p = 1.5) DropoutLayer drop;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.PROBABILITY_OUT_OF_RANGE.tag())
                .inFile(net).onLineContaining("p = 1.5");
        assertThat(c).hadErrorContaining("drop: p = 1.5 is not a probability");
        assertThat(c).hadErrorContaining("required: 0 ≤ p ≤ 1");
        assertThat(c).hadErrorContaining("e.g. 0.5");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void dropoutProbabilityNegative() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {16})",
                "abstract class Net {",
                "    @Dropout(",
                "            p = -0.1) DropoutLayer drop;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.PROBABILITY_OUT_OF_RANGE.tag())
                .inFile(net).onLineContaining("p = -0.1");
        assertThat(c).hadErrorContaining("drop: p = -0.1 is not a probability");
        assertThat(c).hadErrorContaining("found   : p = -0.1");
        assertThat(c).hadErrorCount(1);
    }

    /** BatchNorm2d's momentum is also a probability, but it does not zero anything. */
    @Test
    void batchNormMomentumHintIsAboutMomentum() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @BatchNorm2d(",
                "            momentum = 1.5) BatchNorm2dLayer bn;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.PROBABILITY_OUT_OF_RANGE.tag())
                .inFile(net).onLineContaining("momentum = 1.5");
        assertThat(hint(c)).contains("running statistics");
        assertThat(hint(c)).doesNotContain("zeroing");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void kernelWithThreeValues() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 4,",
                "            kernel = {3, 3, 3}) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.PAIR_EXPECTED.tag())
                .inFile(net).onLineContaining("kernel = {3, 3, 3}");
        assertThat(c).hadErrorContaining("conv: kernel takes one value for both axes or {h, w}, but has 3 values");
        assertThat(c).hadErrorContaining("hint    : write kernel = {3, 3}");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void geluApproximateNotAChoice() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {16})",
                "abstract class Net {",
                "    @GELU(",
                "            approximate = \"fast\") GELULayer act;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.INVALID_CHOICE.tag())
                .inFile(net).onLineContaining("approximate = \"fast\"");
        assertThat(c).hadErrorContaining("act: approximate = \"fast\" is not one of \"none\", \"tanh\"");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void paddingConflictsWithSamePadding() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3,",
                "            padding = 1,",
                "            autoPad = Padding.SAME) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.CONFLICTING_ATTRIBUTES.tag())
                .inFile(net).onLineContaining("autoPad = Padding.SAME");
        assertThat(c).hadErrorContaining("conv: both padding and autoPad are given");
        assertThat(c).hadErrorContaining("found   : padding = 1 and autoPad = Padding.SAME");
        assertThat(c).hadErrorContaining("or remove autoPad to keep padding = 1");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void samePaddingWithStride() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, autoPad = Padding.SAME,",
                "            stride = 2) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.SAME_PADDING_STRIDE.tag())
                .inFile(net).onLineContaining("stride = 2");
        assertThat(c).hadErrorContaining("found   : stride = 2");
        assertThat(c).hadErrorContaining("use stride = 1, or replace autoPad with padding = 1");
        assertThat(c).hadErrorCount(1);
    }

    /** Adding padding = 1 next to autoPad = SAME, as the hint says, only trades this error for ConflictingAttributes. */
    @Test
    void samePaddingWithStrideHintRemovesAutoPad() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3, autoPad = Padding.SAME,",
                "            stride = 2) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.SAME_PADDING_STRIDE.tag())
                .inFile(net).onLineContaining("stride = 2");
        assertThat(hint(c)).contains("padding = 1");
        assertThat(hint(c)).contains("autoPad");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void maxPoolPaddingMoreThanHalfTheKernel() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @MaxPool2d(kernel = 2,",
                "            padding = 2) MaxPool2dLayer pool;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.POOL_PADDING_TOO_LARGE.tag())
                .inFile(net).onLineContaining("padding = 2");
        assertThat(c).hadErrorContaining("pool: padding = 2 is more than half the kernel (height axis)");
        assertThat(c).hadErrorContaining("found   : padding 2 > ⌊kernel / 2⌋ = ⌊2 / 2⌋ = 1");
        assertThat(c).hadErrorContaining("hint    : set padding = 1, or use a larger kernel");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void avgPoolPaddingMoreThanHalfTheKernelOnTheWidth() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @AvgPool2d(kernel = 3,",
                "            padding = {1, 2}) AvgPool2dLayer pool;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.POOL_PADDING_TOO_LARGE.tag())
                .inFile(net).onLineContaining("padding = {1, 2}");
        assertThat(c).hadErrorContaining("pool: padding = 2 is more than half the kernel (width axis)");
        assertThat(c).hadErrorContaining("found   : padding 2 > ⌊kernel / 2⌋ = ⌊3 / 2⌋ = 1");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void outNotDivisibleByGroups() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {4, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 6, kernel = 3,",
                "            groups = 4) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.GROUPS_MISMATCH.tag()).inFile(net).onLineContaining("groups = 4");
        assertThat(c).hadErrorContaining("conv: out = 6 is not divisible by groups = 4");
        assertThat(c).hadErrorContaining("found   : out % groups = 6 % 4 = 2");
        assertThat(c).hadErrorCount(1);
    }

    /** in is omitted and inferred from the input's 6 channels, which groups = 4 does not divide. */
    @Test
    void inferredInNotDivisibleByGroups() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {6, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 8, kernel = 3,",
                "            groups = 4) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.GROUPS_MISMATCH.tag()).inFile(net).onLineContaining("groups = 4");
        assertThat(c).hadErrorContaining("conv: in = 6 is not divisible by groups = 4");
        assertThat(c).hadErrorContaining("found   : in % groups = 6 % 4 = 2");
        assertThat(c).hadErrorContaining("their greatest common divisor is 2");
        assertThat(c).hadErrorCount(1);
    }

    /** The hint line of the only error. */
    private static String hint(Compilation c) {
        assertThat(c.errors()).hasSize(1);
        String message = c.errors().get(0).getMessage(null);
        return message.substring(message.indexOf("hint    :"));
    }
}
