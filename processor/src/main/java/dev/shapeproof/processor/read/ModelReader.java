package dev.shapeproof.processor.read;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.diag.Reporter;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.graph.Attributes;
import dev.shapeproof.processor.graph.GraphInput;
import dev.shapeproof.processor.graph.ModuleClass;
import dev.shapeproof.processor.graph.ModuleField;
import dev.shapeproof.processor.graph.Value;
import dev.shapeproof.processor.sizes.FreeSizeDeclaration;
import dev.shapeproof.processor.sizes.FreeSizeReader;
import dev.shapeproof.processor.op.Shapes;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/** Reads one {@code @Model} class: its inputs, its module fields in source order, and its forward. */
public final class ModelReader {
    static final String MODEL_ANNOTATION = "dev.shapeproof.Model";

    private final Reporter reporter;
    private final AnnotationReader annotations;
    private final FieldReader fields;

    public ModelReader(Elements elements, Reporter reporter, WrittenAnnotations written) {
        this.reporter = reporter;
        this.annotations = new AnnotationReader(elements);
        this.fields = new FieldReader(reporter, annotations, written);
    }

    /**
     * The model as declared, or empty when the declaration has errors (already reported).
     *
     * @throws DeferredTypeException when a field's type is not resolved yet
     */
    public Optional<ModelDeclaration> read(TypeElement type) throws DeferredTypeException {
        AnnotationMirror model = findAnnotation(type, MODEL_ANNOTATION);
        if (!checkClass(type, model, reporter, "@Model")) {
            // Its fields are not layers of a model we can generate: checking them would only add noise.
            return Optional.empty();
        }
        Optional<List<Attribute>> modelAttributes = annotations.read(type, model);
        if (modelAttributes.isEmpty()) {
            return Optional.empty();
        }
        Attributes attributes = new Attributes(modelAttributes.get());
        List<FreeSizeDeclaration.InputDims> dims = new ArrayList<>();
        FreeSizeReader freeSizes = new FreeSizeReader(reporter, type.getSimpleName().toString());
        Optional<List<GraphInput>> inputs = readInputs(type, model, attributes, freeSizes, dims);
        List<ModuleField> layers = new ArrayList<>();
        boolean layersValid = fields.read(type, layers, generatedName(type));
        if (inputs.isEmpty() || !layersValid) {
            return Optional.empty();
        }
        Attribute sizes = attributes.get("sizes");
        Optional<FreeSizeDeclaration> free = freeSizes.declaration(dims, sizes.asString(),
                sizes.explicit() ? sizes.location() : Location.of(type, model));
        if (free != null && free.isEmpty()) {
            return Optional.empty();
        }
        Attribute forward = attributes.get("forward");
        if (layers.isEmpty() && forward.asString().isBlank()) {
            // With a forward, a model of functions alone is a model PyTorch runs; without one there is nothing to run.
            reporter.report(Location.of(type, model), Message.NO_LAYERS, type.getSimpleName());
            return Optional.empty();
        }
        if (forward.asString().isBlank() && inputs.get().size() > 1) {
            reporter.report(attributes.get("inputs").location(), Message.INVALID_INPUT_SHAPE,
                    type.getSimpleName(), "a model with several inputs needs a forward that says how they meet",
                    attributes.get("inputs").sourceText(), "add forward = \"\"\"...\"\"\" using the inputs' names");
            return Optional.empty();
        }
        ModuleClass modelClass = new ModuleClass(type, ModuleClass.Base.MODULE, type.getSimpleName().toString(),
                null, forward, null, layers, attributes.find("init").orElse(null));
        return Optional.of(new ModelDeclaration(modelClass, inputs.get(), free == null ? null : free.get()));
    }

    /** The generated class's simple name: {@code NetModel}, or {@code Outer_NetModel} for a nested class. */
    public static String generatedName(TypeElement type) {
        StringBuilder name = new StringBuilder(type.getSimpleName());
        for (Element outer = type.getEnclosingElement(); outer instanceof TypeElement enclosing;
                outer = enclosing.getEnclosingElement()) {
            name.insert(0, enclosing.getSimpleName() + "_");
        }
        return name + "Model";
    }

