package dev.shapeproof.processor.read;

import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.Trees;
import java.util.OptionalInt;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;

/**
 * How many annotations the source writes on an element, from javac's syntax tree. javac drops an annotation whose
 * type does not resolve ({@code @Conv2D} for {@code @Conv2d}) from the element's mirrors and reports it itself, later;
 * comparing the two counts tells the processor to leave that field to javac's error. Compilers without javac's tree
 * API give no count, and then nothing is assumed.
 */
public final class WrittenAnnotations {
    private final Trees trees;

    private WrittenAnnotations(Trees trees) {
        this.trees = trees;
    }

    public static WrittenAnnotations of(ProcessingEnvironment environment) {
        try {
            return new WrittenAnnotations(Trees.instance(environment));
        } catch (IllegalArgumentException | LinkageError e) {
            return new WrittenAnnotations(null);
        }
    }

    /** The annotations written on {@code field} in its source, or empty when unknown (a class file, another compiler). */
    OptionalInt count(Element field) {
        if (trees == null) {
            return OptionalInt.empty();
        }
        Tree tree = trees.getTree(field);
        return tree instanceof VariableTree variable
                ? OptionalInt.of(variable.getModifiers().getAnnotations().size()) : OptionalInt.empty();
    }

    /** The annotations written on {@code field} whose type did not resolve: what the source has beyond the mirrors. */
    boolean hasUnresolved(Element field) {
        OptionalInt written = count(field);
        return written.isPresent() && written.getAsInt() > field.getAnnotationMirrors().size();
    }
}
