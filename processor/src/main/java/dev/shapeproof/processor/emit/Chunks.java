package dev.shapeproof.processor.emit;

import java.util.ArrayList;
import java.util.List;

/** Splits generated statements into helper methods, so no method nears javac's 64 KB bytecode limit. */
final class Chunks {
    /** Statements per helper method: each is at most a few dozen bytes, so a helper stays far below 64 KB. */
    static final int PER_METHOD = 100;

    private Chunks() {}

    /** {@code items} in consecutive slices of at most {@link #PER_METHOD}. */
    static <T> List<List<T>> of(List<T> items) {
        List<List<T>> chunks = new ArrayList<>();
        for (int start = 0; start < items.size(); start += PER_METHOD) {
            chunks.add(items.subList(start, Math.min(items.size(), start + PER_METHOD)));
        }
        return chunks;
    }
}
