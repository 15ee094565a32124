package dev.shapeproof.nn.ops;

import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Whether the ops may call oneDNN's own API directly ({@link DnnlNative}), next to whichever ND4J build is loaded.
 *
 * <p>Why: ND4J 1.0.0-M2.1 reaches oneDNN only through its helpers, which refuse dilated convolutions, reorder every
 * tensor between NCHW and oneDNN's layouts on every call, and cost 20–80 µs of set-up per op. Called directly, a
 * convolution primitive is built once per shape and thread and then costs about a microsecond to launch; dilated
 * convolutions run on oneDNN's own dilated kernels; and results can stay in the channels-last layout oneDNN's fast
 * kernels read, so the next op needs no reorder (bench/README.md has the numbers).
 *
 * <p>The presets ({@code org.bytedeco:dnnl:2.5.2-1.5.7} with its {@code linux-x86_64} jar, and
 * {@code org.bytedeco:opencl:3.0-1.5.7:linux-x86_64}, which dnnl's presets load first) are an optional dependency of
 * the runtime: without them this class says no and every op runs as before. This class names no oneDNN type, so it
 * loads without the jars; everything that does lives in the {@code Dnnl*} classes, touched only once this says yes.
 *
 * <p>System property {@value #PROPERTY}: {@code auto} (default: on when the jars are there and load, on ND4J's CPU
 * backends), {@code never}, or {@code required} (fail at first use when it cannot load: for tests that must exercise
 * the path).
 */
final class Dnnl {
    static final String PROPERTY = "shapeproof.dnnl";

    private enum Mode { AUTO, NEVER, REQUIRED }

    private Dnnl() {}

    /** Whether the direct oneDNN path is on. Decided once, at first use. */
    static boolean on() {
        return State.ON;
    }

    /** A line for test reports: on (with oneDNN's version) or off, and why. */
    static String describe() {
        return State.DESCRIPTION;
    }

    private static final class State {
        static final boolean ON;
        static final String DESCRIPTION;

        static {
            String[] description = new String[1];
            ON = detect(description);
            DESCRIPTION = description[0];
        }

        private static boolean detect(String[] description) {
            String value = System.getProperty(PROPERTY, "auto").trim();
            Mode mode;
            try {
                mode = Mode.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + ": expected auto, never or required",
                        e);
            }
            if (mode == Mode.NEVER) {
                description[0] = "direct oneDNN: off (-D" + PROPERTY + "=never)";
                return false;
            }
            // ND4J first: its libraries (and its libgomp.so.1) load before oneDNN's, the order tested most.
            if (!Nd4j.getEnvironment().isCPU()) {
                description[0] = "direct oneDNN: off (not an ND4J CPU backend)";
                return false;
            }
            try {
                Class.forName("org.bytedeco.dnnl.global.dnnl", false, Dnnl.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                return fail(mode, description, "org.bytedeco:dnnl is not on the class path", e);
            }
            try {
                description[0] = "direct oneDNN: on (" + DnnlNative.load() + ")";
                return true;
            } catch (RuntimeException | LinkageError e) {
                return fail(mode, description, "oneDNN did not load: " + e, e);
            }
        }

        private static boolean fail(Mode mode, String[] description, String why, Throwable cause) {
            if (mode == Mode.REQUIRED) {
                throw new IllegalStateException("-D" + PROPERTY + "=required, but " + why, cause);
            }
            description[0] = "direct oneDNN: off (" + why + ")";
            return false;
        }
    }
}
