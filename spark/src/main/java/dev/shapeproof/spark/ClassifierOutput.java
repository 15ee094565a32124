package dev.shapeproof.spark;

import java.util.Locale;

/**
 * What a classifier's output holds per class, which says how to turn it into probabilities: the seed network returns
 * {@code log_softmax}, so its outputs are log-probabilities.
 */
public enum ClassifierOutput {
    /** Not a classifier: no prediction or probability columns. */
    NONE,
    /** Unnormalised scores: probabilities are their softmax. */
    LOGITS,
    /** {@code log_softmax}'s output: probabilities are their exponentials. */
    LOG_PROBABILITIES,
    /** {@code softmax}'s output, used as is. */
    PROBABILITIES;

    /** The param's value: {@code none}, {@code logits}, {@code log_probabilities}, {@code probabilities}. */
    public String paramValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ClassifierOutput of(String paramValue) {
        return valueOf(paramValue.toUpperCase(Locale.ROOT));
    }

    static String[] paramValues() {
        ClassifierOutput[] all = values();
        String[] names = new String[all.length];
        for (int i = 0; i < all.length; i++) {
            names[i] = all[i].paramValue();
        }
        return names;
    }

    /**
     * The probabilities of one sample's {@code k} outputs starting at {@code offset}, in double precision; a softmax
     * subtracts the maximum first, as PyTorch's does, so large logits do not overflow.
     */
    double[] probabilities(float[] outputs, int offset, int k) {
        double[] p = new double[k];
        switch (this) {
            case LOGITS -> {
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < k; i++) {
                    max = Math.max(max, outputs[offset + i]);
                }
                double sum = 0;
                for (int i = 0; i < k; i++) {
                    p[i] = Math.exp(outputs[offset + i] - max);
                    sum += p[i];
                }
                for (int i = 0; i < k; i++) {
                    p[i] /= sum;
                }
            }
            case LOG_PROBABILITIES -> {
                for (int i = 0; i < k; i++) {
                    p[i] = Math.exp(outputs[offset + i]);
                }
            }
            case PROBABILITIES -> {
                for (int i = 0; i < k; i++) {
                    p[i] = outputs[offset + i];
                }
            }
            case NONE -> throw new IllegalStateException("not a classifier");
        }
        return p;
    }

    /** The index of the largest of one sample's {@code k} outputs (the first, on ties), as Spark ML's double. */
    static double argmax(float[] outputs, int offset, int k) {
        int best = 0;
        for (int i = 1; i < k; i++) {
            if (outputs[offset + i] > outputs[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
