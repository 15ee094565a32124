package dev.shapeproof.io;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.io.IoFixtures.netShapes;
import static dev.shapeproof.io.IoFixtures.resource;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class StateDictCheckTest {

    private static LoadedState net() throws WeightFileException {
        return StateDictFiles.read(resource("net_f32.npz"));
    }

    /** The Net's shapes with fc2 added, fc1's bias dropped and conv1's kernel changed to 5×5. */
    private static Map<String, long[]> differentModel() {
        Map<String, long[]> expected = new LinkedHashMap<>(netShapes());
        expected.put("conv1.weight", new long[] {2, 1, 5, 5});
        expected.remove("fc1.bias");
        expected.put("fc2.weight", new long[] {3, 3});
        expected.put("fc2.bias", new long[] {3});
        expected.put("bn1.running_var", new long[] {1, 2});
        return expected;
    }

    @Test
    void aMatchingFileLoadsEveryTensorInModelOrder() throws Exception {
        StateDictCheck.Result result = StateDictCheck.check(netShapes(), net(), true, Map.of());

        assertThat(result.isComplete()).isTrue();
        assertThat(result.skipped()).isEmpty();
        assertThat(List.copyOf(result.tensors().keySet())).containsExactlyElementsIn(netShapes().keySet()).inOrder();
        IoFixtures.assertTensorsMatch(result.tensors(), IoFixtures.expectedNet());
        assertThat(result.tensors().get("bn1.num_batches_tracked").dataType()).isEqualTo(DataType.LONG);
    }

    @Test
    void strictListsEveryMissingUnexpectedAndMismatchedKeyInOneException() throws Exception {
        LoadedState loaded = net();

        WeightFileException error = assertThrows(WeightFileException.class,
                () -> StateDictCheck.check(differentModel(), loaded, true, Map.of()));

        assertThat(error.problems()).containsExactly(
                "missing: fc2.weight",
                "missing: fc2.bias",
                "unexpected: fc1.bias",
                "mismatched: conv1.weight: expected [2, 1, 5, 5], found [2, 1, 3, 3]",
                "mismatched: bn1.running_var: expected [1, 2], found [2]").inOrder();
        String nl = System.lineSeparator();
        assertThat(error).hasMessageThat().isEqualTo(loaded.file()
                + ": the weights do not match the model (2 missing, 1 unexpected, 2 mismatched)" + nl
                + "  missing: fc2.weight" + nl
                + "  missing: fc2.bias" + nl
                + "  unexpected: fc1.bias" + nl
                + "  mismatched: conv1.weight: expected [2, 1, 5, 5], found [2, 1, 3, 3]" + nl
                + "  mismatched: bn1.running_var: expected [1, 2], found [2]");
        assertThat(error.file()).isEqualTo(resource("net_f32.npz"));
    }

    @Test
    void nonStrictLoadsWhatMatchesAndReportsTheRest() throws Exception {
        StateDictCheck.Result result = StateDictCheck.check(differentModel(), net(), false, Map.of());

        assertThat(result.isComplete()).isFalse();
        assertThat(result.missing()).containsExactly("fc2.weight", "fc2.bias").inOrder();
        assertThat(result.unexpected()).containsExactly("fc1.bias");
        assertThat(result.mismatched()).containsExactly(
                new StateDictCheck.Mismatch("conv1.weight", "conv1.weight", new long[] {2, 1, 5, 5},
                        new long[] {2, 1, 3, 3}),
                new StateDictCheck.Mismatch("bn1.running_var", "bn1.running_var", new long[] {1, 2}, new long[] {2}))
                .inOrder();
        assertThat(result.tensors().keySet()).containsExactly("conv1.bias", "bn1.weight", "bn1.bias",
                "bn1.running_mean", "bn1.num_batches_tracked", "fc1.weight").inOrder();
        assertThat(result.skipped()).hasSize(5);
    }

    @Test
    void scalarAndOneElementShapesDiffer() throws Exception {
        Map<String, long[]> expected = new LinkedHashMap<>(netShapes());
        expected.put("bn1.num_batches_tracked", new long[] {1});

        WeightFileException error = assertThrows(WeightFileException.class,
                () -> StateDictCheck.check(expected, net(), true, Map.of()));

        assertThat(error.problems()).containsExactly("mismatched: bn1.num_batches_tracked: expected [1], found []");
    }

    @Test
    void prefixRenamesMapASequentialsKeysToTheModels() throws Exception {
        LoadedState sequential = StateDictFiles.read(resource("net_sequential.npz"));
        KeyMap renames = KeyMap.prefix("features.0.", "conv1.").and("features.1.", "bn1.").and("classifier.", "fc1.");

        StateDictCheck.Result result = StateDictCheck.check(netShapes(), sequential, true, renames.asMap());

        assertThat(result.isComplete()).isTrue();
        IoFixtures.assertTensorsMatch(result.tensors(), IoFixtures.expectedNet());
        assertThat(List.copyOf(result.tensors().keySet())).containsExactlyElementsIn(netShapes().keySet()).inOrder();
    }

    @Test
    void withoutRenamesTheSequentialsKeysAreAllUnexpected() throws Exception {
        LoadedState sequential = StateDictFiles.read(resource("net_sequential.npz"));

        WeightFileException error = assertThrows(WeightFileException.class,
                () -> StateDictCheck.check(netShapes(), sequential, true, KeyMap.prefix("features.0.", "conv1.")));

        assertThat(error).hasMessageThat().contains("(7 missing, 7 unexpected, 0 mismatched; keys renamed by "
                + "{features.0.=conv1.})");
        assertThat(error.problems()).contains("unexpected: features.1.weight");
        assertThat(error.problems()).doesNotContain("missing: conv1.weight");
    }

    @Test
    void renamedKeysShowTheirFileKey() throws Exception {
        Map<String, long[]> expected = new LinkedHashMap<>(netShapes());
        expected.put("conv1.weight", new long[] {9});
        LoadedState sequential = StateDictFiles.read(resource("net_sequential.npz"));
        KeyMap renames = KeyMap.prefix("features.0.", "conv1.").and("features.1.", "bn1.").and("classifier.", "fc9.");

        WeightFileException error = assertThrows(WeightFileException.class,
                () -> StateDictCheck.check(expected, sequential, true, renames));

        assertThat(error.problems()).containsExactly(
                "missing: fc1.weight",
                "missing: fc1.bias",
                "unexpected: fc9.weight (file key 'classifier.weight')",
                "unexpected: fc9.bias (file key 'classifier.bias')",
                "mismatched: conv1.weight (file key 'features.0.weight'): expected [9], found [2, 1, 3, 3]").inOrder();
    }

    @Test
    void twoFileKeysRenamedToOneModelKeyAreRefusedEvenWhenNotStrict() throws Exception {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("a.weight", Nd4j.scalar(1f));
        tensors.put("b.weight", Nd4j.scalar(2f));
        LoadedState loaded = new LoadedState(Path.of("x.npz"), tensors, List.of());
        KeyMap renames = KeyMap.prefix("a.", "c.").and("b.", "c.");

        WeightFileException error = assertThrows(WeightFileException.class,
                () -> StateDictCheck.check(Map.of("c.weight", new long[0]), loaded, false, renames));

        assertThat(error.problems()).containsExactly(
                "renamed twice: file keys 'a.weight' and 'b.weight' both become 'c.weight'");
    }

    @Test
    void resultTensorsAreFloat32COrderCopiesWhateverTheLoadedStateHeld() throws Exception {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("w", Nd4j.create(new double[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'c').transpose());
        tensors.put("bn.num_batches_tracked", Nd4j.scalar(3f));
        LoadedState loaded = new LoadedState(Path.of("x.npz"), tensors, List.of("a note"));
        Map<String, long[]> expected = new LinkedHashMap<>();
        expected.put("w", new long[] {3, 2});
        expected.put("bn.num_batches_tracked", new long[0]);

        StateDictCheck.Result result = StateDictCheck.check(expected, loaded, true, Map.of());

        INDArray w = result.tensors().get("w");
        assertThat(w.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(w.ordering()).isEqualTo('c');
        assertThat(IoFixtures.floats(w)).isEqualTo(new float[] {1, 4, 2, 5, 3, 6});
        assertThat(result.tensors().get("bn.num_batches_tracked").dataType()).isEqualTo(DataType.LONG);
        assertThat(result.notes()).containsExactly("a note");
    }

    @Test
    void aNegativeExpectedDimensionIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class,
                () -> StateDictCheck.check(Map.of("w", new long[] {-1}), net(), true, Map.of()));
    }
}
