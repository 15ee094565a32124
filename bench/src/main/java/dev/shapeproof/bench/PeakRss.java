package dev.shapeproof.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Peak resident memory of one implementation, alone in its JVM: {@code PeakRss <case> <impl> [forwards = 20]}. Loads the
 * case's data and builds the implementation, reads {@code VmRSS}, runs one forward and reads {@code VmHWM} (the
 * peak of start-up plus one forward), runs {@code forwards − 1} more and reads {@code VmHWM} again (native memory of
 * per-op allocations is freed only when the GC collects their Java objects, so the peak can grow with the number
 * of forwards). Prints one JSON line; the output is checked against the reference last (after the readings).
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
        f.forward(data.x);
        long one = kb("VmHWM");
        for (int i = 1; i < forwards; i++) {
            f.forward(data.x);
        }
        long all = kb("VmHWM");
        double error = data.check(impl, f);
        System.out.printf(Locale.ROOT, "{\"case\": \"%s\", \"impl\": \"%s\", \"classifier\": \"%s\", "
                        + "\"threads\": \"%s\", \"forwards\": %d, \"rss_setup_mb\": %.1f, \"hwm_1_mb\": %.1f, "
                        + "\"hwm_n_mb\": %.1f, \"rel_err\": %.2e}%n",
                c.id, impl, System.getProperty("bench.classifier", "?"), System.getenv("OMP_NUM_THREADS"),
                forwards, setup / 1024.0, one / 1024.0, all / 1024.0, error);
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
