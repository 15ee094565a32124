package dev.shapeproof.processor.read;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.diag.Reporter;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.graph.Attributes;
import dev.shapeproof.processor.graph.ModuleClass;
import dev.shapeproof.processor.graph.ModuleField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * Reads {@code @Block} classes, once each: the PyTorch base class their Java superclass names, their parameters,
 * forward and children texts, and their module fields. Mistakes in the declaration itself are reported once, however
 * many models use the block.
 */
public final class BlockReader {
    static final String BLOCK_ANNOTATION = "dev.shapeproof.Block";

    private final Reporter reporter;
    private final AnnotationReader annotations;
    private final FieldReader fields;
    private final Map<String, Optional<ModuleClass>> read = new HashMap<>();

    public BlockReader(Elements elements, Reporter reporter, WrittenAnnotations written) {
        this.reporter = reporter;
        this.annotations = new AnnotationReader(elements);
        this.fields = new FieldReader(reporter, annotations, written);
    }

    /** Whether {@code type} is annotated {@code @Block}. */
    public static boolean isBlock(TypeElement type) {
        return type.getAnnotationMirrors().stream()
                .anyMatch(mirror -> FieldReader.qualifiedName(mirror).equals(BLOCK_ANNOTATION));
    }

    /**
     * The block {@code type} as declared, or empty when its declaration has errors (reported the first time).
     *
     * @throws DeferredTypeException when a field's type is not resolved yet
     */
    public Optional<ModuleClass> read(TypeElement type) throws DeferredTypeException {
        String name = type.getQualifiedName().toString();
        Optional<ModuleClass> known = read.get(name);
        if (known != null) {
            return known;
        }
        Optional<ModuleClass> block = readBlock(type);
        read.put(name, block);
        return block;
    }

    private Optional<ModuleClass> readBlock(TypeElement type) throws DeferredTypeException {
        AnnotationMirror mirror = ModelReader.findAnnotation(type, BLOCK_ANNOTATION);
        if (!ModelReader.checkClass(type, mirror, reporter, "@Block")) {
            return Optional.empty();
        }
        String name = type.getSimpleName().toString();
        TypeMirror superclass = type.getSuperclass();
        if (superclass.getKind() == TypeKind.ERROR) {
            throw new DeferredTypeException(superclass.toString());
        }
        String superName = superclass instanceof DeclaredType declared
                ? ((TypeElement) declared.asElement()).getQualifiedName().toString() : "";
        ModuleClass.Base base = ModuleClass.Base.ofJavaClass(superName);
        if (base == null) {
            reporter.report(Location.of(type, mirror), Message.BLOCK_DECLARATION, name,
                    "a block extends NnModule, or Sequential, ModuleList or ModuleDict, as its PyTorch class extends "
                            + "nn.Module or a container",
                    "class " + name + " extends " + FieldReader.simpleTypeName(superclass),
                    "extends dev.shapeproof.nn.NnModule (or Sequential, ModuleList, ModuleDict)",
                    "declare `abstract class " + name + " extends NnModule`");
            return Optional.empty();
        }
        Optional<List<Attribute>> read = annotations.read(type, mirror);
        List<ModuleField> declared = new ArrayList<>();
        boolean valid = fields.read(type, declared, "subclass of " + name);
        if (read.isEmpty() || !valid) {
            return Optional.empty();
        }
        Attributes attributes = new Attributes(read.get());
        String pytorchName = attributes.get("pytorchName").asString();
        return Optional.of(new ModuleClass(type, base, pytorchName.isBlank() ? name : pytorchName,
                attributes.get("params"), attributes.get("forward"), attributes.get("children"), declared,
                attributes.find("init").orElse(null)));
    }
}
