/**
 * Reads a {@code @Model} class through {@code javax.lang.model} into the graph: every layer field becomes a node
 * whose attributes keep their element, annotation mirror and value, so later stages can point at the exact attribute.
 * Mistakes in the declaration itself (modifiers, field types, the input shape) are reported here.
 */
package dev.shapeproof.processor.read;
