package dev.shapeproof.nn.ops;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.nn.Kernels.assertClose;
import static dev.shapeproof.nn.Kernels.randn;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import dev.shapeproof.nn.F;
import dev.shapeproof.nn.ForwardWorkspace;
import dev.shapeproof.nn.Reference;
import dev.shapeproof.nn.Reference.Tensor;
import dev.shapeproof.shape.Window;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which arrays take the Java path, how it reads views, and how a forward's {@link ForwardWorkspace} reuses what the
 * Java kernels return. The kernels' numbers are checked by the op tests (Conv2dTest, PoolingTest, ...), which run
 * once on the Java path and once with {@code -Dshapeproof.smallTensorKernels=never} (the runtime pom).
 */
class SmallTensorsTest {
    private static final boolean JAVA_PATH = !"never".equals(System.getProperty(SmallTensors.PROPERTY));
    private static final boolean ANY_SIZE = "always".equals(System.getProperty(SmallTensors.PROPERTY));

    @Test
    void smallDenseFloatArraysTakeTheJavaPathUnlessSwitchedOff() {
        INDArray small = Nd4j.create(DataType.FLOAT, 2, 3, 4, 5);
        assertThat(SmallTensors.fit(small)).isEqualTo(JAVA_PATH);
        assertThat(SmallTensors.fit(small, null)).isEqualTo(JAVA_PATH);
    }

    @Test
    void largeStridedOrNonFloatArraysStayOnNd4j() {
        assertThat(SmallTensors.fit(Nd4j.create(DataType.FLOAT, 1, SmallTensors.MAX_ELEMENTS + 1)))
                .isEqualTo(ANY_SIZE);
        assertThat(SmallTensors.fit(Nd4j.create(DataType.DOUBLE, 2, 3))).isFalse();
        INDArray permuted = Nd4j.create(DataType.FLOAT, 2, 3, 4).permute(2, 0, 1);
        assertThat(SmallTensors.fit(permuted)).isFalse();
        INDArray everyOtherColumn = Nd4j.create(DataType.FLOAT, 4, 6).get(all(), interval(0, 2, 6));
        assertThat(SmallTensors.fit(everyOtherColumn)).isFalse();
    }

    /** The column matrix grows row by row: a tall convolution after a long one does not leave a tall × long matrix. */
    @Test
    void scratchRowsGrowOneByOne() {
        float[][] wide = JavaArrays.rows(JavaArrays.Rows.COLUMNS, 9, 1 << 16);
        assertThat(wide.length).isAtLeast(9);
        float[][] tall = JavaArrays.rows(JavaArrays.Rows.COLUMNS, 4608, 4);
        assertThat(tall.length).isAtLeast(4608);
        assertThat(tall[0].length).isAtLeast(1 << 16); // kept
        assertThat(tall[4607].length).isLessThan(1 << 16);
        long floats = 0;
        for (float[] row : tall) {
            floats += row == null ? 0 : row.length;
        }
        assertThat(floats).isAtMost(9L * (1 << 16) + 4608L * 64);
    }

    /** A dense view that starts inside its buffer (one sample of a batch) is read and written at its offset. */
    @Test
    void denseViewsAreReadAndWrittenAtTheirOffset() {
        Random random = new Random(7);
        INDArray batch = randn(random, 1, 3, 4, 6, 6);
        INDArray sample = batch.get(interval(1, 2), all(), all(), all());
        assertThat(sample.offset()).isGreaterThan(0L);
        assertThat(SmallTensors.fit(sample)).isEqualTo(JAVA_PATH);
        INDArray before = batch.dup();

        Window pool = Window.kernel(2).stride(2);
        assertClose("max_pool2d of a view", "sample 1 of 3", F.maxPool2d(sample, pool, pool),
                Reference.maxPool2d(Tensor.of(sample), pool, pool));
        assertThat(batch).isEqualTo(before);

        // in place: only the view's elements change
        INDArray expected = Nd4j.nn().relu(sample.dup(), 0);
        F.relu(sample, true);
        assertThat(batch.get(interval(1, 2), all(), all(), all())).isEqualTo(expected);
        assertThat(batch.get(point(0), all(), all(), all())).isEqualTo(before.get(point(0), all(), all(), all()));
        assertThat(batch.get(point(2), all(), all(), all())).isEqualTo(before.get(point(2), all(), all(), all()));
    }

    /** In a forward, the k-th result of a call is the k-th array of the previous call: no new INDArray per op. */
    @Test
    void aForwardReusesItsArraysFromCallToCall() {
        INDArray x = randn(new Random(1), 1, 2, 8);
        INDArray first;
        INDArray firstView;
        try (ForwardWorkspace call = ForwardWorkspace.open("SmallTensorsTest")) {
            first = F.relu(x, false);
            firstView = F.reshape(first, 16L);
            assertThat(F.relu(x, false)).isNotSameInstanceAs(first);
        }
        try (ForwardWorkspace call = ForwardWorkspace.open("SmallTensorsTest")) {
            INDArray again = F.relu(x, false);
            INDArray view = F.reshape(again, 16L);
            if (JAVA_PATH) {
                assertThat(again).isSameInstanceAs(first);
                assertThat(view).isSameInstanceAs(firstView);
            } else { // ND4J's outputs live in the workspace: new arrays each call, and their views are not kept
                assertThat(again).isNotSameInstanceAs(first);
                assertThat(view).isNotSameInstanceAs(firstView);
            }
            assertThat(view).isEqualTo(Nd4j.nn().relu(x.dup(), 0).reshape(16));
        }
    }

    /** What leaves a forward is a copy: the next call cannot overwrite it. */
    @Test
    void resultsAreCopiesTheNextCallCannotOverwrite() {
        INDArray x = randn(new Random(2), 1, 2, 8);
        INDArray kept;
        try (ForwardWorkspace call = ForwardWorkspace.open("SmallTensorsTest.result")) {
            INDArray y = F.relu(x, false);
            kept = call.result(y);
            assertThat(kept).isNotSameInstanceAs(y);
            assertThat(kept.isAttached()).isFalse();
        }
        INDArray expected = kept.dup();
        try (ForwardWorkspace call = ForwardWorkspace.open("SmallTensorsTest.result")) {
            F.relu(x.neg(), false);
        }
        assertThat(kept).isEqualTo(expected);
    }

    /** A call of the same model inside a call (same thread) must not hand out the outer call's arrays. */
    @Test
    void aNestedCallOfTheSameModelGetsFreshArrays() {
        INDArray x = randn(new Random(3), 1, 2, 8);
        try (CallMemory outer = CallMemory.open("SmallTensorsTest.nested")) {
            INDArray outerFirst = F.relu(x, false);
            INDArray expected = outerFirst.dup();
            try (CallMemory inner = CallMemory.open("SmallTensorsTest.nested")) {
                INDArray innerFirst = F.relu(x.neg(), false);
                assertThat(innerFirst).isNotSameInstanceAs(outerFirst);
            }
            assertThat(outerFirst).isEqualTo(expected);
            assertThat(CallMemory.current()).isSameInstanceAs(outer);
        }
        assertThat(CallMemory.current()).isNull();
    }
}
