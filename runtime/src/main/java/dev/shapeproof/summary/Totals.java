package dev.shapeproof.summary;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * A model's totals for a chosen batch size, as torchinfo's {@code summary(model, input_size=(batch, …))} gives them.
 * Parameters and buffers do not scale with the batch; MACs, bias additions, the input and the activations do. Sizes
 * are exact byte counts at 4 bytes per number; {@link #toString()} shows them in MB (MiB, torchsummary's unit).
 *
 * @param batchSize the batch the figures are for, at least 1
 * @param params parameters, each shared module counted once
 * @param trainableParams of which trainable
 * @param buffers buffer elements (BatchNorm's running statistics), not parameters
 * @param macs multiply-accumulates for the whole batch, bias additions excluded
 * @param biasAdds bias additions for the whole batch
 * @param inputBytes the model inputs, summed (torchsummary multiplies the shapes of several inputs; we add them)
 * @param forwardBackwardBytes torchsummary's "Forward/backward pass size": 2 × every row's output (for the gradients)
 * @param paramBytes the parameters
 * @param bufferBytes the buffers (4 bytes each too, although PyTorch stores {@code num_batches_tracked} in 8)
 * @param inferencePeakActivationBytes the processor's liveness-based peak of the activations alive at once in the
 *     generated forward, input included, for the whole batch; empty when the summary was built without one
 */
public record Totals(int batchSize, long params, long trainableParams, long buffers, long macs, long biasAdds,
        long inputBytes, long forwardBackwardBytes, long paramBytes, long bufferBytes,
        OptionalLong inferencePeakActivationBytes) {

    public Totals {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be ≥ 1, was " + batchSize);
        }
    }

    /** Parameters that are not trainable (frozen); buffers are not parameters and are not included. */
    public long nonTrainableParams() {
        return params - trainableParams;
    }

    /** torchsummary's "Estimated Total Size": input + forward/backward + parameters (no buffers). */
    public long naiveTotalBytes() {
        return Math.addExact(Math.addExact(inputBytes, forwardBackwardBytes), paramBytes);
    }

    /**
     * What the generated forward needs for inference: the peak of live activations + parameters + buffers; empty
     * without the processor's peak.
     */
    public OptionalLong inferenceBytes() {
        if (inferencePeakActivationBytes.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.addExact(
                Math.addExact(inferencePeakActivationBytes.getAsLong(), paramBytes), bufferBytes));
    }

    /** A torchinfo-like block of the totals, sizes in MB (MiB). */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        line(text, "Batch size: " + batchSize);
        line(text, "Total params: " + Numbers.count(params));
        line(text, "Trainable params: " + Numbers.count(trainableParams));
        line(text, "Non-trainable params: " + Numbers.count(nonTrainableParams()));
        line(text, "Buffers: " + Numbers.count(buffers));
        line(text, "Total MACs: " + Numbers.count(macs) + " (+ " + Numbers.count(biasAdds) + " bias adds)");
        line(text, "Input size (MB): " + Numbers.megabytes(inputBytes));
        line(text, "Forward/backward pass size (MB): " + Numbers.megabytes(forwardBackwardBytes));
        line(text, "Params size (MB): " + Numbers.megabytes(paramBytes));
        line(text, "Estimated Total Size (MB): " + Numbers.megabytes(naiveTotalBytes()));
        line(text, "Inference estimate (MB): " + (inferenceBytes().isPresent()
                ? Numbers.megabytes(inferenceBytes().getAsLong()) + String.format(Locale.ROOT,
                        " (peak activations %s + params %s + buffers %s)",
                        Numbers.megabytes(inferencePeakActivationBytes.getAsLong()), Numbers.megabytes(paramBytes),
                        Numbers.megabytes(bufferBytes))
                : "not computed"));
        return text.toString();
    }

    private static void line(StringBuilder text, String line) {
        text.append(line).append('\n');
    }
}
