package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import dev.shapeproof.processor.diag.Message;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The processor's own guarantees: one broken model never stops the others, and it never throws to javac. */
class ProcessorRobustnessTest {

    @Test
    void twoBrokenModelsGiveBothErrors() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 4,",
                "            kernel = 0) Conv2dLayer conv;",
                "}");
        JavaFileObject other = Sources.model("Other",
                "@Model(input = {16})",
                "abstract class Other {",
                "    @Dropout(",
                "            p = 2.0) DropoutLayer drop;",
                "}");
        Compilation c = Sources.compile(net, other);
        assertThat(c).hadErrorContaining(Message.NOT_POSITIVE.tag()).inFile(net).onLineContaining("kernel = 0");
        assertThat(c).hadErrorContaining(Message.PROBABILITY_OUT_OF_RANGE.tag())
                .inFile(other).onLineContaining("p = 2.0");
        assertThat(c).hadErrorCount(2);
    }

    /**
     * javac reports the unknown type itself ("cannot find symbol"); ShapeProof retries the model each round and, at
     * the end, notes once that NetModel was not generated. One error, javac's: one mistake, one error.
     */
    @Test
    void unresolvedFieldType() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8})",
                "abstract class Net {",
                "    @Conv2d(out = 4, kernel = 3)",
                "    Conv3dLayer conv;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining("cannot find symbol").inFile(net).onLineContaining("Conv3dLayer conv;");
        assertThat(c).hadNoteContaining(Message.UNRESOLVED_TYPE.tag())
                .inFile(net).onLineContaining("abstract class Net {");
        assertThat(c).hadNoteContaining("Net: NetModel was not generated, because Conv3dLayer never resolved");
        assertThat(c).hadNoteContaining("hint    : fix the errors javac reports for Conv3dLayer");
        assertThat(c).hadErrorCount(1);
    }

    /** A misspelt layer annotation is javac's error alone: no NoLayers, no UnknownName for the forward's call. */
    @Test
    void misspeltAnnotationIsJavacsErrorAlone() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {1, 8, 8}, forward = \"return conv1(x)\")",
                "abstract class Net {",
                "    @Conv2D(out = 4, kernel = 3) Conv2dLayer conv1;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).hadErrorContaining("cannot find symbol").inFile(net).onLineContaining("@Conv2D");
        assertThat(c).hadErrorCount(1);
    }

    /**
     * A bug in ShapeProof while compiling Net is one Internal error on Net; Other is still generated.
     *
     * <p>compile-testing 0.23 refuses {@code generatedSourceFile} once a compilation has failed ("compilation failed,
     * so generated files are unavailable"), and javac runs no further round after an error, so the generated file is
     * observed where ShapeProof writes it: the processor is given a Filer that records each source file it creates.
     */
    @Test
    void internalFailureIsOneErrorAndSparesOtherModels() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {16})",
                "abstract class Net {",
                "    @Linear(out = 2) LinearLayer fc;",
                "}");
        JavaFileObject other = Sources.model("Other",
                "@Model(input = {16})",
                "abstract class Other {",
                "    @Linear(out = 2) LinearLayer fc;",
                "}");
        RecordingProcessor recording = new RecordingProcessor(new ShapeProofProcessor(type -> {
            if (type.getSimpleName().contentEquals("Net")) {
                throw new RuntimeException("boom");
            }
        }));
        Compilation c = Compiler.javac().withProcessors(recording).compile(net, other);
        assertThat(c).hadErrorContaining(Message.INTERNAL.tag()).inFile(net).onLineContaining("abstract class Net");
        assertThat(c).hadErrorContaining("Net: ShapeProof failed while processing this model");
        assertThat(c).hadErrorContaining("java.lang.RuntimeException: boom");
        assertThat(c).hadErrorCount(1);
        assertThat(recording.texts.keySet()).containsExactly("test.OtherModel");
        assertThat(recording.texts.get("test.OtherModel").toString())
                .contains("class OtherModel extends Other");
    }

    /** The hook alone, with no failure, changes nothing: both models are generated. */
    @Test
    void hookThatDoesNotThrowGeneratesEveryModel() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {16})",
                "abstract class Net {",
                "    @Linear(out = 2) LinearLayer fc;",
                "}");
        JavaFileObject other = Sources.model("Other",
                "@Model(input = {16})",
                "abstract class Other {",
                "    @Linear(out = 2) LinearLayer fc;",
                "}");
        Compilation c = Compiler.javac().withProcessors(new ShapeProofProcessor(type -> { })).compile(net, other);
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("test.NetModel");
        assertThat(c).generatedSourceFile("test.OtherModel");
    }
}
