package dev.shapeproof.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Batch scoring from the command line, for {@code spark-submit}: reads a directory of images, of {@code .npy} files or
 * a Parquet table, runs a {@link ShapeProofTransformer} over it, prints a sample of the results and the counts, and
 * writes the scored table as Parquet if asked. The README's cluster example runs it on the seed net's digits.
 *
 * <pre>
 * --model CLASS           the generated model class (its jar on --jars)           required
 * --weights PATH|URI      .npz or .safetensors; absent: --seed's initialisation
 * --seed N                PyTorch's default initialisation from N                 0
 * --input PATH|URI        the data                                                required
 * --format F              image | npy | parquet                                   image
 * --input-col C           parquet: the input column (array&lt;float&gt; or binary .npy)
 * --id-col C              parquet: a column naming rows in messages and output
 * --batch-size N          rows per forward                                        64
 * --classifier K          logits | log_probabilities | probabilities | none      none
 * --scale S --mean M[,M..] --std S[,S..] --channel-order RGB|BGR   images: (byte · S − mean) / std
 * --skip-invalid          leave bad rows unscored, with the reason, instead of failing
 * --output PATH|URI       write the scored rows as Parquet
 * --show N                print the first N rows                                  20
 * </pre>
 */
public final class Score {
    private Score() {}

    public static void main(String[] args) {
        Map<String, String> options = parse(args);
        SparkSession.Builder builder = SparkSession.builder().appName("shapeproof-score");
        if (System.getProperty("spark.master") == null) { // spark-submit sets it; a plain `java` run gets local
            builder.master("local[*]");
        }
        SparkSession spark = builder.getOrCreate();
        try {
            run(spark, options);
        } finally {
            spark.stop();
        }
    }

    static void run(SparkSession spark, Map<String, String> options) {
        String format = options.getOrDefault("format", "image");
        String input = required(options, "input");
        Dataset<Row> data;
        String inputCol;
        String idCol = options.getOrDefault("id-col", "");
        switch (format) {
            case "image" -> {
                data = spark.read().format("image").option("dropInvalid", false).load(input);
                inputCol = "image";
            }
            case "npy" -> {
                data = spark.read().format("binaryFile").option("pathGlobFilter", "*.npy").load(input)
                        .select("path", "content");
                inputCol = "content";
                idCol = "path";
            }
            case "parquet" -> {
                data = spark.read().parquet(input);
                inputCol = required(options, "input-col");
            }
            default -> throw new IllegalArgumentException("--format is image, npy or parquet, not " + format);
        }
        ShapeProofTransformer scorer = new ShapeProofTransformer()
                .setModelClass(required(options, "model"))
                .setWeights(options.getOrDefault("weights", ""))
                .setSeed(Long.parseLong(options.getOrDefault("seed", "0")))
                .setInputCol(inputCol)
                .setIdCol(idCol)
                .setBatchSize(Integer.parseInt(options.getOrDefault("batch-size", "64")))
                .setClassifierOutput(options.getOrDefault("classifier", "none"))
                .setHandleInvalid(options.containsKey("skip-invalid") ? "skip" : "error")
                .setChannelOrder(options.getOrDefault("channel-order", "RGB"))
                .setScale(Double.parseDouble(options.getOrDefault("scale", Double.toString(1.0 / 255))))
                .setMean(doubles(options.getOrDefault("mean", "")))
                .setStd(doubles(options.getOrDefault("std", "")));
        long start = System.nanoTime();
        Dataset<Row> scored = scorer.transform(data).cache();
        long rows = scored.count();
        double seconds = (System.nanoTime() - start) / 1e9;
        boolean classifier = !"none".equals(options.getOrDefault("classifier", "none"));
        boolean skip = options.containsKey("skip-invalid");

        System.out.printf(Locale.ROOT, "%s on Spark %s (%s, %d partition(s)): %d rows from %s%n",
                options.get("model"), spark.version(), spark.sparkContext().master(), data.rdd().getNumPartitions(),
                rows, input);
        int show = Integer.parseInt(options.getOrDefault("show", "20"));
        for (Row r : scored.limit(show).collectAsList()) {
            System.out.println("  " + describe(r, format, idCol, classifier, skip));
        }
        long skipped = skip ? scored.where(scored.col("error").isNotNull()).count() : 0;
        System.out.printf(Locale.ROOT, "%d scored, %d skipped, in %.1f s (the executors' first task loads ND4J and the"
                + " model)%n", rows - skipped, skipped, seconds);
        if (options.containsKey("output")) {
            scored.write().mode("overwrite").parquet(options.get("output"));
            System.out.println("written to " + options.get("output"));
        }
        scored.unpersist();
    }

    private static String describe(Row r, String format, String idCol, boolean classifier, boolean skip) {
        String id = format.equals("image") ? r.getStruct(r.fieldIndex("image")).getString(0)
                : idCol.isEmpty() ? "" : String.valueOf(r.get(r.fieldIndex(idCol)));
        id = id.substring(id.lastIndexOf('/') + 1);
        if (skip && r.get(r.fieldIndex("error")) != null) {
            return id + "  skipped: " + r.getString(r.fieldIndex("error"));
        }
        if (classifier) {
            Vector p = (Vector) r.get(r.fieldIndex("probability"));
            int k = (int) r.getDouble(r.fieldIndex("prediction"));
            return String.format(Locale.ROOT, "%-14s prediction %d  probability %.4f", id, k, p.apply(k));
        }
        List<Float> output = r.getList(r.fieldIndex("output"));
        List<Float> head = output.subList(0, Math.min(4, output.size()));
        return id + "  output " + output.size() + " floats " + head + (output.size() > 4 ? "..." : "");
    }

    private static double[] doubles(String text) {
        return text.isEmpty() ? new double[0] : Arrays.stream(text.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required (see dev.shapeproof.spark.Score's javadoc)");
        }
        return value;
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String name = rest.remove(0);
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("expected an option --name, found " + name);
            }
            if (name.equals("--skip-invalid")) {
                options.put("skip-invalid", "true");
            } else if (rest.isEmpty()) {
                throw new IllegalArgumentException(name + " needs a value");
            } else {
                options.put(name.substring(2), rest.remove(0));
            }
        }
        return options;
    }
}
