package dev.shapeproof.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.shapeproof.processor.diag.Message;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Shapes that do not fit between layers. Errors about one attribute (in, features, kernel, dilation, dim) belong on
 * that value, which is on a line of its own; errors about the layer as a whole belong on its annotation, which is on a
 * line apart from its field.
 */
class ShapeErrorsTest {

    /** The README's example: conv1 (k 5) takes 12×12 to 8×8, where conv2's dilated kernel spans 9. */
    @Test
    void dilatedKernelTooLarge() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 12, 12})",
                "abstract class Net {",
                "    @Conv2d(in = 1, out = 10, kernel = 5) Conv2dLayer conv1;",
                "    @Conv2d(in = 10, out = 20, kernel = 5,",
                "            dilation = 2) Conv2dLayer conv2;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.KERNEL_TOO_LARGE.tag())
                .inFile(net).onLineContaining("dilation = 2");
        assertThat(c).hadErrorContaining("conv2: the dilated kernel");
        assertThat(c).hadErrorContaining("effective kernel d·(k−1)+1 = 2·(5−1)+1 = 9 on input 8×8 with padding 0");
        // The bound 8 + 2·0 = 8, matched on its tail: see kernelTooLargeBoundCountsPaddingTwice for the wording.
        assertThat(c).hadErrorContaining("padding = 8");
        assertThat(c).hadErrorContaining("hint    : set padding = 1, or dilation = 1");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void kernelTooLargeSaysKernelOnce() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 12, 12})",
                "abstract class Net {",
                "    @Conv2d(in = 1, out = 10, kernel = 5) Conv2dLayer conv1;",
                "    @Conv2d(in = 10, out = 20, kernel = 5,",
                "            dilation = 2) Conv2dLayer conv2;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining("conv2: the dilated kernel does not fit the input")
                .inFile(net).onLineContaining("dilation = 2");
        assertThat(c).hadErrorCount(1);
    }

    /** 4 + 2·1 = 6: the bound counts the padding on both sides. */
    @Test
    void kernelTooLargeBoundCountsPaddingTwice() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 4, 4})",
                "abstract class Net {",
                "    @Conv2d(out = 4, padding = 1,",
                "            kernel = 7) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining("required: effective kernel ≤ input + 2·padding = 6")
                .inFile(net).onLineContaining("kernel = 7");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void poolKernelTooLarge() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 4, 4})",
                "abstract class Net {",
                "    @MaxPool2d(",
                "            kernel = 5) MaxPool2dLayer pool;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.KERNEL_TOO_LARGE.tag())
                .inFile(net).onLineContaining("kernel = 5");
        assertThat(c).hadErrorContaining("effective kernel k = 5 on input 4×4 with padding 0");
        // The bound 4 + 2·0 = 4, matched on its tail as above.
        assertThat(c).hadErrorContaining("padding = 4");
        // padding 1 ≤ ⌊5/2⌋ is a valid pool padding and 4 + 2 ≥ 5; so is a kernel of 4.
        assertThat(c).hadErrorContaining("hint    : set padding = 1, or kernel = 4");
        assertThat(c).hadErrorCount(1);
    }

    /** A non-square kernel that fits the height but not the width names the width axis. */
    @Test
    void kernelTooLargeOnTheWidth() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 3})",
                "abstract class Net {",
                "    @Conv2d(out = 4,",
                "            kernel = {3, 5}) Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.KERNEL_TOO_LARGE.tag())
                .inFile(net).onLineContaining("kernel = {3, 5}");
        assertThat(c).hadErrorContaining("(width axis)");
        assertThat(c).hadErrorContaining("effective kernel k = 5 on input 8×3 with padding 0");
        assertThat(c).hadErrorCount(1);
    }

    /** conv1's kernel does not fit; conv2, the flatten and fc all depend on it and are not checked against guesses. */
    @Test
    void oneMistakeEarlyInAChainIsOneError() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 4,",
                "            kernel = 11) Conv2dLayer conv1;",
                "    @Conv2d(in = 4, out = 8, kernel = 3) Conv2dLayer conv2;",
                "    @MaxPool2d(kernel = 2) MaxPool2dLayer pool;",
                "    @Flatten FlattenLayer flat;",
                "    @Linear(in = 999, out = 10) LinearLayer fc;",
                "    @Softmax(dim = 1) SoftmaxLayer softmax;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.KERNEL_TOO_LARGE.tag())
                .inFile(net).onLineContaining("kernel = 11");
        assertThat(c).hadErrorContaining("effective kernel k = 11 on input 8×8 with padding 0");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void convInDoesNotMatchTheChannels() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {3, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 10, kernel = 3,",
                "            in = 1) Conv2dLayer conv1;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.CHANNEL_MISMATCH.tag()).inFile(net).onLineContaining("in = 1");
        assertThat(c).hadErrorContaining("conv1: in = 1, but its input has 3 channels");
        assertThat(c).hadErrorContaining("found   : input [-1, 3, 8, 8] from the input x");
        assertThat(c).hadErrorContaining("required: in = 3");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void batchNormFeaturesDoNotMatchTheChannels() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {3, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 10, kernel = 3) Conv2dLayer conv1;",
                "    @BatchNorm2d(",
                "            features = 20) BatchNorm2dLayer bn;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.CHANNEL_MISMATCH.tag())
                .inFile(net).onLineContaining("features = 20");
        assertThat(c).hadErrorContaining("bn: features = 20, but its input has 10 channels");
        assertThat(c).hadErrorContaining("found   : input [-1, 10, 6, 6] from conv1 (Conv2d)");
        assertThat(c).hadErrorContaining("hint    : set features = 10, or omit features to infer it");
        assertThat(c).hadErrorCount(1);
    }

    /** The headline: 28 → conv 24 → pool 12 → conv 8 → pool 4; 20×4×4 = 320 features, not 300. */
    @Test
    void linearInDoesNotMatchTheFlattenedFeatures() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 28, 28})",
                "abstract class Net {",
                "    @Conv2d(in = 1, out = 10, kernel = 5) Conv2dLayer conv1;",
                "    @MaxPool2d(kernel = 2) MaxPool2dLayer pool1;",
                "    @ReLU ReLULayer relu1;",
                "    @Conv2d(in = 10, out = 20, kernel = 5) Conv2dLayer conv2;",
                "    @Dropout2d Dropout2dLayer conv2_drop;",
                "    @MaxPool2d(kernel = 2) MaxPool2dLayer pool2;",
                "    @ReLU ReLULayer relu2;",
                "    @Flatten FlattenLayer flatten;",
                "    @Linear(out = 50,",
                "            in = 300) LinearLayer fc1;",
                "    @Linear(in = 50, out = 10) LinearLayer fc2;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.FEATURE_MISMATCH.tag())
                .inFile(net).onLineContaining("in = 300");
        assertThat(c).hadErrorContaining("fc1: in = 300, but after the flatten its input has 20×4×4 = 320 features");
        assertThat(c).hadErrorContaining("found   : input [-1, 320] from flatten (Flatten)");
        assertThat(c).hadErrorContaining("required: in = 320");
        assertThat(c).hadErrorContaining("hint    : set in = 320, or omit in to infer it");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void linearInDoesNotMatchThePreviousLinear() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {16})",
                "abstract class Net {",
                "    @Linear(in = 16, out = 8) LinearLayer fc1;",
                "    @Linear(out = 2,",
                "            in = 10) LinearLayer fc2;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.FEATURE_MISMATCH.tag()).inFile(net).onLineContaining("in = 10");
        assertThat(c).hadErrorContaining("fc2: in = 10, but its input has 8 features");
        assertThat(c).hadErrorContaining("found   : input [-1, 8] from fc1 (Linear)");
        assertThat(c).hadErrorContaining("required: in = 8");
        assertThat(c).hadErrorCount(1);
    }

    /** in = 320 is right, the missing layer is a @Flatten before fc1: the error is on the layer, not on its in. */
    @Test
    void missingFlatten() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {20, 4, 4})",
                "abstract class Net {",
                "    @Linear(in = 320, out = 50)",
                "    LinearLayer fc1;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.MISSING_FLATTEN.tag())
                .inFile(net).onLineContaining("@Linear(in = 320, out = 50)");
        assertThat(c).hadErrorContaining("fc1: in = 320 is the flattened size of its input [-1, 20, 4, 4]");
        assertThat(c).hadErrorContaining("Linear would use its last dimension, 4 features");
        assertThat(c).hadErrorContaining("required: a flat input [-1, 320]");
        assertThat(c).hadErrorContaining("hint    : add @Flatten before fc1");
        // what PyTorch does without the flatten: 80 rows of 4 features meet in = 320, and it raises
        assertThat(c).hadErrorContaining("without it fc1 meets 80 rows of 4 features, and PyTorch stops at \"mat1 "
                + "and mat2 shapes cannot be multiplied\"");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void convAfterFlatten() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Flatten FlattenLayer flat;",
                "    @Conv2d(out = 4, kernel = 3)",
                "    Conv2dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.RANK_MISMATCH.tag())
                .inFile(net).onLineContaining("@Conv2d(out = 4, kernel = 3)");
        assertThat(c).hadErrorContaining("conv: Conv2d needs a 4-D input, but its input has rank 2");
        assertThat(c).hadErrorContaining("found   : input [-1, 64] from flat (Flatten)");
        assertThat(c).hadErrorContaining("hint    : move conv before the flatten (or view) that made its input flat, or remove it");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void batchNormAfterFlatten() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {2, 4, 4})",
                "abstract class Net {",
                "    @Flatten FlattenLayer flat;",
                "    @BatchNorm2d",
                "    BatchNorm2dLayer bn;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.RANK_MISMATCH.tag()).inFile(net).onLineContaining("@BatchNorm2d");
        assertThat(c).hadErrorContaining("bn: BatchNorm2d needs a 4-D input, but its input has rank 2");
        assertThat(c).hadErrorContaining("found   : input [-1, 32] from flat (Flatten)");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void maxPoolAfterFlatten() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Flatten FlattenLayer flat;",
                "    @MaxPool2d(kernel = 2)",
                "    MaxPool2dLayer pool;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.RANK_MISMATCH.tag())
                .inFile(net).onLineContaining("@MaxPool2d(kernel = 2)");
        assertThat(c).hadErrorContaining("pool: MaxPool2d needs a 4-D input, but its input has rank 2");
        assertThat(c).hadErrorContaining("hint    : move pool before the flatten (or view) that made its input flat, or remove it");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void softmaxDimOutOfRange() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {16})",
                "abstract class Net {",
                "    @Softmax(",
                "            dim = 2) SoftmaxLayer softmax;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.DIM_OUT_OF_RANGE.tag()).inFile(net).onLineContaining("dim = 2");
        assertThat(c).hadErrorContaining("softmax: dim = 2 is out of range for its rank-2 input [-1, 16]");
        assertThat(c).hadErrorContaining("required: -2 ≤ dim ≤ 1");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void flattenEndDimOutOfRange() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Flatten(",
                "            endDim = 5) FlattenLayer flat;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.DIM_OUT_OF_RANGE.tag()).inFile(net).onLineContaining("endDim = 5");
        assertThat(c).hadErrorContaining("flat: endDim = 5 is out of range for its rank-4 input [-1, 1, 8, 8]");
        assertThat(c).hadErrorContaining("required: -4 ≤ endDim ≤ 3");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void flattenStartDimZero() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Flatten(",
                "            startDim = 0) FlattenLayer flat;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.INVALID_FLATTEN_DIMS.tag())
                .inFile(net).onLineContaining("startDim = 0");
        assertThat(c).hadErrorContaining(
                "flat: startDim = 0 would merge the free batch dimension into the features");
        assertThat(c).hadErrorContaining("found   : startDim = 0, endDim = -1 on input [-1, 1, 8, 8]");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void flattenStartDimAfterEndDim() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Flatten(endDim = 2,",
                "            startDim = 3) FlattenLayer flat;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.INVALID_FLATTEN_DIMS.tag())
                .inFile(net).onLineContaining("startDim = 3");
        assertThat(c).hadErrorContaining("flat: startDim = 3 comes after endDim = 2");
        assertThat(c).hadErrorContaining("found   : startDim = 3, endDim = 2 on input [-1, 1, 8, 8]");
        assertThat(c).hadErrorCount(1);
    }

    /** Only endDim is written, so endDim is what the user should edit. */
    @Test
    void flattenEndDimBeforeDefaultStartDimPointsAtEndDim() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Flatten(",
                "            endDim = 0) FlattenLayer flat;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.INVALID_FLATTEN_DIMS.tag())
                .inFile(net).onLineContaining("endDim = 0");
        assertThat(c).hadErrorContaining("flat: startDim = 1 comes after endDim = 0");
        assertThat(c).hadErrorCount(1);
    }
}
