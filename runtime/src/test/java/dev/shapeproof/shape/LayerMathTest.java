package dev.shapeproof.shape;

import static com.google.common.truth.Truth.assertThat;

import dev.shapeproof.shape.ParameterShape.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link LayerMath} and {@link ParameterShape}. Shapes and {@code state_dict} order were printed by PyTorch 1.13; the
 * conv and linear MACs match half the FLOPs its profiler reports ({@code tools/shape/check_shape_rules.py}).
 */
class LayerMathTest {

    private static ParameterShape parameter(String name, long... dims) {
        return ParameterShape.parameter(name, dims);
    }

    private static ParameterShape buffer(String name, long... dims) {
        return ParameterShape.buffer(name, dims);
    }

    @Test
    void conv2dParameters() {
        // nn.Conv2d(1, 10, 5)
        assertThat(LayerMath.conv2dParameters(1, 10, 1, 5, 5, true))
                .containsExactly(parameter("weight", 10, 1, 5, 5), parameter("bias", 10))
                .inOrder();
    }

    @Test
    void conv2dParametersDivideInputChannelsByGroups() {
        // nn.Conv2d(4, 8, 3, groups=2): weight [8, 2, 3, 3]
        assertThat(LayerMath.conv2dParameters(4, 8, 2, 3, 3, true))
                .containsExactly(parameter("weight", 8, 2, 3, 3), parameter("bias", 8))
                .inOrder();
        // depthwise nn.Conv2d(8, 8, 3, groups=8): weight [8, 1, 3, 3]
        assertThat(LayerMath.conv2dParameters(8, 8, 8, 3, 3, true).get(0)).isEqualTo(parameter("weight", 8, 1, 3, 3));
    }

    @Test
    void conv2dParametersWithoutBiasAndRectangularKernel() {
        // nn.Conv2d(6, 12, (3, 5), groups=3, bias=False): only weight [12, 2, 3, 5]
        List<ParameterShape> parameters = LayerMath.conv2dParameters(6, 12, 3, 3, 5, false);
        assertThat(parameters).containsExactly(parameter("weight", 12, 2, 3, 5));
        assertThat(parameters.get(0).count()).isEqualTo(360);
    }

    @Test
    void linearParameters() {
        // nn.Linear(320, 50): weight [out, in]
        assertThat(LayerMath.linearParameters(320, 50, true))
                .containsExactly(parameter("weight", 50, 320), parameter("bias", 50))
                .inOrder();
        assertThat(LayerMath.linearParameters(10, 3, false)).containsExactly(parameter("weight", 3, 10));
    }

    @Test
    void batchNorm2dParametersInStateDictOrder() {
        List<ParameterShape> parameters = LayerMath.batchNorm2dParameters(16, true);
        assertThat(parameters)
                .containsExactly(
                        parameter("weight", 16),
                        parameter("bias", 16),
                        buffer("running_mean", 16),
                        buffer("running_var", 16),
                        buffer("num_batches_tracked"))
                .inOrder();
        ParameterShape counter = parameters.get(4);
        assertThat(counter.dims()).isEmpty();
        assertThat(counter.count()).isEqualTo(1);
        assertThat(counter.kind()).isEqualTo(Kind.BUFFER);
    }

    @Test
    void batchNorm2dWithoutAffineHasOnlyBuffers() {
        List<ParameterShape> parameters = LayerMath.batchNorm2dParameters(16, false);
        assertThat(parameters)
                .containsExactly(buffer("running_mean", 16), buffer("running_var", 16), buffer("num_batches_tracked"))
                .inOrder();
        assertThat(parameters.stream().map(ParameterShape::kind).distinct().toList()).containsExactly(Kind.BUFFER);
    }

    @Test
    void mnistConvMacs() {
        // conv1: 10×24×24 outputs × 1×5×5 = 144000 (profiler: 288000 FLOPs)
        assertThat(LayerMath.conv2dMacs(TensorShape.of(-1, 10, 24, 24), 1, 1, 5, 5)).isEqualTo(144_000L);
        // conv2: 20×8×8 outputs × 10×5×5 = 320000
        assertThat(LayerMath.conv2dMacs(TensorShape.of(-1, 20, 8, 8), 10, 1, 5, 5)).isEqualTo(320_000L);
    }

    @Test
    void groupedConvMacs() {
        // nn.Conv2d(8, 16, 3, groups=4) on 10×10: 16×8×8 × 2×3×3 = 18432 (profiler: 36864 FLOPs)
        assertThat(LayerMath.conv2dMacs(TensorShape.of(-1, 16, 8, 8), 8, 4, 3, 3)).isEqualTo(18_432L);
        // depthwise nn.Conv2d(8, 8, 3, groups=8, padding=1) on 16×16: 8×16×16 × 1×3×3
        assertThat(LayerMath.conv2dMacs(TensorShape.of(-1, 8, 16, 16), 8, 8, 3, 3)).isEqualTo(18_432L);
    }

    @Test
    void dilatedConvMacsCountTapsNotEffectiveKernel() {
        // nn.Conv2d(3, 6, 3, dilation=2) on 32×32: 6×28×28 × 3×3×3 = 127008 (profiler: 254016 FLOPs)
        assertThat(LayerMath.conv2dMacs(TensorShape.of(-1, 6, 28, 28), 3, 1, 3, 3)).isEqualTo(127_008L);
    }

    @Test
    void linearMacsOnRankTwoAndRankThree() {
        // nn.Linear(320, 50) on [N, 320]: 16000 (profiler: 32000 FLOPs)
        assertThat(LayerMath.linearMacs(TensorShape.of(-1, 320), 50)).isEqualTo(16_000L);
        // on [N, 7, 320]: 7 rows × 320 × 50
        assertThat(LayerMath.linearMacs(TensorShape.of(-1, 7, 320), 50)).isEqualTo(112_000L);
        // on [N, 2, 7, 320]: 14 rows
        assertThat(LayerMath.linearMacs(TensorShape.of(-1, 2, 7, 320), 50)).isEqualTo(224_000L);
    }

    @Test
    void macsOverflowIsReportedNotWrapped() {
        TensorShape huge = TensorShape.of(-1, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
        org.junit.jupiter.api.Assertions.assertThrows(
                ArithmeticException.class, () -> LayerMath.conv2dMacs(huge, 1, 1, 1, 1));
    }

    @Test
    void parameterShapeIsAValue() {
        long[] dims = {10, 1, 5, 5};
        ParameterShape shape = ParameterShape.parameter("weight", dims);
        dims[0] = 99;
        assertThat(shape.dims()).asList().containsExactly(10L, 1L, 5L, 5L).inOrder();
        shape.dims()[0] = 99;
        assertThat(shape.dims()[0]).isEqualTo(10L);
        assertThat(shape.count()).isEqualTo(250);
        assertThat(shape).isEqualTo(ParameterShape.parameter("weight", 10, 1, 5, 5));
        assertThat(shape.hashCode()).isEqualTo(ParameterShape.parameter("weight", 10, 1, 5, 5).hashCode());
        assertThat(shape).isNotEqualTo(ParameterShape.buffer("weight", 10, 1, 5, 5));
        assertThat(shape).isNotEqualTo(ParameterShape.parameter("bias", 10, 1, 5, 5));
        assertThat(shape).isNotEqualTo(ParameterShape.parameter("weight", 10, 1, 5));
        assertThat(shape.toString()).isEqualTo("weight[10, 1, 5, 5]");
    }
}
