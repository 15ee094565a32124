package dev.shapeproof.nn.ops;

import static com.google.common.truth.Truth.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A chain's timed run ({@link ChainTrial}) is credited once, where the chain's result is read as an array. */
class ChainTrialTest {
    @Test
    void aTrialIsCreditedOnceWhereItsActivationIsFirstReadAsAnArray() {
        List<Long> credited = new ArrayList<>();
        ChainTrial trial = new ChainTrial(System.nanoTime(), credited::add, null);
        INDArray x = Nd4j.zeros(1, 2, 3, 3);
        ConvActivation a = ConvActivation.of(x).within(trial);
        assertThat(a.trial()).isSameInstanceAs(trial);
        assertThat(credited).isEmpty();
        assertThat(a.toArray()).isSameInstanceAs(x);
        assertThat(credited).hasSize(1);
        assertThat(credited.get(0)).isAtLeast(0L);
        a.toArray();
        assertThat(credited).hasSize(1);
        assertThat(trial.isOver()).isTrue();
    }

    @Test
    void whatTheChainsResultIsCopiedIntoAtOnceIsPartOfItsTime() {
        List<String> events = new ArrayList<>();
        ChainTrial trial = new ChainTrial(System.nanoTime(), t -> events.add("credited"), null);
        INDArray x = Nd4j.zeros(1, 2, 3, 3);
        INDArray copy = ConvActivation.of(x).within(trial).toArray(y -> {
            events.add("copied");
            return y.dup('c');
        });
        assertThat(events).containsExactly("copied", "credited").inOrder();
        assertThat(copy).isNotSameInstanceAs(x);
    }

    @Test
    void anInnerChainEndsTheOuterWithItAndAnAbandonedOneCreditsNothing() {
        List<String> credited = new ArrayList<>();
        ChainTrial outer = new ChainTrial(System.nanoTime(), t -> credited.add("outer"), null);
        ChainTrial inner = new ChainTrial(System.nanoTime(), t -> credited.add("inner"), outer);
        inner.end();
        assertThat(credited).containsExactly("inner", "outer").inOrder();

        List<String> none = new ArrayList<>();
        ChainTrial dropped = new ChainTrial(System.nanoTime(), t -> none.add("dropped"), null);
        dropped.abandon();
        ConvActivation.of(Nd4j.zeros(1, 1, 1, 1)).within(dropped).toArray();
        assertThat(none).isEmpty();
    }

    @Test
    void aPlainActivationOutsideAnyTrialIsUnchangedByIt() {
        ConvActivation a = ConvActivation.of(Nd4j.zeros(1, 1, 2, 2));
        assertThat(a.within(null)).isSameInstanceAs(a);
        assertThat(a.trial()).isNull();
    }
}
