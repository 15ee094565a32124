package dev.shapeproof.spark;

import static dev.shapeproof.spark.TestData.cause;
import static dev.shapeproof.spark.TestData.maxAbsDiff;
import static dev.shapeproof.spark.TestData.row;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shapeproof.examples.SeedNetModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The transformer on a real engine ({@code local[2]}), against the single-process forward: the shipped digits,
 * thousands of generated rows, a saved and reloaded pipeline, and bad rows failing or skipped.
 */
class TransformerTest {
    private static final StructType ARRAY_ROWS = DataTypes.createStructType(List.of(
            DataTypes.createStructField("id", DataTypes.LongType, false),
            DataTypes.createStructField("x", DataTypes.createArrayType(DataTypes.FloatType, false), true)));

    private static SparkSession spark;
    private static Path weights;
    private static SeedNetModel net;

    @BeforeAll
    static void start() throws IOException {
        spark = TestData.spark();
        weights = TestData.seedNetWeights();
        net = new SeedNetModel(weights);
    }

    private static ShapeProofTransformer seedNet() {
        return new ShapeProofTransformer()
                .setModelClass(SeedNetModel.class.getName())
                .setWeights(weights.toString())
                .setInputCol("x");
    }

    private static Dataset<Row> arrays(List<float[]> samples, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            rows.add(RowFactory.create((long) i, samples.get(i)));
        }
        return spark.createDataFrame(rows, ARRAY_ROWS).repartition(partitions);
    }

    /** Scored rows by id: the transformer keeps the input's columns, so rows are matched by their own id. */
    private static Map<Long, Row> byId(Dataset<Row> scored) {
        Map<Long, Row> rows = new java.util.HashMap<>();
        for (Row row : scored.collectAsList()) {
            rows.put(row.getLong(row.fieldIndex("id")), row);
        }
        return rows;
    }

    private static float[] floats(Row row, String column) {
        List<Float> values = row.getList(row.fieldIndex(column));
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    @Test
    void theShippedDigitsScoreAsTheSingleProcessForwardAndPyTorch() {
        Map<String, INDArray> digits = TestData.digits();
        INDArray images = digits.get("images");
        INDArray expected = net.forward(images);
        List<float[]> samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            samples.add(row(images, i));
        }
        Map<Long, Row> scored = byId(seedNet().setClassifierOutput("log_probabilities").setBatchSize(4)
                .transform(arrays(samples, 3)));

        assertEquals(10, scored.size());
        for (int i = 0; i < 10; i++) {
            Row r = scored.get((long) i);
            float[] output = floats(r, "output");
            assertTrue(maxAbsDiff(output, row(expected, i)) <= 1e-5f, "digit " + i + " vs the forward");
            assertTrue(maxAbsDiff(output, row(digits.get("log_probs"), i)) <= 1e-5f, "digit " + i + " vs PyTorch");
            assertEquals(digits.get("labels").getInt(i), (int) r.getDouble(r.fieldIndex("prediction")));
            Vector probability = (Vector) r.get(r.fieldIndex("probability"));
            assertEquals(10, probability.size());
            for (int k = 0; k < 10; k++) {
                assertEquals(Math.exp(output[k]), probability.apply(k), 1e-12);
            }
        }
    }

    @Test
    void thousandsOfGeneratedRowsScoreAsTheForward() {
        Random random = new Random(42);
        int n = 3001; // 4 partitions of ~750 rows: every partition ends in a partial batch of 64
        List<float[]> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[784];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) random.nextGaussian();
            }
            samples.add(x);
        }
        int before = ExecutorModels.constructed();
        Map<Long, Row> scored = byId(seedNet().setSeed(0).setClassifierOutput("log_probabilities")
                .transform(arrays(samples, 4)));
        int constructed = ExecutorModels.constructed() - before;

        assertEquals(n, scored.size());
        // The plain Java loop over the same rows, 64 at a time.
        float worst = 0;
        for (int start = 0; start < n; start += 64) {
            int end = Math.min(n, start + 64);
            float[] batch = new float[(end - start) * 784];
            for (int i = start; i < end; i++) {
                System.arraycopy(samples.get(i), 0, batch, (i - start) * 784, 784);
            }
            INDArray expected = net.forward(Nd4j.create(batch, new long[] {end - start, 1, 28, 28}, 'c'));
            for (int i = start; i < end; i++) {
                worst = Math.max(worst, maxAbsDiff(floats(scored.get((long) i), "output"), row(expected, i - start)));
                assertEquals((double) Nd4j.argMax(expected.getRow(i - start)).getInt(0),
                        scored.get((long) i).getDouble(scored.get((long) i).fieldIndex("prediction")));
            }
        }
        assertTrue(worst <= 1e-5f, "max |Spark − forward| = " + worst);
        // The model was built once for this JVM (the weights were loaded by the first test, or here), not per task.
        assertTrue(constructed <= 1, "constructed " + constructed + " models for 4 partitions on 2 threads");
    }

    @Test
    void oneModelPerExecutorJvmSharedByItsTaskThreads() {
        List<float[]> samples = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            samples.add(new float[784]);
        }
        int before = ExecutorModels.constructed();
        // A seed no other test uses: a model this JVM has not built yet.
        ShapeProofTransformer scorer = new ShapeProofTransformer().setModelClass(SeedNetModel.class.getName())
                .setSeed(987654321L).setInputCol("x").setBatchSize(4);
        assertEquals(64, scorer.transform(arrays(samples, 8)).count());
        assertEquals(64, scorer.transform(arrays(samples, 8)).count());
        assertEquals(1, ExecutorModels.constructed() - before, "8 partitions × 2 jobs on 2 task threads, one model");
    }

    @Test
    void aSavedPipelineReloadsAndScoresTheSame(@TempDir Path dir) throws IOException {
        List<float[]> samples = new ArrayList<>();
        INDArray images = TestData.digits().get("images");
        for (int i = 0; i < 10; i++) {
            samples.add(row(images, i));
        }
        Dataset<Row> data = arrays(samples, 2);
        ShapeProofTransformer scorer = seedNet().setClassifierOutput("log_probabilities").setBatchSize(3)
                .setOutputCol("log_probs").setMean(0.25, 0.5, 0.75).setStd(2); // image settings: saved all the same
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {scorer}).fit(data);
        Map<Long, Row> first = byId(fitted.transform(data));

        String path = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(path);
        PipelineModel reloaded = PipelineModel.load(path);
        ShapeProofTransformer stage = (ShapeProofTransformer) reloaded.stages()[0];
        assertEquals(scorer.uid(), stage.uid());
        assertEquals(3, (Integer) stage.getOrDefault(stage.batchSize()));
        assertEquals(weights.toString(), stage.getOrDefault(stage.weights()));
        Map<Long, Row> second = byId(reloaded.transform(data));
        for (long i = 0; i < 10; i++) {
            assertArrayEquals(floats(first.get(i), "log_probs"), floats(second.get(i), "log_probs"));
            assertEquals(first.get(i).getDouble(first.get(i).fieldIndex("prediction")),
                    second.get(i).getDouble(second.get(i).fieldIndex("prediction")));
        }

        // The transformer alone, too: its own writer and reader.
        String alone = dir.resolve("transformer").toString();
        scorer.write().save(alone);
        ShapeProofTransformer loaded = ShapeProofTransformer.load(alone);
        assertEquals(scorer.uid(), loaded.uid());
        for (Param<?> param : scorer.params()) {
            assertEquals(json(scorer, param), json(loaded, loaded.getParam(param.name())), param.name());
        }
        assertArrayEquals(new double[] {0.25, 0.5, 0.75}, loaded.getOrDefault(loaded.mean()));
    }

    @SuppressWarnings("unchecked")
    private static String json(ShapeProofTransformer t, Param<?> param) {
        Param<Object> p = (Param<Object>) param;
        return p.jsonEncode(t.getOrDefault(p));
    }

    @Test
    void aRowOfTheWrongLengthFailsTheJobNamingTheRowAndTheShapes() {
        List<float[]> samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            samples.add(new float[i == 7 ? 700 : 784]);
        }
        Exception e = assertThrows(Exception.class,
                () -> seedNet().setIdCol("id").transform(arrays(samples, 1)).collectAsList());
        BadRowException bad = cause(e, BadRowException.class);
        assertNotNull(bad, "a BadRowException in " + e);
        String message = bad.getMessage();
        assertTrue(message.contains("of partition 0 (7)"), message);
        assertTrue(message.contains("[-1, 1, 28, 28] (784 floats per row)"), message);
        assertTrue(message.contains("found an array of 700 elements ([700])"), message);
        assertTrue(message.contains("handleInvalid"), message);
    }

    @Test
    void aNullRowFailsTheJob() {
        List<Row> rows = List.of(RowFactory.create(0L, new float[784]), RowFactory.create(1L, null));
        Dataset<Row> data = spark.createDataFrame(rows, ARRAY_ROWS).coalesce(1);
        Exception e = assertThrows(Exception.class, () -> seedNet().transform(data).collectAsList());
        BadRowException bad = cause(e, BadRowException.class);
        assertNotNull(bad, "a BadRowException in " + e);
        assertTrue(bad.getMessage().contains("row 1 of partition 0: input x of SeedNet is [-1, 1, 28, 28]"),
                bad.getMessage());
        assertTrue(bad.getMessage().contains("found null"), bad.getMessage());
    }

    @Test
    void skippedRowsAreCountedInTheErrorColumnAndNeverShiftTheOthers() {
        Random random = new Random(7);
        List<float[]> samples = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int length = i % 9 == 4 ? 783 : i % 9 == 6 ? 785 : 784; // rows 4, 6, 13, 15, 22, 24, 31, 33
            float[] x = new float[length];
            for (int j = 0; j < length; j++) {
                x[j] = (float) random.nextGaussian();
            }
            samples.add(x);
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            rows.add(RowFactory.create((long) i, i == 20 ? null : samples.get(i)));
        }
        Dataset<Row> data = spark.createDataFrame(rows, ARRAY_ROWS).coalesce(1);
        Dataset<Row> scored = seedNet().setHandleInvalid("skip").setClassifierOutput("logits").setBatchSize(8)
                .transform(data);

        assertEquals(9, scored.where("error is not null").count());
        Map<Long, Row> byId = byId(scored);
        for (long i = 0; i < 40; i++) {
            Row r = byId.get(i);
            boolean bad = samples.get((int) i).length != 784 || i == 20;
            if (bad) {
                assertNull(r.get(r.fieldIndex("output")));
                assertNull(r.get(r.fieldIndex("prediction")));
                assertNull(r.get(r.fieldIndex("probability")));
                assertTrue(r.getString(r.fieldIndex("error")).startsWith("row " + i + " of partition 0"),
                        r.getString(r.fieldIndex("error")));
            } else {
                assertNull(r.get(r.fieldIndex("error")));
                INDArray alone = net.forward(Nd4j.create(samples.get((int) i), new long[] {1, 1, 28, 28}, 'c'));
                assertTrue(maxAbsDiff(floats(r, "output"), row(alone, 0)) <= 1e-5f, "row " + i);
                Vector p = (Vector) r.get(r.fieldIndex("probability"));
                double sum = 0;
                for (int k = 0; k < p.size(); k++) {
                    sum += p.apply(k);
                }
                assertEquals(1.0, sum, 1e-9);
            }
        }
        assertTrue(byId.get(4L).getString(byId.get(4L).fieldIndex("error")).contains("783 elements"));
        assertTrue(byId.get(20L).getString(byId.get(20L).fieldIndex("error")).contains("found null"));
    }

    @Test
    void wrongSettingsAreErrorsOnTheDriver() {
        Dataset<Row> data = arrays(List.of(new float[784]), 1);
        IllegalArgumentException noInput = assertThrows(IllegalArgumentException.class,
                () -> seedNet().setInputCol("pixels").transform(data));
        assertTrue(noInput.getMessage().contains("input column pixels is not in the DataFrame"));
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
                () -> seedNet().setOutputCol("id").transform(data));
        assertTrue(clash.getMessage().contains("output column id exists already"));
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> seedNet().setInputCol("id").transform(data));
        assertTrue(type.getMessage().contains("input column id is bigint"), type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> seedNet().setClassifierOutput("softmax"));
        assertThrows(IllegalArgumentException.class, () -> seedNet().setBatchSize(0));
    }

    @Test
    void aClassThatIsNotAGeneratedModelFailsWithItsName() throws IOException {
        Dataset<Row> data = arrays(List.of(new float[784]), 1);
        Exception e = assertThrows(Exception.class,
                () -> seedNet().setModelClass("dev.shapeproof.examples.SeedNet").transform(data).count());
        IllegalArgumentException cause = cause(e, IllegalArgumentException.class);
        assertNotNull(cause, e.toString());
        assertTrue(cause.getMessage().contains("dev.shapeproof.examples.SeedNet is not a generated model"),
                cause.getMessage());
        Path missing = Files.createTempDirectory("shapeproof").resolve("missing.npz");
        Exception noWeights = assertThrows(Exception.class,
                () -> seedNet().setWeights(missing.toString()).transform(data).count());
        assertTrue(String.valueOf(cause(noWeights, IOException.class)).contains("missing.npz not found"),
                noWeights.toString());
    }
}
