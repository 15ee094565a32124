package dev.shapeproof.spark;

import dev.shapeproof.nn.CompiledModel;
import dev.shapeproof.nn.ForwardWorkspace;
import dev.shapeproof.nn.ops.Layouts;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One partition's rows, scored in batches: rows are read until the batch holds {@code batchSize} of them, their
 * samples decoded into one float array, run through one forward, and written back, in their input order, each with
 * its own outputs.
 *
 * <p><b>Every forward has the same batch size.</b> The last batch of a partition, and a batch that a skipped row left
 * short, is padded with zeros to {@code batchSize}, and the padding's outputs are dropped. A forward keeps memory per
 * model and thread sized by its shapes; a batch of another size replaces it and leaves the old arrays for the garbage
 * collector, so partitions ending in batches of 1, 2, 3, ... rows would pile up native memory until a collection
 * happens to run. Padding costs at most one batch of computation per partition; samples never mix (a model scores each
 * one alone, in eval mode). When the partition ends, the thread's forward memory is released
 * ({@link ForwardWorkspace#releaseCurrentThread()}): Spark's task threads are pooled and never end.
 */
final class Scoring implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final CompiledModel model;
    private final PartitionScorer.Settings settings;
    private final int partition;
    private final Decoders.Decoder decoder;
    private final TensorShape inputShape;
    private final int sampleSize;
    private final int batchSize;
    private final float[] samples;
    private final Row[] pending;
    private final String[] errors; // per pending row: null if it holds a sample
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    private int pendingCount;
    private int sampleCount;
    private long rowIndex;
    private INDArray input; // one per partition, refilled for each batch
    private boolean released;

    Scoring(Iterator<Row> rows, CompiledModel model, PartitionScorer.Settings settings, int partition) {
        this.rows = rows;
        this.model = model;
        this.settings = settings;
        this.partition = partition;
        if (model.inputs().size() != 1) {
            throw new IllegalArgumentException(model.name() + " takes " + model.inputs().size() + " inputs "
                    + model.inputs() + "; the transformer feeds one column to a model of one input");
        }
        if (settings.outputIndex() >= model.outputs().size()) {
            throw new IllegalArgumentException("outputIndex = " + settings.outputIndex() + ", but " + model.name()
                    + " has " + model.outputs().size() + " output(s) " + model.outputs());
        }
        TensorShape output = model.outputs().get(settings.outputIndex()).shape();
        if (settings.classifier() != ClassifierOutput.NONE && output.rank() != 2) {
            throw new IllegalArgumentException("classifierOutput = " + settings.classifier().paramValue()
                    + " needs a model output of shape [-1, classes], " + model.name() + "'s is " + output);
        }
        this.inputShape = model.inputs().get(0).shape();
        int[] sample = inputShape.sampleDims();
        this.sampleSize = Decoders.size(sample);
        this.decoder = Decoders.of(settings.kind(), sample, settings.image());
        this.batchSize = settings.batchSize();
        this.samples = new float[Math.multiplyExact(batchSize, sampleSize)];
        this.pending = new Row[batchSize];
        this.errors = new String[batchSize];
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && rows.hasNext()) {
            fill();
        }
        if (ready.isEmpty()) {
            release();
            return false;
        }
        return true;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    /** Frees the input array and this thread's forward memory; idempotent. */
    void release() {
        if (released) {
            return;
        }
        released = true;
        if (input != null) {
            input.close();
            input = null;
        }
        ForwardWorkspace.releaseCurrentThread();
    }

    /** Reads rows until the batch is full or the partition ends, then scores them. */
    private void fill() {
        while (pendingCount < batchSize && rows.hasNext()) {
            Row row = rows.next();
            long index = rowIndex++;
            String error = null;
            try {
                decoder.decode(row.get(settings.inputIndex()), samples, sampleCount * sampleSize);
            } catch (Decoders.BadValue bad) {
                error = describe(row, index) + ": input " + model.inputs().get(0).name() + " of " + model.name()
                        + " is " + inputShape + " (" + sampleSize + " floats per row); " + bad.getMessage();
                if (!settings.skipInvalid()) {
                    throw new BadRowException(error + " (handleInvalid = \"skip\" scores the other rows and puts"
                            + " this message in the error column)");
                }
            }
            pending[pendingCount] = row;
            errors[pendingCount] = error;
            pendingCount++;
            if (error == null) {
                sampleCount++;
            }
        }
        flush();
    }

    private String describe(Row row, long index) {
        String name = "row " + index + " of partition " + partition;
        Object id = null;
        if (settings.idIndex() >= 0) {
            id = row.get(settings.idIndex());
        } else if (settings.kind() == InputKind.IMAGE && row.get(settings.inputIndex()) instanceof Row image) {
            id = image.get(image.fieldIndex("origin"));
        }
        return id == null ? name : name + " (" + id + ")";
    }

    private void flush() {
        float[] outputs = null;
        int perSample = 0;
        if (sampleCount > 0) {
            // Padding: see the class comment. Zeros past the last sample of a short batch.
            Arrays.fill(samples, sampleCount * sampleSize, samples.length, 0f);
            outputs = forward();
            perSample = outputs.length / batchSize;
        }
        int k = 0;
        for (int i = 0; i < pendingCount; i++) {
            Row row = pending[i];
            ready.add(errors[i] == null ? scored(row, outputs, k++ * perSample, perSample) : unscored(row, errors[i]));
            pending[i] = null;
            errors[i] = null;
        }
        pendingCount = 0;
        sampleCount = 0;
    }

    /** One forward of the whole batch; its output {@code outputIndex}, every sample's values in a row. */
    private float[] forward() {
        if (input == null) {
            long[] shape = new long[inputShape.rank()];
            shape[0] = batchSize;
            for (int d = 1; d < shape.length; d++) {
                shape[d] = inputShape.dim(d);
            }
            try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                input = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
            }
        }
        new FloatPointer(input.data().pointer()).position(input.offset()).put(samples, 0, samples.length);
        List<INDArray> results = model.forward(List.of(input));
        try {
            INDArray output = results.get(settings.outputIndex());
            INDArray dense = Layouts.isDenseC(output) ? output : output.dup('c');
            float[] values = new float[Math.toIntExact(dense.length())];
            new FloatPointer(dense.data().pointer()).position(dense.offset()).get(values, 0, values.length);
            if (dense != output) {
                dense.close();
            }
            return values;
        } finally {
            for (INDArray result : results) { // ours (forward returns copies): free their native memory now
                if (result.closeable()) {
                    result.close();
                }
            }
        }
    }

    private Row scored(Row row, float[] outputs, int offset, int length) {
        Object[] values = copy(row);
        int at = row.length();
        if (settings.writeOutput()) {
            values[at++] = Arrays.copyOfRange(outputs, offset, offset + length);
        }
        if (settings.classifier() != ClassifierOutput.NONE) {
            values[at++] = ClassifierOutput.argmax(outputs, offset, length);
            values[at++] = Vectors.dense(settings.classifier().probabilities(outputs, offset, length));
        }
        if (settings.skipInvalid()) {
            values[at] = null;
        }
        return RowFactory.create(values);
    }

    private Row unscored(Row row, String error) {
        Object[] values = copy(row); // the added columns stay null
        values[values.length - 1] = error;
        return RowFactory.create(values);
    }

    private Object[] copy(Row row) {
        int added = (settings.writeOutput() ? 1 : 0) + (settings.classifier() != ClassifierOutput.NONE ? 2 : 0)
                + (settings.skipInvalid() ? 1 : 0);
        Object[] values = new Object[row.length() + added];
        for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
        }
        return values;
    }
}
