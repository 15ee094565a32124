package dev.shapeproof.examples;

import static com.google.common.truth.Truth.assertThat;

import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.shape.Window;
import org.junit.jupiter.api.Test;

/**
 * End to end: the examples were compiled by the real processor in this module's build, exactly as a user's build runs
 * it. These tests read what it generated.
 */
class ExampleModelsTest {

    @Test
    void seedNetShapesAreTheSeedsShapes() {
        assertThat(NetModel.INPUT_SHAPE).isEqualTo(TensorShape.of(-1, 1, 28, 28));
        assertThat(NetModel.CONV1_OUTPUT_SHAPE).isEqualTo(TensorShape.of(-1, 10, 24, 24));
        assertThat(NetModel.CONV2_OUTPUT_SHAPE).isEqualTo(TensorShape.of(-1, 20, 8, 8));
        assertThat(NetModel.FLATTEN_OUTPUT_SHAPE).isEqualTo(TensorShape.of(-1, 320));
        assertThat(NetModel.OUTPUT_SHAPE).isEqualTo(TensorShape.of(-1, 10));
    }

    @Test
    void generatedConstructorFillsEveryLayerWithItsProvenConfiguration() {
        NetModel net = new NetModel();

        assertThat(net.conv1.name()).isEqualTo("conv1");
        assertThat(net.conv2.in()).isEqualTo(10);
        assertThat(net.conv2.height()).isEqualTo(Window.kernel(5));
        assertThat(net.pool1.height()).isEqualTo(Window.kernel(2).stride(2));
        assertThat(net.fc1.in()).isEqualTo(320);
        assertThat(net.logSoftmax.dim()).isEqualTo(1);
    }

    @Test
    void omittedInputChannelsAreInferred() {
        DilatedStackModel stack = new DilatedStackModel();

        assertThat(stack.conv1.in()).isEqualTo(3);
        assertThat(stack.conv2.in()).isEqualTo(32);
    }

    @Test
    void contextModuleKeepsItsResolutionThroughEveryDilation() {
        TensorShape full = TensorShape.of(-1, 21, 64, 64);
        assertThat(ContextModuleModel.CTX3_OUTPUT_SHAPE).isEqualTo(full);
        assertThat(ContextModuleModel.CTX6_OUTPUT_SHAPE).isEqualTo(full);
        assertThat(ContextModuleModel.OUTPUT_SHAPE).isEqualTo(full);
        assertThat(new ContextModuleModel().ctx6.height()).isEqualTo(Window.kernel(3).padding(16).dilation(16));
    }

    @Test
    void samePaddingIsResolvedToPyTorchsExplicitPadding() {
        DilatedStackModel stack = new DilatedStackModel();

        // padding='same' with d = 8, k = 3: a total of d·(k−1) = 16, 8 on each side.
        assertThat(stack.conv4.width()).isEqualTo(Window.kernel(3).padding(8).dilation(8));
        assertThat(DilatedStackModel.OUTPUT_SHAPE).isEqualTo(TensorShape.of(-1, 32, 128, 128));
    }
}
