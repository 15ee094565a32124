package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The shapes the processor proves for the ops of real architectures ("The ops that real architectures need"), read
 * back from the generated constants, and the generated code compiled against the runtime.
 */
class OpsShapesTest {

    private static JavaFileObject net(String name, String input, String dsl, String... fields) {
        String[] body = new String[fields.length + 2];
        body[0] = "abstract class " + name + " {";
        System.arraycopy(fields, 0, body, 1, fields.length);
        body[body.length - 1] = "}";
        return DslDiagnostics.model(name, input, dsl, body);
    }

    private static Map<String, String> shapes(String name, String input, String dsl, String... fields) {
        Compilation c = Sources.compile(net(name, input, dsl, fields));
        if (System.getProperty("showGenerated") != null) {
            System.out.println(GeneratedShapes.source(c, "test." + name + "Model"));
        }
        return GeneratedShapes.of(c, "test." + name + "Model");
    }

    @Test
    void activationsKeepTheShape() {
        Map<String, String> shapes = shapes("Act", "{3, 5, 5}", """
                a = self.r6(x)
                b = F.hardswish(self.hs(a)) + self.hsig(a) * F.silu(self.si(a))
                c = F.elu(self.elu(b), alpha=0.5) - F.mish(self.mish(b)) + F.relu6(b) / 2
                d = self.ident(self.sd(F.hardsigmoid(-c)))
                return self.drop(stochastic_depth(d, 0.1, "row"))
                """,
                "@ReLU6 ReLU6Layer r6;",
                "@Hardswish(inplace = true) HardswishLayer hs;",
                "@Hardsigmoid HardsigmoidLayer hsig;",
                "@SiLU SiLULayer si;",
                "@ELU(alpha = 0.3) ELULayer elu;",
                "@Mish MishLayer mish;",
                "@Identity IdentityLayer ident;",
                "@StochasticDepth(p = 0.2, mode = \"row\") StochasticDepthLayer sd;",
                "@Dropout DropoutLayer drop;");
        assertThat(shapes).containsEntry("OUTPUT_SHAPE", "[-1, 3, 5, 5]");
        assertThat(shapes).containsEntry("SD_OUTPUT_SHAPE", "[-1, 3, 5, 5]");
    }

    @Test
    void arithmeticBroadcastsAndTakesNumbers() {
        Map<String, String> shapes = shapes("Arith", "{8, 6, 6}", """
                x = self.stem(x)
                s = F.adaptive_avg_pool2d(x, 1)
                y = x * s + 1.5 - (2 - x) / 3
                z = torch.mul(y, s) + torch.add(y, 0.5) - y.div(4.0)
                z *= s
                z -= 1
                return z.sub(x)
                """, "@Conv2d(out = 8, kernel = 1) Conv2dLayer stem;");
        assertThat(shapes).containsEntry("OUTPUT_SHAPE", "[-1, 8, 6, 6]");
    }

    @Test
    void reductions() {
        Map<String, String> shapes = shapes("Reduce", "{8, 6, 4}", """
                x = self.stem(x)
                a = x.mean([2, 3])
                b = torch.mean(x, (2, 3), keepdim=True)
                c = x.sum(-1)
                d = x.amax(dim=(1, 3), keepdim=True)
                return a, b, c, d
                """, "@Conv2d(out = 8, kernel = 1) Conv2dLayer stem;");
        assertThat(shapes).containsEntry("OUTPUT_A_SHAPE", "[-1, 8]");
        assertThat(shapes).containsEntry("OUTPUT_B_SHAPE", "[-1, 8, 1, 1]");
        assertThat(shapes).containsEntry("OUTPUT_C_SHAPE", "[-1, 8, 6]");
        assertThat(shapes).containsEntry("OUTPUT_D_SHAPE", "[-1, 1, 6, 1]");
    }

