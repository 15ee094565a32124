package dev.shapeproof.nn;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.nn.Kernels.randn;

import dev.shapeproof.nn.ops.Layouts;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A forward's results are dense c-order arrays whatever layout the last op left: oneDNN's convolutions write channels
 * last, an array whose {@code ordering()} still says {@code 'c'}, and a caller that copies a result's buffer (Spark's
 * scorer, {@code data().asFloat()}) would read a permutation of it.
 */
class ForwardResultLayoutTest {
    @AfterEach
    void releaseWhatTheThreadKept() {
        ForwardWorkspace.releaseCurrentThread();
    }

    @Test
    void aChannelsLastResultComesOutInCOrder() {
        INDArray x = randn(new Random(3), 1, 2, 3, 4, 5);
        INDArray result;
        INDArray channelsLast;
        try (ForwardWorkspace call = ForwardWorkspace.open("ForwardResultLayoutTest")) {
            // [N, C, H, W] with NHWC strides, inside the call's memory, as oneDNN's output is
            channelsLast = F.relu(x, false).permute(0, 2, 3, 1).dup('c').permute(0, 3, 1, 2);
            assertThat(Layouts.isDenseC(channelsLast)).isFalse();
            result = call.result(channelsLast);
        }
        assertThat(result.shape()).isEqualTo(x.shape());
        assertThat(Layouts.isDenseC(result)).isTrue();
        float[] buffer = result.data().asFloat();
        INDArray relu = F.relu(x, false);
        for (int i = 0; i < buffer.length; i++) {
            assertThat(buffer[i]).isEqualTo(relu.reshape(-1).getFloat(i));
        }
    }

    @Test
    void layoutsTellDenseCFromOtherStrides() {
        INDArray x = randn(new Random(4), 1, 2, 3, 4);
        assertThat(Layouts.isDenseC(x)).isTrue();
        assertThat(Layouts.isDenseC(x.permute(0, 2, 1))).isFalse();
        assertThat(Layouts.isDenseC(x.dup('f'))).isFalse();
        assertThat(Layouts.isDenseC(x.reshape(2, 1, 12))).isTrue(); // size-1 axes have any stride
    }
}
