/**
 * One definition per operation: its attributes with their defaults and rules, its cross-attribute validation, its
 * shape rule (delegating the arithmetic to {@code dev.shapeproof.shape}), its parameters, MACs and receptive-field
 * step, and how the generated code constructs its layer. Adding an op means adding one class here and registering it
 * in {@link dev.shapeproof.processor.op.Ops}; nothing else switches over op kinds.
 */
package dev.shapeproof.processor.op;
