package dev.shapeproof.processor.emit;

import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.CheckedNode;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.graph.Body;
import dev.shapeproof.processor.graph.Liveness;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.graph.Statement;
import dev.shapeproof.processor.graph.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The convolutions of one forward that run as one call of the runtime's {@code Conv2dLayer.forwardFused}: every
 * {@code act(norm(conv(x)) + residual)}, each of the norm (a {@code BatchNorm2d} layer), the residual add and the
 * activation (ReLU, ReLU6 or leaky ReLU, layer or function) optional but at least one present, whose intermediates
 * nothing else reads. The runtime folds the norm into the convolution's weights and, on oneDNN, fuses the sum and the
 * activation into the convolution's primitive: torchvision's BasicBlock becomes two calls, Bottleneck three.
 *
 * <p>Decided here, at compile time, because only the graph knows who reads what: an intermediate the text reads again
 * (a skip connection taken after the norm, a returned feature map) ends its chain there. The runtime's BatchNorm always
 * normalises with its running statistics, in training mode too, so folding it changes nothing in either mode.
 *
 * <p>The fused call runs where the chain's last op ran. It reads the convolution's input and the residual there, so a
 * chain is left apart when an op between its first and last node overwrites either of them in place.
 */
final class ConvFusions {
    /**
     * One chain.
     *
     * @param norm the BatchNorm2d node, or {@code null}
     * @param residual the tensor added to the (normalised) convolution, or {@code null}
     * @param residualAdd the node that adds it, or {@code null}
     * @param activation the ReLU, ReLU6 or leaky ReLU node, or {@code null}
     * @param slope 0 for ReLU and ReLU6, the leaky ReLU's slope, {@code NaN} without an activation
     * @param max the activation's upper bound: 6 for ReLU6, else {@code Float.POSITIVE_INFINITY}
     * @param nodes every node of the chain, the convolution first
     */
    record Fusion(Node conv, Node norm, Value residual, Node residualAdd, Node activation, float slope, float max,
                  List<Node> nodes) {
        /** The input the convolution reads. */
        Value input() {
            return conv.inputs().get(0);
        }

        /** The name the forward text read the convolution's input by, or {@code null}. */
        String inputWrittenName() {
            return conv.writtenNames().isEmpty() ? null : conv.writtenNames().get(0);
        }

        /** The name the forward text read the residual by, or {@code null}. */
        String residualWrittenName() {
            if (residualAdd == null) {
                return null;
            }
            int index = residualAdd.inputs().indexOf(residual);
            List<String> written = residualAdd.writtenNames();
            return index < written.size() ? written.get(index) : null;
        }
    }

    private final CheckedModel model;
    private final Body body;
    private final Map<Value, List<Node>> readers = new IdentityHashMap<>();
    /** Values that leave the nodes: returned, or appended to a list. */
    private final Set<Value> escaping = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Value, Fusion> byResult = new IdentityHashMap<>();
    private final Map<Node, Fusion> byConv = new IdentityHashMap<>();
    private final Set<Value> interior = Collections.newSetFromMap(new IdentityHashMap<>());

    private ConvFusions(CheckedModel model, Body body) {
        this.model = model;
        this.body = body;
        for (Node node : body.nodes()) {
            for (Value input : node.inputs()) {
                readers.computeIfAbsent(input, v -> new ArrayList<>()).add(node);
            }
        }
        escaping.addAll(body.outputs());
        for (Statement statement : body.statements()) {
            if (statement instanceof Statement.Return ret) {
                escaping.addAll(ret.values());
            } else if (statement instanceof Statement.Append append) {
                escaping.add(append.value());
            } else if (statement instanceof Statement.AssignList assign && assign.isNew()) {
                escaping.addAll(assign.items());
            }
        }
        for (Node node : body.nodes()) {
            if (isLayer(node, "Conv2d")) {
                Fusion fusion = chainFrom(node);
                if (fusion != null) {
                    add(fusion);
                }
            }
        }
    }

    /** The chains of {@code body}. */
    static ConvFusions of(CheckedModel model, Body body) {
        return new ConvFusions(model, body);
    }

    /** The chain whose last node computes {@code value}, or {@code null}. */
    Fusion endingAt(Value value) {
        return byResult.get(value);
    }

    /** The chain that starts with the convolution {@code node}, or {@code null}. */
    Fusion startingAt(Node node) {
        return byConv.get(node);
    }

