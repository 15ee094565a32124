package dev.shapeproof.processor.check;

import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.diag.Reporter;
import dev.shapeproof.processor.graph.Attribute;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.op.AttributeSpec;
import java.util.List;

/**
 * Checks each explicit attribute against its {@link AttributeSpec} rule. Defaults are PyTorch's and always valid, so
 * only what the user wrote is checked.
 */
final class AttributeRules {
    private AttributeRules() {}

    /**
     * Whether every explicit attribute of {@code node} passes its rule; reports each one that does not, naming the
     * node as {@code subject}.
     */
    static boolean check(Node node, String subject, Reporter reporter) {
        boolean valid = true;
        for (AttributeSpec spec : node.op().attributes()) {
            // A function may set fewer attributes than its module (group_norm has no channels).
            Attribute attribute = node.attributes().find(spec.name()).orElse(null);
            if (attribute != null && attribute.explicit() && !check(subject, spec, attribute, reporter)) {
                valid = false;
            }
        }
        return valid;
    }

    private static boolean check(String layer, AttributeSpec spec, Attribute attribute, Reporter reporter) {
        String name = spec.name();
        Object value = attribute.value();
        if (value instanceof List<?> && !checkPair(layer, attribute, reporter)) {
            return false;
        }
        switch (spec.rule()) {
            case POSITIVE -> {
                for (double number : numbers(value)) {
                    if (!(number > 0)) {
                        // Counts must be at least 1; a real number such as eps only above 0.
                        reporter.report(attribute.location(), Message.NOT_POSITIVE, layer, name,
                                attribute.sourceText(), spec.hint(), value instanceof Double ? "> 0" : "≥ 1");
                        return false;
                    }
                }
            }
            case NON_NEGATIVE -> {
                for (double number : numbers(value)) {
                    if (number < 0) {
                        reporter.report(attribute.location(), Message.NEGATIVE_PADDING, layer, name,
                                attribute.sourceText());
                        return false;
                    }
                }
            }
            case PROBABILITY -> {
                double p = attribute.asDouble();
                if (!(p >= 0 && p <= 1)) {
                    reporter.report(attribute.location(), Message.PROBABILITY_OUT_OF_RANGE, layer, name,
                            attribute.sourceText(), spec.hint());
                    return false;
                }
            }
            case CHOICE -> {
                if (!spec.choices().contains(attribute.asString())) {
                    reporter.report(attribute.location(), Message.INVALID_CHOICE, layer, name, attribute.asString(),
                            quoted(spec.choices()), spec.hint());
                    return false;
                }
            }
            case ANY, PAIR -> { }
        }
        return true;
    }

    /** An int array attribute holds one value for both axes or {@code {h, w}}. */
    private static boolean checkPair(String layer, Attribute attribute, Reporter reporter) {
        List<Integer> values = attribute.asInts();
        if (values.size() == 1 || values.size() == 2) {
            return true;
        }
        String example = values.size() > 2 ? "{" + values.get(0) + ", " + values.get(1) + "}" : "k or {kH, kW}";
        reporter.report(attribute.location(), Message.PAIR_EXPECTED, layer, attribute.name(), values.size(),
                values.toString().replace('[', '{').replace(']', '}'), example);
        return false;
    }

    private static double[] numbers(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().mapToDouble(item -> ((Number) item).doubleValue()).toArray();
        }
        return new double[] {((Number) value).doubleValue()};
    }

    private static String quoted(List<String> choices) {
        return choices.stream().map(choice -> "\"" + choice + "\"").reduce((a, b) -> a + ", " + b).orElse("");
    }
}
