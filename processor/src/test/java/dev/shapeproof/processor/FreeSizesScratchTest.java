package dev.shapeproof.processor;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

class FreeSizesScratchTest {
    @Test
    void scratch() throws Exception {
        JavaFileObject net = Sources.model("Net",
                "@Model(dims = \"3, H, W\", forward = \"\"\"",
                "    a = relu(conv1(x))",
                "    b = max_pool2d(a, 2)",
                "    c = interpolate(conv2(b), scale_factor=2)",
                "    return cat([a, c], dim=1)",
                "    \"\"\")",
                "abstract class Net {",
                "    @Conv2d(out = 8, kernel = 3, padding = 1) Conv2dLayer conv1;",
                "    @Conv2d(out = 8, kernel = 3, padding = 1) Conv2dLayer conv2;",
                "}");
        long start = System.nanoTime();
        Compilation c = Sources.compile(net);
        System.out.println("ms " + (System.nanoTime() - start) / 1e6);
        c.diagnostics().forEach(d -> System.out.println(d));
        c.generatedSourceFiles().forEach(f -> {
            try {
                System.out.println(f.getCharContent(true));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }
}
