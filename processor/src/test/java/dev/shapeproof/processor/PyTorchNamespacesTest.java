package dev.shapeproof.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.op.FunctionSignature;
import dev.shapeproof.processor.op.Namespace;
import dev.shapeproof.processor.op.Ops;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every function of the forward DSL is callable under the namespaces where PyTorch 1.13 has it, with PyTorch's
 * parameters there, and under no other: checked against {@code pytorch-functions.txt}, which
 * {@code tools/golden/pytorch_functions.py} recorded from PyTorch itself, so the table in the op definitions cannot
 * drift from PyTorch's. A spelling PyTorch does not have ({@code torch.gelu}, {@code F.flatten}) is one located error
 * that names the one it has.
 */
class PyTorchNamespacesTest {
    /** name → namespace ("F", "torch", "torch.functional") → PyTorch's overloads, each its parameters in order. */
    private static final Map<String, Map<String, List<List<String>>>> PYTORCH = new LinkedHashMap<>();
    private static final Set<String> TENSOR_METHODS = new TreeSet<>();

    @BeforeAll
    static void read() throws IOException {
        try (InputStream in = PyTorchNamespacesTest.class.getResourceAsStream("/pytorch-functions.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String name = line.substring(0, line.indexOf(' '));
                String rest = line.substring(name.length() + 1);
                Map<String, List<List<String>>> entry = PYTORCH.computeIfAbsent(name, n -> new LinkedHashMap<>());
                if (rest.equals("Tensor")) {
                    TENSOR_METHODS.add(name);
                } else if (!rest.equals("-")) {
                    String namespace = rest.substring(0, rest.indexOf('('));
                    String params = rest.substring(namespace.length() + 1, rest.length() - 1);
                    entry.computeIfAbsent(namespace, n -> new ArrayList<>()).add(List.of(params.split(", ")));
                }
            }
        }
    }

    @Test
    void everyFunctionIsRecorded() {
        List<String> missing = new ArrayList<>();
        for (String name : Ops.functionNames()) {
            if (!PYTORCH.containsKey(name)) {
                missing.add(name);
            }
        }
        for (String name : Ops.methodNames()) {
            if (!PYTORCH.containsKey(name)) {
                missing.add(name);
            }
        }
        assertWithMessage("run /usr/bin/python3 tools/golden/pytorch_functions.py %s", String.join(" ", missing))
                .that(missing).isEmpty();
    }

    @Test
    void everyFunctionHasPyTorchsNamespaces() {
        for (String name : Ops.functionNames()) {
            Set<Namespace> pytorch = EnumSet.noneOf(Namespace.class);
            PYTORCH.getOrDefault(name, Map.of()).keySet().forEach(n -> pytorch.add(Namespace.of(n)));
            assertWithMessage("where PyTorch has %s", name).that(Ops.namespaces(name)).isEqualTo(pytorch);
        }
    }

    /**
     * In each namespace, a signature's parameters are those of one of PyTorch's overloads there, in order, each
     * keyword-only where PyTorch's is; PyTorch may have more after them (return_indices, out_dim).
     */
    @Test
    void everySignatureIsPyTorchsInItsNamespace() {
        for (String name : Ops.functionNames()) {
            for (Namespace namespace : Ops.namespaces(name)) {
                FunctionSignature signature = Ops.signature(namespace, name);
                List<String> ours = new ArrayList<>();
                for (FunctionSignature.Param param : signature.params()) {
                    ours.add((param.keywordOnly() ? "*" : "") + param.name());
                }
                List<List<String>> theirs = PYTORCH.get(name).get(namespace.prefix());
                boolean matches = theirs.stream()
                        .anyMatch(params -> params.size() >= ours.size() && params.subList(0, ours.size()).equals(ours));
                assertWithMessage("%s.%s%s among PyTorch's %s", namespace.prefix(), name, ours, theirs)
                        .that(matches).isTrue();
            }
        }
    }

    @Test
    void everyTensorMethodIsPyTorchs() {
        assertThat(TENSOR_METHODS).containsAtLeastElementsIn(Ops.methodNames());
    }

