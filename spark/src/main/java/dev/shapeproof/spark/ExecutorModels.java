package dev.shapeproof.spark;

import dev.shapeproof.nn.CompiledModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * The models of this JVM: one per {@link ModelSource}, built by the first task that needs it and shared by every task
 * thread after it, for the executor's lifetime. A generated model's {@code forward} is thread-safe and keeps its
 * per-call memory per thread, so sharing costs nothing, and the weights are read once per executor rather than once
 * per task or partition.
 */
final class ExecutorModels {
    private static final Map<ModelSource, CompiledModel> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger CONSTRUCTED = new AtomicInteger();

    private ExecutorModels() {}

    /** This JVM's model for {@code source}, constructed on first use (concurrent first uses wait for one). */
    static CompiledModel get(ModelSource source) {
        return MODELS.computeIfAbsent(source, ExecutorModels::construct);
    }

    /** How many models this JVM has constructed: the tests' proof of "once per executor". */
    static int constructed() {
        return CONSTRUCTED.get();
    }

    private static CompiledModel construct(ModelSource source) {
        CONSTRUCTED.incrementAndGet();
        if (source.weights() == null) {
            return source.construct(null);
        }
        Fetched weights = localCopy(source.weights());
        try {
            return source.construct(weights.path());
        } finally {
            weights.discard(); // the model holds its weights in memory now
        }
    }

    /** A local file holding the weights, and whether it is a temporary copy. */
    private record Fetched(Path path, boolean temporary) {
        void discard() {
            if (temporary) {
                try {
                    Files.deleteIfExists(path);
                    Files.deleteIfExists(path.getParent());
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /**
     * {@code weights} as a local file: a path (or {@code file:} URI) that exists on this machine; else a file of that
     * name shipped with {@code spark-submit --files} or {@code SparkContext.addFile}; a URI of any other scheme
     * ({@code hdfs:}, {@code s3a:}, ...) is copied here through Hadoop's file systems, configured as the job is.
     */
    private static Fetched localCopy(String weights) {
        URI uri = uri(weights);
        if (uri == null || uri.getScheme() == null || "file".equals(uri.getScheme())) {
            Path path = uri != null && "file".equals(uri.getScheme()) ? Path.of(uri) : Path.of(weights);
            if (Files.isRegularFile(path)) {
                return new Fetched(path, false);
            }
            Path shipped = shipped(path.getFileName().toString());
            if (shipped != null) {
                return new Fetched(shipped, false);
            }
            throw new UncheckedIOException(new IOException("weights " + weights + " not found on this executor: "
                    + "neither that path nor a file shipped as " + path.getFileName()
                    + " with --files (use a path every node has, a --files file, or an hdfs:/s3a: URI)"));
        }
        try {
            Path directory = Files.createTempDirectory("shapeproof-weights-");
            String name = Path.of(uri.getPath()).getFileName().toString(); // the extension says npz or safetensors
            Path local = directory.resolve(name);
            org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(uri);
            FileSystem fileSystem = remote.getFileSystem(hadoopConfiguration());
            fileSystem.copyToLocalFile(false, remote, new org.apache.hadoop.fs.Path(local.toUri()), true);
            return new Fetched(local, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy weights " + weights + " to this executor: " + e.getMessage(), e);
        }
    }

    private static URI uri(String weights) {
        // C:\models\net.npz is a Windows path, not a URI of scheme C
        if (weights.length() > 2 && weights.charAt(1) == ':' && Character.isLetter(weights.charAt(0))) {
            return null;
        }
        try {
            return new URI(weights);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static Path shipped(String name) {
        try {
            Path path = Path.of(SparkFiles.get(name));
            return Files.isRegularFile(path) ? path : null;
        } catch (RuntimeException e) { // no SparkEnv: not inside Spark
            return null;
        }
    }

    private static Configuration hadoopConfiguration() {
        SparkEnv env = SparkEnv.get();
        return env != null ? SparkHadoopUtil.get().newConfiguration(env.conf()) : new Configuration();
    }
}
