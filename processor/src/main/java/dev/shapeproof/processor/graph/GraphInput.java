package dev.shapeproof.processor.graph;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.shape.TensorShape;

/** An input of the model: its value and its declared shape, batch dimension first. */
public record GraphInput(Value value, TensorShape shape, Location location) {}
