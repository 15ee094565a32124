package dev.shapeproof.processor.op;

import dev.shapeproof.shape.ParameterShape;
import dev.shapeproof.shape.TensorShape;
import java.util.List;

/**
 * The call of a block or container: its shapes, receptive field and memory are its forward's, checked node by node
 * in the callee's body; this op only names it ({@code BasicBlock}) for the summary and for messages.
 */
public final class ModuleCallOp extends OpDefinition<Object> {
    private static final Object NOTHING = new Object();

    private final List<ParameterShape> rowParameters;

    /** @param pytorchType the called module's PyTorch class name */
    public ModuleCallOp(String pytorchType) {
        this(pytorchType, List.of());
    }

    /**
     * @param pytorchType the called module's PyTorch class name
     * @param rowParameters the module's own parameters that torchsummary counts on its row: those called
     *     {@code weight} and {@code bias}
     */
    public ModuleCallOp(String pytorchType, List<ParameterShape> rowParameters) {
        super(pytorchType, List.of());
        this.rowParameters = List.copyOf(rowParameters);
    }

    @Override
    public List<ParameterShape> parameters(Object config, List<TensorShape> inputs) {
        return rowParameters;
    }

    @Override
    public boolean isModule() {
        return false;
    }

    @Override
    public Object configure(NodeContext node) {
        return NOTHING;
    }

    /** Never called: the checker takes a call's shape from its body's result. */
    @Override
    public TensorShape infer(Object config, List<TensorShape> inputs, NodeContext node) {
        throw new UnsupportedOperationException("a module call's shape is its body's result");
    }
}
