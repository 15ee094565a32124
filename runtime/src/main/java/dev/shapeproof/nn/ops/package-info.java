/**
 * The runtime's ops, one class per op ({@link dev.shapeproof.nn.ops.Conv2dOp},
 * {@link dev.shapeproof.nn.ops.MaxPool2dOp}, ...). Each holds everything about its op: the argument checks, which
 * path runs, the Java kernel for small tensors with the measured limit that bounds it, and the ND4J path with its
 * workarounds. Read one from the top: the public method (checks, then the choice of path), its private helpers, and
 * last, under "Java path", {@code inJava} (copy in, run the kernel, copy out) and the kernel itself, PyTorch's
 * arithmetic on dense {@code float[]} arrays.
 *
 * <p>Not an API: {@link dev.shapeproof.nn.F} is the entry point that generated code and the layers call, and each
 * public method here implements the method of {@code F} with the same name and arguments, documented there. The
 * classes are public only so that {@code F} (and {@link dev.shapeproof.nn.ForwardWorkspace}, for
 * {@link dev.shapeproof.nn.ops.CallMemory}) can reach them; nothing here refers back to {@code dev.shapeproof.nn}.
 * One type here is named by generated code and the layers: {@link dev.shapeproof.nn.ops.ConvActivation}, a
 * convolution's result handed on to the next convolution, which must see the package-private blocked layout.
 *
 * <p>What the ops share, one job per class, all package-private:
 * <ul>
 *   <li>{@code SmallTensors}: whether an op runs on its Java kernel: the {@code shapeproof.smallTensorKernels}
 *       switch, the size test, and the limit the pointwise ops share;</li>
 *   <li>{@code JavaArrays}: copies between {@code INDArray}s and Java arrays, and this thread's Java scratch
 *       arrays;</li>
 *   <li>{@code CallMemory} (public for {@code ForwardWorkspace}) and {@code ReusedArrays}: the memory of a generated
 *       forward: its ND4J workspace, the arrays and views handed out again call after call, the scratch
 *       workspace;</li>
 *   <li>{@code Helpers}: ND4J's platform helpers (oneDNN) switched off around the ops they get wrong;</li>
 *   <li>{@code Windows}: the window geometry convolution and pooling share;</li>
 *   <li>{@code Checks}: the argument checks several ops share.</li>
 * </ul>
 *
 * <p>Adding an op: one class here, shaped like the others, and one method in {@code F} that forwards to it.
 */
package dev.shapeproof.nn.ops;
