package dev.shapeproof.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that runs a ShapeProof model over a DataFrame column: batch inference where the data
 * lives. It works in a {@code Pipeline} and saves and loads with Spark ML's persistence ({@code write().save(path)},
 * {@link #load}, {@code PipelineModel.load}).
 *
 * <pre>{@code
 * ShapeProofTransformer scorer = new ShapeProofTransformer()
 *         .setModelClass("dev.shapeproof.examples.SeedNetModel")   // the generated class
 *         .setWeights("hdfs:///models/seed-net.npz")               // or a path, or a --files name
 *         .setInputCol("image")                                    // array<float>, binary .npy, or Spark's image
 *         .setMean(0.1307).setStd(0.3081)                          // images: (byte / 255 − mean) / std
 *         .setClassifierOutput("log_probabilities");               // adds prediction and probability
 * Dataset<Row> scored = scorer.transform(spark.read().format("image").load("hdfs:///digits/"));
 * }</pre>
 *
 * <p><b>Input column.</b> Its type says how a row becomes the model's input sample: {@code array<float>} or
 * {@code array<double>} is the sample flattened in C order; {@code binary} is one {@code .npy} file's bytes; the
 * struct of Spark's {@code image} data source is decoded from its BGR(A) bytes (HWC) to float CHW, in the channel
 * order {@link #channelOrder()} asks, as {@code (byte · scale − mean[c]) / std[c]}. The model must have one input.
 *
 * <p><b>Output columns.</b> {@link #outputCol()} ({@code array<float>}): the model's output for the row, flattened.
 * For a classifier ({@link #classifierOutput()} not {@code none}, an output of shape {@code [-1, K]}):
 * {@link #predictionCol()}, the class index as a double, and {@link #probabilityCol()}, a Spark ML vector. With
 * {@code handleInvalid = "skip"}, {@link #errorCol()}: null for a scored row, else why it was not scored.
 *
 * <p><b>Execution.</b> Each executor JVM builds the model once and its task threads share it; rows go through the
 * model {@link #batchSize()} at a time; ND4J gets {@code spark.task.cpus} threads per task; a partition's native
 * memory is released when it ends. Executors need ND4J's native jar and a writable JavaCPP cache directory
 * (README, "Apache Spark").
 *
 * <p><b>Bad rows</b> (wrong length or shape, null, an image that did not decode) fail the job with a
 * {@link BadRowException} naming the row, the expected and the actual shape; with {@code handleInvalid = "skip"}
 * they are kept unscored, their outputs null and the message in {@link #errorCol()}, where they can be counted.
 */
public final class ShapeProofTransformer extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> modelClass;
    private final Param<String> weights;
    private final LongParam seed;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final IntParam outputIndex;
    private final IntParam batchSize;
    private final Param<String> classifierOutput;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> handleInvalid;
    private final Param<String> errorCol;
    private final Param<String> idCol;
    private final Param<String> channelOrder;
    private final DoubleParam scale;
    private final DoubleArrayParam mean;
    private final DoubleArrayParam std;

    public ShapeProofTransformer() {
        this(Identifiable.randomUID("shapeproof"));
    }

    /** The constructor Spark ML's reader and {@code copy} call. */
    public ShapeProofTransformer(String uid) {
        this.uid = uid;
        modelClass = new Param<>(this, "modelClass", "the generated model class, e.g. dev.shapeproof.examples.SeedNetModel;"
                + " its jar must be on the executors' class path");
        weights = new Param<>(this, "weights", "the weights (a PyTorch state_dict as .npz or .safetensors): a path"
                + " every executor can read, the name of a file shipped with --files, or a Hadoop URI (hdfs:, s3a:);"
                + " empty: PyTorch's initialisation from seed");
        seed = new LongParam(this, "seed", "the seed of PyTorch's default initialisation, when weights is empty");
        inputCol = new Param<>(this, "inputCol", "the input column: array<float> or array<double> (one sample,"
                + " flattened), binary (one .npy per row), or Spark's image struct");
        outputCol = new Param<>(this, "outputCol", "the output column, array<float> (the model's output for the row,"
                + " flattened); empty: not written");
        outputIndex = new IntParam(this, "outputIndex", "which of the model's outputs to score (0: the first)",
                ParamValidators.gtEq(0));
        batchSize = new IntParam(this, "batchSize", "rows per forward", ParamValidators.gt(0));
        classifierOutput = new Param<>(this, "classifierOutput", "what a classifier's output holds per class: logits,"
                + " log_probabilities (log_softmax) or probabilities (softmax); none: not a classifier",
                ParamValidators.inArray(ClassifierOutput.paramValues()));
        predictionCol = new Param<>(this, "predictionCol", "the predicted class index (double), for a classifier");
        probabilityCol = new Param<>(this, "probabilityCol", "the class probabilities (vector), for a classifier");
        handleInvalid = new Param<>(this, "handleInvalid", "a row the model cannot take: error (fail, naming the"
                + " row and the shapes) or skip (leave it unscored, its outputs null, the reason in errorCol)",
                ParamValidators.inArray(new String[] {"error", "skip"}));
        errorCol = new Param<>(this, "errorCol", "with handleInvalid = skip: why a row was not scored (null if it was)");
        idCol = new Param<>(this, "idCol", "a column that names a row in error messages (an image's origin is used"
                + " by default); empty: none");
        channelOrder = new Param<>(this, "channelOrder", "images: the channel order the model expects, RGB (as"
                + " torchvision loads images) or BGR (as Spark and OpenCV store them)",
                ParamValidators.inArray(new String[] {"RGB", "BGR"}));
        scale = new DoubleParam(this, "scale", "images: each byte is multiplied by this first (1/255: [0, 1], as"
                + " torchvision's ToTensor)");
        mean = new DoubleArrayParam(this, "mean", "images: subtracted per channel after scaling (one value, or one"
                + " per channel); empty: 0");
        std = new DoubleArrayParam(this, "std", "images: divides per channel after the mean (one value, or one per"
                + " channel); empty: 1");
        setDefault(weights, "");
        setDefault(seed, 0L);
        setDefault(outputCol, "output");
        setDefault(outputIndex, 0);
        setDefault(batchSize, 64);
        setDefault(classifierOutput, "none");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(handleInvalid, "error");
        setDefault(errorCol, "error");
        setDefault(idCol, "");
        setDefault(channelOrder, "RGB");
        setDefault(scale, 1.0 / 255);
        setDefault(mean, new double[0]);
        setDefault(std, new double[0]);
    }

    /** Spark ML's reader: {@code ShapeProofTransformer.load(path)}, and how {@code PipelineModel.load} finds it. */
    public static MLReader<ShapeProofTransformer> read() {
        return new DefaultParamsReader<>();
    }

    public static ShapeProofTransformer load(String path) {
        return read().load(path);
    }

    @Override
    public String uid() {
        return uid;
    }

    // The params: Spark ML finds them through these public no-argument methods.

    public Param<String> modelClass() { return modelClass; }
    public Param<String> weights() { return weights; }
    public LongParam seed() { return seed; }
    public Param<String> inputCol() { return inputCol; }
    public Param<String> outputCol() { return outputCol; }
    public IntParam outputIndex() { return outputIndex; }
    public IntParam batchSize() { return batchSize; }
    public Param<String> classifierOutput() { return classifierOutput; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> probabilityCol() { return probabilityCol; }
    public Param<String> handleInvalid() { return handleInvalid; }
    public Param<String> errorCol() { return errorCol; }
    public Param<String> idCol() { return idCol; }
    public Param<String> channelOrder() { return channelOrder; }
    public DoubleParam scale() { return scale; }
    public DoubleArrayParam mean() { return mean; }
    public DoubleArrayParam std() { return std; }

    public ShapeProofTransformer setModelClass(String value) { set(modelClass, value); return this; }
    public ShapeProofTransformer setWeights(String value) { set(weights, value); return this; }
    public ShapeProofTransformer setSeed(long value) { set(seed, value); return this; }
    public ShapeProofTransformer setInputCol(String value) { set(inputCol, value); return this; }
    public ShapeProofTransformer setOutputCol(String value) { set(outputCol, value); return this; }
    public ShapeProofTransformer setOutputIndex(int value) { set(outputIndex, value); return this; }
    public ShapeProofTransformer setBatchSize(int value) { set(batchSize, value); return this; }
    public ShapeProofTransformer setClassifierOutput(String value) { set(classifierOutput, value); return this; }
    public ShapeProofTransformer setPredictionCol(String value) { set(predictionCol, value); return this; }
    public ShapeProofTransformer setProbabilityCol(String value) { set(probabilityCol, value); return this; }
    public ShapeProofTransformer setHandleInvalid(String value) { set(handleInvalid, value); return this; }
    public ShapeProofTransformer setErrorCol(String value) { set(errorCol, value); return this; }
    public ShapeProofTransformer setIdCol(String value) { set(idCol, value); return this; }
    public ShapeProofTransformer setChannelOrder(String value) { set(channelOrder, value); return this; }
    public ShapeProofTransformer setScale(double value) { set(scale, value); return this; }
    public ShapeProofTransformer setMean(double... value) { set(mean, value); return this; }
    public ShapeProofTransformer setStd(double... value) { set(std, value); return this; }

    private String string(Param<String> param) {
        return getOrDefault(param);
    }

    private ClassifierOutput classifier() {
        return ClassifierOutput.of(string(classifierOutput));
    }

    private boolean skipInvalid() {
        return "skip".equals(string(handleInvalid));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(modelClass) || string(modelClass).isEmpty()) {
            throw new IllegalArgumentException("ShapeProofTransformer needs modelClass: the generated model's class");
        }
        if (!isDefined(inputCol)) {
            throw new IllegalArgumentException("ShapeProofTransformer needs inputCol");
        }
        String input = string(inputCol);
        if (!Arrays.asList(schema.fieldNames()).contains(input)) {
            throw new IllegalArgumentException("input column " + input + " is not in the DataFrame, whose columns are "
                    + Arrays.toString(schema.fieldNames()));
        }
        InputKind.of(input, schema.apply(input).dataType());
        String id = string(idCol);
        if (!id.isEmpty() && !Arrays.asList(schema.fieldNames()).contains(id)) {
            throw new IllegalArgumentException("idCol " + id + " is not in the DataFrame, whose columns are "
                    + Arrays.toString(schema.fieldNames()));
        }
        List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
        if (!string(outputCol).isEmpty()) {
            fields.add(DataTypes.createStructField(string(outputCol),
                    DataTypes.createArrayType(DataTypes.FloatType, false), true));
        }
        if (classifier() != ClassifierOutput.NONE) {
            fields.add(DataTypes.createStructField(string(predictionCol), DataTypes.DoubleType, true));
            fields.add(DataTypes.createStructField(string(probabilityCol), SQLDataTypes.VectorType(), true));
        }
        if (skipInvalid()) {
            fields.add(DataTypes.createStructField(string(errorCol), DataTypes.StringType, true));
        }
        List<String> seen = new ArrayList<>();
        for (StructField field : fields) {
            if (seen.contains(field.name())) {
                throw new IllegalArgumentException("output column " + field.name() + " exists already; choose another"
                        + " name with its set...Col");
            }
            seen.add(field.name());
        }
        return DataTypes.createStructType(fields);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        StructType output = transformSchema(schema);
        String input = string(inputCol);
        String id = string(idCol);
        PartitionScorer.Settings settings = new PartitionScorer.Settings(
                new ModelSource(string(modelClass), string(weights), (Long) getOrDefault(seed)),
                InputKind.of(input, schema.apply(input).dataType()),
                schema.fieldIndex(input),
                id.isEmpty() ? -1 : schema.fieldIndex(id),
                (Integer) getOrDefault(batchSize),
                (Integer) getOrDefault(outputIndex),
                !string(outputCol).isEmpty(),
                classifier(),
                skipInvalid(),
                new Decoders.ImageSettings("RGB".equals(string(channelOrder)), (Double) getOrDefault(scale),
                        getOrDefault(mean), getOrDefault(std)));
        return dataset.toDF().mapPartitions(new PartitionScorer(settings), Encoders.row(output));
    }

    @Override
    public ShapeProofTransformer copy(ParamMap extra) {
        return (ShapeProofTransformer) defaultCopy(extra);
    }
}
