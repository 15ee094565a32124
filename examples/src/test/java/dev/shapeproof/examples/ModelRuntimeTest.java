package dev.shapeproof.examples;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shapeproof.examples.golden.BatchNormNetModel;
import dev.shapeproof.nn.CompiledModel;
import dev.shapeproof.summary.NamedShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The generated model as a user meets it: construction, input checks, state, modes, threads. */
class ModelRuntimeTest {

    /** Any generated model, seen as a CompiledModel: its inputs and outputs by name, forward over lists. */
    @Test
    void everyGeneratedModelIsACompiledModel() {
        CompiledModel net = new NetModel(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28);

        assertThat(net.name()).isEqualTo("Net");
        assertThat(net.inputs()).containsExactly(new NamedShape("x", NetModel.INPUT_SHAPE));
        assertThat(net.forward(List.of(x))).containsExactly(((NetModel) net).forward(x));
        IllegalArgumentException wrongCount = assertThrows(IllegalArgumentException.class,
                () -> net.forward(List.of(x, x)));
        assertThat(wrongCount).hasMessageThat().contains("Net takes 1 input");

        ImageAndMaskModel twoByTwo = new ImageAndMaskModel(7);
        INDArray image = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        INDArray mask = Nd4j.rand(DataType.FLOAT, 2, 1, 32, 32);
        List<INDArray> outputs = ((CompiledModel) twoByTwo).forward(List.of(image, mask));
        ImageAndMaskModel.Output typed = twoByTwo.forward(image, mask);
        assertThat(outputs).containsExactly(typed.segmentation(), typed.scores()).inOrder();
        assertThat(((CompiledModel) twoByTwo).outputs().stream().map(NamedShape::name).toList())
                .containsExactly("segmentation", "scores").inOrder();
    }

    @Test
    void parametersAndBuffersFollowPyTorchsStateDict() {
        BatchNormNetModel model = new BatchNormNetModel();

        assertThat(model.parameters().keySet()).containsExactly(
                "conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "conv2.weight", "conv2.bias",
                "fc.weight", "fc.bias").inOrder();
        assertThat(model.buffers().keySet()).containsExactly(
                "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked",
                "bn2.running_mean", "bn2.running_var", "bn2.num_batches_tracked").inOrder();
        assertThat(model.stateDict().keySet()).containsAtLeastElementsIn(model.buffers().keySet());
        assertThat(model.buffers().get("bn1.num_batches_tracked").dataType()).isEqualTo(DataType.LONG);
    }

    @Test
    void defaultInitialisationIsPyTorchsAndReproducible() {
        NetModel first = new NetModel(7);
        NetModel second = new NetModel(7);
        NetModel other = new NetModel(8);

        INDArray weight = first.parameters().get("conv1.weight");
        assertThat(weight.shape()).isEqualTo(new long[] {10, 1, 5, 5});
        // kaiming_uniform(a=√5) is U(−1/√fan_in, 1/√fan_in), fan_in = 1·5·5.
        assertThat(weight.amaxNumber().doubleValue()).isAtMost(1 / Math.sqrt(25));
        assertThat(weight.amaxNumber().doubleValue()).isGreaterThan(0.15);
        assertThat(second.parameters().get("conv1.weight")).isEqualTo(weight);
        assertThat(other.parameters().get("conv1.weight")).isNotEqualTo(weight);
    }

    @Test
    void wrongInputNamesTheExpectedAndActualShape() {
        NetModel model = new NetModel();

        IllegalArgumentException unbatched = assertThrows(IllegalArgumentException.class,
                () -> model.forward(Nd4j.rand(DataType.FLOAT, 1, 28, 28)));
        assertThat(unbatched).hasMessageThat().contains("expected shape [-1, 1, 28, 28]");
        assertThat(unbatched).hasMessageThat().contains("found [1, 28, 28]");
        assertThat(unbatched).hasMessageThat().contains("add a batch dimension");

        IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class,
                () -> model.forward(Nd4j.rand(DataType.FLOAT, 4, 1, 32, 32)));
        assertThat(wrongSize).hasMessageThat().contains("found [4, 1, 32, 32]");

        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                () -> model.forward(Nd4j.rand(DataType.DOUBLE, 4, 1, 28, 28)));
        assertThat(wrongType).hasMessageThat().contains("expected float32, found DOUBLE");
    }

    @Test
    void evalIsTheDefaultAndDropoutOnlyActsInTraining() {
        NetModel model = new NetModel();
        INDArray input = Nd4j.rand(DataType.FLOAT, 16, 1, 28, 28);

        assertThat(model.isTraining()).isFalse();
        INDArray eval = model.forward(input);
        assertThat(model.forward(input)).isEqualTo(eval);

        model.train();
        assertThat(model.isTraining()).isTrue();
        assertThat(model.forward(input)).isNotEqualTo(eval);
        model.eval();
        assertThat(model.forward(input)).isEqualTo(eval);
    }

    @Test
    void savedWeightsLoadBackIdentically(@TempDir Path dir) throws IOException {
        NetModel original = new NetModel(3);
        INDArray input = Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28);
        for (String file : List.of("net.npz", "net.safetensors")) {
            Path path = dir.resolve(file);
            original.save(path);

            NetModel loaded = new NetModel(path);

            assertThat(loaded.stateDict().keySet()).isEqualTo(original.stateDict().keySet());
            assertThat(loaded.forward(input)).isEqualTo(original.forward(input));
        }
    }

    /**
     * A forward reuses its intermediates from call to call (ForwardWorkspace): what it returns must be the caller's
     * own, untouched by later calls, whatever their batch size.
     */
    @Test
    void successiveCallsNeverShareResults() throws IOException {
        NetModel model = new NetModel(Path.of(GoldenModelsTest.golden("SeedNet", "weights.npz").toString()));
        INDArray four = Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28);
        INDArray one = Nd4j.rand(DataType.FLOAT, 1, 1, 28, 28);
        INDArray first = model.forward(four);
        float[] firstValues = first.data().asFloat();
        INDArray single = model.forward(one);
        INDArray again = model.forward(four);
        model.forward(one.neg());

        assertThat(first.data().asFloat()).isEqualTo(firstValues);
        assertThat(again).isNotSameInstanceAs(first);
        assertThat(again.data().asFloat()).isEqualTo(firstValues);
        assertThat(single.shape()).isEqualTo(new long[] {1, 10});
        assertThat(single.data().asFloat()).isEqualTo(model.forward(one).data().asFloat());
    }

    @Test
    void forwardFromEightThreadsEqualsForwardFromOne() throws Exception {
        NetModel model = new NetModel(Path.of(GoldenModelsTest.golden("SeedNet", "weights.npz").toString()));
        List<INDArray> inputs = new ArrayList<>();
        List<INDArray> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            INDArray input = Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28);
            inputs.add(input);
            expected.add(model.forward(input));
        }

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 8; i++) {
                    int index = i;
                    Callable<Boolean> task = () -> model.forward(inputs.get(index)).equals(expected.get(index));
                    results.add(pool.submit(task));
                }
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
