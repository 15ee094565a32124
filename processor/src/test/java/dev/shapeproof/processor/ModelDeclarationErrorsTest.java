package dev.shapeproof.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.common.truth.Truth;
import com.google.testing.compile.Compilation;
import dev.shapeproof.processor.diag.Message;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Mistakes in the declaration of a {@code @Model} class and its layer fields, reported by the reader before any shape
 * is known.
 *
 * <p>Annotations, attribute values and field declarations that a diagnostic may point at are written on lines of their
 * own, so that {@code onLineContaining} tells the attribute, its annotation and its field apart.
 */
class ModelDeclarationErrorsTest {

    @Test
    void modelOnAnInterface() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "interface Net {",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.MODEL_NOT_CLASS.tag())
                .inFile(net).onLineContaining("@Model(input = {1, 8, 8})");
        assertThat(c).hadErrorContaining("but Net is an interface");
        assertThat(c).hadErrorContaining("declare it as `abstract class Net`");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void modelOnAnEnum() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "enum Net {",
                "    A;",
                "    @ReLU ReLULayer relu;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.MODEL_NOT_CLASS.tag())
                .inFile(net).onLineContaining("@Model(input = {1, 8, 8})");
        assertThat(c).hadErrorContaining("but Net is an enum");
        assertThat(c).hadErrorCount(1);
    }

    /** A record's components are private final fields: that follows from the one mistake, the record itself. */
    @Test
    void modelOnARecordIsOneError() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "record Net(@ReLU ReLULayer relu) {",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.MODEL_NOT_CLASS.tag())
                .inFile(net).onLineContaining("@Model(input = {1, 8, 8})");
        assertThat(c).hadErrorContaining("but Net is a record");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void modelNotAbstract() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "class Net {",
                "    @ReLU ReLULayer relu;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.MODEL_NOT_ABSTRACT.tag())
                .inFile(net).onLineContaining("@Model(input = {1, 8, 8})");
        assertThat(c).hadErrorContaining("found   : class Net");
        assertThat(c).hadErrorContaining("required: abstract class Net (the generated NetModel extends it");
        assertThat(c).hadErrorContaining("hint    : add `abstract` to the class");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void privateNestedModel() {
        JavaFileObject outer = Sources.model("Outer",
                "class Outer {",
                "    @Model(input = {1, 8, 8})",
                "    private abstract static class Net {",
                "        @ReLU ReLULayer relu;",
                "    }",
                "}");
        Compilation c = Sources.compile(outer);
        assertThat(c).hadErrorContaining(Message.MODEL_NOT_SUBCLASSABLE.tag())
                .inFile(outer).onLineContaining("@Model(input = {1, 8, 8})");
        assertThat(c).hadErrorContaining("Net: the generated Outer_NetModel cannot extend it, because it is private");
        assertThat(c).hadErrorContaining("hint    : make it package-private or public");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void innerNonStaticModel() {
        JavaFileObject outer = Sources.model("Outer",
                "class Outer {",
                "    @Model(input = {1, 8, 8})",
                "    abstract class Net {",
                "        @ReLU ReLULayer relu;",
                "    }",
                "}");
        Compilation c = Sources.compile(outer);
        assertThat(c).hadErrorContaining(Message.MODEL_NOT_SUBCLASSABLE.tag())
                .inFile(outer).onLineContaining("@Model(input = {1, 8, 8})");
        assertThat(c).hadErrorContaining("because it is an inner class that needs an enclosing instance");
        assertThat(c).hadErrorContaining("hint    : make it a static nested class");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void modelWithoutNoArgConstructor() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    Net(int seed) {}",
                "    @ReLU ReLULayer relu;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.MODEL_NOT_SUBCLASSABLE.tag())
                .inFile(net).onLineContaining("@Model(input = {1, 8, 8})");
        assertThat(c).hadErrorContaining(
                "the generated NetModel cannot extend it, because it has no non-private constructor without parameters");
        assertThat(c).hadErrorContaining("hint    : add a constructor `Net() {}`");
        assertThat(c).hadErrorCount(1);
    }

    /** Omitted, the input has no value to point at: the error goes on the annotation. */
    @Test
    void inputShapeMissing() {
        JavaFileObject net = Sources.model("Net",
                "@Model",
                "abstract class Net {",
                "    @ReLU ReLULayer relu;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.INVALID_INPUT_SHAPE.tag())
                .inFile(net).onLineContaining("@Model");
        assertThat(c).hadErrorContaining("Net: the input shape is missing");
        assertThat(c).hadErrorContaining("found   : input = {}");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void inputShapeOfRankTwo() {
        JavaFileObject net = Sources.model("Net",
                "@Model(",
                "        input = {28, 28})",
                "abstract class Net {",
                "    @ReLU ReLULayer relu;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.INVALID_INPUT_SHAPE.tag())
                .inFile(net).onLineContaining("input = {28, 28}");
        assertThat(c).hadErrorContaining("an input of rank 2 is neither an image nor a feature vector");
        assertThat(c).hadErrorContaining("found   : input = {28, 28}");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void inputShapeWithBatchDimension() {
        JavaFileObject net = Sources.model("Net",
                "@Model(",
                "        input = {1, 1, 28, 28})",
                "abstract class Net {",
                "    @ReLU ReLULayer relu;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.INVALID_INPUT_SHAPE.tag())
                .inFile(net).onLineContaining("input = {1, 1, 28, 28}");
        assertThat(c).hadErrorContaining("an input of rank 4 is neither an image nor a feature vector");
        assertThat(c).hadErrorContaining("hint    : leave out the batch dimension: input = {1, 28, 28}");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void inputShapeNotPositive() {
        JavaFileObject net = Sources.model("Net",
                "@Model(",
                "        input = {1, 0, 28})",
                "abstract class Net {",
                "    @ReLU ReLULayer relu;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.INVALID_INPUT_SHAPE.tag())
                .inFile(net).onLineContaining("input = {1, 0, 28}");
        assertThat(c).hadErrorContaining("every input size must be positive, but one is 0");
        assertThat(c).hadErrorContaining("found   : input = {1, 0, 28}");
        assertThat(c).hadErrorCount(1);
    }

    /** PyTorch runs a module without submodules whose forward calls functions: so does ShapeProof. */
    @Test
    void forwardOfFunctionsAloneNeedsNoLayers() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {3, 8, 8}, forward = \"return F.max_pool2d(F.relu(x), 2)\")",
                "abstract class Net {",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).succeededWithoutWarnings();
        Truth.assertThat(GeneratedShapes.of(c, "test.NetModel")).containsEntry("OUTPUT_SHAPE", "[-1, 3, 4, 4]");
    }

    /** The campaign's case: three sizes of two billion multiply past a long; the limit is the ops' 2⁴⁸. */
    @Test
    void inputShapeLargerThanAnySample() {
        JavaFileObject net = Sources.model("Net",
                "@Model(",
                "        input = {2000000000, 2000000000, 2000000000})",
                "abstract class Net {",
                "    @ReLU ReLULayer relu;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.INVALID_INPUT_SHAPE.tag())
                .inFile(net).onLineContaining("input = {2000000000, 2000000000, 2000000000}");
        assertThat(c).hadErrorContaining("one sample would hold more than 281,474,976,710,656 (2⁴⁸) elements");
        assertThat(c).hadErrorCount(1);
        assertThat(Sources.compile(Sources.model("Net",
                "@Model(input = {1, 16777216, 16777217})",
                "abstract class Net {",
                "    @ReLU ReLULayer relu;",
                "}"))).hadErrorContaining(Message.INVALID_INPUT_SHAPE.tag());
    }

    @Test
    void noLayers() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    int notALayer;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.NO_LAYERS.tag())
                .inFile(net).onLineContaining("@Model(input = {1, 8, 8})");
        assertThat(c).hadErrorContaining("Net: a @Model needs at least one layer field, or a forward");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void privateLayerField() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @ReLU",
                "    private ReLULayer relu;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.LAYER_FIELD_MODIFIER.tag())
                .inFile(net).onLineContaining("private ReLULayer relu;");
        assertThat(c).hadErrorContaining("relu: a layer field cannot be private");
        assertThat(c).hadErrorContaining("found   : private ReLULayer relu");
        assertThat(c).hadErrorContaining("hint    : remove `private`");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void finalLayerField() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @ReLU",
                "    final ReLULayer relu = null;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.LAYER_FIELD_MODIFIER.tag())
                .inFile(net).onLineContaining("final ReLULayer relu = null;");
        assertThat(c).hadErrorContaining("relu: a layer field cannot be final");
        assertThat(c).hadErrorContaining("hint    : remove `final`");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void staticLayerField() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @ReLU",
                "    static ReLULayer relu;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.LAYER_FIELD_MODIFIER.tag())
                .inFile(net).onLineContaining("static ReLULayer relu;");
        assertThat(c).hadErrorContaining("relu: a layer field cannot be static");
        assertThat(c).hadErrorContaining("hint    : remove `static`");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void layerTypeMismatch() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3)",
                "    LinearLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.LAYER_TYPE_MISMATCH.tag())
                .inFile(net).onLineContaining("@Conv2d(out = 4, kernel = 3)");
        assertThat(c).hadErrorContaining("conv: @Conv2d needs a field of type Conv2dLayer");
        assertThat(c).hadErrorContaining("found   : LinearLayer");
        assertThat(c).hadErrorContaining("hint    : declare `Conv2dLayer conv;`");
        assertThat(c).hadErrorCount(1);
    }

    /** The second annotation is the one to move to a field of its own. */
    @Test
    void multipleLayerAnnotations() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @ReLU",
                "    @Tanh",
                "    ReLULayer act;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining(Message.MULTIPLE_LAYER_ANNOTATIONS.tag())
                .inFile(net).onLineContaining("@Tanh");
        assertThat(c).hadErrorContaining("act: one field is one layer, but it has both @ReLU and @Tanh");
        assertThat(c).hadErrorContaining("hint    : declare a second field for @Tanh");
        assertThat(c).hadErrorCount(1);
    }
}