    /**
     * Whether the generated code can extend {@code type}: an abstract, non-private, static class with a non-private
     * constructor without parameters. Reports why not on {@code annotation} ({@code @Model} or {@code @Block}).
     */
    static boolean checkClass(TypeElement type, AnnotationMirror mirror, Reporter reporter, String annotation) {
        Location location = Location.of(type, mirror);
        String name = type.getSimpleName().toString();
        String generated = annotation.equals("@Model") ? generatedName(type) : "subclass of " + name;
        if (type.getKind() != ElementKind.CLASS) {
            reporter.report(location, Message.MODEL_NOT_CLASS, name, describeKind(type.getKind()), annotation);
            return false;
        }
        if (!type.getModifiers().contains(Modifier.ABSTRACT)) {
            reporter.report(location, Message.MODEL_NOT_ABSTRACT, name, generated, annotation);
            return false;
        }
        if (type.getModifiers().contains(Modifier.PRIVATE)) {
            reporter.report(location, Message.MODEL_NOT_SUBCLASSABLE, name, generated, "it is private",
                    "make it package-private or public");
            return false;
        }
        if (type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC)) {
            reporter.report(location, Message.MODEL_NOT_SUBCLASSABLE, name, generated,
                    "it is an inner class that needs an enclosing instance", "make it a static nested class");
            return false;
        }
        if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
            reporter.report(location, Message.MODEL_NOT_SUBCLASSABLE, name, generated,
                    "it is a local class, invisible to other classes", "move it to a top-level or static nested class");
            return false;
        }
        List<ExecutableElement> constructors = ElementFilter.constructorsIn(type.getEnclosedElements());
        boolean hasNoArgConstructor = constructors.stream()
                .anyMatch(c -> c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE));
        if (!hasNoArgConstructor) {
            reporter.report(location, Message.MODEL_NOT_SUBCLASSABLE, name, generated,
                    "it has no non-private constructor without parameters",
                    "add a constructor `" + name + "() {}`");
            return false;
        }
        return true;
    }

    /**
     * The single {@code input} (called {@code x}) or the named {@code inputs}, in declaration order; each input given
     * by free-size {@code dims} adds them to {@code dims}.
     */
    private Optional<List<GraphInput>> readInputs(TypeElement type, AnnotationMirror model, Attributes attributes,
            FreeSizeReader freeSizes, List<FreeSizeDeclaration.InputDims> dims) {
        Attribute input = attributes.get("input");
        Attribute inputs = attributes.get("inputs");
        Attribute modelDims = attributes.get("dims");
        String name = type.getSimpleName().toString();
        if (inputs.asAnnotations().isEmpty()) {
            if (!modelDims.asString().isEmpty()) {
                return sampleFromDims(name, "x", input, modelDims, modelDims.location(), freeSizes, dims)
                        .map(List::of);
            }
            return sample(name, "x", input.asInts(), input.location(), "input").map(List::of);
        }
        if (!modelDims.asString().isEmpty()) {
            reporter.report(modelDims.location(), Message.INVALID_INPUT_SHAPE, name,
                    "both dims and inputs are given", modelDims.sourceText(),
                    "give each @Input its dims, and remove the model's");
            return Optional.empty();
        }
        if (!input.asInts().isEmpty()) {
            reporter.report(inputs.location(), Message.INVALID_INPUT_SHAPE, name,
                    "both input and inputs are given", input.sourceText(),
                    "keep inputs = {@Input(...), ...} and remove input, or the other way round");
            return Optional.empty();
        }
        List<GraphInput> result = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (AnnotationMirror mirror : inputs.asAnnotations()) {
            Optional<List<Attribute>> read = annotations.read(type, mirror);
            if (read.isEmpty()) {
                return Optional.empty();
            }
            Attributes declared = new Attributes(read.get());
            Attribute inputName = declared.get("name");
            Attribute shape = declared.get("shape");
            // javac finds nested annotation values inside @Model; point at them there.
            Location nameLocation = new Location(type, model, inputName.location().value());
            Location shapeLocation = new Location(type, model, shape.location().value());
            String id = inputName.asString();
            if (!javax.lang.model.SourceVersion.isName(id) || id.equals("self")) {
                reporter.report(nameLocation, Message.INVALID_INPUT_SHAPE, name,
                        "\"" + id + "\" is not a name a forward text and a Java parameter can both use", shape.sourceText(),
                        "use a Java identifier such as \"image\"");
                return Optional.empty();
            }
            if (!names.add(id)) {
                reporter.report(nameLocation, Message.INVALID_INPUT_SHAPE, name,
                        "two inputs are called \"" + id + "\"", shape.sourceText(), "give each input its own name");
                return Optional.empty();
            }
            Attribute inputDims = declared.get("dims");
            Optional<GraphInput> sample = inputDims.asString().isEmpty()
                    ? sample(name, id, shape.asInts(), shapeLocation, "shape")
                    : sampleFromDims(name, id, shape, inputDims,
                            new Location(type, model, inputDims.location().value()), freeSizes, dims);
            if (sample.isEmpty()) {
                return Optional.empty();
            }
            result.add(sample.get());
        }
        return Optional.of(result);
    }

    /** Checks one input's sample shape and makes its graph input. */
    private Optional<GraphInput> sample(String model, String inputName, List<Integer> sample, Location location,
            String attribute) {
        String written = sample.toString().replace('[', '{').replace(']', '}');
        if (sample.isEmpty()) {
            reporter.report(location, Message.INVALID_INPUT_SHAPE, model, "the input shape is missing", written,
                    "declare it, e.g. @Model(input = {1, 28, 28}) for one 28×28 grey image");
            return Optional.empty();
        }
        if (sample.size() != 1 && sample.size() != 3) {
            reporter.report(location, Message.INVALID_INPUT_SHAPE, model,
                    "an input of rank " + sample.size() + " is neither an image nor a feature vector", written,
                    sample.size() == 4
                            ? "leave out the batch dimension: " + attribute + " = " + writtenTail(sample)
                            : "use {C, H, W} or {F}");
            return Optional.empty();
        }
        for (int size : sample) {
            if (size <= 0) {
                reporter.report(location, Message.INVALID_INPUT_SHAPE, model,
                        "every input size must be positive, but one is " + size, written,
                        "the batch dimension is implicit and free; list only the sizes of one sample");
                return Optional.empty();
            }
        }
        if (isLargerThanAnySample(sample)) {
            reporter.report(location, Message.INVALID_INPUT_SHAPE, model,
                    "one sample would hold more than " + Shapes.count(Shapes.MAX_ELEMENTS)
                            + " (2⁴⁸) elements, more than any machine holds", written,
                    "list the sizes of one sample: channels, height and width, or the features");
            return Optional.empty();
        }
        int[] dims = sample.stream().mapToInt(Integer::intValue).toArray();
        return Optional.of(new GraphInput(Value.input(inputName), TensorShape.batchOf(dims), location));
    }

    /**
     * An input given by {@code dims = "3, H, W"}: its graph input holds 1 for each free size until the free-size
     * compiler sets them. {@code shape} (the int-array attribute) must then be empty.
     */
    private Optional<GraphInput> sampleFromDims(String model, String inputName, Attribute shape, Attribute written,
            Location location, FreeSizeReader freeSizes, List<FreeSizeDeclaration.InputDims> dims) {
        if (!shape.asInts().isEmpty()) {
            reporter.report(location, Message.INVALID_INPUT_SHAPE, model,
                    "both " + shape.name() + " and dims are given", shape.sourceText(),
                    "keep dims = " + written.sourceText() + " and remove " + shape.name());
            return Optional.empty();
        }
        Optional<List<Object>> sample = freeSizes.dims(written.asString(), location);
        if (sample.isEmpty()) {
            return Optional.empty();
        }
        dims.add(new FreeSizeDeclaration.InputDims(inputName, sample.get(), location));
        int[] placeholder = sample.get().stream().mapToInt(dim -> dim instanceof Integer value ? value : 1).toArray();
        return Optional.of(new GraphInput(Value.input(inputName), TensorShape.batchOf(placeholder), location));
    }

    /** Whether the product of {@code sample}'s sizes passes {@link Shapes#MAX_ELEMENTS}, without overflowing. */
    private static boolean isLargerThanAnySample(List<Integer> sample) {
        long elements = 1;
        for (int size : sample) {
            if (elements > Shapes.MAX_ELEMENTS / size) {
                return true;
            }
            elements *= size;
        }
        return elements > Shapes.MAX_ELEMENTS;
    }

    private static String writtenTail(List<Integer> sample) {
        return sample.subList(1, sample.size()).toString().replace('[', '{').replace(']', '}');
    }

    static AnnotationMirror findAnnotation(Element element, String qualifiedName) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (qualifiedName(mirror).equals(qualifiedName)) {
                return mirror;
            }
        }
        throw new IllegalStateException(element + " has no @" + qualifiedName);
    }

    private static String qualifiedName(AnnotationMirror mirror) {
        return FieldReader.qualifiedName(mirror);
    }

    private static String describeKind(ElementKind kind) {
        return switch (kind) {
            case INTERFACE -> "an interface";
            case ENUM -> "an enum";
            case RECORD -> "a record";
            case ANNOTATION_TYPE -> "an annotation type";
            default -> "a " + kind.toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
