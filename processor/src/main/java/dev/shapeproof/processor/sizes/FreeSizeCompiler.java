package dev.shapeproof.processor.sizes;

import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.ShapeChecker;
import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.diag.Reporter;
import dev.shapeproof.processor.lower.Lowering;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.graph.Value;
import dev.shapeproof.processor.read.BlockReader;
import dev.shapeproof.processor.read.DeferredTypeException;
import dev.shapeproof.processor.read.ModelDeclaration;
import dev.shapeproof.sizes.AdmissibleSizes;
import dev.shapeproof.sizes.JointSizes;
import dev.shapeproof.sizes.SizeSet;
import dev.shapeproof.sizes.SizeValues;
import dev.shapeproof.sizes.SymbolicShape;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import dev.shapeproof.summary.ModelSummary;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Compiles a model with free sizes: finds a size it admits, lowers it there with the ordinary checker (so that every
 * size-independent mistake and warning is reported as for any model), derives the admissible sizes exactly
 * ({@link SizeAnalysis}, {@link SizeEvaluation}), reports what is wrong with them, and hands the emitter a
 * {@link FreeSizeModel}. Every error is one diagnostic on the attribute to edit.
 */
public final class FreeSizeCompiler {
    /** How far each free size is swept to explain a model that admits no size. */
    private static final int EXPLAIN_UP_TO = 64;

    private final Elements elements;
    private final Types types;
    private final Reporter reporter;
    private final BlockReader blocks;
    private final String model;
    private final Function<CheckedModel, ModelSummary> summarize;

    /** @param summarize the check stage's summary of a checked model, which the free-size summary generalises */
    public FreeSizeCompiler(Elements elements, Types types, Reporter reporter, BlockReader blocks, String model,
            Function<CheckedModel, ModelSummary> summarize) {
        this.elements = elements;
        this.types = types;
        this.reporter = reporter;
        this.blocks = blocks;
        this.model = model;
        this.summarize = summarize;
    }

    /**
     * The model with its admissible sizes and everything the generated code needs, or empty after reporting.
     *
     * @throws DeferredTypeException when a block's field type is not resolved yet
     */
    public Optional<FreeSizeModel> compile(ModelDeclaration declaration) throws DeferredTypeException {
        ReferenceSearch search = new ReferenceSearch(elements, types, blocks);
        Optional<SizeValues> reference = search.find(declaration, declaration.freeSizes().bounds());
        if (reference.isEmpty()) {
            explainEmpty(declaration, search);
            return Optional.empty();
        }
        // Once more at the reference size with the real reporter: warnings and lints are printed as for any model.
        Optional<CheckedModel> checked = Lowering.lower(declaration.at(reference.get()), elements, types, reporter,
                blocks);
        if (checked.isEmpty()) {
            return Optional.empty();
        }
        if (!checkShapeReads(checked.get(), declaration.freeSizes())) {
            return Optional.empty();
        }
        Derivation derivation = derive(declaration, checked.get(), reference.get());
        if (derivation == null) {
            return Optional.empty();
        }
        Optional<FreeSizeModel> free = FreeSizeModel.build(declaration, checked.get(), derivation.shapes,
                derivation.admissible, reference.get(), search, derivation.replay, reporter, model, summarize);
        if (free.isPresent()) {
            warnAboutLimits(derivation, declaration.freeSizes());
            warnIfFew(derivation.admissible, declaration.freeSizes());
        }
        return free;
    }

    /** The admissible sizes and how they were found. */
    private record Derivation(SymbolicShapes shapes, Replay replay, AdmissibleSizes admissible,
            SizeEvaluation evaluation) {}

    private Derivation derive(ModelDeclaration declaration, CheckedModel checked, SizeValues reference) {
        FreeSizeDeclaration free = declaration.freeSizes();
        SymbolicShapes shapes = SymbolicShapes.of(checked, free);
        SizeAnalysis.Plan plan = SizeAnalysis.plan(free, shapes, reference);
        Replay replay = new Replay(checked, declaration);
        SizeEvaluation evaluation = new SizeEvaluation(replay, shapes, free, reference);
        AdmissibleSizes admissible = evaluation.run(plan);
        SizeEvaluation.Mismatch mismatch = evaluation.mismatch();
        if (mismatch != null) {
            var producer = mismatch.value().producer();
            Location location = producer != null ? producer.location() : free.inputs().get(0).location();
            String found = "at " + mismatch.sizes() + " its output is " + mismatch.actual();
            if (producer != null && shapes.rule(producer) != null && shapes.rule(producer).general()) {
                // An op without a size rule of its own: its output does not just keep or fix its input's sizes.
                reporter.report(location, Message.FREE_SIZE_UNSUPPORTED, model, producer.toString(),
                        "this op does not support yet: ShapeProof has no size rule for it",
                        found + ", not the sizes it keeps or fixes at the reference size ("
                                + shapes.of(mismatch.value()) + ")",
                        "an op with a size rule (docs/sizes.md lists them) or one that keeps its input's sizes",
                        "declare fixed sizes for this model, e.g. input = {...} instead of dims");
                return null;
            }
            reporter.report(location, Message.FREE_SIZE_UNSUPPORTED, model,
                    producer != null ? producer.toString() : "an input", "ShapeProof's size rule for it does not "
                            + "describe", found + ", but the rule gives " + shapes.of(mismatch.value()),
                    "an op whose output sizes follow a known rule", "declare fixed sizes for this model");
            return null;
        }
        return new Derivation(shapes, replay, admissible, evaluation);
    }

