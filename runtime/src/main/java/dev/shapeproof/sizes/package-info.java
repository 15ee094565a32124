/**
 * Free input sizes: a model declared with symbols for its height and width ({@code dims = "3, H, W"}) has shapes that
 * are functions of those symbols, and a set of sizes its forward accepts.
 *
 * <ul>
 *   <li>{@link Size}: one axis's size as an exact function of the free sizes ({@code ⌈H/2⌉}, {@code 2·⌊H/2⌋},
 *       {@code 64·⌈H/4⌉·⌈W/4⌉}), built from PyTorch's own rules and evaluated in exact integer arithmetic.
 *   <li>{@link SymbolicShape}: a shape made of sizes, {@code [-1, 64, ⌈H/2⌉, ⌈W/2⌉]}.
 *   <li>{@link SizeSet} and {@link AdmissibleSizes}: the sizes a model admits, in closed form
 *       ({@code H ≥ 33 and H ≡ 1 (mod 8)}), with membership and the nearest admissible sizes.
 *   <li>{@link SizePolynomial}: MACs and memory as sums of products of sizes.
 *   <li>{@link SizedSummary}: the summary of a free-size model, symbolic, and at any admissible size exactly the
 *       {@link dev.shapeproof.summary.ModelSummary} a fixed-size model of that size would have.
 * </ul>
 *
 * <p>Pure Java, like {@code dev.shapeproof.shape}: the processor derives these objects at compile time, the generated
 * code rebuilds them from their specs ({@link Size#toSpec()}, which reads back exactly), and the runtime evaluates
 * them per size.
 */
package dev.shapeproof.sizes;
