package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Gradle's isolating mode: every file the processor writes names exactly one originating element, the model it was
 * generated from, even when the model's blocks live in other files. A change to such a block still reaches the
 * generated file through an ordinary class dependency: each block instance is a nested class that extends the block.
 */
class IncrementalBuildTest {
    private static final JavaFileObject BASIC = Sources.model("Basic",
            "@Block(params = \"channels: int\", forward = \"return self.relu(self.conv(x))\")",
            "public abstract class Basic extends NnModule {",
            "    @Init(\"nn.Conv2d(channels, channels, 3, padding=1)\") Conv2dLayer conv;",
            "    @ReLU ReLULayer relu;",
            "}");

    private static final JavaFileObject STAGE = Sources.model("Stage",
            "@Block(params = \"channels: int, depth: int\", pytorchName = \"Sequential\",",
            "        children = \"[Basic(channels) for _ in range(depth)]\")",
            "public abstract class Stage extends Sequential {}");

    private static final JavaFileObject NET = Sources.model("Net",
            "@Model(input = {4, 8, 8}, forward = \"return self.head(self.stage(x))\")",
            "public abstract class Net {",
            "    @Init(\"Stage(4, 2)\") Sequential stage;",
            "    @Init(\"Basic(4)\") NnModule head;",
            "}");

    private static final JavaFileObject FLAT = Sources.model("Flat",
            "@Model(input = {16})",
            "public abstract class Flat {",
            "    @Linear(out = 2) LinearLayer fc;",
            "}");

    @Test
    void everyGeneratedFileHasTheModelAsItsOnlyOrigin() {
        RecordingProcessor recording = new RecordingProcessor(new ShapeProofProcessor());
        Compilation c = Compiler.javac().withProcessors(recording)
                .withOptions("-A" + ShapeProofProcessor.SUMMARY_OPTION + "=true")
                .compile(BASIC, STAGE, NET, FLAT);

        assertThat(c).succeeded();
        assertThat(recording.origins.keySet()).containsExactly(
                "test.NetModel", "test/Net.summary.md", "test.FlatModel", "test/Flat.summary.md");
        assertThat(recording.origins.get("test.NetModel")).containsExactly("test.Net");
        assertThat(recording.origins.get("test/Net.summary.md")).containsExactly("test.Net");
        assertThat(recording.origins.get("test.FlatModel")).containsExactly("test.Flat");
        assertThat(recording.origins.get("test/Flat.summary.md")).containsExactly("test.Flat");
    }

    /** Blocks are no annotated roots of their own: Basic and Stage generate nothing without a model that uses them. */
    @Test
    void blocksAloneGenerateNothing() {
        RecordingProcessor recording = new RecordingProcessor(new ShapeProofProcessor());
        Compilation c = Compiler.javac().withProcessors(recording).compile(BASIC, STAGE);

        assertThat(c).succeededWithoutWarnings();
        assertThat(recording.origins).isEmpty();
    }

    /** The dependency Gradle follows from Basic.java or Stage.java to NetModel, and from there to Net.java. */
    @Test
    void theGeneratedModelDependsOnEachBlockClassItUses() {
        Compilation c = Sources.compile(BASIC, STAGE, NET);

        assertThat(c).succeeded();
        String source = GeneratedShapes.source(c, "test.NetModel");
        assertThat(source).contains("extends Basic {");
        assertThat(source).contains("extends Stage {");
    }
}
