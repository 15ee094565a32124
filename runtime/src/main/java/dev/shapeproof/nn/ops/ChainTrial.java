package dev.shapeproof.nn.ops;

import java.util.function.LongConsumer;

/**
 * One timed run of a convolution chain, from its first convolution to where its result leaves the chain
 * ({@link ConvActivation#toArray}: read as an array, by the chain's last convolution or anything else). A chain's
 * first convolution chooses how to start it by timing (DnnlConv's {@code ChainStart}), and the layout it starts in is
 * the layout every later convolution of the chain reads and writes: a start that is faster alone can make the chain
 * slower (the bench's dilated stack, two threads: a channels-last start picked on the first convolution's time ran
 * all three dilated convolutions on oneDNN's channels-last kernels). So the time credited is the whole chain's.
 *
 * <p>The trial rides on the activations the chain hands on; a chain that starts inside another (a plain activation
 * handed on to a convolution that starts a chain of its own) ends the outer one with it. Ended at most once: an
 * activation read twice counts its first reading.
 */
final class ChainTrial {
    private final long began;
    private final LongConsumer timed;
    private final ChainTrial outer;
    private boolean over;

    /** {@code timed} receives the nanoseconds from {@code began} to the end; {@code outer} ends with this one. */
    ChainTrial(long began, LongConsumer timed, ChainTrial outer) {
        this.began = began;
        this.timed = timed;
        this.outer = outer;
    }

    /** The chain's result has left it: its time is credited, once. */
    void end() {
        if (!over) {
            over = true;
            timed.accept(System.nanoTime() - began);
        }
        if (outer != null) {
            outer.end();
        }
    }

    /** The chain's result was never read (the forward failed, or dropped it): nothing is credited. */
    void abandon() {
        over = true;
    }

    boolean isOver() {
        return over;
    }
}
