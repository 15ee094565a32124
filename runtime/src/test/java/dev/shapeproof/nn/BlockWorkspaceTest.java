package dev.shapeproof.nn;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.nn.Kernels.randn;

import dev.shapeproof.nn.ops.Layouts;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A block call computes in a workspace of its nesting level that the next block call at that level overwrites; only
 * its result leaves, copied into its caller's memory. Here blocks are written as generated code writes them.
 */
class BlockWorkspaceTest {
    private static final String MODEL = "BlockWorkspaceTest";

    @AfterEach
    void releaseWhatTheThreadKept() {
        ForwardWorkspace.releaseCurrentThread();
    }

    /** {@code relu(x) + 1} as a block: an intermediate and a result. */
    private static INDArray block(INDArray x) {
        try (BlockWorkspace workspace = BlockWorkspace.enter()) {
            INDArray relu = F.relu(x, false);
            INDArray out = relu.add(1f);
            return workspace.result(out);
        }
    }

    /** Two blocks inside a block: the outer one's intermediates are the inner ones' results. */
    private static INDArray outerBlock(INDArray x) {
        try (BlockWorkspace workspace = BlockWorkspace.enter()) {
            INDArray a = block(x);
            INDArray b = block(a.neg());
            return workspace.result(a.add(b));
        }
    }

    @Test
    void resultsOfEarlierBlocksSurviveLaterBlocksAtTheSameLevel() {
        INDArray x = randn(new Random(1), 1, 2, 3, 4, 5);
        INDArray y = randn(new Random(2), 1, 2, 3, 4, 5);
        INDArray expectedX = Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear(
                x.dup(), 0.0)).add(1f);
        INDArray expectedY = y.dup();
        expectedY.assign(Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear(
                y.dup(), 0.0)).add(1f));
        for (int call = 0; call < 3; call++) { // the second call reuses what the first one learnt
            try (ForwardWorkspace forward = ForwardWorkspace.open(MODEL)) {
                INDArray first = block(x);
                INDArray second = block(y); // same level: overwrites what the first block computed in its workspace
                assertThat(first.equalsWithEps(expectedX, 0)).isTrue();
                assertThat(second.equalsWithEps(expectedY, 0)).isTrue();
                INDArray kept = forward.result(first.add(second));
                assertThat(kept.equalsWithEps(expectedX.add(expectedY), 0)).isTrue();
            }
        }
    }

    @Test
    void nestedBlocksEachHaveTheirLevel() {
        INDArray x = randn(new Random(3), 1, 1, 4, 6, 6);
        INDArray a = x.dup();
        a = Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear(a, 0.0)).add(1f);
        INDArray b = Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear(a.neg(),
                0.0)).add(1f);
        INDArray expected = a.add(b);
        for (int call = 0; call < 2; call++) {
            try (ForwardWorkspace forward = ForwardWorkspace.open(MODEL)) {
                INDArray first = outerBlock(x);
                INDArray second = outerBlock(x.mul(2f));
                assertThat(first.equalsWithEps(expected, 0)).isTrue();
                assertThat(second.shape()).isEqualTo(x.shape());
                forward.result(first);
            }
        }
    }

    @Test
    void aResultComputedAfterComputeResultLeavesWithoutACopyAndSurvivesTheNextBlock() {
        INDArray x = randn(new Random(7), 1, 2, 3, 4, 5);
        INDArray expected = F.relu(x, false).add(1f);
        for (int call = 0; call < 2; call++) {
            try (ForwardWorkspace forward = ForwardWorkspace.open(MODEL)) {
                INDArray result;
                try (BlockWorkspace workspace = BlockWorkspace.enter()) {
                    INDArray relu = F.relu(x, false);
                    workspace.computeResult();
                    INDArray out = relu.add(1f);
                    result = workspace.result(out);
                    assertThat(result).isSameInstanceAs(out);
                }
                block(x.mul(-2f)); // the same level again, overwriting what the first block computed before its result
                block(x.mul(3f));
                assertThat(result.equalsWithEps(expected, 0)).isTrue();
                forward.result(result);
            }
        }
    }

    @Test
    void anInputOrAViewOfOneIsReturnedAsItIs() {
        INDArray x = randn(new Random(4), 1, 1, 2, 3, 4);
        try (ForwardWorkspace forward = ForwardWorkspace.open(MODEL)) {
            INDArray inWorkspace = F.relu(x, false);
            try (BlockWorkspace block = BlockWorkspace.enter()) {
                F.relu(inWorkspace, false); // something of its own
                assertThat(block.result(inWorkspace)).isSameInstanceAs(inWorkspace);
                INDArray view = inWorkspace.permute(0, 2, 1, 3);
                assertThat(block.result(view)).isSameInstanceAs(view);
            }
        }
    }

    @Test
    void aChannelsLastResultStaysChannelsLast() {
        INDArray x = randn(new Random(5), 1, 2, 3, 4, 5);
        try (ForwardWorkspace forward = ForwardWorkspace.open(MODEL)) {
            INDArray result;
            try (BlockWorkspace block = BlockWorkspace.enter()) {
                // [N, C, H, W] with NHWC strides, in the block's memory, as oneDNN's output is
                INDArray channelsLast = F.relu(x, false).permute(0, 2, 3, 1).dup('c').permute(0, 3, 1, 2);
                result = block.result(channelsLast);
                assertThat(result).isNotSameInstanceAs(channelsLast);
            }
            F.relu(x.neg(), false); // overwrite nothing of the result
            try (BlockWorkspace next = BlockWorkspace.enter()) {
                F.relu(x.mul(3f), false).permute(0, 2, 3, 1).dup('c'); // reuses the first block's memory
            }
            assertThat(Layouts.isDenseC(result)).isFalse();
            assertThat(result.stride()).isEqualTo(new long[] {60, 1, 15, 3});
            assertThat(result.equalsWithEps(F.relu(x, false), 0)).isTrue();
        }
    }

    @Test
    void outsideAForwardABlockAllocatesAsAnyOpDoes() {
        INDArray x = randn(new Random(6), 1, 1, 2, 3);
        INDArray y = block(x);
        assertThat(y.isAttached()).isFalse();
        assertThat(y.getFloat(0, 1, 2)).isEqualTo(Math.max(0f, x.getFloat(0, 1, 2)) + 1f);
    }
}
