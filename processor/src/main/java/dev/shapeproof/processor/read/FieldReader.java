package dev.shapeproof.processor.read;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.diag.Reporter;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.graph.Attributes;
import dev.shapeproof.processor.graph.ModuleField;
import dev.shapeproof.processor.op.OpDefinition;
import dev.shapeproof.processor.op.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * Reads the module fields of a model or block class, in declaration order: each has one layer annotation or one
 * {@code @Init} expression, is assignable by the generated subclass, and (for a layer annotation) has the layer's type.
 */
final class FieldReader {
    static final String INIT_ANNOTATION = "dev.shapeproof.Init";

    private final Reporter reporter;
    private final AnnotationReader annotations;
    private final WrittenAnnotations written;

    FieldReader(Reporter reporter, AnnotationReader annotations, WrittenAnnotations written) {
        this.reporter = reporter;
        this.annotations = annotations;
        this.written = written;
    }

    /**
     * Adds a field declaration per module field of {@code type}; returns whether every one was valid.
     *
     * @param generated how messages name the class that assigns the fields: {@code NetModel}
     * @throws DeferredTypeException when a field's type is not resolved yet
     */
    boolean read(TypeElement type, List<ModuleField> fields, String generated) throws DeferredTypeException {
        boolean valid = true;
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            if (written.hasUnresolved(field)) {
                // A misspelt or missing annotation type (@Conv2D): javac reports it. Whether the field was meant to be
                // a layer is unknown, and anything said about the model now would repeat that one mistake.
                throw new DeferredTypeException("an annotation of " + field.getSimpleName());
            }
            List<AnnotationMirror> moduleAnnotations = new ArrayList<>();
            for (AnnotationMirror mirror : field.getAnnotationMirrors()) {
                String name = qualifiedName(mirror);
                if (Ops.forAnnotation(name) != null || name.equals(INIT_ANNOTATION)) {
                    moduleAnnotations.add(mirror);
                }
            }
            if (moduleAnnotations.isEmpty()) {
                continue;
            }
            Optional<ModuleField> read = readField(field, moduleAnnotations, generated);
            if (read.isPresent()) {
                fields.add(read.get());
            } else {
                valid = false;
            }
        }
        return valid;
    }

    private Optional<ModuleField> readField(VariableElement field, List<AnnotationMirror> mirrors,
            String generated) throws DeferredTypeException {
        String name = field.getSimpleName().toString();
        AnnotationMirror mirror = mirrors.get(0);
        if (mirrors.size() > 1) {
            reporter.report(Location.of(field, mirrors.get(1)), Message.MULTIPLE_LAYER_ANNOTATIONS, name,
                    annotationName(mirror), annotationName(mirrors.get(1)));
            return Optional.empty();
        }
        for (Modifier modifier : List.of(Modifier.PRIVATE, Modifier.FINAL, Modifier.STATIC)) {
            if (field.getModifiers().contains(modifier)) {
                reporter.report(Location.of(field), Message.LAYER_FIELD_MODIFIER, name, modifier,
                        describeField(field), generated);
                return Optional.empty();
            }
        }
        TypeMirror fieldType = field.asType();
        if (fieldType.getKind() == TypeKind.ERROR) {
            throw new DeferredTypeException(fieldType.toString());
        }
        if (qualifiedName(mirror).equals(INIT_ANNOTATION)) {
            return readInit(field, mirror);
        }
        OpDefinition<?> op = Ops.forAnnotation(qualifiedName(mirror));
        String required = op.layerClassName();
        if (!(fieldType instanceof DeclaredType declared)
                || !((TypeElement) declared.asElement()).getQualifiedName().contentEquals(required)) {
            // Simple names read best; qualified ones only where the simple names alone would look equal.
            boolean sameSimpleName = simpleTypeName(fieldType).equals(simpleName(required));
            reporter.report(Location.of(field, mirror), Message.LAYER_TYPE_MISMATCH, name, op.name(),
                    sameSimpleName ? required : simpleName(required),
                    sameSimpleName ? fieldType.toString() : simpleTypeName(fieldType), simpleName(required));
            return Optional.empty();
        }
        Optional<List<Attribute>> attributes = annotations.read(field, mirror);
        return attributes.map(list ->
                new ModuleField.LayerField(name, field, op, new Attributes(list), Location.of(field, mirror)));
    }

    private Optional<ModuleField> readInit(VariableElement field, AnnotationMirror mirror) {
        for (var entry : mirror.getElementValues().entrySet()) {
            ExecutableElement method = entry.getKey();
            AnnotationValue value = entry.getValue();
            if (method.getSimpleName().contentEquals("value") && value.getValue() instanceof String text
                    && !text.equals("<error>")) {
                return Optional.of(new ModuleField.InitField(field.getSimpleName().toString(), field, text,
                        new Location(field, mirror, value)));
            }
        }
        return Optional.empty(); // javac has reported the missing or erroneous value
    }

    static String qualifiedName(AnnotationMirror mirror) {
        return ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
    }

    private static String annotationName(AnnotationMirror mirror) {
        OpDefinition<?> op = Ops.forAnnotation(qualifiedName(mirror));
        return op != null ? op.name() : "Init";
    }

    private static String simpleName(String qualifiedName) {
        return qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
    }

    private static String describeField(VariableElement field) {
        StringBuilder text = new StringBuilder();
        for (Modifier modifier : field.getModifiers()) {
            text.append(modifier).append(' ');
        }
        return text.append(simpleTypeName(field.asType())).append(' ').append(field.getSimpleName()).toString();
    }

    static String simpleTypeName(TypeMirror type) {
        String text = type.toString();
        return text.substring(text.lastIndexOf('.') + 1);
    }
}
