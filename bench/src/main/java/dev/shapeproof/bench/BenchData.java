package dev.shapeproof.bench;

import dev.shapeproof.io.StateDictFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A case's data, shared by the Java and the Python side: {@code <dir>/<case>/weights.npz} (a PyTorch
 * {@code state_dict}, written by the generated model) and {@code <dir>/<case>/io.npz} ({@code x}, the input, and
 * {@code y}, the generated model's output, the reference every implementation is checked against).
 */
final class BenchData {
    /** Outputs must agree to this, relative to the largest |y|. */
    static final double TOLERANCE = 1e-4;

    final BenchCase benchCase;
    final Path weights;
    final INDArray x;
    final INDArray y;

    private BenchData(BenchCase benchCase, Path weights, INDArray x, INDArray y) {
        this.benchCase = benchCase;
        this.weights = weights;
        this.x = x;
        this.y = y;
    }

    /** The data directory: {@code -Dbench.data}, else {@code $BENCH_DATA}, else {@code target/bench-data}. */
    static Path root() {
        String dir = System.getProperty("bench.data");
        if (dir == null) {
            dir = System.getenv("BENCH_DATA");
        }
        return Path.of(dir == null ? "target/bench-data" : dir);
    }

    static BenchData load(Path root, BenchCase c) throws IOException {
        Path dir = root.resolve(c.id);
        Map<String, INDArray> io = StateDictFiles.read(dir.resolve("io.npz")).tensors();
        return new BenchData(c, dir.resolve("weights.npz"), io.get("x"), io.get("y"));
    }

    /**
     * Writes a case's data unless it exists: weights from PyTorch's default init (fixed seed) with every BatchNorm's
     * statistics and affine parameters drawn at random ({@link #randomiseBatchNorm}), a standard normal input (fixed
     * seed), and the generated model's output for it.
     */
    static boolean createIfMissing(Path root, BenchCase c) throws IOException {
        Path dir = root.resolve(c.id);
        Path weights = dir.resolve("weights.npz");
        Path io = dir.resolve("io.npz");
        if (Files.exists(weights) && Files.exists(io)) {
            return false;
        }
        Files.createDirectories(dir);
        Impls.saveInitialWeights(c, 6 + c.ordinal(), weights);
        randomiseBatchNorm(weights, 6 + c.ordinal());
        INDArray x = gaussian(c.inputShape(), 1000 + c.ordinal());
        INDArray y = Impls.shapeProof(c, weights).forward(x).dup('c');
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("x", x);
        tensors.put("y", y);
        StateDictFiles.write(io, tensors);
        return true;
    }

    /**
     * Gives every BatchNorm (recognised by its {@code running_var}) a mean in ±0.2, a variance in [0.5, 1.5], a weight
     * in [0.5, 1.5] and a bias in ±0.2, as the ports' goldens do. At their defaults (mean 0, variance 1, weight 1,
     * bias 0) a deep network's activations fade layer by layer: mobilenet_v2's output was its classifier's bias to
     * 4e-8, so the output check could not have seen a wrong convolution.
     */
    private static void randomiseBatchNorm(Path weights, long seed) throws IOException {
        Map<String, INDArray> state = new LinkedHashMap<>(StateDictFiles.read(weights).tensors());
        SplittableRandom random = new SplittableRandom(seed);
        boolean changed = false;
        for (String key : state.keySet()) {
            if (key.endsWith(".running_var")) {
                String norm = key.substring(0, key.length() - "running_var".length());
                fill(state.get(norm + "weight"), random, 0.5, 1.5);
                fill(state.get(norm + "bias"), random, -0.2, 0.2);
                fill(state.get(norm + "running_mean"), random, -0.2, 0.2);
                fill(state.get(norm + "running_var"), random, 0.5, 1.5);
                changed = true;
            }
        }
        if (changed) {
            StateDictFiles.write(weights, state);
        }
    }

    /** Fills {@code tensor} (if the state has it: a BatchNorm without affine parameters has none) uniformly. */
    private static void fill(INDArray tensor, SplittableRandom random, double low, double high) {
        if (tensor == null) {
            return;
        }
        for (long i = 0; i < tensor.length(); i++) {
            tensor.putScalar(i, low + (high - low) * random.nextDouble());
        }
    }

    private static INDArray gaussian(long[] shape, long seed) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[Math.toIntExact(n)];
        for (int i = 0; i < values.length; i++) {
            // Box-Muller: a standard normal without java.util.Random's synchronisation
            double u = 1.0 - random.nextDouble();
            double v = random.nextDouble();
            values[i] = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
        }
        return Nd4j.create(values, shape, 'c');
    }

    /** max |got − y| / max |y|. */
    double relativeError(INDArray got) {
        if (!java.util.Arrays.equals(got.shape(), y.shape())) {
            throw new IllegalStateException(benchCase.id + ": output shape " + java.util.Arrays.toString(got.shape())
                    + " differs from the reference " + java.util.Arrays.toString(y.shape()));
        }
        double diff = Transforms.abs(got.sub(y), false).maxNumber().doubleValue();
        double scale = Transforms.abs(y, true).maxNumber().doubleValue();
        return diff / Math.max(scale, 1e-30);
    }

    /**
     * Runs {@code impl} twice (a second call catches state left by the first: reused buffers and op objects) and
     * fails unless the second output equals the reference to {@link #TOLERANCE}.
     */
    double check(String implName, Forward impl) {
        impl.forward(x);
        double error = relativeError(impl.forward(x));
        if (!(error <= TOLERANCE)) {
            throw new IllegalStateException(benchCase.id + ": " + implName + " differs from the reference by "
                    + error + " (relative), more than " + TOLERANCE);
        }
        return error;
    }
}
