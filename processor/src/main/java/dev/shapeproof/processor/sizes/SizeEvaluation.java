package dev.shapeproof.processor.sizes;

import dev.shapeproof.processor.graph.Value;
import dev.shapeproof.sizes.AdmissibleSizes;
import dev.shapeproof.sizes.JointSizes;
import dev.shapeproof.sizes.SizeSet;
import dev.shapeproof.sizes.SizeValues;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link SizeAnalysis.Plan}: the {@link Replay} at every size it names, each verdict kept, into the
 * {@link AdmissibleSizes}. At every size that passes it also checks the symbolic shapes against the shapes the ops'
 * own rules gave: a size rule that does not describe its op stops the derivation rather than extend a wrong period.
 */
final class SizeEvaluation {
    private final Replay replay;
    private final SymbolicShapes shapes;
    private final FreeSizeDeclaration declaration;
    private final SizeValues reference;
    private int evaluations;
    private Mismatch mismatch;
    private final List<Limit> limits = new ArrayList<>();

    /**
     * A limit that applied: {@code what} (free sizes) checked and admitted only up to a bound, because of
     * {@code why}.
     *
     * @param sizes the bound as {@code sizes} writes it ({@code H <= 4096})
     */
    record Limit(String what, String why, String sizes, String hint) {}

    /** Where a symbolic shape disagreed with the ops' rules. */
    record Mismatch(Value value, SizeValues sizes, TensorShape actual) {}

    SizeEvaluation(Replay replay, SymbolicShapes shapes, FreeSizeDeclaration declaration, SizeValues reference) {
        this.replay = replay;
        this.shapes = shapes;
        this.declaration = declaration;
        this.reference = reference;
    }

    /** How many sizes (or tuples) were checked. */
    int evaluations() {
        return evaluations;
    }

    /** The first disagreement of a size rule with its op, or {@code null}. */
    Mismatch mismatch() {
        return mismatch;
    }

    /** The plan's limits that applied ({@link SizeAnalysis.SymbolPlan#limit()}), as warnings to print. */
    List<Limit> limits() {
        return limits;
    }

    AdmissibleSizes run(SizeAnalysis.Plan plan) {
        List<SizeSet> singles = new ArrayList<>();
        for (SizeAnalysis.SymbolPlan single : plan.singles()) {
            singles.add(single(single));
        }
        List<JointSizes> joints = new ArrayList<>();
        for (SizeAnalysis.JointPlan joint : plan.joints()) {
            joints.add(joint(joint));
        }
        return AdmissibleSizes.of(declaration.symbols(), singles, joints);
    }

    private SizeSet single(SizeAnalysis.SymbolPlan plan) {
        int index = declaration.symbols().indexOf(plan.symbol());
        BitSet admitted = new BitSet();
        for (int h = plan.lo(); h <= plan.evaluateTo(); h++) {
            if (passes(reference.with(index, h))) {
                admitted.set(h - plan.lo());
            }
        }
        if (plan.limit() != null) {
            if (plan.evaluateTo() < plan.hi()) {
                limits.add(new Limit(plan.symbol() + " is checked, and admitted, only up to " + String.format(
                        java.util.Locale.ROOT, "%,d", plan.evaluateTo()), plan.limit(),
                        plan.symbol() + " <= " + plan.evaluateTo(), "declare sizes = \"" + plan.symbol() + " <= "
                                + plan.evaluateTo() + "\" to accept the limit"));
            }
            return SizeSet.finite(plan.symbol(), plan.lo(), plan.evaluateTo(), true, admitted);
        }
        return SizeSet.eventuallyPeriodic(plan.symbol(), plan.lo(), plan.hi(), plan.declaredHi(), plan.start(),
                plan.period(), h -> admitted.get(h - plan.lo()));
    }

    private JointSizes joint(SizeAnalysis.JointPlan plan) {
        int n = plan.symbols().size();
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = declaration.symbols().indexOf(plan.symbols().get(i));
        }
        List<int[]> points = new ArrayList<>();
        int[] point = plan.lo().clone();
        boolean atEdge = false;
        while (true) {
            SizeValues sizes = reference;
            for (int i = 0; i < n; i++) {
                sizes = sizes.with(indices[i], point[i]);
            }
            if (passes(sizes)) {
                points.add(point.clone());
                for (int i = 0; i < n; i++) {
                    atEdge |= point[i] == plan.to()[i] && plan.to()[i] < plan.hi()[i];
                }
            }
            int axis = n - 1;
            while (axis >= 0 && point[axis] == plan.to()[axis]) {
                point[axis] = plan.lo()[axis];
                axis--;
            }
            if (axis < 0) {
                break;
            }
            point[axis]++;
        }
        if (atEdge) {
            List<String> bounds = new ArrayList<>();
            List<String> wider = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                bounds.add(plan.symbols().get(i) + " ≤ " + plan.to()[i]);
                wider.add(plan.symbols().get(i) + " <= " + Math.min(plan.hi()[i], 2L * plan.to()[i]));
            }
            limits.add(new Limit(String.join(" and ", plan.symbols()) + " are checked together, and admitted, only up "
                    + "to " + String.join(", ", bounds), plan.reason() + ", which ties them, and admissible sizes "
                            + "reach the edge of what was checked", String.join(", ", wider),
                    "reduce to a fixed size before the flatten (adaptive_avg_pool2d), or declare sizes = \""
                            + String.join(", ", wider) + "\" to check further"));
        }
        return JointSizes.of(plan.symbols(), points);
    }

    private boolean passes(SizeValues sizes) {
        evaluations++;
        Replay.Verdict verdict = replay.run(sizes, mismatch == null);
        if (verdict.passed() && verdict.shapes() != null) {
            Value wrong = shapes.mismatch(sizes, verdict.shapes());
            if (wrong != null) {
                mismatch = new Mismatch(wrong, sizes, verdict.shapes().get(wrong));
            }
        }
        return verdict.passed();
    }

    /** The shapes of every value at {@code sizes}, which must pass. */
    Map<Value, TensorShape> shapesAt(SizeValues sizes) {
        Replay.Verdict verdict = replay.run(sizes, true);
        if (!verdict.passed()) {
            throw new IllegalStateException("the model does not pass at " + sizes + ": " + verdict.text());
        }
        return verdict.shapes();
    }
}
