package dev.shapeproof.nn;

import static com.google.common.truth.Truth.assertThat;

import dev.shapeproof.io.LoadOptions;
import dev.shapeproof.io.StateDictFiles;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model built from a weight file: initialised from the seed, then loaded (the initial arrays the file replaced are
 * freed at once); what the file lacks (a lenient load) keeps its initial value.
 */
class ModulesInitializeAndLoadTest {
    @TempDir
    Path dir;

    @Test
    void loadedTensorsReplaceTheInitialOnesWhichAreFreed() throws Exception {
        Path file = dir.resolve("fc.npz");
        StateDictFiles.write(file, Map.of("fc.weight", Nd4j.linspace(1, 6, 6).reshape(2, 3).castTo(
                org.nd4j.linalg.api.buffer.DataType.FLOAT), "fc.bias", Nd4j.createFromArray(0.5f, -0.5f)));

        Modules loaded = new Modules(new LinearLayer("fc", 3, 2, true));
        loaded.initializeAndLoad(Modules.DEFAULT_SEED, file, LoadOptions.strict());

        assertThat(loaded.stateDict().get("fc.weight").reshape(6).toFloatVector()).isEqualTo(new float[] {1, 2, 3, 4, 5, 6});
        assertThat(loaded.stateDict().get("fc.bias").toFloatVector()).isEqualTo(new float[] {0.5f, -0.5f});
        assertThat(loaded.stateDict().get("fc.weight").wasClosed()).isFalse();

        Modules fresh = new Modules(new LinearLayer("fc", 3, 2, true));
        fresh.initialize(Modules.DEFAULT_SEED);
        INDArray initialWeight = fresh.stateDict().get("fc.weight");
        INDArray initialBias = fresh.stateDict().get("fc.bias");
        fresh.loadFreeingReplaced(file, LoadOptions.strict());
        assertThat(initialWeight.wasClosed()).isTrue();
        assertThat(initialBias.wasClosed()).isTrue();
    }

    @Test
    void whatTheFileLacksKeepsItsInitialValueAndStaysOpen() throws Exception {
        Path file = dir.resolve("weight-only.npz");
        StateDictFiles.write(file, Map.of("fc.weight", Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3)));
        Modules seeded = new Modules(new LinearLayer("fc", 3, 2, true));
        seeded.initialize(Modules.DEFAULT_SEED);
        float[] initialBias = seeded.stateDict().get("fc.bias").toFloatVector();

        LinearLayer fc = new LinearLayer("fc", 3, 2, true);
        Modules modules = new Modules(fc);
        modules.initializeAndLoad(Modules.DEFAULT_SEED, file, LoadOptions.lenient());

        assertThat(fc.state().get("bias").wasClosed()).isFalse();
        assertThat(fc.state().get("bias").toFloatVector()).isEqualTo(initialBias);
        assertThat(fc.state().get("weight").reshape(6).toFloatVector()).isEqualTo(new float[6]);
    }
}
