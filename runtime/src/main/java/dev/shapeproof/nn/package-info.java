/**
 * The runtime layer types, one per layer annotation ({@code @Conv2d} → {@link dev.shapeproof.nn.Conv2dLayer}).
 *
 * <p>A user's field declares one of these types; the generated model constructs it with the configuration the
 * processor proved. The ND4J kernels and the parameters arrive with the forward pass; today a layer holds its
 * configuration.
 */
package dev.shapeproof.nn;
