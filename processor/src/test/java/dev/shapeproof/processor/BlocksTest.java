package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.shapeproof.processor.diag.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Blocks ({@code @Block}), module expressions ({@code @Init}) and containers: a ResNet-style model compiles, its
 * instances are checked with their own arguments and shapes, share generated classes where their code is the same,
 * and a mistake inside a block is one error, on the text to edit, naming the instance.
 */
class BlocksTest {
    /** BasicBlock as torchvision writes it, nested in the model, and a model of four of them. */
    private static JavaFileObject resnet(String layer1, String layer2, String... extra) {
        List<String> lines = new ArrayList<>(List.of(
                "@Model(input = {3, 16, 16}, forward = \"\"\"",
                "        x = self.relu(self.bn1(self.conv1(x)))",
                "        x = self.layer2(self.layer1(x))",
                "        x = torch.flatten(self.avgpool(x), 1)",
                "        return self.fc(x)",
                "        \"\"\")",
                "public abstract class TinyResNet {",
                "    @Block(params = \"inplanes: int, planes: int, stride: int = 1, downsample = None\", forward = \"\"\"",
                "            identity = x",
                "            out = self.relu(self.bn1(self.conv1(x)))",
                "            out = self.bn2(self.conv2(out))",
                "            if self.downsample is not None:",
                "                identity = self.downsample(x)",
                "            out += identity",
                "            return self.relu(out)",
                "            \"\"\")",
                "    abstract static class BasicBlock extends NnModule {",
                "        @Init(\"nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)\") Conv2dLayer conv1;",
                "        @Init(\"nn.BatchNorm2d(planes)\") BatchNorm2dLayer bn1;",
                "        @ReLU(inplace = true) ReLULayer relu;",
                "        @Init(\"nn.Conv2d(planes, planes, 3, 1, 1, bias=False)\") Conv2dLayer conv2;",
                "        @Init(\"nn.BatchNorm2d(planes)\") BatchNorm2dLayer bn2;",
                "        @Init(\"downsample\") NnModule downsample;",
                "    }",
                "    @Conv2d(in = 3, out = 8, kernel = 3, padding = 1, bias = false) Conv2dLayer conv1;",
                "    @BatchNorm2d BatchNorm2dLayer bn1;",
                "    @ReLU(inplace = true) ReLULayer relu;",
                "    @Init(\"" + layer1 + "\") Sequential layer1;",
                "    @Init(\"" + layer2 + "\") Sequential layer2;",
                "    @AdaptiveAvgPool2d(output = 1) AdaptiveAvgPool2dLayer avgpool;",
                "    @Linear(in = 16, out = 10) LinearLayer fc;"));
        lines.addAll(List.of(extra));
        lines.add("}");
        return Sources.model("TinyResNet", lines.toArray(String[]::new));
    }

    private static final String LAYER1 = "nn.Sequential(BasicBlock(8, 8), BasicBlock(8, 8))";
    private static final String LAYER2 = "nn.Sequential(BasicBlock(8, 16, 2, nn.Sequential(nn.Conv2d(8, 16, 1, "
            + "stride=2, bias=False), nn.BatchNorm2d(16))), BasicBlock(16, 16))";

    @Test
    void resnetCompilesWithTheStateDictKeysOfPyTorch() {
        Compilation c = Sources.compile(resnet(LAYER1, LAYER2));

        assertThat(c).succeededWithoutWarnings();
        String source = GeneratedShapes.source(c, "test.TinyResNetModel");
        assertThat(source).contains("new BasicBlockImpl(\"layer1.0\"");
        assertThat(source).contains("new Conv2dLayer(\"layer2.0.downsample.0\", 8, 16, Window.kernel(1).stride(2)");
        assertThat(source).contains("new Sequential(\"layer2.0.downsample\"");
        Map<String, String> shapes = GeneratedShapes.of(c, "test.TinyResNetModel");
        assertThat(shapes).containsEntry("LAYER2_OUTPUT_SHAPE", "[-1, 16, 8, 8]");
    }