    /** A forward that reads a free size could build another graph at another size: refused, at the read. */
    private boolean checkShapeReads(CheckedModel checked, FreeSizeDeclaration free) {
        SymbolicShapes shapes = SymbolicShapes.of(checked, free);
        for (ShapeChecker.ShapeRead read : checked.shapeReads()) {
            SymbolicShape shape = shapes.of(read.value());
            if (shape == null) {
                continue;
            }
            for (int axis = 1; axis < shape.rank(); axis++) {
                if ((read.axis() < 0 || read.axis() == axis) && !shape.dim(axis).isConstant()) {
                    String what = read.axis() < 0 ? "the shape of " + read.value().name()
                            : "size " + axis + " of " + read.value().name();
                    reporter.report(read.location(), Message.FREE_SIZE_READ, model, what,
                            read.value().name() + " is " + shape + ", whose size " + axis + " is "
                                    + shape.dim(axis), String.join(", ", shape.dim(axis).symbols()),
                            "give interpolate a scale_factor rather than a size read from a tensor, read only "
                                    + "the batch (x.size(0)) or fixed sizes, or declare fixed input sizes");
                    return false;
                }
            }
        }
        return true;
    }

    // --- a model that admits nothing -------------------------------------------------------------------------------

    /**
     * No size tried passes. The same error at every size is a mistake that has nothing to do with sizes: it is
     * reported as for a fixed-size model. Declared bounds that exclude what the model admits are said so. Otherwise
     * the ops that fail are named, each with the sizes where it is the first to fail.
     */
    private void explainEmpty(ModelDeclaration declaration, ReferenceSearch search) throws DeferredTypeException {
        FreeSizeDeclaration free = declaration.freeSizes();
        boolean bounded = free.bounds().stream().anyMatch(b -> b.lo() > 1 || b.declaredHi());
        if (bounded) {
            List<FreeSizeDeclaration.Bound> open = new ArrayList<>();
            for (FreeSizeDeclaration.Bound bound : free.bounds()) {
                open.add(new FreeSizeDeclaration.Bound(bound.symbol(), 1, AdmissibleSizes.DEFAULT_MAX, false, ""));
            }
            ReferenceSearch unbounded = new ReferenceSearch(elements, types, blocks);
            Optional<SizeValues> outside = unbounded.find(declaration, open);
            if (outside.isPresent()) {
                FreeSizeDeclaration relaxed = new FreeSizeDeclaration(free.symbols(), open, free.inputs(),
                        free.sizes());
                ModelDeclaration wider = new ModelDeclaration(declaration.modelClass(), declaration.inputs(), relaxed);
                Optional<CheckedModel> checked = unbounded.lower(wider, outside.get());
                Derivation derivation = checked.isEmpty() ? null : deriveQuietly(wider, checked.get(),
                        outside.get());
                String admissible = derivation == null ? "at " + outside.get() : derivation.admissible.toString();
                SizeValues smallest = derivation == null ? outside.get() : derivation.admissible.smallest();
                reporter.report(free.sizes(), Message.BOUNDS_EXCLUDE_ALL, model, "\"" + written(free) + "\"",
                        admissible, "widen the bounds to include an admissible size; the smallest is " + smallest);
                return;
            }
        }
        // One error, word for word in its first line, at every size tried: a mistake that sizes do not cause.
        if (search.reasons().size() == 1) {
            Lowering.lower(declaration.at(search.failures().keySet().iterator().next()), elements, types, reporter,
                    blocks);
            return;
        }
        reportConflict(declaration, search);
    }

    private Derivation deriveQuietly(ModelDeclaration declaration, CheckedModel checked, SizeValues reference) {
        Reporter quiet = new Reporter(new RecordingMessager());
        FreeSizeCompiler silent = new FreeSizeCompiler(elements, types, quiet, blocks, model, summarize);
        return silent.derive(declaration, checked, reference);
    }

    private static String written(FreeSizeDeclaration free) {
        List<String> parts = new ArrayList<>();
        for (FreeSizeDeclaration.Bound bound : free.bounds()) {
            if (!bound.written().isEmpty()) {
                parts.add(bound.written());
            }
        }
        return String.join(", ", parts);
    }

