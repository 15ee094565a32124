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
    /** Every size up to this on the diagonal is tried last, for sets that are small and finite. */
    private static final int SWEEP = 256;
    /** The grid of small sizes a replay scans: every tuple up to this. */
    static final int GRID = 64;
    /** The most sizes a replay scans, and the most of them the checker is asked to confirm. */
    private static final int MAX_REPLAYS = 20_000;
    private static final int MAX_CONFIRMATIONS = 16;
    /** Likely sizes lowered one by one before a replay scans the rest. */
    private static final int FIRST_TRIES = 4;

    private final Elements elements;
    private final Types types;
    private final BlockReader blocks;
    /** The first error at each size tried, to explain a model that admits no size. */
    private final Map<SizeValues, RecordingMessager.Printed> failures = new LinkedHashMap<>();
    /** The replay of the model checked past its wrong shape, once the search made one; else {@code null}. */
    private Replay replay;
    /** The first line of every error seen, lowered or replayed. */
    private final Set<String> reasons = new LinkedHashSet<>();

    ReferenceSearch(Elements elements, Types types, BlockReader blocks) {
        this.elements = elements;
        this.types = types;
        this.blocks = blocks;
    }

    /**
     * The different first lines of every error seen at every size tried or replayed: one alone means one mistake
     * that sizes do not cause.
     */
    Set<String> reasons() {
        return reasons;
    }

    /**
     * The replay of the model checked past its wrong shape at the first likely size, when the search needed one and
     * the forward ran to its end.
     */
    Optional<Replay> replay() {
        return Optional.ofNullable(replay);
    }

    /** A diagnostic's first line without its tag. */
    static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        int tag = line.indexOf("] ");
        return tag >= 0 && line.startsWith(dev.shapeproof.processor.diag.Message.TAG_PREFIX)
                ? line.substring(tag + 2) : line;
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
            RecordingMessager.Printed error = messages.firstError();
            failures.putIfAbsent(sizes, error);
            reasons.add(error == null ? "" : firstLine(error.text()));
        }
        return checked;
    }

    /**
     * Admissible sizes within {@code bounds} (one per free size, in order), or empty when none of those tried passes.
     * The likely sizes for every free size at once come first, each a whole lowering. Then the graph checked past
     * its wrong shape at the first of them is replayed, cheaply, at the other likely sizes, at pairs of them, at
     * every tuple up to {@link #GRID} and every size up to {@link #SWEEP} on the diagonal; what it admits the checker
     * confirms. (A graph checked past a wrong shape may lack ops, so its replay admits too much, never too little.)
     * Where the forward stopped and there is no such graph, the rest is lowered one size at a time, up to
     * {@link #GRID} on the diagonal.
     */
    Optional<SizeValues> find(ModelDeclaration declaration, List<FreeSizeDeclaration.Bound> bounds)
            throws DeferredTypeException {
        List<String> names = declaration.freeSizes().symbols();
        List<SizeValues> candidates = new ArrayList<>();
        for (int candidate : LIKELY) {
            candidates.add(uniform(names, candidate, bounds));
        }
        if (names.size() > 1) {
            for (int[] values : pairs(names.size(), bounds)) {
                candidates.add(SizeValues.of(names, values));
            }
        }
        Set<SizeValues> tried = new LinkedHashSet<>();
        for (SizeValues sizes : candidates.subList(0, FIRST_TRIES)) {
            if (tried.add(sizes) && lower(declaration, sizes).isPresent()) {
                return Optional.of(apart(declaration, sizes, bounds));
            }
        }
        Optional<CheckedModel> partial = Lowering.lowerPastWrongShapes(declaration.at(candidates.get(0)), elements,
                types, new Reporter(new RecordingMessager()), blocks);
        if (partial.isPresent()) {
            Replay replay = new Replay(partial.get(), declaration);
            this.replay = replay;
            List<SizeValues> rest = new ArrayList<>(candidates);
            for (int h = 1; h <= SWEEP; h++) {
                rest.add(uniform(names, h, bounds));
            }
            rest.addAll(grid(names, bounds));
            int confirmations = 0;
            for (SizeValues sizes : rest) {
                if (tried.contains(sizes)) {
                    continue;
                }
                Replay.Verdict verdict = replay.run(sizes, false);
                if (!verdict.passed()) {
                    if (reasons.size() < 2) {
                        // Two reasons already say the failures are not one mistake: formatting more tells nothing.
                        reasons.add(verdict.text() == null ? "" : verdict.text());
                    }
                } else if (tried.add(sizes) && confirmations++ < MAX_CONFIRMATIONS
                        && lower(declaration, sizes).isPresent()) {
                    return Optional.of(apart(declaration, sizes, bounds));
                }
            }
            return Optional.empty();
        }
        for (int h = 1; h <= GRID; h++) {
            candidates.add(uniform(names, h, bounds));
        }
        for (SizeValues sizes : candidates) {
            if (tried.add(sizes) && lower(declaration, sizes).isPresent()) {
                return Optional.of(apart(declaration, sizes, bounds));
            }
        }
        return Optional.empty();
    }

    /** Every free size at {@code value}, clamped into its bounds. */
    private static SizeValues uniform(List<String> names, int value, List<FreeSizeDeclaration.Bound> bounds) {
        int[] values = new int[names.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = clamp(value, bounds.get(i));
        }
        return SizeValues.of(names, values);
    }

    /** Every tuple of sizes from 1 to {@link #GRID}, clamped into the bounds, at most {@link #MAX_REPLAYS}. */
    private static List<SizeValues> grid(List<String> names, List<FreeSizeDeclaration.Bound> bounds) {
        List<SizeValues> grid = new ArrayList<>();
        int[] values = new int[names.size()];
        java.util.Arrays.fill(values, 1);
        while (grid.size() < MAX_REPLAYS) {
            int[] clamped = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                clamped[i] = clamp(values[i], bounds.get(i));
            }
            grid.add(SizeValues.of(names, clamped));
            int axis = values.length - 1;
            while (axis >= 0 && values[axis] == GRID) {
                values[axis] = 1;
                axis--;
            }
            if (axis < 0) {
                break;
            }
            values[axis]++;
        }
        return grid;
    }

    /** {@code sizes}, or a variant of it that tells free sizes apart where it passes too ({@link #distinct}). */
    private SizeValues apart(ModelDeclaration declaration, SizeValues sizes, List<FreeSizeDeclaration.Bound> bounds)
            throws DeferredTypeException {
        SizeValues apart = distinct(sizes, bounds);
        if (!apart.equals(sizes) && lower(declaration, apart).isPresent()) {
            return apart;
        }
        return sizes;
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
