package dev.shapeproof.nn;

import dev.shapeproof.nn.Reference.Tensor;
import java.util.function.DoubleBinaryOperator;

/**
 * Naive double-precision definitions of the ops of "The ops that real architectures need", written from PyTorch's
 * documentation with direct index arithmetic, independent of the kernels they check: every output element computed
 * from the input elements it depends on.
 */
final class ReferenceOps {
    private ReferenceOps() {}

    static double relu6(double v) {
        return Math.min(Math.max(v, 0), 6);
    }

    static double hardsigmoid(double v) {
        return Math.min(Math.max(v + 3, 0), 6) / 6;
    }

    static double hardswish(double v) {
        return v * hardsigmoid(v);
    }

    static double silu(double v) {
        return v / (1 + Math.exp(-v));
    }

    static double mish(double v) {
        return v * Math.tanh(Math.log(1 + Math.exp(v)));
    }

    static double elu(double v, double alpha) {
        return v > 0 ? v : alpha * (Math.exp(v) - 1);
    }

    /** {@code a op b} with NumPy/PyTorch broadcasting. */
    static Tensor broadcast(Tensor a, Tensor b, DoubleBinaryOperator op) {
        int rank = Math.max(a.shape().length, b.shape().length);
        int[] shape = new int[rank];
        for (int k = 0; k < rank; k++) {
            int sa = fromEnd(a, rank - k);
            int sb = fromEnd(b, rank - k);
            if (sa != sb && sa != 1 && sb != 1) {
                throw new IllegalArgumentException("not broadcastable");
            }
            shape[k] = Math.max(sa, sb);
        }
        Tensor y = new Tensor(shape);
        int[] index = new int[rank];
        for (int flat = 0; flat < y.data().length; flat++) {
            unravel(flat, shape, index);
            y.data()[flat] = op.applyAsDouble(a.data()[broadcastOffset(a, index)], b.data()[broadcastOffset(b, index)]);
        }
        return y;
    }

    private static int fromEnd(Tensor t, int back) {
        int k = t.shape().length - back;
        return k >= 0 ? t.shape()[k] : 1;
    }

    private static int broadcastOffset(Tensor t, int[] index) {
        int rank = index.length;
        int offset = 0;
        int[] strides = Reference.strides(t.shape());
        for (int k = 0; k < t.shape().length; k++) {
            int i = index[k + rank - t.shape().length];
            offset += (t.shape()[k] == 1 ? 0 : i) * strides[k];
        }
        return offset;
    }

    static void unravel(int flat, int[] shape, int[] index) {
        for (int k = shape.length - 1; k >= 0; k--) {
            index[k] = flat % shape[k];
            flat /= shape[k];
        }
    }

    static int ravel(int[] index, int[] shape) {
        int offset = 0;
        for (int k = 0; k < shape.length; k++) {
            offset = offset * shape[k] + index[k];
        }
        return offset;
    }

    /** {@code mean}/{@code sum}/{@code amax} over {@code dims}. */
    static Tensor reduce(Tensor x, String kind, boolean keepdim, int... dims) {
        int rank = x.shape().length;
        boolean[] reduced = new boolean[rank];
        for (int d : dims) {
            reduced[d < 0 ? d + rank : d] = true;
        }
        int[] kept = new int[rank];
        for (int k = 0; k < rank; k++) {
            kept[k] = reduced[k] ? 1 : x.shape()[k];
        }
        Tensor full = new Tensor(kept);
        int[] count = new int[full.data().length];
        java.util.Arrays.fill(full.data(), kind.equals("amax") ? Double.NEGATIVE_INFINITY : 0);
        int[] index = new int[rank];
        for (int flat = 0; flat < x.data().length; flat++) {
            unravel(flat, x.shape(), index);
            int[] out = index.clone();
            for (int k = 0; k < rank; k++) {
                if (reduced[k]) {
                    out[k] = 0;
                }
            }
            int o = ravel(out, kept);
            double v = x.data()[flat];
            full.data()[o] = kind.equals("amax") ? Math.max(full.data()[o], v) : full.data()[o] + v;
            count[o]++;
        }
        if (kind.equals("mean")) {
            for (int i = 0; i < count.length; i++) {
                full.data()[i] /= count[i];
            }
        }
        if (keepdim) {
            return full;
        }
        int[] shape = java.util.Arrays.stream(java.util.stream.IntStream.range(0, rank).filter(k -> !reduced[k])
                .map(k -> x.shape()[k]).toArray()).toArray();
        return new Tensor(full.data(), shape);
    }

