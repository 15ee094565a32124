package dev.shapeproof.spark;

import static dev.shapeproof.spark.TestData.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shapeproof.examples.SeedNetModel;
import dev.shapeproof.io.LoadOptions;
import dev.shapeproof.nn.CompiledModel;
import dev.shapeproof.nn.ForwardWorkspace;
import dev.shapeproof.summary.ModelSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A partition's scoring on one thread, without Spark: every forward has the batch size, whatever the partition's
 * length, and the thread's forward memory is released when the partition ends.
 */
class ScoringTest {
    /** A model that records the shape of every batch it is given. */
    private static final class Recording implements CompiledModel {
        final CompiledModel model;
        final List<List<Long>> batches = new ArrayList<>();

        Recording(CompiledModel model) {
            this.model = model;
        }

        @Override
        public List<INDArray> forward(List<INDArray> inputs) {
            batches.add(Arrays.stream(inputs.get(0).shape()).boxed().toList());
            return model.forward(inputs);
        }

        @Override public ModelSummary summary() { return model.summary(); }
        @Override public Map<String, INDArray> parameters() { return model.parameters(); }
        @Override public Map<String, INDArray> buffers() { return model.buffers(); }
        @Override public Map<String, INDArray> stateDict() { return model.stateDict(); }
        @Override public void load(Path weights, LoadOptions options) { throw new UnsupportedOperationException(); }
        @Override public void save(Path file) { throw new UnsupportedOperationException(); }
        @Override public CompiledModel train() { return model.train(); }
        @Override public CompiledModel eval() { return model.eval(); }
        @Override public boolean isTraining() { return model.isTraining(); }
    }

    private static PartitionScorer.Settings settings(int batchSize) {
        return new PartitionScorer.Settings(new ModelSource(SeedNetModel.class.getName(), null, 3), InputKind.ARRAY,
                1, -1, batchSize, 0, true, ClassifierOutput.NONE, false,
                new Decoders.ImageSettings(true, 1, new double[0], new double[0]));
    }

    private static List<Row> rows(int n, Random random) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[784];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) random.nextGaussian();
            }
            rows.add(RowFactory.create((long) i, x));
        }
        return rows;
    }

    @Test
    void everyForwardHasTheBatchSizeAndTheLastBatchIsPaddedNotReshaped() {
        SeedNetModel net = new SeedNetModel(3);
        Random random = new Random(5);
        for (int n : new int[] {1, 63, 64, 65, 130}) {
            Recording model = new Recording(net);
            List<Row> rows = rows(n, random);
            List<Row> scored = new ArrayList<>();
            new Scoring(rows.iterator(), model, settings(64), 0).forEachRemaining(scored::add);

            assertEquals(n, scored.size());
            assertEquals((n + 63) / 64, model.batches.size(), n + " rows");
            for (List<Long> batch : model.batches) {
                assertEquals(List.of(64L, 1L, 28L, 28L), batch, n + " rows");
            }
            for (int i = 0; i < n; i++) {
                float[] x = (float[]) rows.get(i).get(1);
                float[] expected = net.forward(Nd4j.create(x, new long[] {1, 1, 28, 28}, 'c')).toFloatVector();
                assertEquals(rows.get(i).get(0), scored.get(i).get(0), "rows keep their order");
                assertTrue(maxAbsDiff((float[]) scored.get(i).get(2), expected) <= 1e-5f, "row " + i + " of " + n);
            }
        }
    }

    @Test
    void thePartitionsMemoryIsReleasedWhenItEnds() {
        SeedNetModel net = new SeedNetModel(3);
        ForwardWorkspace.releaseCurrentThread(); // start from a thread that holds nothing
        Iterator<Row> scoring = new Scoring(rows(100, new Random(6)).iterator(), net, settings(16), 0);
        scoring.next();
        // Mid-partition the thread holds the model's forward memory...
        assertEquals(1, ForwardWorkspace.releaseCurrentThread());
        while (scoring.hasNext()) {
            scoring.next();
        }
        // ...and once the partition is done, the scoring released it: there is nothing left to release.
        assertEquals(0, ForwardWorkspace.releaseCurrentThread());
    }

    /** ND4J's loops never get more threads than its pool has (OMP_NUM_THREADS, 1 under Surefire); OpenMP's do. */
    @Test
    void threadsFollowSparkTaskCpus() {
        Environment env = Nd4j.getEnvironment();
        NdThreads.configure(2);
        assertEquals(Math.min(2, env.maxThreads()), env.maxMasterThreads());
        assertEquals(2, NdThreads.openMpThreads());
        assertEquals(2, Nd4j.factory().blas().getMaxThreads());
        NdThreads.configure(1);
        assertEquals(1, env.maxMasterThreads());
        assertEquals(1, NdThreads.openMpThreads());
        assertEquals(1, Nd4j.factory().blas().getMaxThreads());
    }
}
