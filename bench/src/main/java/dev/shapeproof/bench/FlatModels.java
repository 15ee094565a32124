package dev.shapeproof.bench;

import java.net.URI;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;

/** Large flat models for {@link CompileCost}, written as a user would: one annotated field per layer, no forward. */
final class FlatModels {
    private FlatModels() {}

    /** {@code count} Linear(16, 16) layers on a 16-feature input. */
    static JavaFileObject linear(int count) {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < count; i++) {
            fields.append("    @Linear(in = 16, out = 16) LinearLayer fc").append(i).append(";\n");
        }
        return source("FlatLinear", "@Model(input = {16})", fields);
    }

    /** {@code triples} times a 3×3 conv, BatchNorm and ReLU on 8×8×8 maps: a VGG-like stack, 3 layers a triple. */
    static JavaFileObject convBnRelu(int triples) {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < triples; i++) {
            fields.append("    @Conv2d(in = 8, out = 8, kernel = 3, padding = 1, bias = false) Conv2dLayer conv")
                    .append(i).append(";\n");
            fields.append("    @BatchNorm2d BatchNorm2dLayer bn").append(i).append(";\n");
            fields.append("    @ReLU(inplace = true) ReLULayer relu").append(i).append(";\n");
        }
        return source("FlatConv", "@Model(input = {8, 8, 8})", fields);
    }

    private static JavaFileObject source(String name, String annotation, CharSequence fields) {
        String text = "package bench.compilecost;\n\n"
                + "import dev.shapeproof.*;\n"
                + "import dev.shapeproof.nn.*;\n\n"
                + annotation + "\n"
                + "public abstract class " + name + " {\n" + fields + "}\n";
        return new SimpleJavaFileObject(URI.create("string:///bench/compilecost/" + name + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
    }
}
