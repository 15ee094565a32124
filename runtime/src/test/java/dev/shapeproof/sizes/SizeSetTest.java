package dev.shapeproof.sizes;

import static com.google.common.truth.Truth.assertThat;

import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class SizeSetTest {
    private static SizeSet periodic(IntPredicate admitted, int start, int period) {
        return SizeSet.eventuallyPeriodic("H", 1, AdmissibleSizes.DEFAULT_MAX, false, start, period, admitted);
    }

    @Test
    void closedForms() {
        assertThat(periodic(h -> h >= 33 && h % 8 == 1, 40, 8).toString()).isEqualTo("H ≥ 33 and H ≡ 1 (mod 8)");
        assertThat(periodic(h -> h % 32 == 0, 64, 32).toString()).isEqualTo("H ≡ 0 (mod 32)");
        assertThat(periodic(h -> h >= 16 && h % 2 == 0, 16, 4).toString()).isEqualTo("H ≥ 16 and H even");
        assertThat(periodic(h -> h == 7, 100, 4).toString()).isEqualTo("H ∈ {7}");
        assertThat(periodic(h -> h == 5 || h == 7 || h >= 16 && h % 2 == 0, 20, 2).toString())
                .isEqualTo("H ∈ {5, 7} or H ≥ 16 and H even");
        assertThat(periodic(h -> h >= 9, 9, 3).toString()).isEqualTo("H ≥ 9");
        assertThat(periodic(h -> true, 1, 1).toString()).isEqualTo("any H");
        assertThat(periodic(h -> false, 1, 1).toString()).isEqualTo("no H");
        assertThat(periodic(h -> h % 4 != 3, 8, 4).toString()).isEqualTo("H ≢ 3 (mod 4)");
        assertThat(periodic(h -> h % 8 == 1 || h % 8 == 3, 8, 8).toString()).isEqualTo("H mod 8 ∈ {1, 3}");
        assertThat(periodic(h -> h >= 3 && h <= 40, 50, 1).toString()).isEqualTo("3 ≤ H ≤ 40");
        assertThat(SizeSet.eventuallyPeriodic("H", 32, 1024, true, 64, 32, h -> h % 32 == 0).toString())
                .isEqualTo("H ≥ 32 and H ≡ 0 (mod 32) and H ≤ 1,024");
    }

    @Test
    void membershipCountsAndNeighboursMatchThePredicate() {
        IntPredicate admitted = h -> h == 3 || h >= 33 && h % 8 == 1;
        SizeSet set = SizeSet.eventuallyPeriodic("H", 1, 500, true, 40, 8, admitted);
        long count = 0;
        for (int h = 0; h <= 510; h++) {
            boolean expected = h >= 1 && h <= 500 && admitted.test(h);
            assertThat(set.contains(h)).isEqualTo(expected);
            if (expected) {
                count++;
            }
        }
        assertThat(set.count()).isEqualTo(count);
        assertThat(set.atOrBelow(40)).isEqualTo(33);
        assertThat(set.above(34)).isEqualTo(41);
        assertThat(set.above(4)).isEqualTo(33);
        assertThat(set.atOrBelow(32)).isEqualTo(3);
        assertThat(set.above(498)).isEqualTo(-1);
        assertThat(SizeSet.parse(set.toSpec())).isEqualTo(set);
    }

    @Test
    void admissibleSizesNameTheNearest() {
        SizeSet h = periodic(v -> v % 32 == 0, 64, 32);
        SizeSet w = SizeSet.eventuallyPeriodic("W", 1, AdmissibleSizes.DEFAULT_MAX, false, 16, 16,
                v -> v >= 16 && v % 16 == 0);
        AdmissibleSizes sizes = AdmissibleSizes.of(List.of("H", "W"), List.of(h, w), List.of());
        assertThat(sizes.toString()).isEqualTo("H ≡ 0 (mod 32); W ≡ 0 (mod 16)");
        assertThat(sizes.contains(SizeValues.of(List.of("H", "W"), 96, 48))).isTrue();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> sizes.require("Net input x", SizeValues.of(List.of("H", "W"), 100, 48)));
        assertThat(e).hasMessageThat().isEqualTo("Net input x: H = 100, W = 48 is not an admissible size; the "
                + "admissible sizes are H ≡ 0 (mod 32); W ≡ 0 (mod 16); nearest: H = 96 or H = 128");
        assertThat(AdmissibleSizes.parse(List.of("H", "W"), sizes.toSpec())).isEqualTo(sizes);
        JointSizes joint = JointSizes.of(List.of("H", "W"), List.of(new int[] {28, 28}, new int[] {29, 28}));
        AdmissibleSizes tied = AdmissibleSizes.of(List.of("H", "W"), List.of(), List.of(joint));
        assertThat(tied.toString()).isEqualTo("28 ≤ H ≤ 29 and W = 28");
        JointSizes lenet = JointSizes.of(List.of("H", "W"), List.of(new int[] {16, 76}, new int[] {16, 77},
                new int[] {17, 76}, new int[] {17, 77}, new int[] {28, 28}, new int[] {28, 30}));
        assertThat(lenet.toString()).isEqualTo("16 ≤ H ≤ 17 and 76 ≤ W ≤ 77 or H = 28 and (W = 28 or W = 30)");
        assertThat(tied.nearest(SizeValues.of(List.of("H", "W"), 30, 30))).isEqualTo(
                "(H, W) = (28, 28) or (H, W) = (29, 28)");
        assertThat(AdmissibleSizes.parse(List.of("H", "W"), tied.toSpec())).isEqualTo(tied);
    }

    @Test
    void polynomialsMergeLikeTermsAndReadBack() {
        Size h = Size.symbol("H").ceilDiv(2);
        Size w = Size.symbol("W").ceilDiv(2);
        SizePolynomial macs = SizePolynomial.of(Size.product(Size.of(1728), h, w))
                .plus(SizePolynomial.of(Size.product(Size.of(36864), h, w)))
                .plus(SizePolynomial.of(Size.of(10)));
        assertThat(macs.toString()).isEqualTo("38,592·⌈H/2⌉·⌈W/2⌉ + 10");
        assertThat(SizePolynomial.parse(macs.toSpec())).isEqualTo(macs);
        assertThat(macs.at(SizeValues.of(List.of("H", "W"), 3, 4))).isEqualTo(38592L * 2 * 2 + 10);
        assertThat(macs.dominates(SizePolynomial.of(Size.product(Size.of(5), h, w)))).isTrue();
    }
}
