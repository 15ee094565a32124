package dev.shapeproof.processor.op;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.shapeproof.shape.TensorShape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which views of permuted and expanded tensors fit, against PyTorch's own verdicts on 600 random cases recorded in
 * {@code pytorch-views.txt} (tools/golden/pytorch_views.py).
 */
class StridesTest {
    @Test
    void viewsFitExactlyWherePyTorchAllowsThem() throws IOException {
        List<String> cases = cases();
        assertThat(cases.size()).isAtLeast(500);
        int refused = 0;
        for (String line : cases) {
            String[] fields = line.split("\\|");
            TensorShape input = TensorShape.batchOf(ints(fields[0].trim().split("x")));
            int[] order = ints(fields[1].trim().split(" "));
            Strides strides = Strides.contiguous(input).permuted(order);
            TensorShape shape = input.withSample(Arrays.stream(order).skip(1).map(axis -> input.dim(axis)).toArray());
            if (!fields[2].trim().equals("-")) {
                int[] expand = ints(fields[2].trim().split(" "));
                int[] sample = new int[expand.length - 1];
                for (int i = 1; i < expand.length; i++) {
                    sample[i - 1] = expand[i] == -1 ? shape.dim(i) : expand[i];
                }
                TensorShape expanded = shape.withSample(sample);
                strides = strides.expanded(shape, expanded);
                shape = expanded;
            }
            TensorShape view = TensorShape.batchOf(ints(fields[3].trim().split(" ")));
            boolean fits = fields[4].trim().equals("ok");
            refused += fits ? 0 : 1;
            assertWithMessage("%s: strides %s", line, strides)
                    .that(strides.viewedAs(shape, view).isPresent()).isEqualTo(fits);
        }
        assertThat(refused).isAtLeast(100); // the record holds both verdicts, many of each
    }

    @Test
    void aFreshTensorIsContiguousAndATransposedOneIsNot() {
        TensorShape shape = TensorShape.batchOf(3, 2, 2);
        Strides fresh = Strides.contiguous(shape);
        assertThat(fresh.toString()).isEqualTo("[12, 4, 2, 1]");
        assertThat(fresh.isContiguous(shape)).isTrue();
        Strides transposed = fresh.permuted(new int[] {0, 1, 3, 2});
        assertThat(transposed.toString()).isEqualTo("[12, 4, 1, 2]");
        assertThat(transposed.isContiguous(shape)).isFalse();
    }

    private static List<String> cases() throws IOException {
        try (InputStream in = StridesTest.class.getResourceAsStream("/pytorch-views.txt")) {
            assertWithMessage("pytorch-views.txt on the test class path").that(in).isNotNull();
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(line -> !line.startsWith("#")).toList();
        }
    }

    private static int[] ints(String[] parts) {
        return Arrays.stream(parts).mapToInt(Integer::parseInt).toArray();
    }
}
