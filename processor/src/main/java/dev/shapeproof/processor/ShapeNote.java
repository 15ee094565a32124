package dev.shapeproof.processor;

import dev.shapeproof.processor.check.CheckedModel;
import dev.shapeproof.processor.check.CheckedNode;
import java.util.Locale;

/** The compile-time note {@code -Ashapeproof.summary=true} prints: each layer's output shape and parameters. */
final class ShapeNote {
    private ShapeNote() {}

    static String of(CheckedModel model) {
        StringBuilder text = new StringBuilder();
        text.append(model.graph().type().getSimpleName()).append(": input ").append(model.input()).append('\n');
        long total = 0;
        for (CheckedNode<?> node : model.nodes()) {
            total += node.trainableCount();
            text.append(String.format(Locale.ROOT, "  %-16s %-18s %-22s %,d params%n", node.name(), node.op().name(),
                    node.output(), node.trainableCount()));
        }
        text.append(String.format(Locale.ROOT, "  output %s, %,d trainable params", model.output(), total));
        return text.toString();
    }
}
