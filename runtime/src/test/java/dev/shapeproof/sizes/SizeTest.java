package dev.shapeproof.sizes;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shapeproof.shape.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SizeTest {
    private static final Size H = Size.symbol("H");
    private static final Size W = Size.symbol("W");

    private static SizeValues h(int value) {
        return SizeValues.of(List.of("H"), value);
    }

    @Test
    void resNetStemIsOneCeilingDivision() {
        Size conv1 = H.through(Window.kernel(7).stride(2).padding(3));
        Size pool = conv1.through(Window.kernel(3).stride(2).padding(1));
        assertThat(conv1.toString()).isEqualTo("⌈H/2⌉");
        assertThat(pool.toString()).isEqualTo("⌈H/4⌉");
        assertThat(pool.toSpec()).isEqualTo("ceil(H/4)");
        Size layer4 = pool.through(Window.kernel(3).stride(2).padding(1))
                .through(Window.kernel(3).stride(2).padding(1)).through(Window.kernel(3).stride(2).padding(1));
        assertThat(layer4.toString()).isEqualTo("⌈H/32⌉");
        assertThat(layer4.periodicity()).isEqualTo(new Size.Periodicity("H", 32, 1));
    }

    @Test
    void spellings() {
        assertThat(H.through(Window.kernel(3).padding(1)).toString()).isEqualTo("H");
        assertThat(H.through(Window.kernel(5)).toString()).isEqualTo("H − 4");
        assertThat(H.through(Window.kernel(2).stride(2)).toString()).isEqualTo("⌊H/2⌋");
        assertThat(H.through(Window.kernel(2).stride(2)).times(2).toString()).isEqualTo("2·⌊H/2⌋");
        assertThat(H.times(2).plus(1).toString()).isEqualTo("2H + 1");
        assertThat(H.ceilDiv(2).plus(1).toString()).isEqualTo("⌈H/2⌉ + 1");
        assertThat(H.plus(1).floorDiv(3).toString()).isEqualTo("⌊(H + 1)/3⌋");
        assertThat(H.plus(-1).floorDiv(4).toString()).isEqualTo("⌊(H − 1)/4⌋");
        assertThat(H.plus(-2).floorDiv(5).toString()).isEqualTo("⌊(H − 2)/5⌋");
        assertThat(Size.product(Size.of(64), H.ceilDiv(4), W.ceilDiv(4)).toString()).isEqualTo("64·⌈H/4⌉·⌈W/4⌉");
        assertThat(Size.sum(H, W.floorDiv(2)).toString()).isEqualTo("H + ⌊W/2⌋");
        assertThat(H.scaledBy(0.1).toString()).isEqualTo("⌊H·0.1⌋");
        assertThat(H.scaledBy(1.5).toString()).isEqualTo("⌊3H/2⌋");
        Size pool = H.through(Window.kernel(2).stride(2).padding(1).ceilMode(true));
        assertThat(pool).isInstanceOf(Size.CeilWindow.class);
        assertThat(pool.toString()).isEqualTo("pool(H; k=2, s=2, p=1, ceil)");
    }

    /** Random chains of windows, scales and shifts: the normal form computes what the ops compute in sequence. */
    @Test
    void chainsEvaluateAsTheirStepsAndReadBack() {
        Random random = new Random(14);
        for (int trial = 0; trial < 500; trial++) {
            Size size = H;
            List<Object> steps = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(5); i++) {
                int kind = random.nextInt(6);
                if (kind <= 2) {
                    int k = 1 + random.nextInt(5);
                    Window window = Window.kernel(k).stride(1 + random.nextInt(3)).padding(random.nextInt(k / 2 + 1))
                            .dilation(1 + random.nextInt(2)).ceilMode(kind == 2);
                    steps.add(window);
                    size = size.through(window);
                } else if (kind == 3) {
                    int factor = 1 + random.nextInt(3);
                    steps.add(factor);
                    size = size.times(factor);
                } else if (kind == 4) {
                    long shift = random.nextInt(7) - 3;
                    steps.add(shift);
                    size = size.plus(shift);
                } else {
                    steps.add(0.5);
                    size = size.scaledBy(0.5);
                }
            }
            assertThat(Size.parse(size.toSpec())).isEqualTo(size);
            Size.Periodicity periodicity = size.periodicity();
            for (int h = 1; h <= 200; h++) {
                long expected = h;
                for (Object step : steps) {
                    if (step instanceof Window window) {
                        expected = window.outputLength(Math.toIntExact(expected));
                    } else if (step instanceof Integer factor) {
                        expected *= factor;
                    } else if (step instanceof Long shift) {
                        expected += shift;
                    } else {
                        expected = (long) Math.floor(expected * 0.5);
                    }
                }
                assertThat(size.at(h(h))).isEqualTo(expected);
                if (h > 40 && h + periodicity.period() <= 400) {
                    assertThat(size.at(h(h + (int) periodicity.period())))
                            .isEqualTo(size.at(h(h)) + periodicity.increase());
                }
            }
        }
    }

    @Test
    void productsAndInexactScalesHaveNoPeriod() {
        assertThat(Size.product(H, W).periodicity()).isNull();
        assertThat(H.scaledBy(0.1).periodicity()).isNull();
        assertThat(Size.of(7).periodicity()).isEqualTo(Size.Periodicity.CONSTANT);
    }

    @Test
    void badSpecsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Size.parse("ceil(H/"));
        assertThrows(IllegalArgumentException.class, () -> Size.parse("H-W"));
        assertThrows(IllegalArgumentException.class, () -> Size.symbol("floor"));
    }

    @Test
    void shapesPrintAsTorchsummaryAndReadBack() {
        SymbolicShape shape = SymbolicShape.batchOf(Size.of(64), H.ceilDiv(2), W.ceilDiv(2));
        assertThat(shape.toString()).isEqualTo("[-1, 64, ⌈H/2⌉, ⌈W/2⌉]");
        assertThat(shape.toSpec()).isEqualTo("[-1,64,ceil(H/2),ceil(W/2)]");
        assertThat(SymbolicShape.parse(shape.toSpec())).isEqualTo(shape);
        assertThat(shape.at(SizeValues.of(List.of("H", "W"), 223, 320)).toString()).isEqualTo("[-1, 64, 112, 160]");
    }
}