    /**
     * PyTorch accepts any module name without a dot (RegNet's {@code AnyStage} names its children
     * {@code block1-0}); the generated field is a Java identifier, distinct from its siblings', and the key stays.
     */
    @Test
    void childrenKeyedByNamesThatAreNotJavaIdentifiers() {
        Compilation c = Sources.compile(Sources.model("Stages",
                "@Model(input = {4, 8, 8}, forward = \"return self.stage(x)\")",
                "public abstract class Stages {",
                "    @Block(pytorchName = \"AnyStage\", children = \"{'block1-0': nn.Conv2d(4, 4, 3, padding=1), "
                        + "'block1_0': nn.Conv2d(4, 4, 1)}\")",
                "    abstract static class AnyStage extends Sequential {}",
                "    @Init(\"AnyStage()\") Sequential stage;",
                "}"));

        assertThat(c).succeededWithoutWarnings();
        String source = GeneratedShapes.source(c, "test.StagesModel");
        assertThat(source).contains("new Conv2dLayer(\"stage.block1-0\"");
        assertThat(source).contains("new Conv2dLayer(\"stage.block1_0\"");
        assertThat(source).contains("Conv2dLayer itemblock1_0;");
        assertThat(source).contains("Conv2dLayer block1_0_;");
    }

    /** RegNet's {@code AnyStage} names its blocks with an f-string: {@code f"block{stage_index}-{i}"}. */
    @Test
    void fStringsNameChildren() {
        Compilation c = Sources.compile(Sources.model("Stages",
                "@Model(input = {4, 8, 8}, forward = \"return self.stage(x)\")",
                "public abstract class Stages {",
                "    @Block(params = \"stage_index: int, depth: int\", pytorchName = \"AnyStage\",",
                "            children = \"{f'block{stage_index}-{i}': nn.Conv2d(4, 4, 3, padding=1) "
                        + "for i in range(depth)}\")",
                "    abstract static class AnyStage extends Sequential {}",
                "    @Init(\"AnyStage(2, 3)\") Sequential stage;",
                "}"));

        assertThat(c).succeededWithoutWarnings();
        String source = GeneratedShapes.source(c, "test.StagesModel");
        assertThat(source).contains("new Conv2dLayer(\"stage.block2-0\"");
        assertThat(source).contains("new Conv2dLayer(\"stage.block2-2\"");
        assertThat(source).doesNotContain("stage.block2-3");
    }

    /** PyTorch refuses a module name with a dot or an empty one ({@code KeyError}); so does the processor. */
    @Test
    void aChildKeyWithADotIsOneError() {
        for (String key : List.of("block1.0", "")) {
            Compilation c = Sources.compile(Sources.model("Dotted",
                    "@Model(input = {4, 8, 8}, forward = \"return self.stage(x)\")",
                    "public abstract class Dotted {",
                    "    @Block(children = \"{'" + key + "': nn.Conv2d(4, 4, 1)}\")",
                    "    abstract static class Stage extends Sequential {}",
                    "    @Init(\"Stage()\") Sequential stage;",
                    "}"));

            assertThat(c).hadErrorCount(1);
            assertThat(c).hadErrorContaining("'" + key + "'").inFile(c.sourceFiles().get(0))
                    .onLineContaining("children");
        }
    }

    /** Three instances run the same code and share a class; the one with a downsample has its own. */
    @Test
    void instancesWithTheSameCodeShareAClass() {
        String source = GeneratedShapes.source(Sources.compile(resnet(LAYER1, LAYER2)), "test.TinyResNetModel");

        assertThat(source).contains("{@link TinyResNet.BasicBlock} as {@code layer1.0}, {@code layer1.1}, "
                + "{@code layer2.1} run it.");
        assertThat(source).contains("{@link TinyResNet.BasicBlock} as {@code layer2.0} runs it.");
        assertThat(source).contains("identity = this.downsample.forward(x);");
        assertThat(countOf(source, "class BasicBlockImpl")).isEqualTo(2);
    }

