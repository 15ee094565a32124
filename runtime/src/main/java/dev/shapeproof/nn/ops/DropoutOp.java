package dev.shapeproof.nn.ops;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code dropout}, {@code dropout2d} and torchvision's {@code stochastic_depth}: the identity when not training, else a
 * kept-and-rescaled mask on ND4J.
 */
public final class DropoutOp {
    private DropoutOp() {}

    public static INDArray dropout(INDArray x, double p, boolean training) {
        requireProbability(p);
        if (!training) {
            return x;
        }
        if (p == 1) {
            return Nd4j.zerosLike(x);
        }
        return x.mul(keepMask(x, x.shape(), p));
    }

    public static INDArray dropout2d(INDArray x, double p, boolean training) {
        requireProbability(p);
        if (!training) {
            return x;
        }
        if (x.rank() < 2) {
            throw new IllegalArgumentException("dropout2d input: expected a tensor of rank 2 or more, found "
                    + Arrays.toString(x.shape()));
        }
        if (p == 1) {
            return Nd4j.zerosLike(x);
        }
        return x.mul(keepMask(x, featureMaskShape(x), p));
    }

    /**
     * PyTorch's feature dropout, whatever the rank: one draw per sample and channel, {@code [N, C, 1, ...]}. On
     * {@code [N, F]} that is one draw per element, plain dropout, as PyTorch 1.13 runs it (with a warning).
     */
    private static long[] featureMaskShape(INDArray x) {
        long[] shape = new long[x.rank()];
        Arrays.fill(shape, 1);
        shape[0] = x.size(0);
        shape[1] = x.size(1);
        return shape;
    }

    /**
     * torchvision's {@code stochastic_depth}: the identity ({@code x} itself) when not training or {@code p = 0};
     * when training a new array where each sample ({@code "row"}) or the whole batch ({@code "batch"}) is zeroed with
     * probability {@code p} and kept ones scaled by {@code 1/(1−p)}.
     */
    public static INDArray stochasticDepth(INDArray x, double p, String mode, boolean training) {
        requireProbability(p);
        if (!mode.equals("row") && !mode.equals("batch")) {
            throw new IllegalArgumentException("mode has to be either 'batch' or 'row', but got " + mode);
        }
        if (!training || p == 0) {
            return x;
        }
        long[] shape = new long[x.rank()];
        java.util.Arrays.fill(shape, 1);
        if (mode.equals("row")) {
            shape[0] = x.size(0);
        }
        INDArray noise = p == 1 ? Nd4j.zeros(x.dataType(), shape) : keepMask(x, shape, p);
        INDArray z = Nd4j.create(x.dataType(), x.shape());
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp(new INDArray[] {x, noise},
                new INDArray[] {z}));
        return z;
    }

    /** A mask of {@code 1/(1−p)} with probability {@code 1−p}, else 0, drawn from ND4J's (per-thread) generator. */
    private static INDArray keepMask(INDArray x, long[] shape, double p) {
        INDArray mask = Nd4j.createUninitialized(x.dataType(), shape);
        Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, 1 - p), Nd4j.getRandom());
        return mask.muli(1 / (1 - p));
    }

    private static void requireProbability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
    }
}
