package dev.shapeproof.sizes;

import static com.google.common.truth.Truth.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Joint sets write themselves as boxes and read back to the same tuples. */
class JointSizesTest {
    @Test
    void aGridIsOneBox() {
        List<int[]> points = new ArrayList<>();
        for (int h = 4; h <= 128; h++) {
            for (int w = 4; w <= 128; w++) {
                points.add(new int[] {h, w});
            }
        }
        points.add(new int[] {130, 7});
        JointSizes joint = JointSizes.of(List.of("H", "W"), points);
        assertThat(joint.toSpec()).isEqualTo("H,W boxes=4-128x4-128,130x7");
        assertThat(JointSizes.parse(joint.toSpec())).isEqualTo(joint);
    }

    @Test
    void irregularSetsRoundTripInTwoAndThreeSizes() {
        Random random = new Random(14);
        for (int sizes = 2; sizes <= 3; sizes++) {
            for (int trial = 0; trial < 50; trial++) {
                List<int[]> points = new ArrayList<>();
                int count = random.nextInt(300);
                for (int i = 0; i < count; i++) {
                    int[] point = new int[sizes];
                    for (int axis = 0; axis < sizes; axis++) {
                        point[axis] = 1 + random.nextInt(12);
                    }
                    points.add(point);
                }
                List<String> names = sizes == 2 ? List.of("H", "W") : List.of("H", "W", "D");
                JointSizes joint = JointSizes.of(names, points);
                JointSizes read = JointSizes.parse(joint.toSpec());
                assertThat(read).isEqualTo(joint);
                assertThat(read.points().size()).isEqualTo(joint.points().size());
            }
        }
    }

    @Test
    void theOlderTupleSpellingStillReads() {
        JointSizes joint = JointSizes.parse("H,W points=28x28,29x29");
        assertThat(joint.contains(new int[] {29, 29})).isTrue();
        assertThat(joint.toSpec()).isEqualTo("H,W boxes=28x28,29x29");
    }
}
