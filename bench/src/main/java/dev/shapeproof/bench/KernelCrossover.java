package dev.shapeproof.bench;

import dev.shapeproof.nn.F;
import dev.shapeproof.nn.ForwardWorkspace;
import dev.shapeproof.shape.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where the Java kernels stop paying: times {@code F}'s ops over a range of sizes, each call inside a
 * {@link ForwardWorkspace} as in a generated forward. Run it twice, with {@code -Dshapeproof.smallTensorKernels=always}
 * (Java at every size) and {@code =never} (ND4J only); {@code bench/crossover.sh} does both and prints them side by
 * side. The limits beside each op's Java kernel in {@code dev.shapeproof.nn.ops} come from this table.
 *
 * <p>Output: one tab-separated line per case, {@code op, shape, work, µs} (work = elements, or multiply-adds for
 * conv2d and linear; µs = the median of 15 batches after a warm-up).
 */
public final class KernelCrossover {
    private KernelCrossover() {}

    public static void main(String[] args) {
        Backend.checkClassifier();
        List<String> lines = new ArrayList<>();
        Window k5 = Window.kernel(5);
        INDArray w5 = Nd4j.rand(DataType.FLOAT, 20, 10, 5, 5);
        INDArray b20 = Nd4j.rand(DataType.FLOAT, 20);
        for (int n : new int[] {1, 2, 4, 8, 16}) { // the seed's conv2: 10 → 20 channels, 5×5, 12×12 → 8×8
            INDArray x = Nd4j.rand(DataType.FLOAT, n, 10, 12, 12);
            lines.add(row("conv2d 10→20 k5", x, (long) n * 20 * 8 * 8 * 250,
                    () -> F.conv2d(x, w5, b20, k5, k5, 1)));
        }
        Window k3 = Window.kernel(3).padding(1);
        INDArray w3 = Nd4j.rand(DataType.FLOAT, 16, 16, 3, 3);
        INDArray b16 = Nd4j.rand(DataType.FLOAT, 16);
        for (int size : new int[] {8, 12, 16, 24, 32, 48}) { // 3×3 'same', 16 → 16 channels
            INDArray x = Nd4j.rand(DataType.FLOAT, 1, 16, size, size);
            lines.add(row("conv2d 16→16 k3 p1", x, 16L * size * size * 16 * 9,
                    () -> F.conv2d(x, w3, b16, k3, k3, 1)));
        }
        INDArray fc = Nd4j.rand(DataType.FLOAT, 50, 320);
        INDArray fcBias = Nd4j.rand(DataType.FLOAT, 50);
        for (int rows : new int[] {1, 2, 4, 8, 16, 64}) { // the seed's fc1: 320 → 50
            INDArray x = Nd4j.rand(DataType.FLOAT, rows, 320);
            lines.add(row("linear 320→50", x, rows * 320L * 50, () -> F.linear(x, fc, fcBias)));
        }
        Window pool = Window.kernel(2).stride(2);
        for (int channels : new int[] {10, 40, 120, 320}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 1, channels, 24, 24);
            lines.add(row("max_pool2d 2×2", x, x.length(), () -> F.maxPool2d(x, pool, pool)));
        }
        for (int channels : new int[] {10, 40, 120}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 1, channels, 24, 24);
            lines.add(row("avg_pool2d 2×2", x, x.length(), () -> F.avgPool2d(x, pool, pool, true)));
        }
        for (int channels : new int[] {64, 512, 2048}) { // global average pooling, as before a classifier head
            INDArray x = Nd4j.rand(DataType.FLOAT, 1, channels, 7, 7);
            lines.add(row("adaptive_avg_pool2d 1×1", x, x.length(), () -> F.adaptiveAvgPool2d(x, 1, 1)));
        }
        for (int channels : new int[] {10, 40, 160, 640}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 1, channels, 24, 24);
            INDArray mean = Nd4j.rand(DataType.FLOAT, channels);
            INDArray variance = Nd4j.rand(DataType.FLOAT, channels).addi(0.5);
            INDArray weight = Nd4j.rand(DataType.FLOAT, channels);
            INDArray bias = Nd4j.rand(DataType.FLOAT, channels);
            lines.add(row("batch_norm", x, x.length(), () -> F.batchNorm2d(x, mean, variance, weight, bias, 1e-5)));
        }
        for (int length : new int[] {1 << 8, 1 << 11, 1 << 12, 1 << 14, 1 << 16}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 1, length).subi(0.5);
            lines.add(row("sigmoid", x, length, () -> F.sigmoid(x, false)));
        }
        for (int length : new int[] {1 << 10, 1 << 14, 1 << 16, 1 << 18, 1 << 20}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 1, length).subi(0.5);
            lines.add(row("relu", x, length, () -> F.relu(x, false)));
        }
        for (int rows : new int[] {1, 64, 1024, 8192}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, rows, 10);
            lines.add(row("log_softmax dim 1", x, x.length(), () -> F.logSoftmax(x, 1)));
        }
        lines.forEach(System.out::println);
    }

    private static String row(String op, INDArray x, long work, Supplier<INDArray> kernel) {
        return String.format(Locale.ROOT, "%s\t%s\t%d\t%.2f", op, java.util.Arrays.toString(x.shape()), work,
                microseconds(kernel));
    }

    /** Median over 15 batches, after 0.3 s of warm-up, of the µs per call, each call in a forward's workspace. */
    private static double microseconds(Supplier<INDArray> kernel) {
        long warmUntil = System.nanoTime() + 300_000_000L;
        int perBatch = 1;
        while (System.nanoTime() < warmUntil) {
            long start = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                call(kernel);
            }
            if (System.nanoTime() - start < 20_000_000L) {
                perBatch *= 2;
            }
        }
        double[] batches = new double[15];
        for (int b = 0; b < batches.length; b++) {
            long start = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                call(kernel);
            }
            batches[b] = (System.nanoTime() - start) / 1e3 / perBatch;
        }
        java.util.Arrays.sort(batches);
        return batches[batches.length / 2];
    }

    private static void call(Supplier<INDArray> kernel) {
        try (ForwardWorkspace workspace = ForwardWorkspace.open("KernelCrossover")) {
            kernel.get();
        }
    }
}