    /**
     * Sweeps every free size together from 1 to {@link #EXPLAIN_UP_TO} (and with each other's likely values) and
     * names the ops that fail, each with where it is the first to: the conflict, in the ops' own words.
     */
    private void reportConflict(ModelDeclaration declaration, ReferenceSearch search) throws DeferredTypeException {
        FreeSizeDeclaration free = declaration.freeSizes();
        String first = free.symbols().get(0);
        FreeSizeDeclaration.Bound bound = free.bound(first);
        int to = (int) Math.min(bound.hi(), (long) bound.lo() + EXPLAIN_UP_TO - 1);
        Map<String, BitSet> sizesByFailure = new LinkedHashMap<>();
        Map<String, List<Failure>> examples = new LinkedHashMap<>();
        for (int h = bound.lo(); h <= to; h++) {
            int[] values = new int[free.symbols().size()];
            for (int i = 0; i < values.length; i++) {
                FreeSizeDeclaration.Bound other = free.bounds().get(i);
                values[i] = (int) Math.max(other.lo(), Math.min(other.hi(), h));
            }
            Failure failure = failureAt(declaration, search, free.values(values));
            sizesByFailure.computeIfAbsent(failure.subject(), k -> new BitSet()).set(h);
            List<Failure> shown = examples.computeIfAbsent(failure.subject(), k -> new ArrayList<>());
            // Two examples of different parity say more than two alike.
            if (shown.isEmpty() || shown.size() == 1 && (shown.get(0).sizes().get(0) - h) % 2 != 0) {
                shown.add(failure);
            }
        }
        List<String> found = new ArrayList<>();
        List<Map.Entry<String, BitSet>> groups = new ArrayList<>(sizesByFailure.entrySet());
        // The op that fails at the most sizes first: small sizes fail for reasons of their own.
        groups.sort((a, b) -> b.getValue().cardinality() - a.getValue().cardinality());
        for (Map.Entry<String, BitSet> entry : groups) {
            List<String> cases = new ArrayList<>();
            for (Failure example : examples.get(entry.getKey())) {
                cases.add("at " + example.sizes() + ": " + example.text()
                        + (example.found() == null ? "" : ", " + example.found()));
            }
            found.add(entry.getKey() + operands(declaration, examples.get(entry.getKey()).get(0).sizes())
                    + " fails for " + describe(first, entry.getValue(), bound.lo(), to) + " ("
                    + String.join("; ", cases) + ")");
        }
        Failure blamed = examples.get(groups.get(0).getKey()).get(0);
        Location location = blamed.location() != null ? blamed.location() : free.inputs().get(0).location();
        String checked = search.replay().isPresent()
                ? "every size up to " + ReferenceSearch.GRID + " for each free size, jointly, and likely sizes up to "
                        + "1,025"
                : String.format(Locale.ROOT, "%d ≤ %s ≤ %d on the diagonal and %d likely sizes", bound.lo(), first, to,
                        search.failures().size());
        reporter.report(location, Message.NO_ADMISSIBLE_SIZE, model, String.join(";\n              ", found),
                "one size that passes every op (checked: " + checked + ")",
                "make the ops agree on some size: a stride, a padding or a kernel of one of them");
    }

    /** Why the model fails at {@code sizes}: the op, its error's first and {@code found} lines, and where. */
    private record Failure(SizeValues sizes, String subject, String text, String found, Location location) {}

    /** The failure at {@code sizes}, from the search's replay when it made one, else from a lowering. */
    private Failure failureAt(ModelDeclaration declaration, ReferenceSearch search, SizeValues sizes)
            throws DeferredTypeException {
        Optional<Replay> replay = search.replay();
        if (replay.isPresent()) {
            Replay.Verdict verdict = replay.get().run(sizes, false);
            if (!verdict.passed() && verdict.text() != null) {
                return new Failure(sizes, subject(verdict.text()), verdict.text(), verdict.found(),
                        verdict.location());
            }
        }
        search.lower(declaration, sizes);
        RecordingMessager.Printed printed = search.failures().get(sizes);
        if (printed == null) {
            return new Failure(sizes, "?", "?", null, null);
        }
        String found = null;
        for (String line : printed.text().split("\n")) {
            if (line.trim().startsWith("found")) {
                found = line.trim().replaceFirst("^found\\s*:\\s*", "");
            }
        }
        return new Failure(sizes, subject(printed.text()), firstLine(printed.text()), found,
                printed.element() == null ? null
                        : new Location(printed.element(), printed.mirror(), printed.value()));
    }

