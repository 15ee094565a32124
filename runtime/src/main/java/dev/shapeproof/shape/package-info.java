/**
 * Pure shape algebra: output sizes, receptive fields, MACs and parameter shapes, as PyTorch computes them.
 *
 * <p>No ND4J and no {@code javax.lang.model}: the annotation processor proves shapes with these rules at compile time
 * and the runtime uses the same ones, so the two can never disagree. Integer arithmetic is PyTorch's: floor division
 * ({@link Math#floorDiv}), never Java's truncating {@code /}.
 */
package dev.shapeproof.shape;