    /** The summary: a block's row after its children's, no row for a Sequential, downsample rows where they run. */
    @Test
    void summaryRowsFollowTorchsummary() {
        String source = GeneratedShapes.source(Sources.compile(resnet(LAYER1, LAYER2)), "test.TinyResNetModel");

        int downsample = source.indexOf("summary.row(\"layer2.0.downsample.1 BatchNorm2d");
        int lastRelu = source.indexOf("summary.row(\"layer2.0.relu ReLU", downsample);
        int block = source.indexOf("summary.row(\"layer2.0 BasicBlock");
        assertThat(downsample).isGreaterThan(0);
        assertThat(lastRelu).isGreaterThan(downsample);
        assertThat(block).isGreaterThan(lastRelu);
        assertThat(source).doesNotContain(" Sequential [");
    }

    /** A wrong in_channels in an @Init, repeated by two instances: one error, in the expression, naming the first. */
    @Test
    void aMistakeInsideABlockIsOneErrorOnTheInitExpression() {
        JavaFileObject source = resnet("nn.Sequential(BasicBlock(4, 8), BasicBlock(4, 8))", LAYER2);
        Compilation c = Sources.compile(source);

        assertThat(c).hadErrorCount(1);
        String message = DslDiagnostics.error(c, Message.CHANNEL_MISMATCH);
        assertThat(message).contains("layer1.0.conv1 in BasicBlock(4, 8): in = 4, but its input has 8 channels");
        assertThat(message).contains("at init line 1, column 11:");
        assertThat(c).hadErrorContaining(Message.CHANNEL_MISMATCH.tag()).inFile(source)
                .onLineContaining("nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)");
    }

    /** A shape mistake in a block's forward is reported at the DSL line, naming the instance and its arguments. */
    @Test
    void aMissingDownsampleIsReportedAtTheAddOfTheInstance() {
        Compilation c = Sources.compile(resnet(LAYER1, "nn.Sequential(BasicBlock(8, 16, 2), BasicBlock(16, 16))"));

        assertThat(c).hadErrorCount(1);
        String message = DslDiagnostics.error(c, Message.ADD_MISMATCH);
        assertThat(message).contains("add in layer2.0 = BasicBlock(8, 16, 2)");
        assertThat(message).contains("out += identity");
    }

    @Test
    void unknownBlockNameSuggestsTheClosest() {
        Compilation c = Sources.compile(resnet("nn.Sequential(BasicBlok(8, 8))", LAYER2));

        assertThat(c).hadErrorCount(1);
        String message = DslDiagnostics.error(c, Message.UNKNOWN_INIT_NAME);
        assertThat(message).contains("BasicBlok is neither a parameter");
    }

    @Test
    void missingArgumentNamesTheParameter() {
        Compilation c = Sources.compile(resnet("nn.Sequential(BasicBlock(8))", LAYER2));

        assertThat(c).hadErrorCount(1);
        assertThat(DslDiagnostics.error(c, Message.WRONG_ARGUMENTS)).contains("BasicBlock needs planes");
    }

    @Test
    void initOfTheWrongFieldTypeIsAnError() {
        Compilation c = Sources.compile(resnet(LAYER1, LAYER2, "    @Init(\"nn.Conv2d(16, 16, 1)\") "
                + "BatchNorm2dLayer extra;"));

        assertThat(c).hadErrorCount(1);
        assertThat(DslDiagnostics.error(c, Message.FIELD_TYPE_MISMATCH)).contains("the field extra holds Conv2d");
    }

    @Test
    void blockMustExtendAModuleClass() {
        Compilation c = Sources.compile(Sources.model("Odd",
                "@Model(input = {4}, forward = \"\"\"",
                "        return self.inner(x)",
                "        \"\"\")",
                "public abstract class Odd {",
                "    @Block(forward = \"return x\") abstract static class Inner {}",
                "    @Init(\"Inner()\") NnModule inner;",
                "}"));

        assertThat(c).hadErrorCount(1);
        assertThat(DslDiagnostics.error(c, Message.BLOCK_DECLARATION)).contains("a block extends NnModule");
    }

