package dev.shapeproof.nn.ops;

import static com.google.common.truth.Truth.assertThat;
import static dev.shapeproof.nn.Kernels.randn;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shapeproof.nn.F;
import dev.shapeproof.nn.Kernels;
import dev.shapeproof.nn.Reference;
import dev.shapeproof.nn.Reference.Tensor;
import dev.shapeproof.shape.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Helpers#withoutHelpers}: the process-global switch shared by many threads. */
class HelpersTest {

    @AfterAll
    static void writeMaxErrors() {
        Kernels.writeMaxErrors();
    }

    @AfterEach
    void helpersBackOn() {
        Nd4j.getEnvironment().allowHelpers(true);
    }

    @Test
    void switchesHelpersOffInsideAndBackOnAfter() {
        assertThat(Nd4j.getEnvironment().helpersAllowed()).isTrue();
        INDArray marker = Nd4j.scalar(1f);
        INDArray result = Helpers.withoutHelpers(() -> {
            assertThat(Nd4j.getEnvironment().helpersAllowed()).isFalse();
            INDArray nested = Helpers.withoutHelpers(() -> marker);
            assertThat(Nd4j.getEnvironment().helpersAllowed()).isFalse(); // still inside the outer section
            return nested;
        });
        assertThat(result).isSameInstanceAs(marker);
        assertThat(Nd4j.getEnvironment().helpersAllowed()).isTrue();
    }

    @Test
    void restoresHelpersWhenTheOpThrows() {
        assertThrows(IllegalStateException.class, () -> Helpers.withoutHelpers(() -> {
            throw new IllegalStateException("boom");
        }));
        assertThat(Nd4j.getEnvironment().helpersAllowed()).isTrue();
    }

    @Test
    void leavesHelpersOffWhenTheyWereOffBefore() {
        Nd4j.getEnvironment().allowHelpers(false);
        Helpers.withoutHelpers(() -> Nd4j.scalar(0f));
        assertThat(Nd4j.getEnvironment().helpersAllowed()).isFalse();
    }

    @Test
    void eightThreadsShareTheSwitch() throws Exception {
        int threads = 8;
        int rounds = 25;
        Random random = new Random(2024);
        // a dilated conv and a dilated max pool: the ops that need the helpers off on oneDNN
        INDArray x = randn(random, 1, 2, 4, 12, 12);
        INDArray weight = randn(random, 1, 6, 4, 3, 3);
        INDArray bias = randn(random, 1, 6);
        Window conv = Window.of(3, 1, 2, 2);
        Window pool = Window.of(3, 1, 1, 2);
        INDArray convExpected = Reference.conv2d(Tensor.of(x), Tensor.of(weight), Tensor.of(bias), conv, conv, 1)
                .toNd4j();
        INDArray poolExpected = Reference.maxPool2d(Tensor.of(x), pool, pool).toNd4j();

        AtomicInteger offInside = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool8 = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Double>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                results.add(pool8.submit(() -> {
                    start.await();
                    double worst = 0;
                    for (int r = 0; r < rounds; r++) {
                        INDArray y = (r + id) % 2 == 0
                                ? F.conv2d(x, weight, bias, conv, conv, 1)
                                : F.maxPool2d(x, pool, pool);
                        INDArray expected = (r + id) % 2 == 0 ? convExpected : poolExpected;
                        worst = Math.max(worst, y.castTo(expected.dataType()).sub(expected).amaxNumber()
                                .doubleValue());
                        Helpers.withoutHelpers(() -> {
                            if (!Nd4j.getEnvironment().helpersAllowed()) {
                                offInside.incrementAndGet();
                            }
                            // a plain (helper-eligible) op inside the section too
                            return F.relu(x, false);
                        });
                    }
                    return worst;
                }));
            }
            start.countDown();
            for (Future<Double> result : results) {
                double worst = result.get(5, TimeUnit.MINUTES);
                Kernels.record("helpers 8 threads", worst);
                assertThat(worst).isAtMost(1e-4);
            }
        } finally {
            pool8.shutdownNow();
        }
        assertThat(offInside.get()).isEqualTo(threads * rounds);
        assertThat(Nd4j.getEnvironment().helpersAllowed()).isTrue();
    }
}
