package dev.shapeproof.spark;

import dev.shapeproof.nn.CompiledModel;
import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;

/**
 * What runs on an executor for each partition: the settings travel with the task (they are the transformer's params,
 * resolved on the driver), the model comes from this JVM's {@link ExecutorModels}, and the rows stream through a
 * {@link Scoring} batch by batch.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    /** The transformer's params as the executors need them; all serialisable. */
    record Settings(
            ModelSource source,
            InputKind kind,
            int inputIndex,
            int idIndex, // -1: none
            int batchSize,
            int outputIndex,
            boolean writeOutput,
            ClassifierOutput classifier,
            boolean skipInvalid,
            Decoders.ImageSettings image) implements Serializable {}

    private final Settings settings;

    PartitionScorer(Settings settings) {
        this.settings = settings;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        NdThreads.configure(task != null ? task.cpus() : 1);
        CompiledModel model = ExecutorModels.get(settings.source());
        Scoring scoring = new Scoring(rows, model, settings, task != null ? task.partitionId() : 0);
        if (task != null) {
            // A task that fails or stops early (limit, take) never exhausts the iterator: release there too. The
            // listener runs on the task's thread, the one whose memory the forwards used.
            task.addTaskCompletionListener((TaskCompletionListener) context -> scoring.release());
        }
        return scoring;
    }
}