    @Test
    void aConditionOnTheModeIsAnError() {
        Compilation c = Sources.compile(Sources.model("Moody",
                "@Model(input = {4}, forward = \"\"\"",
                "        if self.training:",
                "            x = self.fc(x)",
                "        return x",
                "        \"\"\")",
                "public abstract class Moody {",
                "    @Linear(out = 4) LinearLayer fc;",
                "}"));

        assertThat(c).hadErrorCount(1);
        assertThat(DslDiagnostics.error(c, Message.WRONG_ARGUMENTS))
                .contains("this condition depends on the model's mode (self.training)");
    }

    @Test
    void aBlockCalledWithAnotherShapeIsAnError() {
        Compilation c = Sources.compile(Sources.model("Twice",
                "@Model(input = {4}, forward = \"\"\"",
                "        y = self.block(x)",
                "        return self.block(self.fc(y))",
                "        \"\"\")",
                "public abstract class Twice {",
                "    @Block(forward = \"return self.act(x)\") abstract static class Act extends NnModule {",
                "        @ReLU ReLULayer act;",
                "    }",
                "    @Init(\"Act()\") NnModule block;",
                "    @Linear(in = 4, out = 6) LinearLayer fc;",
                "}"));

        assertThat(c).hadErrorCount(1);
        assertThat(DslDiagnostics.error(c, Message.WRONG_ARGUMENTS))
                .contains("block is called again with inputs of other shapes");
    }

    @Test
    void aBlockThatContainsItselfStops() {
        Compilation c = Sources.compile(Sources.model("Loop",
                "@Model(input = {4}, forward = \"return self.block(x)\")",
                "public abstract class Loop {",
                "    @Block(forward = \"return self.inner(x)\") abstract static class Again extends NnModule {",
                "        @Init(\"Again()\") NnModule inner;",
                "    }",
                "    @Init(\"Again()\") NnModule block;",
                "}"));

        assertThat(c).hadErrorCount(1);
        assertThat(DslDiagnostics.error(c, Message.WRONG_ARGUMENTS)).contains("blocks nest more than 64 deep");
    }

    /**
     * torchvision's ASPP forward: a list filled in a loop over a ModuleList, then concatenated; the list is a Java
     * list in the generated code.
     */
    @Test
    void listsAndLoopsOverAModuleList() {
        Compilation c = Sources.compile(Sources.model("Branches",
                "@Model(input = {4, 8, 8}, forward = \"\"\"",
                "        _res = []",
                "        for conv in self.convs:",
                "            _res.append(conv(x))",
                "        return torch.cat(_res, dim=1)",
                "        \"\"\")",
                "public abstract class Branches {",
                "    @Init(\"nn.ModuleList([nn.Conv2d(4, 2, 3, padding=r, dilation=r) for r in (1, 2, 3)])\")",
                "    ModuleList convs;",
                "}"));

        assertThat(c).succeededWithoutWarnings();
        String source = GeneratedShapes.source(c, "test.BranchesModel");
        assertThat(source).contains("List<INDArray> _res = new ArrayList<>(List.of());");
        assertThat(source).contains("_res.add(this.convs.child(\"2\").forward(x));");
        assertThat(source).contains("return workspace.result(F.cat(1, _res.toArray(new INDArray[0])));");
        assertThat(GeneratedShapes.of(c, "test.BranchesModel")).containsEntry("OUTPUT_SHAPE", "[-1, 6, 8, 8]");
    }

