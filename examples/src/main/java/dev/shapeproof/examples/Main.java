package dev.shapeproof.examples;

import dev.shapeproof.io.StateDictFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What ShapeProof gives a model, end to end: the summaries the processor computed at compile time (no network ran to
 * produce them), then the seed network running on ND4J with weights trained and saved by PyTorch.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;

        out.println("== SeedNet, the seed's MNIST network: torchsummary's table, computed at compile time");
        out.println(SeedNetModel.SUMMARY);

        out.println("== ContextModule, Yu & Koltun's dilated context module: the detailed summary");
        out.println(ContextModuleModel.SUMMARY.detailed());

        out.println("== SeedNet with weights trained in PyTorch (seed-net/weights.npz), on ten held-out digits");
        SeedNetModel net = new SeedNetModel(resource("/seed-net/weights.npz"));
        Map<String, INDArray> digits = StateDictFiles.read(resource("/seed-net/digits.npz")).tensors();
        INDArray logProbs = net.forward(digits.get("images"));
        INDArray labels = digits.get("labels");
        int correct = 0;
        out.println("  digit  predicted  probability");
        for (int i = 0; i < labels.length(); i++) {
            int label = labels.getInt(i);
            int predicted = Nd4j.argMax(logProbs.getRow(i)).getInt(0);
            double probability = Math.exp(logProbs.getDouble(i, predicted));
            correct += predicted == label ? 1 : 0;
            out.printf(Locale.ROOT, "  %5d  %9d  %11.4f%n", label, predicted, probability);
        }
        double maxDiff = logProbs.sub(digits.get("log_probs")).amaxNumber().doubleValue();
        out.printf(Locale.ROOT, "  %d of %d right; max |ShapeProof − PyTorch| over the log-probabilities: %.1e%n",
                correct, labels.length(), maxDiff);
    }

    /** A classpath resource as a file: the loaders take paths, and a resource may sit inside a jar. */
    private static Path resource(String name) {
        try (InputStream in = Main.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            String suffix = name.substring(name.lastIndexOf('.'));
            Path file = Files.createTempFile("shapeproof-", suffix);
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
