package dev.shapeproof.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;

/** Test sources and the compiler set up as a user's build would run ShapeProof. */
final class Sources {
    private Sources() {}

    /** A source file {@code test.<name>} with the usual imports, from its lines. */
    static JavaFileObject model(String name, String... lines) {
        String[] all = new String[lines.length + 4];
        all[0] = "package test;";
        all[1] = "import dev.shapeproof.*;";
        all[2] = "import dev.shapeproof.nn.*;";
        all[3] = "";
        System.arraycopy(lines, 0, all, 4, lines.length);
        return JavaFileObjects.forSourceLines("test." + name, all);
    }

    static Compilation compile(JavaFileObject... sources) {
        return Compiler.javac().withProcessors(new ShapeProofProcessor()).compile(sources);
    }
}