    /**
     * A block that computes more than its result does so in a workspace of its own, which the next block call reuses,
     * and returns through it; a block of one op has nothing to free, and one given a list could carry out what it
     * appends, so neither gets one.
     */
    @Test
    void blocksWithIntermediatesComputeInAWorkspaceOfTheirOwn() {
        Compilation c = Sources.compile(Sources.model("Scoped",
                "@Model(input = {4, 8, 8}, forward = \"\"\"",
                "        x = self.two(x)",
                "        x = self.one(x)",
                "        return self.reader([x, x])",
                "        \"\"\")",
                "public abstract class Scoped {",
                "    @Block(params = \"c: int\", forward = \"\"\"",
                "            return self.conv(torch.relu(x))",
                "            \"\"\")",
                "    abstract static class Two extends NnModule {",
                "        @Init(\"nn.Conv2d(c, c, 3, padding=1)\") Conv2dLayer conv;",
                "    }",
                "    @Block(params = \"c: int\", forward = \"\"\"",
                "            return self.conv(x)",
                "            \"\"\")",
                "    abstract static class One extends NnModule {",
                "        @Init(\"nn.Conv2d(c, c, 1)\") Conv2dLayer conv;",
                "    }",
                "    @Block(params = \"c: int\", forward = \"\"\"",
                "            def forward(self, xs):",
                "                y = torch.cat(xs, 1)",
                "                return self.conv(torch.relu(y))",
                "            \"\"\")",
                "    abstract static class Reader extends NnModule {",
                "        @Init(\"nn.Conv2d(2 * c, c, 1)\") Conv2dLayer conv;",
                "    }",
                "    @Init(\"Two(4)\") Two two;",
                "    @Init(\"One(4)\") One one;",
                "    @Init(\"Reader(4)\") Reader reader;",
                "}"));

        assertThat(c).succeeded();
        String source = GeneratedShapes.source(c, "test.ScopedModel");
        String two = source.substring(source.indexOf("class TwoImpl "), source.indexOf("class OneImpl "));
        assertThat(two).contains("try (BlockWorkspace workspace = BlockWorkspace.enter()) {");
        assertThat(two).contains("workspace.computeResult();\n");
        assertThat(two).contains("return workspace.result(this.conv.forward(F.relu(x, false)));");
        String one = source.substring(source.indexOf("class OneImpl "), source.indexOf("class ReaderImpl "));
        assertThat(one).doesNotContain("BlockWorkspace");
        assertThat(one).contains("return this.conv.forward(x);");
        String reader = source.substring(source.indexOf("class ReaderImpl "));
        assertThat(reader).doesNotContain("BlockWorkspace");
    }

    /**
     * In a model's forward text, a statement whose value only the next one reads runs with it in a workspace of their
     * own, so that value is freed once read; a value read again later, or a new variable, keeps the plain form.
     */
    @Test
    void statementsWhoseValueOnlyTheNextReadsArePaired() {
        Compilation paired = Sources.compile(Sources.model("Paired",
                "@Model(input = {3, 8, 8}, forward = \"\"\"",
                "        x = self.conv(x)",
                "        x = self.pool(x)",
                "        return self.fc(torch.flatten(x, 1))",
                "        \"\"\")",
                "public abstract class Paired {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv;",
                "    @MaxPool2d(kernel = 2) MaxPool2dLayer pool;",
                "    @Linear(in = 64, out = 2) LinearLayer fc;",
                "}"));
        assertThat(paired).succeededWithoutWarnings();
        assertThat(GeneratedShapes.source(paired, "test.PairedModel")).contains(String.join("\n",
                "            try (BlockWorkspace scope = BlockWorkspace.enter()) {",
                "                // x = self.conv(x)",
                "                x = this.conv.forward(x);",
                "                scope.computeResult();",
                "                // x = self.pool(x)",
                "                x = scope.result(this.pool.forward(x));",
                "            }"));

        Compilation kept = Sources.compile(Sources.model("Kept",
                "@Model(input = {3, 8, 8}, forward = \"\"\"",
                "        y = self.conv(x)",
                "        x = self.pool(y)",
                "        return self.fc(torch.flatten(x, 1)) + self.fc(torch.flatten(self.pool(y), 1))",
                "        \"\"\")",
                "public abstract class Kept {",
                "    @Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv;",
                "    @MaxPool2d(kernel = 2) MaxPool2dLayer pool;",
                "    @Linear(in = 64, out = 2) LinearLayer fc;",
                "}"));
        assertThat(kept).succeeded();
        assertThat(GeneratedShapes.source(kept, "test.KeptModel")).doesNotContain("BlockWorkspace scope");
    }

