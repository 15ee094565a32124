package dev.shapeproof.processor;

import com.google.testing.compile.Compilation;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

class FreeSizesExploreTest {
    static void show(String title, String... lines) {
        JavaFileObject net = Sources.model("Net", lines);
        Compilation c = Sources.compile(net);
        System.out.println("=== " + title + " " + c.status());
        c.diagnostics().forEach(d -> System.out.println(d.getKind() + " line " + d.getLineNumber() + ": " + d.getMessage(null)));
        if (c.status() != Compilation.Status.SUCCESS) return;
        c.generatedSourceFiles().forEach(f -> {
            try {
                Matcher m = Pattern.compile("derived exactly at compile time: (.*)\\.").matcher(f.getCharContent(true));
                if (m.find()) System.out.println("SET: " + m.group(1).replace("&#123;", "{").replace("&#125;", "}"));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void explore() {
        show("skip odd", "@Model(dims = \"8, H, W\", forward = \"\"\"",
                "    a = conv(x)", "    b = max_pool2d(x, 2)", "    return a + b", "    \"\"\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3, stride = 2) Conv2dLayer conv;", "}");
        show("issue example", "@Model(dims = \"8, H, W\", forward = \"\"\"",
                "    a = c3(c2(c1(x)))", "    b = max_pool2d(x, 8, ceil_mode=True)", "    return a + b", "    \"\"\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3, stride = 2) Conv2dLayer c1;",
                "    @Conv2d(out = 8, kernel = 3, stride = 2) Conv2dLayer c2;",
                "    @Conv2d(out = 8, kernel = 3, stride = 2) Conv2dLayer c3;", "}");
        show("lenet", "@Model(dims = \"1, H, W\", forward = \"\"\"",
                "    x = max_pool2d(relu(conv1(x)), 2)", "    x = max_pool2d(relu(conv2(x)), 2)",
                "    return fc(flatten(x, 1))", "    \"\"\")",
                "abstract class Net {", "    @Conv2d(out = 10, kernel = 5) Conv2dLayer conv1;",
                "    @Conv2d(out = 20, kernel = 5) Conv2dLayer conv2;", "    @Linear(in = 320, out = 10) LinearLayer fc;", "}");
        show("really empty", "@Model(dims = \"8, H, W\", forward = \"\"\"",
                "    a = avg_pool2d(x, 2)", "    return cat([a, c1(x), c2(x)], dim=1)", "    \"\"\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3, stride = 2, padding = 1) Conv2dLayer c1;",
                "    @Conv2d(out = 8, kernel = 3, stride = 2) Conv2dLayer c2;", "}");
        show("conflict", "@Model(dims = \"8, H, W\", forward = \"\"\"",
                "    a = cat([avg_pool2d(x, 2), c1(x)], dim=1)", "    return fc(flatten(a, 1))", "    \"\"\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3, stride = 2, padding = 1) Conv2dLayer c1;",
                "    @Linear(in = 784, out = 10) LinearLayer fc;", "}");
        show("empty", "@Model(dims = \"8, H, W\", forward = \"\"\"",
                "    a = conv(x)", "    b = max_pool2d(x, 2)", "    c = a + b", "    return fc(flatten(c, 1))", "    \"\"\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3, stride = 2) Conv2dLayer conv;",
                "    @Linear(in = 128, out = 10) LinearLayer fc;", "}");
        show("bounds exclude", "@Model(dims = \"8, H, W\", sizes = \"H <= 20, W <= 20\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 25) Conv2dLayer conv;", "}");
        show("few", "@Model(dims = \"8, H, W\", sizes = \"H <= 1024, W <= 1024\", forward = \"\"\"",
                "    a = conv(x)", "    b = max_pool2d(x, 2)", "    return a + b", "    \"\"\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3, stride = 2) Conv2dLayer conv;", "}");
        show("shape read", "@Model(dims = \"3, H, W\", forward = \"\"\"",
                "    y = conv(x)", "    return interpolate(y, size=x.shape[-2:])", "    \"\"\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3, stride = 2) Conv2dLayer conv;", "}");
        show("linear inferred", "@Model(dims = \"3, H, W\", forward = \"\"\"",
                "    return fc(flatten(conv(x), 1))", "    \"\"\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3) Conv2dLayer conv;",
                "    @Linear(out = 10) LinearLayer fc;", "}");
        show("syntax", "@Model(dims = \"3, H, W\", forward = \"\"\"",
                "    return conv(x", "    \"\"\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3) Conv2dLayer conv;", "}");
        show("channel", "@Model(dims = \"3, H, W\")",
                "abstract class Net {", "    @Conv2d(in = 4, out = 8, kernel = 3) Conv2dLayer conv;", "}");
        show("bad dims", "@Model(dims = \"C, H, W\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3) Conv2dLayer conv;", "}");
        show("bad sizes", "@Model(dims = \"3, H, W\", sizes = \"X >= 3\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3) Conv2dLayer conv;", "}");
        show("square", "@Model(dims = \"3, S, S\", forward = \"\"\"",
                "    return conv(x)", "    \"\"\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 4, stride = 2) Conv2dLayer conv;", "}");
        show("two inputs", "@Model(inputs = {@Input(name = \"image\", dims = \"3, H, W\"), @Input(name = \"mask\", dims = \"1, H, W\")}, forward = \"\"\"",
                "    return cat([conv(image), mask], dim=1)", "    \"\"\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3, padding = 1) Conv2dLayer conv;", "}");
        show("inexact", "@Model(dims = \"3, H, W\", forward = \"\"\"",
                "    return interpolate(conv(x), scale_factor=0.3)", "    \"\"\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3) Conv2dLayer conv;", "}");
        show("ceil", "@Model(dims = \"8, H, W\", forward = \"\"\"",
                "    a = max_pool2d(x, 2, ceil_mode=True)", "    b = avg_pool2d(x, 3, stride=2, padding=1)", "    return a + b", "    \"\"\")",
                "abstract class Net {", "    @Conv2d(out = 8, kernel = 3) Conv2dLayer unused;", "}");
    }
}
