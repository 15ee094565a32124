/**
 * The runtime layer types, one per layer annotation ({@code @Conv2d} → {@link dev.shapeproof.nn.Conv2dLayer}), the
 * functional ops that generated code and the layers call ({@link dev.shapeproof.nn.F}), and the memory of one call
 * of a generated forward ({@link dev.shapeproof.nn.ForwardWorkspace}).
 *
 * <p>A user's field declares one of these types; the generated model constructs it with the configuration the
 * processor proved. The ops themselves live in {@link dev.shapeproof.nn.ops}, one class per op.
 */
package dev.shapeproof.nn;
