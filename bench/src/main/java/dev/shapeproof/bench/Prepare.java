package dev.shapeproof.bench;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes every case's data ({@link BenchData}) if missing, then runs every implementation once per case and fails
 * (exit 1) unless all outputs equal the reference to 1e-4 relative. run.sh runs it before any timing, once per ND4J
 * classifier. Usage: {@code Prepare [dataDir] [case...]}.
 */
public final class Prepare {
    private Prepare() {}

    public static void main(String[] args) throws Exception {
        Path root = args.length > 0 ? Path.of(args[0]) : BenchData.root();
        String classifier = System.getProperty("bench.classifier", "?");
        Backend.checkClassifier();
        System.out.println("check outputs on " + classifier + ": " + Backend.describe());
        boolean ok = true;
        for (BenchCase c : BenchCase.values()) {
            if (args.length > 1 && !java.util.Arrays.asList(args).subList(1, args.length).contains(c.id)) {
                continue;
            }
            if (BenchData.createIfMissing(root, c)) {
                System.out.println("wrote " + root.resolve(c.id));
            }
            BenchData data = BenchData.load(root, c);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "check %-10s [%s]", c.id, classifier));
            for (String impl : Impls.of(c)) {
                try {
                    double error = data.check(impl, Impls.create(impl, c, data.weights));
                    line.append(String.format(Locale.ROOT, "  %s %.1e", impl, error));
                } catch (RuntimeException e) {
                    ok = false;
                    line.append("  ").append(impl).append(" FAILED: ").append(e);
                }
            }
            System.out.println(line + "  (max |out - ref| / max |ref|, ref = io.npz y, the generated model's output when the data was written)");
        }
        if (!ok) {
            System.out.println("outputs differ: no timing");
            System.exit(1);
        }
    }
}
