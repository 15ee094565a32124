package dev.shapeproof.nn.ops;

import java.util.Objects;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs ND4J ops with the platform helpers (oneDNN, cuDNN) switched off.
 *
 * <p>ND4J 1.0.0-M2.1's oneDNN helpers throw on dilated convolutions and are silently wrong for dilated max pooling
 * and for softmax on rank-4 input. ND4J's own kernels are always correct, only
 * slower, so those ops run inside {@link #withoutHelpers(Supplier)}.
 *
 * <p>The switch, {@link Environment#allowHelpers(boolean)}, is process-global. Threads that want it off share it:
 * the first one to enter switches helpers off, the last one to leave restores the state found by the first. While
 * any thread is inside, ops on other threads also run without helpers, which is correct, only slower. An op can
 * never run with helpers on while a thread is inside a section.
 */
final class Helpers {
    private static final Object LOCK = new Object();
    /** Threads currently inside a section; guarded by {@link #LOCK}. */
    private static int inside;
    /** Whether helpers were allowed when the first thread entered; guarded by {@link #LOCK}. */
    private static boolean allowedBefore;

    private Helpers() {}

    /** Whether the loaded native build has oneDNN; read once, from its build information. */
    static boolean hasOneDnn() {
        return OneDnn.PRESENT;
    }

    /** Holder: the build information is read on first use only. */
    private static final class OneDnn {
        static final boolean PRESENT = detect();

        /**
         * Asks the native library for its build flags. Through reflection: the runtime depends on ND4J's API only, and
         * NativeOpsHolder lives in the backend the user picks.
         */
        private static boolean detect() {
            try {
                Object holder = Class.forName("org.nd4j.nativeblas.NativeOpsHolder").getMethod("getInstance")
                        .invoke(null);
                Object ops = holder.getClass().getMethod("getDeviceNativeOps").invoke(holder);
                Object info = ops.getClass().getMethod("buildInfo").invoke(ops);
                return String.valueOf(info).contains("HAVE_ONEDNN");
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return false; // another backend, or no build information: use ND4J's own kernels
            }
        }
    }

    /** Runs {@code op} with helpers off and returns its result; helpers are restored even if {@code op} throws. */
    static INDArray withoutHelpers(Supplier<INDArray> op) {
        Objects.requireNonNull(op, "op");
        enter();
        try {
            return op.get();
        } finally {
            leave();
        }
    }

    private static void enter() {
        synchronized (LOCK) {
            if (inside == 0) {
                Environment environment = Nd4j.getEnvironment();
                allowedBefore = environment.helpersAllowed();
                if (allowedBefore) {
                    environment.allowHelpers(false);
                }
            }
            inside++;
        }
    }

    private static void leave() {
        synchronized (LOCK) {
            inside--;
            if (inside == 0 && allowedBefore) {
                Nd4j.getEnvironment().allowHelpers(true);
            }
        }
    }
}
