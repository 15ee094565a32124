import dev.shapeproof.io.LoadOptions;
import dev.shapeproof.io.StateDictFiles;
import dev.shapeproof.nn.CompiledModel;
import dev.shapeproof.summary.NamedShape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a ported model for tools/port_model.py's check: loads the weights strictly into the generated model, runs its
 * forward on the inputs of an .npz file (one array per input, by the model's input names), and writes the outputs
 * (by the model's output names), its state_dict keys with their shapes and its summary.
 *
 * <pre>java PortCheck MODEL_CLASS WEIGHTS INPUTS.npz OUTPUTS.npz STATE_DICT.txt SUMMARY.txt</pre>
 */
public final class PortCheck {
    private PortCheck() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            throw new IllegalArgumentException("usage: PortCheck MODEL_CLASS WEIGHTS INPUTS.npz OUTPUTS.npz "
                    + "STATE_DICT.txt SUMMARY.txt");
        }
        CompiledModel model = (CompiledModel) Class.forName(args[0]).getConstructor(long.class).newInstance(0L);
        model.load(Path.of(args[1]), LoadOptions.strict());
        model.eval();

        Map<String, INDArray> given = StateDictFiles.read(Path.of(args[2])).tensors();
        List<INDArray> inputs = new ArrayList<>();
        for (NamedShape input : model.inputs()) {
            INDArray array = given.get(input.name());
            if (array == null) {
                throw new IllegalArgumentException(args[2] + " has no input " + input.name() + "; it has "
                        + given.keySet());
            }
            inputs.add(array);
        }
        List<INDArray> outputs = model.forward(inputs);
        Map<String, INDArray> named = new LinkedHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
            named.put(model.outputs().get(i).name(), outputs.get(i));
        }
        StateDictFiles.write(Path.of(args[3]), named);

        List<String> keys = new ArrayList<>();
        model.stateDict().forEach((key, tensor) -> keys.add(key + " " + java.util.Arrays.stream(tensor.shape())
                .mapToObj(Long::toString).collect(Collectors.joining(","))));
        Files.write(Path.of(args[4]), keys, StandardCharsets.UTF_8);
        Files.writeString(Path.of(args[5]), model.summary().toString(), StandardCharsets.UTF_8);
    }
}
