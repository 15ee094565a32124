/**
 * The intermediate form every model is lowered to: a graph of {@link dev.shapeproof.processor.graph.Node}s (module
 * calls, later functional ops) joined by {@link dev.shapeproof.processor.graph.Value}s, with the source location of
 * every attribute. Sequential models and forward-DSL models build the same graph; checking and emission read only it.
 * Immutable once built.
 */
package dev.shapeproof.processor.graph;
