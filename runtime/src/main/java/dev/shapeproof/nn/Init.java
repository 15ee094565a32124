package dev.shapeproof.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's default initialisers, seeded: the same seed gives the same tensors on every run and machine. The
 * distributions are PyTorch's; the random streams are not (PyTorch's generator is not reproducible outside PyTorch).
 */
final class Init {
    private Init() {}

    /**
     * {@code kaiming_uniform_(a=√5)} as {@code Conv2d} and {@code Linear} use it, which reduces to
     * {@code U(−1/√fan_in, 1/√fan_in)}; their bias uses the same bound.
     */
    static INDArray uniform(SplittableRandom random, int fanIn, long... shape) {
        double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        float[] values = new float[Math.toIntExact(count)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return Nd4j.create(values, shape, 'c');
    }

    /** {@code xavier_uniform_} of a {@code [fanOut, fanIn]} weight: {@code U(±√(6/(fanIn + fanOut)))}. */
    static INDArray xavierUniform(SplittableRandom random, int fanOut, int fanIn) {
        double bound = Math.sqrt(6.0 / (fanIn + fanOut));
        float[] values = new float[Math.multiplyExact(fanOut, fanIn)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return Nd4j.create(values, new long[] {fanOut, fanIn}, 'c');
    }

    static INDArray filled(double value, long... shape) {
        return Nd4j.valueArrayOf(shape, value, DataType.FLOAT);
    }

    /** A 0-d int64 counter, as PyTorch stores {@code num_batches_tracked}. */
    static INDArray counter(long value) {
        return Nd4j.scalar(DataType.LONG, value);
    }
}
