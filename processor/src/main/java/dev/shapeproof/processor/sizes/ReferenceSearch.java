package dev.shapeproof.processor.sizes;

import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.diag.Reporter;
import dev.shapeproof.processor.lower.Lowering;
import dev.shapeproof.processor.read.BlockReader;
import dev.shapeproof.processor.read.DeferredTypeException;
import dev.shapeproof.processor.read.ModelDeclaration;
import dev.shapeproof.sizes.SizeValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Finds a size the model admits by lowering it, silently, at likely ones: the sizes images come in (224, 256, 512…)
 * and their neighbours, which cover the remainders modulo powers of two that strided networks ask for; then pairs,
 * for free sizes with different constraints. Each try is the whole compile-time checker at that size, and its first
 * error is kept, to explain a model that admits nothing.
 */
final class ReferenceSearch {
    /** Tried in this order, each clamped into the bounds. */
    private static final int[] LIKELY = {256, 257, 255, 224, 225, 320, 512, 513, 511, 64, 65, 63, 96, 128, 129, 127,
        32, 33, 31, 48, 16, 17, 15, 1024, 1025, 1023, 28, 29, 27, 8, 9, 7, 1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 18,
        19, 20, 21, 22, 23, 24, 25, 26, 30, 34, 35, 36, 40, 44, 50, 56, 60, 72, 80, 100, 112, 160, 192, 200};
    /** Pairs tried when no likely size passes for all free sizes at once: the first values, each against each. */
    private static final int PAIRS = 12;
    /** Every size up to this is tried last, for sets that are small and finite. */
    private static final int SWEEP = 64;

    private final Elements elements;
    private final Types types;
    private final BlockReader blocks;
    /** The first error at each size tried, to explain a model that admits no size. */
    private final Map<SizeValues, RecordingMessager.Printed> failures = new LinkedHashMap<>();

    ReferenceSearch(Elements elements, Types types, BlockReader blocks) {
        this.elements = elements;
        this.types = types;
        this.blocks = blocks;
    }

    /** The first errors of the sizes tried, in order. */
    Map<SizeValues, RecordingMessager.Printed> failures() {
        return failures;
    }

    /** The model lowered silently at {@code sizes}, or empty when it fails there. */
    Optional<CheckedModel> lower(ModelDeclaration declaration, SizeValues sizes) throws DeferredTypeException {
        RecordingMessager messages = new RecordingMessager();
        Optional<CheckedModel> checked = Lowering.lower(declaration.at(sizes), elements, types,
                new Reporter(messages), blocks);
        if (checked.isEmpty()) {
            failures.putIfAbsent(sizes, messages.firstError());
        }
        return checked;
    }

    /**
     * Admissible sizes within {@code bounds} (one per free size, in order), or empty when none of those tried passes:
     * the likely sizes for every free size at once, then pairs of them, then every size from 1 to
     * {@link #SWEEP}. Where free sizes got one value, a variant that tells them apart is preferred
     * ({@link #distinct}).
     */
    Optional<SizeValues> find(ModelDeclaration declaration, List<FreeSizeDeclaration.Bound> bounds)
            throws DeferredTypeException {
        List<String> names = declaration.freeSizes().symbols();
        Set<SizeValues> tried = new LinkedHashSet<>();
        List<int[]> candidates = new ArrayList<>();
        for (int candidate : LIKELY) {
            int[] values = new int[names.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = clamp(candidate, bounds.get(i));
            }
            candidates.add(values);
        }
        if (names.size() > 1) {
            candidates.addAll(pairs(names.size(), bounds));
        }
        for (int h = 1; h <= SWEEP; h++) {
            int[] values = new int[names.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = clamp(h, bounds.get(i));
            }
            candidates.add(values);
        }
        for (int[] values : candidates) {
            SizeValues sizes = SizeValues.of(names, values);
            if (tried.add(sizes) && lower(declaration, sizes).isPresent()) {
                SizeValues apart = distinct(sizes, bounds);
                if (!apart.equals(sizes) && lower(declaration, apart).isPresent()) {
                    return Optional.of(apart);
                }
                return Optional.of(sizes);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code sizes} with the i-th free size moved up by {@code 256·i} where the bounds allow: different values with the
     * same remainders modulo 256, so that the general size rule tells H's sizes from W's, and the remainders strided
     * networks care about stay those that passed.
     */
    private static SizeValues distinct(SizeValues sizes, List<FreeSizeDeclaration.Bound> bounds) {
        SizeValues apart = sizes;
        for (int i = 1; i < bounds.size(); i++) {
            long shifted = sizes.get(i) + 256L * i;
            if (shifted <= bounds.get(i).hi()) {
                apart = apart.with(i, (int) shifted);
            }
        }
        return apart;
    }

    private static int clamp(long value, FreeSizeDeclaration.Bound bound) {
        return (int) Math.max(bound.lo(), Math.min(bound.hi(), value));
    }

    /** Every combination of the first {@link #PAIRS} likely sizes over the free sizes (for two, 144). */
    private static List<int[]> pairs(int n, List<FreeSizeDeclaration.Bound> bounds) {
        List<int[]> combinations = new ArrayList<>();
        combine(new int[n], 0, bounds, combinations);
        return combinations;
    }

    private static void combine(int[] values, int at, List<FreeSizeDeclaration.Bound> bounds, List<int[]> out) {
        if (at == values.length) {
            out.add(values.clone());
            return;
        }
        for (int i = 0; i < PAIRS && (out.size() < 2_000); i++) {
            values[at] = clamp(LIKELY[i], bounds.get(at));
            combine(values, at + 1, bounds, out);
        }
    }
}
