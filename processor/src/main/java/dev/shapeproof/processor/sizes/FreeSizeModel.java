package dev.shapeproof.processor.sizes;

import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.CheckedNode;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.diag.Reporter;
import dev.shapeproof.processor.graph.Body;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.graph.Value;
import dev.shapeproof.processor.read.DeferredTypeException;
import dev.shapeproof.processor.read.ModelDeclaration;
import dev.shapeproof.shape.ParameterShape;
import dev.shapeproof.shape.TensorShape;
import dev.shapeproof.sizes.AdmissibleSizes;
import dev.shapeproof.sizes.JointSizes;
import dev.shapeproof.sizes.Size;
import dev.shapeproof.sizes.SizePolynomial;
import dev.shapeproof.sizes.SizeSet;
import dev.shapeproof.sizes.SizeValues;
import dev.shapeproof.sizes.SymbolicShape;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import com.palantir.javapoet.CodeBlock;
import dev.shapeproof.summary.ModelSummary;

/**
 * A model with free sizes, ready to be emitted: the checked model at its reference size, every value's symbolic
 * shape, the admissible sizes, the inference memory as formulas, and the same model checked at two more admissible
 * sizes, so that whatever the generated code writes can be compared across sizes. Generated code must serve every
 * admissible size with one text: layers and parameters must not depend on the size (they are checked here), and a
 * number in an op's call that does (an interpolation's output size) is bound to its {@link Size}.
 */
public final class FreeSizeModel {
    private final ModelDeclaration declaration;
    private final CheckedModel model;
    private final SymbolicShapes shapes;
    private final AdmissibleSizes admissible;
    private final SizeValues reference;
    /** The model checked at other admissible sizes, each node paired with the reference's. */
    private final List<SizeValues> samples;
    private final List<Map<Node, CheckedNode<?>>> pairs;
    private final List<CheckedModel> sampleModels;
    private final List<SizePolynomial> peakCandidates;
    private SummaryTemplates summary;

    private FreeSizeModel(ModelDeclaration declaration, CheckedModel model, SymbolicShapes shapes,
            AdmissibleSizes admissible, SizeValues reference, List<SizeValues> samples,
            List<CheckedModel> sampleModels, List<Map<Node, CheckedNode<?>>> pairs) {
        this.declaration = declaration;
        this.model = model;
        this.shapes = shapes;
        this.admissible = admissible;
        this.reference = reference;
        this.samples = samples;
        this.sampleModels = sampleModels;
        this.pairs = pairs;
        this.peakCandidates = SymbolicMemory.peakCandidates(model, shapes);
    }

    /** Checks what generated code needs of a free-size model; empty after reporting. */
    static Optional<FreeSizeModel> build(ModelDeclaration declaration, CheckedModel model, SymbolicShapes shapes,
            AdmissibleSizes admissible, SizeValues reference, ReferenceSearch search, Replay replay,
            Reporter reporter, String name, Function<CheckedModel, ModelSummary> summarize)
            throws DeferredTypeException {
        Optional<SizeValues> overflow = checkLargest(admissible, reference, replay, reporter, name, declaration);
        if (overflow.isPresent()) {
            return Optional.empty();
        }
        List<SizeValues> samples = new ArrayList<>();
        List<CheckedModel> sampleModels = new ArrayList<>();
        List<Map<Node, CheckedNode<?>>> pairs = new ArrayList<>();
        for (SizeValues sample : samples(admissible, reference)) {
            CheckedModel other = search.lower(declaration, sample).orElseThrow(() -> new IllegalStateException(
                    "the replay admits " + sample + " but the checker rejects it: " + search.failures().get(sample)));
            samples.add(sample);
            sampleModels.add(other);
            pairs.add(pair(model, other));
        }
        keepOutOfPlaceWhereShapesMayDiffer(model, shapes, sampleModels, pairs);
        FreeSizeModel result = new FreeSizeModel(declaration, model, shapes, admissible, reference, samples,
                sampleModels, pairs);
        if (!result.checkSizeFree(reporter, name) || !result.checkCalls(reporter, name)) {
            return Optional.empty();
        }
        result.summary = SummaryTemplates.of(result, summarize);
        if (result.summary.problem() != null) {
            reporter.report(declaration.freeSizes().inputs().get(0).location(), Message.FREE_SIZE_UNSUPPORTED, name,
                    "its summary", "one summary template cannot follow", result.summary.problem(),
                    "MACs that grow with the output", "declare fixed input sizes");
            return Optional.empty();
        }
        return Optional.of(result);
    }

