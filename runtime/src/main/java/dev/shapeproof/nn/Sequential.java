package dev.shapeproof.nn;

import dev.shapeproof.nn.ops.ConvActivation;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch's {@code nn.Sequential}: its children run in order, each on the previous one's output. Children are named
 * {@code 0}, {@code 1}, … or, as with {@code nn.Sequential(OrderedDict(...))}, by name; either way a child's name is
 * this container's name and one more part ({@code layer1.0}, {@code features.conv0}).
 *
 * <p>A block whose PyTorch class extends {@code nn.Sequential} (torchvision's {@code _Transition}, {@code ASPPConv})
 * extends this class; it inherits this forward unless its own forward text replaces it.
 */
public class Sequential extends NnModule {
    /** For a block that extends it: the generated subclass registers the children. */
    protected Sequential() {}

    /** A container called {@code name} holding {@code children}, in order. */
    public Sequential(String name, NnModule... children) {
        initModule(name, children);
    }

    @Override
    public String pytorchType() {
        return "Sequential";
    }

    /** The child at {@code index}, in order. */
    public final NnModule get(int index) {
        return items().get(index);
    }

    /** The number of children. */
    public final int size() {
        return children().size();
    }

    /** The children in order. */
    public final List<NnModule> items() {
        return new ArrayList<>(children().values());
    }

    /**
     * Runs the children in turn. A child may overwrite its input once nothing else can read it: after the first
     * child that returned a new array, each intermediate is read only by the next child. The caller's array, and any
     * view of it, is never overwritten.
     */
    @Override
    public INDArray forward(INDArray input) {
        // A container's children's results are dead once the next child has read them: its own workspace, as a
        // block's (BlockWorkspace), with the last step computing where the caller keeps the result.
        try (BlockWorkspace workspace = BlockWorkspace.enter()) {
            INDArray current = input;
            ConvActivation handedOn = null; // the last convolution's result, when the next child is a convolution
            boolean isCallers = true;
            List<NnModule> children = items();
            for (int i = 0; i < children.size(); i++) {
                NnModule child = children.get(i);
                if (child instanceof Conv2dLayer conv) {
                    // conv → BatchNorm2d → (leaky) ReLU or ReLU6 as one step: the norm folded into the weights, the
                    // activation fused (Conv2dLayer.forwardFused); nothing else can read the intermediates of a
                    // Sequential, so a result the next child, a convolution, reads is handed on in the layout
                    // oneDNN wrote it (Conv2dLayer.forwardKept).
                    BatchNorm2dLayer norm = i + 1 < children.size()
                            && children.get(i + 1) instanceof BatchNorm2dLayer bn ? bn : null;
                    int next = norm == null ? i + 1 : i + 2;
                    NnModule activation = next < children.size() ? children.get(next) : null;
                    float slope = activationSlope(activation);
                    int last = Float.isNaN(slope) ? next - 1 : next;
                    if (last == children.size() - 1) {
                        workspace.computeResult();
                    }
                    float max = activation instanceof ReLU6Layer ? 6f : Float.POSITIVE_INFINITY;
                    ConvActivation in = handedOn != null ? handedOn : ConvActivation.of(current);
                    if (last + 1 < children.size() && children.get(last + 1) instanceof Conv2dLayer) {
                        handedOn = conv.forwardKept(in, norm, null, slope, max);
                    } else {
                        current = conv.forwardFused(in, norm, null, slope, max);
                        handedOn = null;
                    }
                    isCallers = false;
                    i = last;
                    continue;
                }
                if (i == children.size() - 1) {
                    workspace.computeResult();
                }
                current = isCallers ? child.forward(current) : child.forwardInPlace(current);
                isCallers = isCallers && child.mayReturnInput();
            }
            return workspace.result(current);
        }
    }

    /** 0 for a ReLU or ReLU6, a leaky ReLU's slope, else {@code NaN} (not an activation a convolution can fuse). */
    private static float activationSlope(NnModule module) {
        if (module instanceof ReLULayer || module instanceof ReLU6Layer) {
            return 0f;
        }
        if (module instanceof LeakyReLULayer leaky) {
            return (float) leaky.slope();
        }
        return Float.NaN;
    }

    /** Whether every child may return its input, so that the whole chain may. */
    @Override
    public boolean mayReturnInput() {
        for (NnModule child : children().values()) {
            if (!child.mayReturnInput()) {
                return false;
            }
        }
        return true;
    }
}