    /**
     * Every spelling with a {@code dim} or {@code keepdim} takes NumPy's {@code axis} and {@code keepdims} exactly
     * where PyTorch does, as {@code pytorch-numpy-names.txt} records (tools/golden/pytorch_numpy_names.py).
     */
    @Test
    void numpysNamesAreBoundWherePyTorchBindsThem() throws IOException {
        Map<String, Boolean> pytorch = new LinkedHashMap<>();
        try (InputStream in = PyTorchNamespacesTest.class.getResourceAsStream("/pytorch-numpy-names.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] fields = line.split(" ");
                    pytorch.put(fields[1] + "." + fields[0], fields[2].equals("yes"));
                }
            }
        }
        Map<String, FunctionSignature> ours = new LinkedHashMap<>();
        for (String name : Ops.functionNames()) {
            for (Namespace namespace : Ops.namespaces(name)) {
                ours.put(namespace.prefix() + "." + name, Ops.signature(namespace, name));
            }
        }
        for (String name : Ops.methodNames()) {
            ours.put("Tensor." + name, Ops.methodSignature(name));
        }
        int checked = 0;
        for (Map.Entry<String, FunctionSignature> spelling : ours.entrySet()) {
            boolean hasDim = spelling.getValue().params().stream()
                    .anyMatch(p -> p.name().equals("dim") || p.name().equals("keepdim"));
            if (!hasDim) {
                continue;
            }
            assertWithMessage("%s in pytorch-numpy-names.txt", spelling.getKey())
                    .that(pytorch).containsKey(spelling.getKey());
            assertWithMessage("whether %s takes axis and keepdims", spelling.getKey())
                    .that(spelling.getValue().numpyNames()).isEqualTo(pytorch.get(spelling.getKey()));
            checked++;
        }
        assertThat(checked).isAtLeast(15);
    }

    @Test
    void numpysNamesCompileWherePyTorchTakesThem() {
        assertThat(compile("""
                y = conv(x)
                s = torch.sum(y, axis=1, keepdims=True) + y.mean(axis=(2, 3), keepdims=True) + y.amax(axis=1, keepdim=True)
                a, b = torch.chunk(torch.cat([y * s, y], axis=1), 2, axis=1)
                return torch.softmax(torch.flatten(a, 1), axis=1) + torch.log_softmax(torch.flatten(b, 1), axis=-1)
                """)).succeeded();
    }

    /** F.softmax and split are Python functions in PyTorch: axis is not one of their parameters. */
    @Test
    void numpysNamesAreRejectedWherePyTorchDoesNotTakeThem() {
        Compilation softmax = compile("""
                return F.softmax(torch.flatten(conv(x), 1), axis=1)
                """);
        assertThat(DslDiagnostics.error(softmax, Message.WRONG_ARGUMENTS)).contains("softmax has no parameter axis");
        assertThat(softmax).hadErrorCount(1);
        Compilation split = compile("""
                a, b = conv(x).split(2, axis=1)
                return a + b
                """);
        assertThat(DslDiagnostics.error(split, Message.WRONG_ARGUMENTS)).contains("split has no parameter axis");
        assertThat(split).hadErrorCount(1);
    }

    private static Compilation compile(String dsl) {
        return Sources.compile(DslDiagnostics.model("Ns", "{3, 8, 8}", dsl,
                "abstract class Ns {",
                "    @Conv2d(in = 3, out = 4, kernel = 1) Conv2dLayer conv;",
                "}"));
    }

    @Test
    void aFunctionUnderANamespaceWithoutItIsOneErrorNamingPyTorchsSpelling() {
        Compilation c = compile("""
                return torch.gelu(conv(x))
                """);
        String message = DslDiagnostics.assertDslError(c, Message.UNKNOWN_NAME, 1, 8, "return torch.gelu(conv(x))",
                "       ^^^^^^^^^^");
        assertThat(message).contains("torch has no gelu; F.gelu is PyTorch's");
        assertThat(message).contains("required: F.gelu or gelu");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void theCampaignsReproducerIsRejected() {
        Compilation c = compile("""
                x = torch.nn.functional.flatten(conv(x), 1)
                return x
                """);
        String message = DslDiagnostics.error(c, Message.UNKNOWN_NAME);
        assertThat(message).contains("torch.nn.functional has no flatten; torch.flatten is PyTorch's");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void torchvisionsStochasticDepthIsWrittenBare() {
        Compilation c = compile("""
                return torch.stochastic_depth(conv(x), 0.5, 'row')
                """);
        assertThat(DslDiagnostics.error(c, Message.UNKNOWN_NAME)).contains("PyTorch has it in no namespace");
        assertThat(c).hadErrorCount(1);
        assertThat(compile("""
                return stochastic_depth(conv(x), 0.5, 'row')
                """)).succeeded();
    }

    @Test
    void everySpellingPyTorchHasCompiles() {
        assertThat(compile("""
                y = torch.nn.functional.gelu(conv(x), approximate='tanh')
                y = nn.functional.relu(F.leaky_relu(torch.relu(y), 0.2), inplace=False)
                y = torch.sigmoid(F.tanh(y)) + F.sigmoid(torch.tanh(y))
                y = torch.max_pool2d(F.max_pool2d(y, 1), 1)
                a, b = torch.functional.split(torch.flatten(y, 1), 128, 1)
                return torch.softmax(a, 1) + F.log_softmax(b, 1)
                """)).succeeded();
    }

    /** torch.dropout(input, p, train) is ATen's: no defaults, and the mode is called train. */
    @Test
    void torchDropoutHasItsOwnSignature() {
        assertThat(compile("""
                return torch.dropout(conv(x), 0.5, self.training) + torch.dropout(conv(x), p=0.2, train=False)
                """)).succeeded();
        Compilation missing = compile("""
                return torch.dropout(conv(x), 0.5)
                """);
        assertThat(DslDiagnostics.error(missing, Message.WRONG_ARGUMENTS)).contains("dropout needs train");
        assertThat(missing).hadErrorCount(1);
        Compilation keyword = compile("""
                return torch.dropout(conv(x), 0.5, training=False)
                """);
        assertThat(DslDiagnostics.error(keyword, Message.WRONG_ARGUMENTS)).contains("dropout has no parameter training");
        assertThat(keyword).hadErrorCount(1);
    }

    /** torch.relu has no inplace (F.relu has), and F.gelu takes approximate by keyword only. */
    @Test
    void parametersArePyTorchsInEachNamespace() {
        Compilation inplace = compile("""
                return torch.relu(conv(x), inplace=True)
                """);
        assertThat(DslDiagnostics.error(inplace, Message.WRONG_ARGUMENTS)).contains("relu has no parameter inplace");
        assertThat(inplace).hadErrorCount(1);
        Compilation positional = compile("""
                return F.gelu(conv(x), 'tanh')
                """);
        assertThat(DslDiagnostics.error(positional, Message.WRONG_ARGUMENTS))
                .contains("gelu takes approximate by keyword only");
        assertThat(positional).hadErrorCount(1);
    }
}
