package dev.shapeproof.processor.lower;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.graph.Attributes;
import dev.shapeproof.processor.graph.Instance;
import dev.shapeproof.processor.graph.ModuleClass;
import dev.shapeproof.processor.op.OpDefinition;
import java.util.List;
import java.util.Map;

/**
 * A module an {@code @Init} expression built, before it has a place in the tree: {@code nn.Conv2d(64, 64, 3)},
 * {@code BasicBlock(64, 128, 2, downsample)}, {@code nn.Sequential(...)}. Assigning it to a field, or putting it in a
 * container, gives it its path ({@link Instantiation#place}).
 */
sealed interface ModuleSpec {
    /** PyTorch's class name, for messages. */
    String pytorchType();

    /** The expression that built it. */
    Location location();

    /** A layer with its attributes. */
    record Layer(OpDefinition<?> op, Attributes attributes, Location location) implements ModuleSpec {
        @Override
        public String pytorchType() {
            return op.name();
        }
    }

    /**
     * A block with its arguments and its modules, evaluated with them.
     *
     * @param description the call as messages show it: {@code BasicBlock(64, 128, stride=2)}
     */
    record Block(ModuleClass moduleClass, String description, Map<String, Object> arguments, List<Child> children,
            Location location) implements ModuleSpec {
        @Override
        public String pytorchType() {
            return moduleClass.pytorchName();
        }
    }

    /** {@code nn.Parameter(torch.zeros(1, 1, D))}: a learned tensor of the module that holds it. */
    record Parameter(dev.shapeproof.processor.graph.ParameterInit init, Location location) implements ModuleSpec {
        @Override
        public String pytorchType() {
            return "Parameter";
        }
    }

    /** {@code nn.Sequential}, {@code nn.ModuleList} or {@code nn.ModuleDict} with its entries. */
    record Container(Instance.Kind kind, List<Child> children, Location location) implements ModuleSpec {
        @Override
        public String pytorchType() {
            return switch (kind) {
                case SEQUENTIAL -> "Sequential";
                case MODULE_LIST -> "ModuleList";
                default -> "ModuleDict";
            };
        }
    }

    /**
     * One registered child: its key, the Java field that holds it ({@code null} for a container's entry), and the
     * module, or {@code null} when the field is {@code None} (nothing registered).
     */
    record Child(String key, String field, ModuleSpec spec) {}
}
