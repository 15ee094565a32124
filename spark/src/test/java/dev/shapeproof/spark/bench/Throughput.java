package dev.shapeproof.spark.bench;

import dev.shapeproof.examples.ContextModuleModel;
import dev.shapeproof.examples.SeedNetModel;
import dev.shapeproof.nn.CompiledModel;
import dev.shapeproof.spark.ShapeProofTransformer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rows per second of the transformer on {@code local[1]} and {@code local[2]} against a plain Java loop over the same
 * rows (one thread: batches copied into an INDArray, one forward each, outputs copied out), for the seed net and the
 * context module (bench/README.md, "Spark"). The rows are cached in Spark's memory first, and every output column is
 * computed into Spark's {@code noop} sink, so the timing is decoding, batching, the forwards and writing the rows back.
 *
 * <p>Arguments: {@code case rows batch partitions repeats}, e.g. {@code mnist 20000 64 4 5} or
 * {@code context 256 8 4 5}. Run with {@code OMP_NUM_THREADS=1} (spark/bench.sh does).
 */
public final class Throughput {
    private Throughput() {}

    public static void main(String[] args) {
        String benchCase = args[0];
        int rows = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int partitions = Integer.parseInt(args[3]);
        int repeats = Integer.parseInt(args[4]);
        boolean mnist = benchCase.equals("mnist");
        long seed = 1234;
        CompiledModel model = mnist ? new SeedNetModel(seed) : new ContextModuleModel(seed);
        String modelClass = mnist ? SeedNetModel.class.getName() : ContextModuleModel.class.getName();
        int[] sample = model.inputs().get(0).shape().sampleDims();
        int size = Arrays.stream(sample).reduce(1, (a, b) -> a * b);
        Random random = new Random(1);
        List<float[]> samples = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            float[] x = new float[size];
            for (int j = 0; j < size; j++) {
                x[j] = (float) random.nextGaussian();
            }
            samples.add(x);
        }

        double loop = median(repeats, () -> javaLoop(model, samples, sample, batch)) ;
        print(benchCase, "plain Java loop, 1 thread", rows, batch, partitions, loop);
        for (int cores : new int[] {1, 2}) {
            SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("throughput")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
            StructType schema = DataTypes.createStructType(List.of(
                    DataTypes.createStructField("id", DataTypes.LongType, false),
                    DataTypes.createStructField("x", DataTypes.createArrayType(DataTypes.FloatType, false), false)));
            List<Row> data = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                data.add(RowFactory.create((long) i, samples.get(i)));
            }
            Dataset<Row> df = spark.createDataFrame(data, schema).repartition(partitions).cache();
            df.count();
            ShapeProofTransformer scorer = new ShapeProofTransformer().setModelClass(modelClass).setSeed(seed)
                    .setInputCol("x").setBatchSize(batch);
            double spark1 = median(repeats, () -> scorer.transform(df).write().format("noop").mode("overwrite").save());
            print(benchCase, "Spark local[" + cores + "]", rows, batch, partitions, spark1);
            spark.stop();
        }
    }

    private static void javaLoop(CompiledModel model, List<float[]> samples, int[] sample, int batch) {
        int size = samples.get(0).length;
        long[] shape = new long[sample.length + 1];
        shape[0] = batch;
        for (int d = 0; d < sample.length; d++) {
            shape[d + 1] = sample[d];
        }
        float[] staging = new float[batch * size];
        INDArray input = Nd4j.createUninitialized(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape, 'c');
        for (int start = 0; start < samples.size(); start += batch) {
            int n = Math.min(batch, samples.size() - start);
            for (int i = 0; i < n; i++) {
                System.arraycopy(samples.get(start + i), 0, staging, i * size, size);
            }
            new FloatPointer(input.data().pointer()).put(staging, 0, staging.length);
            try (INDArray out = model.forward(List.of(input)).get(0)) {
                float[] values = new float[(int) out.length()];
                new FloatPointer(out.data().pointer()).get(values, 0, values.length);
                for (int i = 0; i < n; i++) {
                    Arrays.copyOfRange(values, i * values.length / batch, (i + 1) * values.length / batch);
                }
            }
        }
    }

    /** Runs {@code work} once to warm up, then {@code repeats} times; the median seconds. */
    private static double median(int repeats, Runnable work) {
        work.run();
        double[] seconds = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            work.run();
            seconds[r] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[repeats / 2];
    }

    private static void print(String benchCase, String how, int rows, int batch, int partitions, double seconds) {
        System.out.printf(Locale.ROOT, "RESULT | %s | %s | %d rows, batch %d, %d partitions | %.3f s | %.0f rows/s |%n",
                benchCase, how, rows, batch, partitions, seconds, rows / seconds);
    }
}
