package dev.shapeproof.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One forward pass of a case's network in one implementation. {@code SampleTime}: JMH times invocations and reports
 * percentiles; run.sh reads the median ({@code p0.50}). Before timing, the trial's implementation is run once and
 * checked against the reference output ({@link BenchData#check}); a mismatch fails the trial.
 *
 * <p>Defaults (run.sh passes its own): one fork, 3 warm-up and 5 measured iterations of 1 s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ForwardBench {
    @Param({"mnist_b1", "mnist_b64", "dilated_b8", "context_b8", "aspp_b1", "aspp_b8", "dilgelu_b8", "mnistseq_b1",
        "smallresnet_b8", "resnet18_b1", "resnet18_b8", "resnet50_b1", "mobilenetv2_b1",
        "mobilenetv2_b8", "deeplab_b1"})
    public String benchCase;

    @Param({"shapeproof", "nd4j", "dl4j"})
    public String impl;

    private Forward forward;
    private INDArray x;

    @Setup
    public void setUp() throws IOException {
        BenchData data = BenchData.load(BenchData.root(), BenchCase.of(benchCase));
        forward = Impls.create(impl, data.benchCase, data.weights);
        data.check(impl, forward);
        x = data.x;
        Backend.checkClassifier();
        System.out.println("\n[" + benchCase + "/" + impl + "] " + Backend.describe());
    }

    /** One forward whose result the caller drops: its native memory waits for the garbage collector. */
    @Benchmark
    public INDArray forward() {
        return forward.forward(x);
    }

    /**
     * One forward whose result the caller releases once it has read it ({@link Forward#release}), as a careful ND4J
     * user does and as PyTorch's reference counting does for every dropped tensor. A dropped result is freed only when
     * the garbage collector runs, which the tiny Java heap rarely makes it do, so every call writes its result into
     * freshly mapped pages, and the page faults are part of the time: 16.7 MB (the dilated stack's result) cost
     * 7 ms of them on the 2-core host. A released one hands its memory back to the allocator for the next call, as
     * PyTorch at its best (malloc thresholds raised) reuses its own.
     */
    @Benchmark
    public float forwardReleased() {
        INDArray y = forward.forward(x);
        float first = y.getFloat(0);
        forward.release(y);
        return first;
    }
}
