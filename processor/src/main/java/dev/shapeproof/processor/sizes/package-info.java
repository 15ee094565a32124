/**
 * Free input sizes: reading {@code dims = "3, H, W"} and {@code sizes = "H >= 32"}, deriving exactly which sizes the
 * model admits, and what the generated code needs to serve every one of them. docs/any-size.md explains the method and
 * why it is exact; in short:
 *
 * <ol>
 *   <li>{@link FreeSizeCompiler} lowers the model at a reference size with the ordinary compile-time interpreter,
 *       which gives the op graph. A forward that reads a free size ({@code x.shape[-2:]}) is refused: its graph could
 *       differ from size to size.
 *   <li>{@link SymbolicShapes} gives every value's shape as {@link dev.shapeproof.sizes.Size}s of the free sizes,
 *       from each op's size rule ({@link SizeRules}).
 *   <li>{@link SizeAnalysis} derives from those sizes, for each free size, a period and a threshold past which every
 *       op's verdict repeats with that period, and which free sizes constrain each other.
 *   <li>{@link Replay} runs the op graph's shape checks (each op's own {@code infer}, the checker's code) at every
 *       size up to threshold + period, or jointly on a grid for free sizes that constrain each other; the verdicts
 *       are the admissible set, exactly.
 * </ol>
 */
package dev.shapeproof.processor.sizes;
