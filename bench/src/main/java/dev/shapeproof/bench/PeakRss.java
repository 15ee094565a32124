package dev.shapeproof.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Peak resident memory of one implementation, alone in its JVM: {@code PeakRss <case> <impl> [forwards = 20]}. Loads the
 * case's data and builds the implementation, reads {@code VmRSS}, then takes three readings of {@code VmHWM}:
 * <ol>
 *   <li>after one forward (start-up plus the peak of one forward);</li>
 *   <li>after {@code forwards − 1} more, each result released by the caller when it is done with it
 *       ({@link Forward#release}: {@code INDArray.close()} for fresh results), so what remains is what the forward
 *       itself holds and leaks;</li>
 *   <li>after {@code forwards} more whose results the caller just drops, leaving their native memory to the garbage
 *       collector, which the tiny Java heap rarely runs: the peak then grows with every unreleased result.</li>
 * </ol>
 * Prints one JSON line; the output is checked against the reference last (after the readings).
 */
public final class PeakRss {
    private PeakRss() {}

    public static void main(String[] args) throws Exception {
        BenchCase c = BenchCase.of(args[0]);
        String impl = args[1];
        int forwards = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        BenchData data = BenchData.load(BenchData.root(), c);
        Backend.checkClassifier();
        Forward f = Impls.create(impl, c, data.weights);
        long setup = kb("VmRSS");
        f.release(f.forward(data.x));
        long one = kb("VmHWM");
        for (int i = 1; i < forwards; i++) {
            f.release(f.forward(data.x));
        }
        long released = kb("VmHWM");
        for (int i = 0; i < forwards; i++) {
            f.forward(data.x);
        }
        long dropped = kb("VmHWM");
        double error = data.check(impl, f);
        System.out.printf(Locale.ROOT, "{\"case\": \"%s\", \"impl\": \"%s\", \"classifier\": \"%s\", "
                        + "\"threads\": \"%s\", \"forwards\": %d, \"rss_setup_mb\": %.1f, \"hwm_1_mb\": %.1f, "
                        + "\"hwm_n_mb\": %.1f, \"hwm_dropped_mb\": %.1f, \"rel_err\": %.2e}%n",
                c.id, impl, System.getProperty("bench.classifier", "?"), System.getenv("OMP_NUM_THREADS"),
                forwards, setup / 1024.0, one / 1024.0, released / 1024.0, dropped / 1024.0, error);
    }

    private static long kb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/self/status");
    }
}
