package dev.shapeproof.nn;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.nn.Kernels.randn;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link ForwardWorkspace#releaseCurrentThread()}: what a thread keeps between forwards is freed on demand, for pooled
 * threads (Spark's task threads) that never end.
 */
class ForwardWorkspaceReleaseTest {
    private static final String MODEL = "ForwardWorkspaceReleaseTest";
    private static final String WORKSPACE = "shapeproof-forward-" + MODEL;

    /** Other tests ran forwards on this thread too: start from a thread that holds nothing, and leave it so. */
    @BeforeEach
    @AfterEach
    void releaseWhatTheThreadKept() {
        ForwardWorkspace.releaseCurrentThread();
    }

    /** One call of a pretend model: a small op (Java path) and a large one (ND4J, in the workspace). */
    private static INDArray[] call(INDArray small, INDArray large) {
        try (ForwardWorkspace call = ForwardWorkspace.open(MODEL)) {
            return new INDArray[] {call.result(F.relu(small, false)), call.result(F.relu(large, false))};
        }
    }

    @Test
    void releaseFreesTheWorkspaceAndResultsStayValid() {
        INDArray small = randn(new Random(1), 1, 2, 8);
        INDArray large = randn(new Random(2), 1, 4, 32, 64, 64);
        INDArray[] before = call(small, large);
        INDArray[] expected = {before[0].dup(), before[1].dup()};
        assertThat(Nd4j.getWorkspaceManager().checkIfWorkspaceExists(WORKSPACE)).isTrue();

        assertThat(ForwardWorkspace.releaseCurrentThread()).isEqualTo(1);

        assertThat(Nd4j.getWorkspaceManager().checkIfWorkspaceExists(WORKSPACE)).isFalse();
        assertThat(Nd4j.getWorkspaceManager().checkIfWorkspaceExists("shapeproof-scratch")).isFalse();
        assertThat(ForwardWorkspace.releaseCurrentThread()).isEqualTo(0);
        // Results were copies: released memory never was theirs.
        assertThat(before[0]).isEqualTo(expected[0]);
        assertThat(before[1]).isEqualTo(expected[1]);
        // The next call starts afresh and computes the same.
        INDArray[] after = call(small, large);
        assertThat(after[0]).isEqualTo(expected[0]);
        assertThat(after[1]).isEqualTo(expected[1]);
        assertThat(Nd4j.getWorkspaceManager().checkIfWorkspaceExists(WORKSPACE)).isTrue();
    }

    @Test
    void releaseCountsEveryModelTheThreadRan() {
        INDArray x = randn(new Random(3), 1, 2, 8);
        for (String model : new String[] {MODEL + ".a", MODEL + ".b", MODEL + ".c"}) {
            try (ForwardWorkspace call = ForwardWorkspace.open(model)) {
                call.result(F.relu(x, false));
            }
        }
        assertThat(ForwardWorkspace.releaseCurrentThread()).isEqualTo(3);
        assertThat(Nd4j.getWorkspaceManager().checkIfWorkspaceExists("shapeproof-forward-" + MODEL + ".b")).isFalse();
    }

    @Test
    void releaseInsideAForwardIsAnError() {
        try (ForwardWorkspace call = ForwardWorkspace.open(MODEL)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, ForwardWorkspace::releaseCurrentThread);
            assertThat(e).hasMessageThat().contains("inside a forward");
        }
        assertThat(ForwardWorkspace.releaseCurrentThread()).isEqualTo(1);
    }

    @Test
    void releaseFreesOnlyTheCallingThreadsMemory() throws Exception {
        INDArray x = randn(new Random(4), 1, 2, 8);
        call(x, x);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            assertThat(other.submit(ForwardWorkspace::releaseCurrentThread).get()).isEqualTo(0);
        } finally {
            other.shutdown();
        }
        assertThat(Nd4j.getWorkspaceManager().checkIfWorkspaceExists(WORKSPACE)).isTrue();
        assertThat(ForwardWorkspace.releaseCurrentThread()).isEqualTo(1);
    }
}