    /** {@code adaptive_max_pool2d}: the maximum over PyTorch's bins. */
    static Tensor adaptiveMaxPool2d(Tensor x, int oh, int ow) {
        int n = x.size(0);
        int c = x.size(1);
        int h = x.size(2);
        int w = x.size(3);
        Tensor y = new Tensor(n, c, oh, ow);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int top = (int) Math.floor((double) i * h / oh);
                        int bottom = (int) Math.ceil((double) (i + 1) * h / oh);
                        int left = (int) Math.floor((double) j * w / ow);
                        int right = (int) Math.ceil((double) (j + 1) * w / ow);
                        double max = Double.NEGATIVE_INFINITY;
                        for (int r = top; r < bottom; r++) {
                            for (int s = left; s < right; s++) {
                                max = Math.max(max, x.get4(b, ch, r, s));
                            }
                        }
                        y.set4(b, ch, i, j, max);
                    }
                }
            }
        }
        return y;
    }

    /** {@code F.pad}: each output index mapped back to the input by the mode's rule, or the value. */
    static Tensor pad(Tensor x, int[] pad, String mode, double value) {
        int rank = x.shape().length;
        int[] before = new int[rank];
        int[] shape = x.shape().clone();
        for (int i = 0; i < pad.length / 2; i++) {
            int axis = rank - 1 - i;
            before[axis] = pad[2 * i];
            shape[axis] += pad[2 * i] + pad[2 * i + 1];
        }
        Tensor y = new Tensor(shape);
        int[] index = new int[rank];
        for (int flat = 0; flat < y.data().length; flat++) {
            unravel(flat, shape, index);
            int[] source = new int[rank];
            boolean inside = true;
            for (int k = 0; k < rank; k++) {
                int n = x.shape()[k];
                int i = index[k] - before[k];
                if (i < 0 || i >= n) {
                    switch (mode) {
                        case "reflect" -> i = i < 0 ? -i : 2 * (n - 1) - i;
                        case "replicate" -> i = i < 0 ? 0 : n - 1;
                        case "circular" -> i = Math.floorMod(i, n);
                        default -> inside = false;
                    }
                }
                source[k] = i;
            }
            y.data()[flat] = inside ? x.data()[ravel(source, x.shape())] : value;
        }
        return y;
    }

    /** {@code x.permute(dims)}. */
    static Tensor permute(Tensor x, int... dims) {
        int rank = dims.length;
        int[] shape = new int[rank];
        for (int k = 0; k < rank; k++) {
            shape[k] = x.shape()[dims[k]];
        }
        Tensor y = new Tensor(shape);
        int[] index = new int[rank];
        int[] source = new int[rank];
        for (int flat = 0; flat < y.data().length; flat++) {
            unravel(flat, shape, index);
            for (int k = 0; k < rank; k++) {
                source[dims[k]] = index[k];
            }
            y.data()[flat] = x.data()[ravel(source, x.shape())];
        }
        return y;
    }

    /** {@code x[..., start:stop:step, ...]} along {@code dim}, or with {@code select} the index {@code start}. */
    static Tensor slice(Tensor x, int dim, int start, int stop, int step, boolean select) {
        int rank = x.shape().length;
        int[] shape = x.shape().clone();
        shape[dim] = select ? 1 : (stop - start + step - 1) / step;
        Tensor y = new Tensor(shape);
        int[] index = new int[rank];
        for (int flat = 0; flat < y.data().length; flat++) {
            unravel(flat, shape, index);
            int[] source = index.clone();
            source[dim] = start + index[dim] * step;
            y.data()[flat] = x.data()[ravel(source, x.shape())];
        }
        if (!select) {
            return y;
        }
        int[] dropped = new int[rank - 1];
        for (int k = 0, j = 0; k < rank; k++) {
            if (k != dim) {
                dropped[j++] = shape[k];
            }
        }
        return new Tensor(y.data(), dropped);
    }

    /** {@code x.expand(sizes)}: every output index reads the input at 0 on its broadcast axes. */
    static Tensor expand(Tensor x, int... sizes) {
        int rank = sizes.length;
        int leading = rank - x.shape().length;
        int[] shape = new int[rank];
        for (int k = 0; k < rank; k++) {
            shape[k] = sizes[k] == -1 ? x.shape()[k - leading] : sizes[k];
        }
        Tensor y = new Tensor(shape);
        int[] index = new int[rank];
        for (int flat = 0; flat < y.data().length; flat++) {
            unravel(flat, shape, index);
            int[] source = new int[x.shape().length];
            for (int k = 0; k < source.length; k++) {
                source[k] = x.shape()[k] == 1 ? 0 : index[k + leading];
            }
            y.data()[flat] = x.data()[ravel(source, x.shape())];
        }
        return y;
    }

    /**
     * {@code layer_norm} over the last {@code axes} axes, or, with {@code groups > 0}, {@code group_norm}: the rows
     * normalised by their mean and biased variance, then the affine per element of the normalized shape (layer norm)
     * or per channel (group norm).
     */
    static Tensor norm(Tensor x, int axes, int groups, Tensor weight, Tensor bias, double eps) {
        int rank = x.shape().length;
        int m;
        if (groups > 0) {
            m = x.data().length / (x.size(0) * groups);
        } else {
            m = 1;
            for (int k = rank - axes; k < rank; k++) {
                m *= x.shape()[k];
            }
        }
        Tensor y = new Tensor(x.shape());
        for (int row = 0; row < x.data().length / m; row++) {
            double mean = 0;
            for (int i = 0; i < m; i++) {
                mean += x.data()[row * m + i];
            }
            mean /= m;
            double var = 0;
            for (int i = 0; i < m; i++) {
                double d = x.data()[row * m + i] - mean;
                var += d * d;
            }
            var /= m;
            for (int i = 0; i < m; i++) {
                y.data()[row * m + i] = (x.data()[row * m + i] - mean) / Math.sqrt(var + eps);
            }
        }
        int positions = groups > 0 ? x.data().length / (x.size(0) * x.size(1)) : 0;
        for (int flat = 0; flat < y.data().length; flat++) {
            int p = groups > 0 ? (flat / positions) % x.size(1) : flat % m;
            double scale = weight == null ? 1 : weight.data()[p];
            double shift = bias == null ? 0 : bias.data()[p];
            y.data()[flat] = y.data()[flat] * scale + shift;
        }
        return y;
    }

    /**
     * {@code conv_transpose2d} by its definition: every input pixel scatters its value times the kernel onto the
     * output at {@code i·s − p + d·k}.
     */
    static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding,
            int[] outputPadding, int[] dilation, int groups) {
        int n = x.size(0);
        int in = x.size(1);
        int outPerGroup = weight.size(1);
        int kH = weight.size(2);
        int kW = weight.size(3);
        int out = outPerGroup * groups;
        int inPerGroup = in / groups;
        int oh = (x.size(2) - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kH - 1) + outputPadding[0] + 1;
        int ow = (x.size(3) - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kW - 1) + outputPadding[1] + 1;
        Tensor y = new Tensor(n, out, oh, ow);
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < in; c++) {
                int g = c / inPerGroup;
                for (int i = 0; i < x.size(2); i++) {
                    for (int j = 0; j < x.size(3); j++) {
                        double v = x.get4(b, c, i, j);
                        for (int o = 0; o < outPerGroup; o++) {
                            for (int a = 0; a < kH; a++) {
                                for (int e = 0; e < kW; e++) {
                                    int r = i * stride[0] - padding[0] + a * dilation[0];
                                    int s = j * stride[1] - padding[1] + e * dilation[1];
                                    if (r >= 0 && r < oh && s >= 0 && s < ow) {
                                        int oc = g * outPerGroup + o;
                                        y.set4(b, oc, r, s, y.get4(b, oc, r, s) + v * weight.get4(c, o, a, e));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if (bias != null) {
            for (int flat = 0; flat < y.data().length; flat++) {
                y.data()[flat] += bias.data()[(flat / (oh * ow)) % out];
            }
        }
        return y;
    }

    /**
     * {@code MultiheadAttention} (batch first, no dropout) by its definition: projections, per head
     * {@code softmax(q·kᵀ/√d)·v}, the output projection.
     */
    static Tensor attention(Tensor q, Tensor k, Tensor v, int heads, Tensor inWeight, Tensor inBias,
            Tensor outWeight, Tensor outBias) {
        int n = q.size(0);
        int l = q.size(1);
        int s = k.size(1);
        int e = q.size(2);
        int d = e / heads;
        double[][] proj = new double[3][];
        Tensor[] inputs = {q, k, v};
        for (int part = 0; part < 3; part++) {
            Tensor x = inputs[part];
            int len = x.size(1);
            proj[part] = new double[n * len * e];
            for (int b = 0; b < n; b++) {
                for (int t = 0; t < len; t++) {
                    for (int o = 0; o < e; o++) {
                        double sum = inBias == null ? 0 : inBias.data()[part * e + o];
                        for (int i = 0; i < e; i++) {
                            sum += x.data()[(b * len + t) * e + i] * inWeight.data()[(part * e + o) * e + i];
                        }
                        proj[part][(b * len + t) * e + o] = sum;
                    }
                }
            }
        }
        double[] attended = new double[n * l * e];
        for (int b = 0; b < n; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < l; i++) {
                    double[] w = new double[s];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < s; j++) {
                        double dot = 0;
                        for (int c = 0; c < d; c++) {
                            dot += proj[0][(b * l + i) * e + h * d + c] * proj[1][(b * s + j) * e + h * d + c];
                        }
                        w[j] = dot / Math.sqrt(d);
                        max = Math.max(max, w[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < s; j++) {
                        w[j] = Math.exp(w[j] - max);
                        sum += w[j];
                    }
                    for (int c = 0; c < d; c++) {
                        double acc = 0;
                        for (int j = 0; j < s; j++) {
                            acc += w[j] / sum * proj[2][(b * s + j) * e + h * d + c];
                        }
                        attended[(b * l + i) * e + h * d + c] = acc;
                    }
                }
            }
        }
        Tensor y = new Tensor(n, l, e);
        for (int row = 0; row < n * l; row++) {
            for (int o = 0; o < e; o++) {
                double sum = outBias == null ? 0 : outBias.data()[o];
                for (int i = 0; i < e; i++) {
                    sum += attended[row * e + i] * outWeight.data()[o * e + i];
                }
                y.data()[row * e + o] = sum;
            }
        }
        return y;
    }
}
