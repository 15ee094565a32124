package dev.shapeproof.shape;

import static com.google.common.truth.Truth.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ReceptiveField}. Sizes and jumps were measured in PyTorch 1.13 from the gradient support of neighbouring
 * outputs ({@code tools/shape/check_shape_rules.py}).
 */
class ReceptiveFieldTest {

    @Test
    void inputSeesOnePixel() {
        assertThat(ReceptiveField.INPUT.size()).isEqualTo(1.0);
        assertThat(ReceptiveField.INPUT.jump()).isEqualTo(1.0);
    }

    @Test
    void dilatedContextStack() {
        int[] dilations = {1, 1, 2, 4, 8, 16, 1};
        List<Double> sizes = new ArrayList<>();
        ReceptiveField field = ReceptiveField.INPUT;
        for (int dilation : dilations) {
            field = field.through(Window.of(3, 1, dilation, dilation));
            sizes.add(field.size());
        }
        assertThat(sizes).containsExactly(3.0, 5.0, 9.0, 17.0, 33.0, 65.0, 67.0).inOrder();
        assertThat(field.jump()).isEqualTo(1.0);
    }

    @Test
    void stridedStack() {
        // conv k3 s2: r 1 + 2·1 = 3, j 2; conv k3 s2: r 3 + 2·2 = 7, j 4; pool k2 s2: r 7 + 1·4 = 11, j 8
        ReceptiveField field = ReceptiveField.INPUT.through(Window.of(3, 2, 0, 1));
        assertThat(field).isEqualTo(new ReceptiveField(3, 2));
        field = field.through(Window.of(3, 2, 0, 1));
        assertThat(field).isEqualTo(new ReceptiveField(7, 4));
        field = field.through(Window.of(2, 2, 0, 1));
        assertThat(field).isEqualTo(new ReceptiveField(11, 8));
    }

    @Test
    void stridedDilatedStack() {
        // conv k5: r 5, j 1; conv k3 s3 d2 (k_eff 5): r 5 + 4·1 = 9, j 3; pool k2 s2: r 9 + 1·3 = 12, j 6
        ReceptiveField field = ReceptiveField.INPUT
                .through(Window.of(5, 1, 0, 1))
                .through(Window.of(3, 3, 0, 2))
                .through(Window.of(2, 2, 0, 1));
        assertThat(field.size()).isEqualTo(12.0);
        assertThat(field.jump()).isEqualTo(6.0);
    }

    @Test
    void paddingAndCeilModeDoNotEnter() {
        ReceptiveField plain = ReceptiveField.INPUT.through(Window.of(3, 2, 0, 1));
        assertThat(ReceptiveField.INPUT.through(new Window(3, 2, 1, 1, 1, true))).isEqualTo(plain);
        assertThat(ReceptiveField.INPUT.through(Window.same(3, 1)))
                .isEqualTo(ReceptiveField.INPUT.through(Window.of(3, 1, 0, 1)));
    }

    @Test
    void throughEffectiveKernelAndFractionalStride() {
        // an upsampling ×2 scales the jump by in/out = 0.5
        ReceptiveField field = new ReceptiveField(11, 8).through(2, 0.5);
        assertThat(field.size()).isEqualTo(19.0);
        assertThat(field.jump()).isEqualTo(4.0);
        ReceptiveField fractional = ReceptiveField.INPUT.through(1, 0.5);
        assertThat(fractional.jump()).isEqualTo(0.5);
    }

    @Test
    void mergeTakesTheMaximumOfEach() {
        ReceptiveField wide = new ReceptiveField(67, 1);
        ReceptiveField strided = new ReceptiveField(11, 8);
        assertThat(wide.merge(strided)).isEqualTo(new ReceptiveField(67, 8));
        assertThat(strided.merge(wide)).isEqualTo(new ReceptiveField(67, 8));
        assertThat(wide.merge(wide)).isEqualTo(wide);
    }

    @Test
    void toStringPrintsIntegersWithoutDecimals() {
        assertThat(new ReceptiveField(67, 1).toString()).isEqualTo("67 (jump 1)");
        assertThat(new ReceptiveField(11, 8).toString()).isEqualTo("11 (jump 8)");
        assertThat(new ReceptiveField(1, 0.5).toString()).isEqualTo("1 (jump 0.5)");
    }
}
