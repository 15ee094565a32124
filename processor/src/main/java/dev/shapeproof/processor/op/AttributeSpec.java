package dev.shapeproof.processor.op;

import java.util.List;

/**
 * What an annotation attribute may hold, checked before any shape is known.
 *
 * @param name the annotation attribute's name
 * @param rule the values it accepts
 * @param hint what to tell a user who broke the rule
 * @param choices for {@link Rule#CHOICE}: the accepted strings
 */
public record AttributeSpec(String name, Rule rule, String hint, List<String> choices) {

    /** The checks an attribute's value must pass. */
    public enum Rule {
        /** Anything its Java type allows. */
        ANY,
        /** One int, or an int array of one or two values; no further range. */
        PAIR,
        /** A positive int, or an int array of one or two positive values. */
        POSITIVE,
        /** A non-negative int or int array of one or two values: padding. */
        NON_NEGATIVE,
        /** A double in [0, 1]. */
        PROBABILITY,
        /** One of {@link #choices()}. */
        CHOICE
    }

    public AttributeSpec {
        choices = List.copyOf(choices);
    }

    public static AttributeSpec any(String name) {
        return new AttributeSpec(name, Rule.ANY, "", List.of());
    }

    public static AttributeSpec positive(String name, String hint) {
        return new AttributeSpec(name, Rule.POSITIVE, hint, List.of());
    }

    public static AttributeSpec nonNegative(String name) {
        return new AttributeSpec(name, Rule.NON_NEGATIVE, "", List.of());
    }

    public static AttributeSpec probability(String name, String hint) {
        return new AttributeSpec(name, Rule.PROBABILITY, hint, List.of());
    }

    public static AttributeSpec choice(String name, String hint, String... choices) {
        return new AttributeSpec(name, Rule.CHOICE, hint, List.of(choices));
    }
}