    @Test
    void viewsTransposesAndPieces() {
        Map<String, String> shapes = shapes("Views", "{8, 6, 4}", """
                x = self.stem(x)
                batchsize, num_channels, height, width = x.size()
                y = x.view(batchsize, 2, num_channels // 2, height, width)
                y = torch.transpose(y, 1, 2).contiguous()
                y = y.view(batchsize, -1, height, width)
                a, b = y.chunk(2, dim=1)
                c, d, e = torch.split(a, [1, 2, 1], dim=1)
                p = b.permute(0, 2, 3, 1)
                q = torch.stack([c, e], dim=1)
                r = p[:, 0]
                s = p[:, 1:5:2, -1]
                t = x.reshape(x.size(0), x.size(1), -1).transpose(1, 2)
                u = F.pad(x, (1, 2, 0, 1), mode='reflect')
                v = torch.narrow(x, 3, 1, 2)
                return q, r, s, t, u, v, d
                """, "@Conv2d(out = 8, kernel = 1) Conv2dLayer stem;");
        assertThat(shapes).containsEntry("OUTPUT_Q_SHAPE", "[-1, 2, 1, 6, 4]");
        assertThat(shapes).containsEntry("OUTPUT_R_SHAPE", "[-1, 4, 4]");
        assertThat(shapes).containsEntry("OUTPUT_S_SHAPE", "[-1, 2, 4]");
        assertThat(shapes).containsEntry("OUTPUT_T_SHAPE", "[-1, 24, 8]");
        assertThat(shapes).containsEntry("OUTPUT_U_SHAPE", "[-1, 8, 7, 7]");
        assertThat(shapes).containsEntry("OUTPUT_V_SHAPE", "[-1, 8, 6, 2]");
        assertThat(shapes).containsEntry("OUTPUT_D_SHAPE", "[-1, 2, 6, 4]");
    }

    @Test
    void layers() {
        Map<String, String> shapes = shapes("Layers", "{4, 7, 7}", """
                u = self.up(x)
                v = self.bilinear(u)
                w = self.gn(self.pool(v))
                z = self.padded(x)
                t = self.ln(w.flatten(2).transpose(1, 2))
                n = self.bn(self.fc(t).transpose(1, 2))
                return n, z, F.interpolate(u, size=x.shape[-2:])
                """,
                "@ConvTranspose2d(out = 6, kernel = 3, stride = 2, padding = 1, outputPadding = 1)"
                        + " ConvTranspose2dLayer up;",
                "@Upsample(scaleFactor = 2, mode = \"bilinear\", alignCorners = true) UpsampleLayer bilinear;",
                "@AdaptiveMaxPool2d(output = {5, 3}) AdaptiveMaxPool2dLayer pool;",
                "@GroupNorm(groups = 3, channels = 6) GroupNormLayer gn;",
                "@Conv2d(out = 4, kernel = 3, padding = 2, paddingMode = \"reflect\") Conv2dLayer padded;",
                "@LayerNorm(shape = 6, eps = 1e-6) LayerNormLayer ln;",
                "@Linear(out = 10) LinearLayer fc;",
                "@BatchNorm1d(features = 10) BatchNorm1dLayer bn;");
        assertThat(shapes).containsEntry("UP_OUTPUT_SHAPE", "[-1, 6, 14, 14]");
        assertThat(shapes).containsEntry("BILINEAR_OUTPUT_SHAPE", "[-1, 6, 28, 28]");
        assertThat(shapes).containsEntry("POOL_OUTPUT_SHAPE", "[-1, 6, 5, 3]");
        assertThat(shapes).containsEntry("PADDED_OUTPUT_SHAPE", "[-1, 4, 9, 9]");
        assertThat(shapes).containsEntry("LN_OUTPUT_SHAPE", "[-1, 15, 6]");
        assertThat(shapes).containsEntry("OUTPUT_N_SHAPE", "[-1, 10, 15]");
        assertThat(shapes).containsEntry("OUTPUT_OUTPUT2_SHAPE", "[-1, 6, 7, 7]");
    }

