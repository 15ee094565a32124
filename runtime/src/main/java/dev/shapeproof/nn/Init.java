package dev.shapeproof.nn;

import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's default initialisers, seeded: the same seed gives the same tensors on every run and machine. The
 * distributions are PyTorch's; the random streams are not (PyTorch's generator is not reproducible outside PyTorch).
 */
final class Init {
    /** Elements drawn per chunk. */
    private static final int CHUNK = 1 << 14;

    private Init() {}

    /**
     * {@code kaiming_uniform_(a=√5)} as {@code Conv2d} and {@code Linear} use it, which reduces to
     * {@code U(−1/√fan_in, 1/√fan_in)}; their bias uses the same bound.
     */
    static INDArray uniform(SplittableRandom random, int fanIn, long... shape) {
        return uniformWithin(random, fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0, shape);
    }

    /** {@code xavier_uniform_} of a {@code [fanOut, fanIn]} weight: {@code U(±√(6/(fanIn + fanOut)))}. */
    static INDArray xavierUniform(SplittableRandom random, int fanOut, int fanIn) {
        return uniformWithin(random, Math.sqrt(6.0 / (fanIn + fanOut)), fanOut, fanIn);
    }

    /**
     * {@code U(±bound)} in c order, drawn chunk by chunk into the array's native buffer: a model initialised before
     * its weights are loaded makes no heap copy of them (the heap would keep that peak committed).
     */
    private static INDArray uniformWithin(SplittableRandom random, double bound, long... shape) {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        Math.toIntExact(count); // as before: at most 2^31 − 1 elements
        if (count == 0) {
            return Nd4j.create(new float[0], shape, 'c');
        }
        INDArray array = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        FloatPointer buffer = new FloatPointer(array.data().pointer());
        float[] chunk = new float[(int) Math.min(CHUNK, count)];
        for (long done = 0; done < count; ) {
            int n = (int) Math.min(chunk.length, count - done);
            for (int i = 0; i < n; i++) {
                chunk[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            buffer.position(done).put(chunk, 0, n);
            done += n;
        }
        return array;
    }

    static INDArray filled(double value, long... shape) {
        return Nd4j.valueArrayOf(shape, value, DataType.FLOAT);
    }

    /** A 0-d int64 counter, as PyTorch stores {@code num_batches_tracked}. */
    static INDArray counter(long value) {
        return Nd4j.scalar(DataType.LONG, value);
    }
}
