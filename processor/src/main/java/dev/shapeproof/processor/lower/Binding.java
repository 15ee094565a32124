package dev.shapeproof.processor.lower;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.dsl.Span;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.op.FunctionSignature;
import dev.shapeproof.processor.op.FunctionSignature.Param;
import dev.shapeproof.processor.op.FunctionSignature.ParamKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's binding of a call's arguments to a signature (positionals in order, then keywords, every required one
 * present, none twice), and the conversion of each bound value into the attribute it sets, as an annotation reader
 * would store it. Shared by the forward's function calls and the layer constructors of {@code @Init} expressions.
 */
final class Binding {
    private final Evaluator evaluator;

    Binding(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    /** A bound argument: its value and where it was written. */
    record Bound(Object value, Span span) {
        /** Whether a value was given: {@code None} means "the default", as in PyTorch's signatures. */
        boolean given() {
            return value != Py.NONE;
        }
    }

    /**
     * Binds {@code args} (after {@code receiver}, the tensor of a method call, when not {@code null}) to
     * {@code signature}'s parameters, by name.
     */
    Map<String, Bound> bind(FunctionSignature signature, Evaluator.Args args, Object receiver, Span receiverSpan)
            throws LoweringError {
        Map<String, Bound> bound = new LinkedHashMap<>();
        List<Object> positional = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        if (receiver != null) {
            positional.add(receiver);
            spans.add(receiverSpan);
        }
        positional.addAll(args.positional());
        spans.addAll(args.positionalSpans());
        List<Param> params = signature.params();
        for (int i = 0; i < params.size() && i < positional.size(); i++) {
            // Sizes may be written as the rest of the arguments (x.permute(0, 2, 1)) or as one tuple
            // (x.permute((0, 2, 1))): gather the rest into one tuple.
            if (params.get(i).kind() == ParamKind.SIZES && !(positional.size() == i + 1
                    && (positional.get(i) instanceof Py.Tuple || positional.get(i) instanceof Py.PyList))) {
                Py.Tuple rest = new Py.Tuple(positional.subList(i, positional.size()));
                Span span = Span.between(spans.get(i), spans.get(spans.size() - 1));
                positional = new ArrayList<>(positional.subList(0, i));
                positional.add(rest);
                spans = new ArrayList<>(spans.subList(0, i));
                spans.add(span);
                break;
            }
        }
        for (int i = 0; i < positional.size(); i++) {
            if (i >= params.size()) {
                throw evaluator.wrong(spans.get(i), signature.name() + " takes at most " + params.size()
                        + " arguments", (positional.size() + args.keywords().size()) + " arguments",
                        signature.describe(), "remove the extra argument");
            }
            if (i >= signature.positionalLimit()) {
                String keyword = params.get(i).name();
                throw evaluator.wrong(spans.get(i), signature.name() + " takes " + keyword + " by keyword only, as "
                        + "PyTorch does", "a positional argument", signature.describe(), "write " + keyword + "=...");
            }
            bound.put(params.get(i).name(), new Bound(positional.get(i), spans.get(i)));
        }
        for (Map.Entry<String, Object> keyword : args.keywords().entrySet()) {
            Span span = args.keywordSpans().get(keyword.getKey());
            String name = signature.parameterNamed(keyword.getKey()); // axis=1 binds dim where PyTorch allows it
            if (params.stream().noneMatch(p -> p.name().equals(name))) {
                throw evaluator.wrong(span, signature.name() + " has no parameter " + name, name + "=...",
                        signature.describe(), Suggestions.didYouMean(name,
                                params.stream().map(Param::name).toList(), "see PyTorch's signature"));
            }
            if (bound.containsKey(name)) {
                throw evaluator.wrong(span, signature.name() + " got " + name + " twice", name,
                        "each argument once", "remove one of them");
            }
            bound.put(name, new Bound(keyword.getValue(), span));
        }
        for (Param param : params) {
            if (param.required() && !bound.containsKey(param.name())) {
                throw evaluator.wrong(args.span(), signature.name() + " needs " + param.name(),
                        "no " + param.name(), signature.describe(), "add " + param.name() + "=...");
            }
        }
        return bound;
    }

    /**
     * The attribute {@code param} sets from {@code bound}, located at the argument (or at the call when omitted);
     * {@code null} for parameters that set none.
     *
     * @param defaults the attribute's value when the argument is omitted, for module signatures (the annotation's
     *     default); {@code null} for function signatures, whose parameters carry their own
     */
    List<Attribute> attributes(FunctionSignature signature, Param param, Bound bound, Span callSpan,
            Map<String, Attribute> defaults) throws LoweringError {
        boolean given = bound != null && bound.given();
        switch (param.kind()) {
            case TENSOR, TENSOR_LIST, IGNORED -> {
                return List.of();
            }
            case OPTIONAL_TENSOR -> {
                return param.attribute() == null ? List.of() : List.of(new Attribute(param.attribute(), given,
                        given, evaluator.source.at(given ? bound.span() : callSpan)));
            }
            case TENSOR_OR_SCALAR -> {
                if (given && bound.value() instanceof dev.shapeproof.processor.graph.Value) {
                    return List.of();
                }
            }
            case UNSUPPORTED -> {
                if (given && !(param.defaultValue() != null && param.defaultValue().equals(bound.value()))) {
                    throw evaluator.wrong(bound.span(), signature.name() + "'s " + param.name()
                            + " is not supported by ShapeProof", param.name() + " = " + Py.repr(bound.value()),
                            param.name() + " = " + param.pythonDefault(), "remove " + param.name());
                }
                return List.of();
            }
            default -> { }
        }
        if (!given && param.required()) {
            throw evaluator.wrong(bound == null ? callSpan : bound.span(), signature.name() + "'s " + param.name()
                    + " needs a value", "None", signature.describe(), "give " + param.name() + " a value");
        }
        Location location = evaluator.source.at(given ? bound.span() : callSpan);
        if (!given) {
            if (defaults != null) {
                Attribute annotationDefault = defaults.get(param.attribute());
                return List.of(new Attribute(param.attribute(), annotationDefault.value(), false, location));
            }
            Attribute omitted = new Attribute(param.attribute(), param.defaultValue(), false, location);
            return param.kind() != ParamKind.SIZES ? List.of(omitted)
                    : List.of(omitted, new Attribute(param.attribute() + "FromBatch", false, false, location));
        }
        Object value = bound.value();
        if (param.kind() == ParamKind.PADDING && value instanceof String mode) {
            if (!mode.equals("same") && !mode.equals("valid")) {
                throw evaluator.error(bound.span(), Message.INVALID_CHOICE, evaluator.source.subject(), "padding",
                        mode, "an int, a tuple, 'same' or 'valid'", "write padding='same' or an int");
            }
            return List.of(new Attribute("autoPad", mode.toUpperCase(java.util.Locale.ROOT), true, location));
        }
        if (param.kind() == ParamKind.SIZES) {
            return sizes(signature, param, bound, location);
        }
        Object converted = convert(param.kind(), value);
        if (converted == null) {
            String required = switch (param.kind()) {
                case INT -> "an int";
                case INTS, PADDING, INT_OR_INTS -> "an int or a tuple of ints";
                case DOUBLE -> "a number";
                case TENSOR_OR_SCALAR -> "a tensor or a number";
                case BOOL -> "True or False";
                case MODE -> "self.training, True or False";
                default -> "a string";
            };
            throw evaluator.wrong(bound.span(), signature.name() + "'s " + param.name() + " must be " + required,
                    Py.repr(value), required, "the compiler needs its value, to check the shapes");
        }
        return List.of(new Attribute(param.attribute(), converted, true, location));
    }

    /** {@code value} as the annotation reader stores a {@code kind} attribute; {@code null} when it is not one. */
    private static Object convert(ParamKind kind, Object value) {
        return switch (kind) {
            case INT -> value instanceof Integer ? value : null;
            case INTS, PADDING -> value instanceof Integer i ? List.of(i) : ints(value);
            case INT_OR_INTS -> value instanceof Integer ? value : ints(value);
            case DOUBLE, TENSOR_OR_SCALAR -> value instanceof Number n && !(value instanceof Boolean)
                    ? n.doubleValue() : null;
            case BOOL -> value instanceof Boolean ? value : null;
            case STRING -> value instanceof String ? value : null;
            case MODE -> value instanceof Boolean ? value : value == Py.Mode.TRAINING ? "self.training" : null;
            default -> null;
        };
    }

    /**
     * A {@code SIZES} parameter: its ints as the attribute, a first size read from a tensor ({@code x.shape[0]}) as -1
     * with the attribute {@code <attribute>FromBatch}.
     */
    private List<Attribute> sizes(FunctionSignature signature, Param param, Bound bound, Location location)
            throws LoweringError {
        Object value = bound.value();
        List<Object> items = value instanceof Py.Tuple tuple ? tuple.items()
                : value instanceof Py.PyList list ? list.items : List.of(value);
        List<Integer> ints = new ArrayList<>();
        boolean fromBatch = false;
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (item instanceof Py.BatchSize && i == 0) {
                fromBatch = true;
                ints.add(-1);
            } else if (item instanceof Integer number) {
                ints.add(number);
            } else {
                throw evaluator.wrong(bound.span(), signature.name() + "'s " + param.name() + " must be ints"
                        + (item instanceof Py.BatchSize ? ", with the batch size only first" : ""), Py.repr(item),
                        "ints, such as " + signature.name() + "(0, 2, 1)",
                        "the compiler needs the sizes, to check the shapes");
            }
        }
        return List.of(new Attribute(param.attribute(), List.copyOf(ints), true, location),
                new Attribute(param.attribute() + "FromBatch", fromBatch, true, location));
    }

    /** The tensor a {@code SIZES} argument read its first size from at run time, or {@code null}. */
    static dev.shapeproof.processor.graph.Value batchSource(Bound bound) {
        if (bound == null) {
            return null;
        }
        Object value = bound.value();
        List<Object> items = value instanceof Py.Tuple tuple ? tuple.items()
                : value instanceof Py.PyList list ? list.items : List.of(value);
        return !items.isEmpty() && items.get(0) instanceof Py.BatchSize batch ? batch.source() : null;
    }

    private static List<Integer> ints(Object value) {
        List<Object> items = value instanceof Py.Tuple tuple ? tuple.items()
                : value instanceof Py.PyList list ? list.items : null;
        if (items == null || items.isEmpty()) {
            return null;
        }
        List<Integer> ints = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Integer i)) {
                return null;
            }
            ints.add(i);
        }
        return List.copyOf(ints);
    }
}