    /**
     * Every count grows with the sizes, so if the largest admissible sizes overflow nothing (a dimension, a sample's
     * elements, a layer's MACs), no smaller one does. Reports the limit when they do.
     */
    private static Optional<SizeValues> checkLargest(AdmissibleSizes admissible, SizeValues reference, Replay replay,
            Reporter reporter, String name, ModelDeclaration declaration) {
        SizeValues largest = reference;
        List<String> names = admissible.names();
        for (SizeSet set : admissible.singles()) {
            largest = largest.with(names.indexOf(set.name()), (int) set.max());
        }
        for (JointSizes joint : admissible.joints()) {
            List<int[]> points = joint.points();
            int[] last = points.get(points.size() - 1);
            for (int i = 0; i < last.length; i++) {
                largest = largest.with(names.indexOf(joint.names().get(i)), last[i]);
            }
        }
        Replay.Verdict verdict = replay.run(largest, false);
        if (verdict.passed()) {
            return Optional.empty();
        }
        StringBuilder bounds = new StringBuilder();
        for (String symbol : names) {
            bounds.append(bounds.length() == 0 ? "" : ", ").append(symbol).append(" <= ")
                    .append(Math.max(1, largest.get(symbol) / 4));
        }
        reporter.report(declaration.freeSizes().sizes(), Message.FREE_SIZE_UNSUPPORTED, name,
                "its largest admissible size (" + largest + ")", "is beyond what " + verdict.failed() + " can count",
                verdict.text(), "sizes at which every count fits", "declare smaller upper bounds, e.g. sizes = \""
                        + bounds + "\"");
        return Optional.of(largest);
    }

    /**
     * Two more admissible sizes to compare the generated code at: each free size at its largest checked and at its
     * smallest admissible value, so that sizes differ in value and, where the set allows, in remainder.
     */
    private static List<SizeValues> samples(AdmissibleSizes admissible, SizeValues reference) {
        SizeValues high = reference;
        SizeValues low = reference;
        List<String> names = admissible.names();
        for (SizeSet set : admissible.singles()) {
            int index = names.indexOf(set.name());
            long top = set.isFinite() ? set.max() : set.atOrBelow(set.start() + 2L * set.period() + 1);
            high = high.with(index, (int) top);
            low = low.with(index, (int) set.min());
        }
        for (JointSizes joint : admissible.joints()) {
            List<int[]> points = joint.points();
            for (int i = 0; i < joint.names().size(); i++) {
                int index = names.indexOf(joint.names().get(i));
                high = high.with(index, points.get(points.size() - 1)[i]);
                low = low.with(index, points.get(0)[i]);
            }
        }
        Set<SizeValues> distinct = new LinkedHashSet<>(List.of(high, low));
        distinct.remove(reference);
        return new ArrayList<>(distinct);
    }

    /**
     * An op runs in place where its output has its input's shape; at every admissible size that holds only if their
     * sizes are the same function of the free sizes. Where they are not (an add that broadcasts at some sizes), the
     * op runs out of place in the generated code, and the samples' estimates follow the same decision.
     */
    private static void keepOutOfPlaceWhereShapesMayDiffer(CheckedModel model, SymbolicShapes shapes,
            List<CheckedModel> sampleModels, List<Map<Node, CheckedNode<?>>> pairs) {
        List<Node> nodes = new ArrayList<>();
        collect(model.graph().body(), nodes);
        for (Node node : nodes) {
            CheckedNode<?> checked = model.checked(node);
            if (node.callee() != null || checked == null || !checked.op().runsInPlace()) {
                continue;
            }
            SymbolicShape output = shapes.of(node.body().outputOf(node));
            if (!output.equals(shapes.of(node.inputs().get(0)))) {
                model.keepOutOfPlace(node);
                for (int i = 0; i < sampleModels.size(); i++) {
                    sampleModels.get(i).keepOutOfPlace(pairs.get(i).get(node).node());
                }
            }
        }
    }