    /** PyTorch's in-place add aliases: every name of the tensor sees the sum (out + identity is 3·out, not 4·out). */
    @Test
    void augmentedAddFollowsPyTorchsAliasing() {
        Compilation c = Sources.compile(Sources.model("Alias",
                "@Model(input = {4}, forward = \"\"\"",
                "        out = self.fc(x)",
                "        identity = out",
                "        out += identity",
                "        return out + identity",
                "        \"\"\")",
                "public abstract class Alias {",
                "    @Linear(out = 4) LinearLayer fc;",
                "}"));

        assertThat(c).succeededWithoutWarnings();
        String source = GeneratedShapes.source(c, "test.AliasModel");
        // After the in-place add, identity names the sum too: out + identity adds the sum to itself (4·out).
        assertThat(source).contains("out = F.add(out, identity, true);");
        assertThat(source).containsMatch("return workspace.result\\(F.add\\(out, out, (true|false)\\)\\);");
    }

    /** PyTorch's in-place += cannot broadcast its target: [N, 4, 1, 1] += [N, 4, 8, 8] is an error there too. */
    @Test
    void augmentedAddCannotChangeTheTargetsShape() {
        Compilation c = Sources.compile(Sources.model("Grow",
                "@Model(input = {4, 8, 8}, forward = \"\"\"",
                "        s = self.pool(x)",
                "        s += x",
                "        return s",
                "        \"\"\")",
                "public abstract class Grow {",
                "    @AdaptiveAvgPool2d(output = 1) AdaptiveAvgPool2dLayer pool;",
                "}"));

        assertThat(c).hadErrorCount(1);
        assertThat(DslDiagnostics.error(c, Message.IN_PLACE_ADD)).contains("s += ... would change s's shape");
    }

    /**
     * A view of a tensor changed in place reads the changed values in PyTorch: unread afterwards it is fine (the
     * campaign's c001963), read afterwards it is an error at the read.
     */
    @Test
    void aViewOfATensorChangedInPlaceMayNotBeReadAfterwards() {
        Compilation fine = Sources.compile(Sources.model("Fine",
                "@Model(input = {2, 12, 12}, forward = \"\"\"",
                "        x = F.relu(x)",
                "        t2 = flat1(x)",
                "        saved = t2",
                "        t2 += torch.sigmoid(t2)",
                "        return t2 + saved",
                "        \"\"\")",
                "public abstract class Fine {",
                "    @Flatten FlattenLayer flat1;",
                "}"));
        assertThat(fine).succeededWithoutWarnings();

        Compilation stale = Sources.compile(Sources.model("Stale",
                "@Model(input = {2, 12, 12}, forward = \"\"\"",
                "        x = F.relu(x)",
                "        t2 = flat1(x)",
                "        t2 += torch.sigmoid(t2)",
                "        return t2, x",
                "        \"\"\")",
                "public abstract class Stale {",
                "    @Flatten FlattenLayer flat1;",
                "}"));
        assertThat(stale).hadErrorCount(1);
        assertThat(DslDiagnostics.error(stale, Message.WRONG_ARGUMENTS))
                .contains("x shares its storage with a tensor changed in place at line 3");
    }

    /** A block that changes its input in place changes the caller's tensor in PyTorch: the caller may not read it. */
    @Test
    void theCallersTensorChangedInPlaceByABlockMayNotBeReadAfterwards() {
        Compilation c = Sources.compile(Sources.model("Caller",
                "@Model(input = {4}, forward = \"\"\"",
                "        y = self.fc(x)",
                "        z = self.block(y)",
                "        return z + y",
                "        \"\"\")",
                "public abstract class Caller {",
                "    @Block(forward = \"return self.act(x)\") abstract static class Act extends NnModule {",
                "        @ReLU(inplace = true) ReLULayer act;",
                "    }",
                "    @Linear(out = 4) LinearLayer fc;",
                "    @Init(\"Act()\") NnModule block;",
                "}"));

        assertThat(c).hadErrorCount(1);
        assertThat(DslDiagnostics.error(c, Message.WRONG_ARGUMENTS))
                .contains("y shares its storage with a tensor changed in place at line 2");
    }

    private static int countOf(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    /** Every diagnostic, for a failing assertion's message. */
    static String describe(Compilation c) {
        StringBuilder text = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
            text.append(d.getKind()).append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
        }
        return text.toString();
    }
}