    /** Whether {@code value} is computed inside a chain and never exists on its own. */
    boolean isInterior(Value value) {
        return interior.contains(value);
    }

    private void add(Fusion fusion) {
        List<Node> nodes = fusion.nodes();
        for (int i = 0; i < nodes.size() - 1; i++) {
            interior.add(body.outputOf(nodes.get(i)));
        }
        byResult.put(body.outputOf(nodes.get(nodes.size() - 1)), fusion);
        byConv.put(fusion.conv(), fusion);
    }

    private Fusion chainFrom(Node conv) {
        List<Node> nodes = new ArrayList<>(List.of(conv));
        Value current = body.outputOf(conv);
        Node next = soleReader(current);
        Node norm = null;
        if (next != null && isLayer(next, "BatchNorm2d")) {
            norm = next;
            nodes.add(norm);
            current = body.outputOf(norm);
            next = soleReader(current);
        }
        Value residual = null;
        Node residualAdd = null;
        if (next != null && isResidualAdd(next)) {
            residualAdd = next;
            residual = next.inputs().get(0) == current ? next.inputs().get(1) : next.inputs().get(0);
            nodes.add(residualAdd);
            current = body.outputOf(residualAdd);
            next = soleReader(current);
        }
        Node activation = null;
        float slope = Float.NaN;
        float max = Float.POSITIVE_INFINITY;
        if (next != null && next.inputs().size() == 1 && !next.isBodyCall()) {
            if (next.op().name().equals("ReLU")) {
                activation = next;
                slope = 0f;
            } else if (next.op().name().equals("ReLU6")) {
                activation = next;
                slope = 0f;
                max = 6f;
            } else if (next.op().name().equals("LeakyReLU")) {
                activation = next;
                slope = (float) next.attributes().find("slope").map(Attribute::asDouble).orElse(0.01).doubleValue();
            }
            if (activation != null) {
                nodes.add(activation);
            }
        }
        if (nodes.size() == 1 || overwrittenBefore(nodes, conv.inputs().get(0), residual)) {
            return null;
        }
        return new Fusion(conv, norm, residual, residualAdd, activation, slope, max, List.copyOf(nodes));
    }

    /**
     * Whether an op between the chain's first and last node, outside the chain, overwrites the convolution's input or
     * the residual in place: the fused call, which reads both at the chain's end, would read the overwritten values.
     * (A block or container never overwrites what its caller passed it.)
     */
    private boolean overwrittenBefore(List<Node> chain, Value input, Value residual) {
        Liveness liveness = model.liveness(body);
        Value inputStorage = liveness.storageOf(input);
        Value residualStorage = residual == null ? null : liveness.storageOf(residual);
        int first = body.indexOf(chain.get(0));
        int last = body.indexOf(chain.get(chain.size() - 1));
        for (Node node : body.nodes().subList(first + 1, last)) {
            if (chain.contains(node) || node.isBodyCall() || node.inputs().isEmpty()) {
                continue;
            }
            CheckedNode<?> checked = model.checked(node);
            Value written = liveness.storageOf(node.inputs().get(0));
            if (checked != null && model.runsInPlace(checked)
                    && (written == inputStorage || written == residualStorage)) {
                return true;
            }
        }
        return false;
    }

    /** The one node that reads {@code value}, once, when no return or list takes it too; else {@code null}. */
    Node soleReader(Value value) {
        if (escaping.contains(value)) {
            return null;
        }
        List<Node> nodes = readers.get(value);
        return nodes != null && nodes.size() == 1 && body.indexOf(nodes.get(0)) >= 0 ? nodes.get(0) : null;
    }

    /** Whether any node reads {@code value}. */
    boolean isRead(Value value) {
        return readers.containsKey(value);
    }

    /** A tensor + tensor of one shape, the output's: no broadcast, no number, nothing but the sum. */
    private boolean isResidualAdd(Node node) {
        if (node.isModuleCall() || !node.op().name().equals("add") || node.inputs().size() != 2
                || node.arguments().size() != 2) {
            return false;
        }
        CheckedNode<?> checked = model.checked(node);
        return checked != null && checked.output().rank() == 4 && checked.inputs().get(0).equals(checked.output())
                && checked.inputs().get(1).equals(checked.output());
    }

    /** Whether {@code node} calls a layer of {@code op} (not a block's body, not a function). */
    static boolean isLayer(Node node, String op) {
        return node.isModuleCall() && !node.isBodyCall() && node.op().name().equals(op);
    }
}
