package dev.shapeproof.nn.ops;

import static com.google.common.truth.Truth.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** When {@link DerivedWeights} computes its plain array, when it frees it, and when it keeps it. */
class DerivedWeightsTest {
    private final AtomicInteger computed = new AtomicInteger();
    private final List<INDArray> made = new ArrayList<>();

    private DerivedWeights weights() {
        return new DerivedWeights(new long[] {4, 2, 3, 3}, () -> {
            computed.incrementAndGet();
            INDArray array = Nd4j.linspace(1, 72, 72, DataType.FLOAT).reshape('c', 4, 2, 3, 3).dup('c');
            made.add(array);
            return array;
        });
    }

    @Test
    void aOneOffReadComputesThePlainArrayAndFreesItAfter() {
        DerivedWeights weights = weights();
        float[] seen = new float[1];

        weights.readOnce(plain -> seen[0] = plain.getFloat(3, 1, 2, 2));
        weights.readOnce(plain -> assertThat(plain.wasClosed()).isFalse());

        assertThat(seen[0]).isEqualTo(72f);
        assertThat(computed.get()).isEqualTo(2);
        assertThat(made.get(0).wasClosed()).isTrue();
        assertThat(made.get(1).wasClosed()).isTrue();
    }

    @Test
    void thePlainArrayIsKeptOnceAnEveryCallPathAsksForIt() {
        DerivedWeights weights = weights();
        weights.readOnce(plain -> {});

        INDArray plain = weights.plain();
        weights.readOnce(lent -> assertThat(lent).isSameInstanceAs(plain));

        assertThat(weights.plain()).isSameInstanceAs(plain);
        assertThat(plain.wasClosed()).isFalse();
        assertThat(computed.get()).isEqualTo(2); // once for the one-off read, once to keep
    }

    @Test
    void theDepthwiseKernelIsMadeOnFirstUseOnly() {
        DerivedWeights weights = new DerivedWeights(new long[] {4, 1, 3, 3}, () -> {
            computed.incrementAndGet();
            return Nd4j.linspace(1, 36, 36, DataType.FLOAT).reshape('c', 4, 1, 3, 3).dup('c');
        });
        assertThat(computed.get()).isEqualTo(0);

        INDArray kernel = weights.depthwiseKernel(4);

        assertThat(kernel.shape()).isEqualTo(new long[] {3, 3, 4, 1});
        assertThat(kernel.equals(Conv2dOp.depthwiseKernel(weights.plain(), 4))).isTrue();
        assertThat(weights.depthwiseKernel(4)).isSameInstanceAs(kernel);
        assertThat(computed.get()).isEqualTo(1);
    }
}
