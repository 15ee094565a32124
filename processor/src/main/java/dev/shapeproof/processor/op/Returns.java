package dev.shapeproof.processor.op;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a call of an op returns in Python: one tensor, or a tuple of {@code tensors} tensors followed by
 * {@code others} items that are not computed tensors.
 *
 * @param tuple whether the call returns a tuple
 * @param tensors how many tensors it computes, one node each
 * @param others the items after them: {@code null} for {@code None} (MultiheadAttention's weights with
 *     {@code need_weights=False}), or the reason a value is not computed, which becomes an error where the forward
 *     reads it (the weights with {@code need_weights=True})
 */
public record Returns(boolean tuple, int tensors, List<String> others) {
    public static final Returns ONE = new Returns(false, 1, List.of());

    public Returns {
        others = Collections.unmodifiableList(new ArrayList<>(others));
    }

    /** A tuple of {@code tensors} computed tensors. */
    public static Returns tuple(int tensors) {
        return new Returns(true, tensors, List.of());
    }

    /** A tuple of {@code tensors} computed tensors, then {@code others} (see the record's documentation). */
    public static Returns tuple(int tensors, String... others) {
        List<String> list = new ArrayList<>();
        Collections.addAll(list, others);
        return new Returns(true, tensors, list);
    }
}