    /**
     * A block computes values in {@code init} before its modules, reads them as {@code self.<name>}, takes a norm
     * layer bound by {@code partial}, and holds a parameter of its own, which the summary does not count (it is not a
     * {@code weight} or {@code bias}) and the state_dict lists before its children.
     */
    @Test
    void blockInitPartialAndParameter() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {8, 6, 6}, forward = \"return self.layers(x)\")",
                "abstract class Net {",
                "    @Init(\"nn.Sequential(Inverted(8, 8, 1, 2), Inverted(8, 16, 2, 3, norm_layer=partial(nn.BatchNorm2d, "
                        + "eps=0.001)))\")",
                "    Sequential layers;",
                "",
                "    @Block(params = \"inp, oup, stride, expand_ratio, norm_layer=None\", init = \"\"\"",
                "            hidden_dim = int(round(inp * expand_ratio))",
                "            self.use_res_connect = stride == 1 and inp == oup",
                "            if norm_layer is None:",
                "                norm_layer = nn.BatchNorm2d",
                "            \"\"\", forward = \"\"\"",
                "            result = self.scale * self.project(self.norm(self.expand(x)))",
                "            if self.use_res_connect:",
                "                result += x",
                "            return result",
                "            \"\"\")",
                "    abstract static class Inverted extends NnModule {",
                "        @Init(\"nn.Parameter(torch.ones(oup, 1, 1) * 0.5)\") Parameter scale;",
                "        @Init(\"nn.Conv2d(inp, hidden_dim, 3, stride, 1)\") Conv2dLayer expand;",
                "        @Init(\"norm_layer(hidden_dim)\") BatchNorm2dLayer norm;",
                "        @Init(\"nn.Conv2d(hidden_dim, oup, 1)\") Conv2dLayer project;",
                "    }",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).succeeded();
        Map<String, String> shapes = GeneratedShapes.of(c, "test.NetModel");
        assertThat(shapes).containsEntry("OUTPUT_SHAPE", "[-1, 16, 3, 3]");
        String source = GeneratedShapes.source(c, "test.NetModel");
        assertThat(source).contains("new Conv2dLayer(\"layers.0.expand\", 8, 16,");
        assertThat(source).contains("new Conv2dLayer(\"layers.1.expand\", 8, 24,");
        assertThat(source).contains("Parameter.constant(\"layers.0.scale\", 0.5, 8, 1, 1)");
        assertThat(source).contains("new BatchNorm2dLayer(\"layers.1.norm\", 24, 0.001, 0.1, true)");
        assertThat(source).contains("this.scale.value()");
    }

    /**
     * A model's {@code init} runs loops and augmented assignments as torchvision's {@code __init__} does
     * ({@code stage_block_id += 1}), and its names reach the fields' {@code @Init} expressions.
     */
    @Test
    void modelInitLoopsAndAugmentedAssignments() {
        JavaFileObject net = Sources.model("Net",
                "@Model(input = {4, 6, 6}, init = \"\"\"",
                "        widths = []",
                "        total = 4",
                "        for w in [2, 6]:",
                "            total += w",
                "            widths.append(total)",
                "        \"\"\", forward = \"return self.second(self.first(x))\")",
                "abstract class Net {",
                "    @Init(\"nn.Conv2d(4, widths[0], 1)\") Conv2dLayer first;",
                "    @Init(\"nn.Conv2d(widths[0], widths[-1], 3, padding=1)\") Conv2dLayer second;",
                "}");
        Compilation c = Sources.compile(net);
        assertThat(c).succeeded();
        Map<String, String> shapes = GeneratedShapes.of(c, "test.NetModel");
        assertThat(shapes).containsEntry("FIRST_OUTPUT_SHAPE", "[-1, 6, 6, 6]");
        assertThat(shapes).containsEntry("OUTPUT_SHAPE", "[-1, 12, 6, 6]");
    }

    /**
     * A squeeze-and-excitation scale, pooled over the whole map and broadcast back over it, widens the receptive field
     * but keeps the grid's jump: EfficientNet's sixteen SE blocks once multiplied the jump by the map size each time.
     */
    @Test
    void broadcastScaleKeepsTheReceptiveFieldsJump() {
        Compilation c = Sources.compile(net("Se", "{4, 8, 8}", """
                x = self.conv1(x)
                s = torch.sigmoid(F.adaptive_avg_pool2d(x, 1))
                x = self.conv2(x * s)
                s = torch.sigmoid(F.adaptive_avg_pool2d(x, 1))
                return self.conv3(x * s)
                """,
                "@Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "@Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv2;",
                "@Conv2d(out = 4, kernel = 3, padding = 1) Conv2dLayer conv3;"));
        assertThat(c).succeeded();
        String source = GeneratedShapes.source(c, "test.SeModel");
        String conv3 = source.substring(source.indexOf("summary.row(\"conv3 "));
        conv3 = conv3.substring(0, conv3.indexOf("\n"));
        // conv1 3; its scale pools the 8×8 map: 3 + 7 = 10; conv2 12; the second scale 12 + 7 = 19; conv3 21, jump 1
        // (with the pooled input's jump of 8 merged in, conv3's field was 210 wide with jump 64)
        assertThat(conv3).contains(" rf=21:1,21:1");
    }
}
