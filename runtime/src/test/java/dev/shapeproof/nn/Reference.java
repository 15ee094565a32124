package dev.shapeproof.nn;

import dev.shapeproof.shape.Window;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A naive double-precision implementation of every kernel in {@link F}, written from PyTorch's definitions with
 * direct loops and nothing from ND4J but the array I/O. Its geometry (output sizes, windows, divisors, bins) is
 * computed here independently of {@link Window#outputSize(int)} and of {@code F}.
 */
public final class Reference {
    private Reference() {}

    /** A dense c-order tensor of doubles. */
    public record Tensor(double[] data, int[] shape) {
        Tensor(int... shape) {
            this(new double[count(shape)], shape);
        }

        public static Tensor of(INDArray array) {
            long[] s = array.shape();
            int[] shape = new int[s.length];
            for (int i = 0; i < s.length; i++) {
                shape[i] = Math.toIntExact(s[i]);
            }
            double[] data = array.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            return new Tensor(data, shape);
        }

        public INDArray toNd4j() {
            long[] s = new long[shape.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = shape[i];
            }
            return Nd4j.create(data.clone(), s, 'c').castTo(DataType.DOUBLE);
        }

        int size(int dim) {
            return shape[dim];
        }

        double get4(int n, int c, int h, int w) {
            return data[((n * shape[1] + c) * shape[2] + h) * shape[3] + w];
        }

        void set4(int n, int c, int h, int w, double value) {
            data[((n * shape[1] + c) * shape[2] + h) * shape[3] + w] = value;
        }

        static int count(int[] shape) {
            int n = 1;
            for (int s : shape) {
                n *= s;
            }
            return n;
        }
    }

    // ---------------------------------------------------------------------------------------------------- geometry

    /** PyTorch's {@code pooling_output_shape} (and the convolution rule when {@code ceil} is false). */
    static int outSize(int input, int kernel, int stride, int padBefore, int padAfter, int dilation, boolean ceil) {
        int numerator = input + padBefore + padAfter - dilation * (kernel - 1) - 1 + (ceil ? stride - 1 : 0);
        int out = Math.floorDiv(numerator, stride) + 1;
        if (ceil && (out - 1) * stride >= input + padBefore) {
            out--; // the last window would start in the right padding
        }
        return out;
    }

    static int outSize(int input, Window w) {
        return outSize(input, w.kernel(), w.stride(), w.padBefore(), w.padAfter(), w.dilation(), w.ceilMode());
    }

    // ------------------------------------------------------------------------------------------------- convolution

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Window hw, Window ww, int groups) {
        int n = x.size(0), cIn = x.size(1), h = x.size(2), w = x.size(3);
        int cOut = weight.size(0), kh = weight.size(2), kw = weight.size(3);
        int inPerGroup = cIn / groups, outPerGroup = cOut / groups;
        int oh = outSize(h, hw), ow = outSize(w, ww);
        Tensor y = new Tensor(n, cOut, oh, ow);
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < cOut; o++) {
                int g = o / outPerGroup;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = bias == null ? 0 : bias.data()[o];
                        for (int c = 0; c < inPerGroup; c++) {
                            for (int p = 0; p < kh; p++) {
                                int row = i * hw.stride() - hw.padBefore() + p * hw.dilation();
                                if (row < 0 || row >= h) {
                                    continue;
                                }
                                for (int q = 0; q < kw; q++) {
                                    int col = j * ww.stride() - ww.padBefore() + q * ww.dilation();
                                    if (col < 0 || col >= w) {
                                        continue;
                                    }
                                    sum += x.get4(b, g * inPerGroup + c, row, col) * weight.get4(o, c, p, q);
                                }
                            }
                        }
                        y.set4(b, o, i, j, sum);
                    }
                }
            }
        }
        return y;
    }

    // ----------------------------------------------------------------------------------------------------- pooling

    public static Tensor maxPool2d(Tensor x, Window hw, Window ww) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        int oh = outSize(h, hw), ow = outSize(w, ww);
        Tensor y = new Tensor(n, c, oh, ow);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double max = Double.NEGATIVE_INFINITY; // padding taps are skipped: they act as -inf
                        for (int p = 0; p < hw.kernel(); p++) {
                            int row = i * hw.stride() - hw.padBefore() + p * hw.dilation();
                            for (int q = 0; q < ww.kernel(); q++) {
                                int col = j * ww.stride() - ww.padBefore() + q * ww.dilation();
                                if (row >= 0 && row < h && col >= 0 && col < w) {
                                    max = Math.max(max, x.get4(b, ch, row, col));
                                }
                            }
                        }
                        y.set4(b, ch, i, j, max);
                    }
                }
            }
        }
        return y;
    }

    /** PyTorch's {@code avg_pool2d} kernel (aten/src/ATen/native/cpu/AvgPoolKernel.cpp), padding per side. */
    static Tensor avgPool2d(Tensor x, Window hw, Window ww, boolean countIncludePad) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        int oh = outSize(h, hw), ow = outSize(w, ww);
        Tensor y = new Tensor(n, c, oh, ow);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int h0 = i * hw.stride() - hw.padBefore();
                        int w0 = j * ww.stride() - ww.padBefore();
                        int h1 = Math.min(h0 + hw.kernel(), h + hw.padAfter());
                        int w1 = Math.min(w0 + ww.kernel(), w + ww.padAfter());
                        int poolSize = (h1 - h0) * (w1 - w0);
                        h0 = Math.max(h0, 0);
                        w0 = Math.max(w0, 0);
                        h1 = Math.min(h1, h);
                        w1 = Math.min(w1, w);
                        double sum = 0;
                        for (int row = h0; row < h1; row++) {
                            for (int col = w0; col < w1; col++) {
                                sum += x.get4(b, ch, row, col);
                            }
                        }
                        int divisor = countIncludePad ? poolSize : (h1 - h0) * (w1 - w0);
                        y.set4(b, ch, i, j, sum / divisor);
                    }
                }
            }
        }
        return y;
    }

    static Tensor adaptiveAvgPool2d(Tensor x, int oh, int ow) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        Tensor y = new Tensor(n, c, oh, ow);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < oh; i++) {
                    int h0 = (int) Math.floor((double) i * h / oh);
                    int h1 = (int) Math.ceil((double) (i + 1) * h / oh);
                    for (int j = 0; j < ow; j++) {
                        int w0 = (int) Math.floor((double) j * w / ow);
                        int w1 = (int) Math.ceil((double) (j + 1) * w / ow);
                        double sum = 0;
                        for (int row = h0; row < h1; row++) {
                            for (int col = w0; col < w1; col++) {
                                sum += x.get4(b, ch, row, col);
                            }
                        }
                        y.set4(b, ch, i, j, sum / ((h1 - h0) * (w1 - w0)));
                    }
                }
            }
        }
        return y;
    }

    // -------------------------------------------------------------------------------------------------- batch norm

    static Tensor batchNorm2d(Tensor x, Tensor mean, Tensor var, Tensor weight, Tensor bias, double eps) {
        Tensor y = new Tensor(x.shape().clone());
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                double scale = (weight == null ? 1 : weight.data()[ch]) / Math.sqrt(var.data()[ch] + eps);
                double shift = bias == null ? 0 : bias.data()[ch];
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        y.set4(b, ch, i, j, (x.get4(b, ch, i, j) - mean.data()[ch]) * scale + shift);
                    }
                }
            }
        }
        return y;
    }

    // ------------------------------------------------------------------------------------------------- activations

    static Tensor map(Tensor x, java.util.function.DoubleUnaryOperator f) {
        double[] out = new double[x.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(x.data()[i]);
        }
        return new Tensor(out, x.shape().clone());
    }

    static double relu(double v) {
        return Math.max(v, 0);
    }

    static double leakyRelu(double v, double slope) {
        return v >= 0 ? v : slope * v;
    }

    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    static double gelu(double v) {
        return 0.5 * v * (1 + erf(v / Math.sqrt(2)));
    }

    static double geluTanh(double v) {
        return 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
    }

    /** erf to ~1e-15: its Maclaurin series for |x| < 2 (cancellation grows beyond), erfc's continued fraction above. */
    static double erf(double x) {
        double a = Math.abs(x);
        double result;
        if (a < 2) {
            double term = a;
            double sum = a;
            for (int k = 1; k < 200; k++) {
                term *= -a * a / k;
                double next = term / (2 * k + 1);
                sum += next;
                if (Math.abs(next) < 1e-17) {
                    break;
                }
            }
            result = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // erfc(a) = exp(-a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + …)))))
            double fraction = a;
            for (int k = 120; k >= 1; k--) {
                fraction = a + (k / 2.0) / fraction;
            }
            result = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / fraction;
        }
        return x < 0 ? -result : result;
    }

    // ----------------------------------------------------------------------------------------------------- softmax

    static Tensor softmax(Tensor x, int dim, boolean log) {
        int[] shape = x.shape();
        int d = dim < 0 ? dim + shape.length : dim;
        int outer = 1, inner = 1, size = shape[d];
        for (int i = 0; i < d; i++) {
            outer *= shape[i];
        }
        for (int i = d + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        double[] in = x.data();
        double[] out = new double[in.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * size * inner + i;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < size; k++) {
                    max = Math.max(max, in[base + k * inner]);
                }
                double sum = 0;
                for (int k = 0; k < size; k++) {
                    sum += Math.exp(in[base + k * inner] - max);
                }
                for (int k = 0; k < size; k++) {
                    double shifted = in[base + k * inner] - max;
                    out[base + k * inner] = log ? shifted - Math.log(sum) : Math.exp(shifted) / sum;
                }
            }
        }
        return new Tensor(out, shape.clone());
    }

    // ------------------------------------------------------------------------------------------------------ linear

    static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        int[] shape = x.shape();
        int in = weight.size(1), out = weight.size(0);
        int rows = x.data().length / in;
        int[] outShape = shape.clone();
        outShape[outShape.length - 1] = out;
        Tensor y = new Tensor(outShape);
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double sum = bias == null ? 0 : bias.data()[o];
                for (int i = 0; i < in; i++) {
                    sum += x.data()[r * in + i] * weight.data()[o * in + i];
                }
                y.data()[r * out + o] = sum;
            }
        }
        return y;
    }

    // ------------------------------------------------------------------------------------------ cat, add, reshape

    /** Row-major strides of a shape. */
    static int[] strides(int[] shape) {
        int[] strides = new int[shape.length];
        int stride = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            strides[k] = stride;
            stride *= shape[k];
        }
        return strides;
    }

    /** {@code torch.cat}: element by element, each output index mapped to its input and offset along {@code dim}. */
    static Tensor cat(int dim, Tensor... tensors) {
        int rank = tensors[0].shape().length;
        int d = dim < 0 ? dim + rank : dim;
        int[] shape = tensors[0].shape().clone();
        shape[d] = 0;
        for (Tensor t : tensors) {
            shape[d] += t.size(d);
        }
        Tensor y = new Tensor(shape);
        int[] outStrides = strides(shape);
        int[] index = new int[rank];
        for (int flat = 0; flat < y.data().length; flat++) {
            int rest = flat;
            for (int k = 0; k < rank; k++) {
                index[k] = rest / outStrides[k];
                rest %= outStrides[k];
            }
            int along = index[d];
            int which = 0;
            while (along >= tensors[which].size(d)) {
                along -= tensors[which].size(d);
                which++;
            }
            Tensor source = tensors[which];
            int[] sourceStrides = strides(source.shape());
            int offset = 0;
            for (int k = 0; k < rank; k++) {
                offset += (k == d ? along : index[k]) * sourceStrides[k];
            }
            y.data()[flat] = source.data()[offset];
        }
        return y;
    }

    /** {@code a + b} with NumPy/PyTorch broadcasting, written out: size-1 (or missing) dimensions index 0. */
    static Tensor add(Tensor a, Tensor b) {
        int rank = Math.max(a.shape().length, b.shape().length);
        int[] shape = new int[rank];
        for (int k = 0; k < rank; k++) {
            int sa = sizeFromEnd(a, rank - k);
            int sb = sizeFromEnd(b, rank - k);
            if (sa != sb && sa != 1 && sb != 1) {
                throw new IllegalArgumentException("not broadcastable");
            }
            shape[k] = Math.max(sa, sb);
        }
        Tensor y = new Tensor(shape);
        int[] outStrides = strides(shape);
        for (int flat = 0; flat < y.data().length; flat++) {
            int rest = flat;
            int offsetA = 0;
            int offsetB = 0;
            int[] stridesA = strides(a.shape());
            int[] stridesB = strides(b.shape());
            for (int k = 0; k < rank; k++) {
                int i = rest / outStrides[k];
                rest %= outStrides[k];
                int ka = k - (rank - a.shape().length);
                int kb = k - (rank - b.shape().length);
                if (ka >= 0 && a.shape()[ka] != 1) {
                    offsetA += i * stridesA[ka];
                }
                if (kb >= 0 && b.shape()[kb] != 1) {
                    offsetB += i * stridesB[kb];
                }
            }
            y.data()[flat] = a.data()[offsetA] + b.data()[offsetB];
        }
        return y;
    }

    /** The size of dimension {@code rank − back} counted from the end, 1 where {@code t} has no such dimension. */
    private static int sizeFromEnd(Tensor t, int back) {
        int k = t.shape().length - back;
        return k >= 0 ? t.shape()[k] : 1;
    }

    /** {@code x.reshape(shape)}: the same elements in c order, one {@code -1} inferred. */
    static Tensor reshape(Tensor x, int... shape) {
        int[] resolved = shape.clone();
        int known = 1;
        int inferred = -1;
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] == -1) {
                inferred = k;
            } else {
                known *= shape[k];
            }
        }
        if (inferred >= 0) {
            resolved[inferred] = x.data().length / known;
        }
        return new Tensor(x.data().clone(), resolved);
    }

    // ---------------------------------------------------------------------------------------------- interpolate

    /**
     * PyTorch's legacy {@code nearest} source index ({@code nearest_idx}): the kernel copies when {@code out == in}
     * and halves when {@code out == 2·in}; otherwise {@code floor(dst·s)}, clamped to the last cell, where
     * PyTorch's {@code s} is a float32 ({@code 1/scale_factor} when given, else {@code in/out}) and the product a
     * float32 too: an index, so it is computed exactly as PyTorch defines it.
     */
    static int nearestSource(int dst, int in, int out, double scale) {
        if (out == in) {
            return dst;
        }
        if (out == 2 * in) {
            return dst / 2;
        }
        float s = scale > 0 ? (float) (1 / scale) : (float) in / (float) out;
        float product = (float) dst * s;
        return Math.min((int) Math.floor(product), in - 1);
    }

    static Tensor interpolateNearest(Tensor x, int oh, int ow, double scaleH, double scaleW) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        Tensor y = new Tensor(n, c, oh, ow);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < oh; i++) {
                    int row = nearestSource(i, h, oh, scaleH);
                    for (int j = 0; j < ow; j++) {
                        y.set4(b, ch, i, j, x.get4(b, ch, row, nearestSource(j, w, ow, scaleW)));
                    }
                }
            }
        }
        return y;
    }

    /**
     * PyTorch's linear source coordinate in double: {@code dst·(in−1)/(out−1)} with align_corners (0 for one
     * output), else {@code (dst + 0.5)/scale − 0.5} ({@code in/out} for {@code 1/scale} without a scale factor),
     * negative values clamped to 0; {@code out == in} copies.
     */
    static double linearSource(int dst, int in, int out, double scale, boolean alignCorners) {
        if (out == in) {
            return dst;
        }
        if (alignCorners) {
            return out > 1 ? dst * (double) (in - 1) / (out - 1) : 0;
        }
        double ratio = scale > 0 ? 1 / scale : (double) in / out;
        return Math.max(0, (dst + 0.5) * ratio - 0.5);
    }

    static Tensor interpolateBilinear(Tensor x, int oh, int ow, double scaleH, double scaleW, boolean alignCorners) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        Tensor y = new Tensor(n, c, oh, ow);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < oh; i++) {
                    double sy = linearSource(i, h, oh, scaleH, alignCorners);
                    int y0 = (int) Math.floor(sy);
                    int y1 = Math.min(y0 + 1, h - 1);
                    double ly = sy - y0;
                    for (int j = 0; j < ow; j++) {
                        double sx = linearSource(j, w, ow, scaleW, alignCorners);
                        int x0 = (int) Math.floor(sx);
                        int x1 = Math.min(x0 + 1, w - 1);
                        double lx = sx - x0;
                        double top = (1 - lx) * x.get4(b, ch, y0, x0) + lx * x.get4(b, ch, y0, x1);
                        double bottom = (1 - lx) * x.get4(b, ch, y1, x0) + lx * x.get4(b, ch, y1, x1);
                        y.set4(b, ch, i, j, (1 - ly) * top + ly * bottom);
                    }
                }
            }
        }
        return y;
    }
}