    /** Pairs the nodes of two lowerings of one model: a forward that reads no free size builds the same graph. */
    private static Map<Node, CheckedNode<?>> pair(CheckedModel a, CheckedModel b) {
        List<Node> left = new ArrayList<>();
        List<Node> right = new ArrayList<>();
        collect(a.graph().body(), left);
        collect(b.graph().body(), right);
        if (left.size() != right.size()) {
            throw new IllegalStateException("the forward built " + left.size() + " and " + right.size() + " nodes");
        }
        Map<Node, CheckedNode<?>> pairs = new IdentityHashMap<>();
        for (int i = 0; i < left.size(); i++) {
            if (!left.get(i).op().name().equals(right.get(i).op().name())) {
                throw new IllegalStateException("the forward built " + left.get(i) + " and " + right.get(i));
            }
            pairs.put(left.get(i), b.checked(right.get(i)));
        }
        return pairs;
    }

    /** Every node of {@code body} and of the bodies it calls, in the order they run. */
    static void collect(Body body, List<Node> nodes) {
        for (Node node : body.nodes()) {
            if (node.callee() != null) {
                collect(node.callee(), nodes);
            }
            nodes.add(node);
        }
    }

    /** Layers and their parameters must be the same at every size: one generated constructor serves them all. */
    private boolean checkSizeFree(Reporter reporter, String name) {
        List<Node> nodes = new ArrayList<>();
        collect(model.graph().body(), nodes);
        for (Node node : nodes) {
            CheckedNode<?> here = model.checked(node);
            for (int i = 0; i < samples.size(); i++) {
                CheckedNode<?> there = pairs.get(i).get(node);
                String differs = null;
                if (!here.parameters().equals(there.parameters())) {
                    differs = "its parameters are " + describe(here.parameters()) + " at " + reference + " but "
                            + describe(there.parameters()) + " at " + samples.get(i);
                } else if (node.isModuleCall() && !node.isBodyCall()
                        && !here.newLayer().toString().equals(there.newLayer().toString())) {
                    differs = "its layer is " + here.newLayer() + " at " + reference + " but " + there.newLayer()
                            + " at " + samples.get(i);
                }
                if (differs != null) {
                    reporter.report(node.location(), Message.FREE_SIZE_UNSUPPORTED, name, node.toString(),
                            "one generated layer cannot follow", differs, "a layer whose configuration does not "
                                    + "depend on the input size", "give the attribute it infers (such as in) "
                                    + "explicitly, or declare fixed input sizes");
                    return false;
                }
            }
        }
        return true;
    }

    /** A placeholder argument for comparing calls: what they read does not depend on the size. */
    private static List<CodeBlock> placeholders(Node node) {
        List<CodeBlock> arguments = new ArrayList<>();
        for (int i = 0; i < node.arguments().size(); i++) {
            arguments.add(CodeBlock.of("a$L", i));
        }
        return arguments;
    }

    /** The call of {@code checked} with placeholder arguments, as text. */
    static String callText(CheckedNode<?> checked, List<CodeBlock> arguments) {
        return checked.call(arguments, false, CodeBlock.of("training")).toString();
    }