    /**
     * What the op that fails at {@code sizes} gets, in symbols ({@code " gets [-1, 8, ⌊H/2⌋, ⌊W/2⌋] from avg_pool2d
     * and [-1, 8, ⌈H/2⌉, ⌈W/2⌉] from c1,"}): the model checked up to that op says how each operand's size follows
     * the free sizes, which is where the ops disagree. Empty when the forward did not get that far.
     */
    private String operands(ModelDeclaration declaration, SizeValues sizes) throws DeferredTypeException {
        Optional<CheckedModel> partial = Lowering.lowerPastWrongShapes(declaration.at(sizes), elements, types,
                new Reporter(new RecordingMessager()), blocks);
        if (partial.isEmpty()) {
            return "";
        }
        SymbolicShapes shapes = SymbolicShapes.of(partial.get(), declaration.freeSizes());
        Node failed = shapes.failed();
        if (failed == null) {
            return "";
        }
        List<String> operands = new ArrayList<>();
        for (Value input : failed.inputs()) {
            SymbolicShape shape = shapes.of(input);
            if (shape == null) {
                return "";
            }
            operands.add(shape + " from " + (input.producer() == null ? "the input " + input.name()
                    : input.producer().toString()));
        }
        return operands.isEmpty() ? "" : " gets " + String.join(" and ", operands) + ", and";
    }

    /** The op a diagnostic is about: its message's subject, before the first colon. */
    private static String subject(String text) {
        String line = firstLine(text);
        int colon = line.indexOf(':');
        return colon < 0 ? line : line.substring(0, colon);
    }

    private static String firstLine(String text) {
        return ReferenceSearch.firstLine(text);
    }

    /** {@code every odd H from 1 to 64}, or the sizes listed. */
    private static String describe(String name, BitSet sizes, int lo, int to) {
        int span = to - lo + 1;
        for (int period = 1; period <= 8 && period * 2 <= span; period++) {
            if (repeats(sizes, lo, to, period)) {
                SizeSet set = SizeSet.eventuallyPeriodic(name, lo, to, true, lo, period, sizes::get);
                return set + " (of " + lo + " ≤ " + name + " ≤ " + to + ")";
            }
        }
        SizeSet set = SizeSet.finite(name, lo, to, true, sizes.get(lo, to + 1));
        return set.toString();
    }

    private static boolean repeats(BitSet sizes, int lo, int to, int period) {
        for (int h = lo + period; h <= to; h++) {
            if (sizes.get(h) != sizes.get(h - period)) {
                return false;
            }
        }
        return true;
    }

    // --- warnings --------------------------------------------------------------------------------------------------

    /** Every limit that applied, in one warning: javac would show one per place and id anyway. */
    private void warnAboutLimits(Derivation derivation, FreeSizeDeclaration free) {
        List<SizeEvaluation.Limit> limits = derivation.evaluation.limits();
        if (limits.isEmpty()) {
            return;
        }
        List<String> what = new ArrayList<>();
        List<String> why = new ArrayList<>();
        List<String> hints = new ArrayList<>();
        for (SizeEvaluation.Limit limit : limits) {
            what.add(limit.what());
            if (!why.contains(limit.why())) {
                why.add(limit.why());
            }
            hints.add(limit.hint());
        }
        reporter.report(free.sizes(), Message.FREE_SIZE_LIMIT, model, String.join("; ", what),
                String.join("; ", why), "sizes whose verdicts repeat with a period, which decides every size",
                String.join("; ", hints));
    }

    /** Fewer than a quarter of the sizes within declared bounds admitted: a warning that prints the set. */
    private void warnIfFew(AdmissibleSizes admissible, FreeSizeDeclaration free) {
        boolean declared = free.bounds().stream().anyMatch(b -> !b.written().isEmpty());
        if (!declared) {
            return;
        }
        double fraction = 1;
        for (SizeSet set : admissible.singles()) {
            fraction *= (double) set.count() / ((long) set.hi() - set.lo() + 1);
        }
        for (JointSizes joint : admissible.joints()) {
            double grid = 1;
            for (String name : joint.names()) {
                FreeSizeDeclaration.Bound bound = free.bound(name);
                grid *= (double) bound.hi() - bound.lo() + 1;
            }
            fraction *= joint.points().size() / grid;
        }
        if (fraction < 0.25) {
            reporter.report(free.sizes(), Message.FEW_ADMISSIBLE_SIZES, model, percent(fraction),
                    admissible.toString(), "bound the sizes to the admissible ones, or suppress with "
                            + "@SuppressWarnings(\"" + Reporter.suppressionKey(Message.FEW_ADMISSIBLE_SIZES)
                            + "\") if rejecting the others at run time is meant");
        }
    }

    private static String percent(double fraction) {
        if (fraction >= 0.1) {
            return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
        }
        return fraction >= 0.01 ? String.format(Locale.ROOT, "%.1f%%", fraction * 100)
                : String.format(Locale.ROOT, "%.2g%%", fraction * 100);
    }
}
