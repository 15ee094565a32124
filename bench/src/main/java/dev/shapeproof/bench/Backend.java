package dev.shapeproof.bench;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** What ND4J actually runs on, for the logs: the native build loaded (oneDNN or not) and its thread count. */
final class Backend {
    private Backend() {}

    /** Whether the loaded libnd4j was built with oneDNN (its build info names {@code HAVE_ONEDNN}). */
    static boolean oneDnn() {
        Nd4j.getBackend(); // loads the backend; NativeOpsHolder alone fails before that
        return NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().toUpperCase().contains("ONEDNN");
    }

    static String describe() {
        return "libnd4j " + (oneDnn() ? "with oneDNN" : "without oneDNN") + ", OMP threads "
                + Nd4j.getEnvironment().maxThreads() + ", helpers " + (Nd4j.getEnvironment().helpersAllowed()
                ? "on" : "off");
    }

    /** Fails if the native build loaded is not the one the class path was built for ({@code -Dbench.classifier}). */
    static void checkClassifier() {
        String classifier = System.getProperty("bench.classifier");
        if (classifier != null && classifier.contains("onednn") != oneDnn()) {
            throw new IllegalStateException("bench.classifier is " + classifier + " but " + describe());
        }
    }
}