    /**
     * Every op's call must be one text at every size, but for numbers that are sizes of its output or inputs, which
     * the generated model's own forward reads from the size's plan. Elsewhere (a block's forward, shared by every
     * size) a call that changes with the size cannot be generated.
     */
    private boolean checkCalls(Reporter reporter, String name) {
        List<Node> nodes = new ArrayList<>();
        collect(model.graph().body(), nodes);
        for (Node node : nodes) {
            if (node.isModuleCall()) {
                continue;
            }
            List<CodeBlock> arguments = placeholders(node);
            String here = callText(model.checked(node), arguments);
            List<String> there = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                there.add(callText(atSample(i, node), arguments));
            }
            List<Integer> differing = CallLiterals.differing(here, there);
            if (differing != null && differing.isEmpty()) {
                continue;
            }
            String problem = null;
            if (differing == null) {
                problem = "its generated call changes with the size: " + here + " at " + reference + ", " + there.get(0)
                        + " at " + samples.get(0);
            } else if (node.body() != model.graph().body()) {
                problem = "it is inside a block, whose generated forward serves every size with one text: " + here
                        + " at " + reference + ", " + there.get(0) + " at " + samples.get(0);
            } else {
                for (int literal : differing) {
                    if (sizeOfLiteral(node, literal, here, there).isEmpty()) {
                        problem = "its generated call has a number that changes with the size and is none of its "
                                + "sizes: " + here + " at " + reference + ", " + there.get(0) + " at "
                                + samples.get(0);
                    }
                }
            }
            if (problem != null) {
                reporter.report(node.location(), Message.FREE_SIZE_UNSUPPORTED, name, node.toString(),
                        "one generated forward cannot follow", problem, "a call whose numbers are fixed or sizes of "
                                + "its tensors, in the model's own forward", "move the op into the model's forward, "
                                + "or declare fixed input sizes");
                return false;
            }
        }
        return true;
    }

    /**
     * The size that literal {@code index} of {@code node}'s call stands for, given the call's text at the reference
     * and at each sample.
     */
    public Optional<Size> sizeOfLiteral(Node node, int index, String here, List<String> there) {
        long[] values = new long[1 + there.size()];
        Long value = CallLiterals.value(CallLiterals.of(here).get(index));
        if (value == null) {
            return Optional.empty();
        }
        values[0] = value;
        for (int i = 0; i < there.size(); i++) {
            Long other = CallLiterals.value(CallLiterals.of(there.get(i)).get(index));
            if (other == null) {
                return Optional.empty();
            }
            values[i + 1] = other;
        }
        return sizeWithValues(node, values);
    }

    /** The summary's rows, edges and memory as templates. */
    public SummaryTemplates summary() {
        return summary;
    }

    private static String describe(List<ParameterShape> parameters) {
        return parameters.toString();
    }

    public ModelDeclaration declaration() {
        return declaration;
    }

    public FreeSizeDeclaration freeSizes() {
        return declaration.freeSizes();
    }

    /** The model checked at {@link #reference()}: its graph is every size's graph. */
    public CheckedModel model() {
        return model;
    }

    public AdmissibleSizes admissible() {
        return admissible;
    }

    /** The admissible size the model was checked at. */
    public SizeValues reference() {
        return reference;
    }

    /** The other admissible sizes it was checked at, to compare what they generate. */
    public List<SizeValues> samples() {
        return samples;
    }

    /** The model checked at {@code samples().get(index)}. */
    public CheckedModel sampleModel(int index) {
        return sampleModels.get(index);
    }

    /** {@code node}, checked at {@code samples().get(index)}. */
    public CheckedNode<?> atSample(int index, Node node) {
        return pairs.get(index).get(node);
    }

    /** The symbolic shape of any value of the reference graph. */
    public SymbolicShape shapeOf(Value value) {
        return shapes.of(value);
    }

    /** The symbolic shapes of output {@code index} of the model. */
    public SymbolicShape output(int index) {
        return shapes.of(model.graph().outputs().get(index));
    }

    /** The inference peak in bytes for one sample is the largest of these. */
    public List<SizePolynomial> peakCandidates() {
        return peakCandidates;
    }

    /**
     * A size of {@code node}'s output or inputs whose value at the reference and at each sample is
     * {@code values[0], values[1], …}: what a number in a generated call that changes with the size stands for.
     */
    public Optional<Size> sizeWithValues(Node node, long[] values) {
        List<SymbolicShape> candidates = new ArrayList<>();
        candidates.add(shapes.of(node.body().outputOf(node)));
        for (Value input : node.inputs()) {
            candidates.add(shapes.of(input));
        }
        for (SymbolicShape shape : candidates) {
            for (Size size : shape.sample()) {
                if (size.isConstant()) {
                    continue;
                }
                boolean matches = size.at(reference) == values[0];
                for (int i = 0; i < samples.size() && matches; i++) {
                    matches = size.at(samples.get(i)) == values[i + 1];
                }
                if (matches) {
                    return Optional.of(size);
                }
            }
        }
        return Optional.empty();
    }

    /** The shape {@code value} has at {@code sizes}. */
    public TensorShape shapeAt(Value value, SizeValues sizes) {
        return shapes.of(value).at(sizes);
    }
}
