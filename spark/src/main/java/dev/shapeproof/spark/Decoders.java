package dev.shapeproof.spark;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import scala.collection.Seq;
import scala.collection.mutable.ArraySeq;

/**
 * Turns one row's input value into the floats of one sample, written into the batch at an offset: every check
 * happens here, in Java, so a bad row never reaches ND4J (where it would fail natively, or worse, shift the rest of the
 * batch by its missing or extra floats).
 */
final class Decoders {
    private Decoders() {}

    /** Why a value cannot be a sample: "found ...", completed with the row and the expected shape by the caller. */
    static final class BadValue extends Exception {
        private static final long serialVersionUID = 1L;

        BadValue(String found) {
            super(found, null, false, false);
        }
    }

    /** One row's value to one sample's floats. */
    interface Decoder {
        /** Writes the sample's {@code size} floats to {@code into} from {@code offset}. */
        void decode(Object value, float[] into, int offset) throws BadValue;
    }

    /** How image bytes become the model's floats: {@code (byte · scale − mean[c]) / std[c]}, channels in order. */
    record ImageSettings(boolean rgb, double scale, double[] mean, double[] std) implements Serializable {}

    static Decoder of(InputKind kind, int[] sample, ImageSettings image) {
        return switch (kind) {
            case ARRAY -> new ArrayDecoder(size(sample));
            case NPY -> new NpyDecoder(sample);
            case IMAGE -> new ImageDecoder(sample, image);
        };
    }

    static int size(int[] sample) {
        long size = 1;
        for (int d : sample) {
            size *= d;
        }
        return Math.toIntExact(size);
    }

    /** {@code array<float>} / {@code array<double>}: exactly the sample's number of elements, none null. */
    private record ArrayDecoder(int size) implements Decoder {
        @Override
        public void decode(Object value, float[] into, int offset) throws BadValue {
            if (value == null) {
                throw new BadValue("found null");
            }
            if (value instanceof ArraySeq.ofFloat floats) { // Spark's own array of a non-null float column
                check(floats.length());
                System.arraycopy(floats.array(), 0, into, offset, size);
                return;
            }
            if (value instanceof ArraySeq.ofDouble doubles) {
                check(doubles.length());
                double[] d = doubles.array();
                for (int i = 0; i < size; i++) {
                    into[offset + i] = (float) d[i];
                }
                return;
            }
            if (value instanceof Seq<?> seq) {
                check(seq.length());
                for (int i = 0; i < size; i++) {
                    into[offset + i] = element(seq.apply(i), i);
                }
                return;
            }
            if (value instanceof List<?> list) {
                check(list.size());
                for (int i = 0; i < size; i++) {
                    into[offset + i] = element(list.get(i), i);
                }
                return;
            }
            if (value instanceof float[] floats) {
                check(floats.length);
                System.arraycopy(floats, 0, into, offset, size);
                return;
            }
            throw new BadValue("found a " + value.getClass().getName());
        }

        private void check(int length) throws BadValue {
            if (length != size) {
                throw new BadValue("found an array of " + length + " elements ([" + length + "])");
            }
        }

        private static float element(Object element, int i) throws BadValue {
            if (element instanceof Number number) {
                return number.floatValue();
            }
            throw new BadValue("found null at element " + i);
        }
    }

    /**
     * One {@code .npy} per row, as {@code np.save} writes it: float32 or float64, either byte order, C order. Its
     * shape must be the sample's, size-1 axes aside ({@code (28, 28)} and {@code (1, 1, 28, 28)} both fit
     * {@code [1, 28, 28]}: dropping an axis of size 1 does not move any element).
     */
    private record NpyDecoder(int[] sample) implements Decoder {
        private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
        private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
        private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
        private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

        @Override
        public void decode(Object value, float[] into, int offset) throws BadValue {
            if (value == null) {
                throw new BadValue("found null");
            }
            byte[] bytes = (byte[]) value;
            if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
                throw new BadValue("found " + bytes.length + " bytes that are not a .npy file (no \\x93NUMPY magic)");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int major = bytes[6];
            long headerLength = major == 1 ? Short.toUnsignedInt(buffer.getShort(8)) : Integer.toUnsignedLong(buffer.getInt(8));
            int headerStart = major == 1 ? 10 : 12;
            if (major < 1 || major > 3 || headerStart + headerLength > bytes.length) {
                throw new BadValue("found a .npy file with a broken header (version " + major + ", header of "
                        + headerLength + " bytes in a file of " + bytes.length + ")");
            }
            String header = new String(bytes, headerStart, (int) headerLength, StandardCharsets.ISO_8859_1);
            Matcher descr = DESCR.matcher(header);
            Matcher fortran = FORTRAN.matcher(header);
            Matcher shapeText = SHAPE.matcher(header);
            if (!descr.find() || !fortran.find() || !shapeText.find()) {
                throw new BadValue("found a .npy header without descr, fortran_order and shape: " + header.trim());
            }
            long[] shape = parseShape(shapeText.group(1), header);
            String dtype = descr.group(1);
            int itemSize = switch (dtype) {
                case "<f4", ">f4" -> 4;
                case "<f8", ">f8" -> 8;
                default -> throw new BadValue("found a .npy of dtype " + dtype + " and shape " + Arrays.toString(shape)
                        + "; it must be float32 or float64");
            };
            if (!Arrays.equals(squeeze(shape), squeeze(Arrays.stream(sample).asLongStream().toArray()))) {
                throw new BadValue("found a .npy of shape " + Arrays.toString(shape));
            }
            if ("True".equals(fortran.group(1)) && nonUnitAxes(shape) > 1) {
                throw new BadValue("found a Fortran-order .npy of shape " + Arrays.toString(shape)
                        + "; save a C-order array (np.ascontiguousarray)");
            }
            int size = size(sample);
            int dataStart = headerStart + (int) headerLength;
            if ((long) bytes.length - dataStart < (long) size * itemSize) {
                throw new BadValue("found a truncated .npy of shape " + Arrays.toString(shape) + ": " + size + " "
                        + dtype + " values need " + (long) size * itemSize + " bytes, it has " + (bytes.length - dataStart));
            }
            buffer.position(dataStart);
            buffer.order(dtype.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            if (itemSize == 4) {
                buffer.asFloatBuffer().get(into, offset, size);
            } else {
                for (int i = 0; i < size; i++) {
                    into[offset + i] = (float) buffer.getDouble(dataStart + 8 * i);
                }
            }
        }

        private static long[] parseShape(String text, String header) throws BadValue {
            String[] parts = text.split(",");
            long[] shape = new long[parts.length];
            int n = 0;
            for (String part : parts) {
                if (!part.isBlank()) {
                    try {
                        shape[n++] = Long.parseLong(part.trim());
                    } catch (NumberFormatException e) {
                        throw new BadValue("found a .npy header with an unreadable shape: " + header.trim());
                    }
                }
            }
            return Arrays.copyOf(shape, n);
        }

        private static long[] squeeze(long[] shape) {
            return Arrays.stream(shape).filter(d -> d != 1).toArray();
        }

        private static int nonUnitAxes(long[] shape) {
            return squeeze(shape).length;
        }
    }

    /**
     * A row of Spark's {@code image} data source: {@code height × width × nChannels} bytes, HWC, channels BGR (or
     * BGRA, or one gray channel), as OpenCV lays them out. The model's input is {@code [C, H, W]}: the image must be
     * {@code H × W}, with {@code C} channels (a 4-channel image may feed a 3-channel model: alpha is dropped); no
     * resizing happens here, which would hide a mismatch.
     */
    private record ImageDecoder(int[] sample, ImageSettings settings) implements Decoder {
        ImageDecoder {
            if (sample.length != 3) {
                throw new IllegalArgumentException("an image column needs a model input of shape [C, H, W], this one"
                        + " is " + Arrays.toString(sample));
            }
            int channels = sample[0];
            if (channels != 1 && channels != 3 && channels != 4) {
                throw new IllegalArgumentException("an image column needs a model input of 1, 3 or 4 channels, this"
                        + " one has " + channels + " " + Arrays.toString(sample));
            }
            for (double[] values : new double[][] {settings.mean(), settings.std()}) {
                if (values.length != 0 && values.length != 1 && values.length != channels) {
                    throw new IllegalArgumentException("mean and std need 1 or " + channels + " values (one per"
                            + " channel), found " + Arrays.toString(values));
                }
            }
            for (double s : settings.std()) {
                if (!(s > 0)) {
                    throw new IllegalArgumentException("std must be positive, found " + Arrays.toString(settings.std()));
                }
            }
        }

        @Override
        public void decode(Object value, float[] into, int offset) throws BadValue {
            if (value == null) {
                throw new BadValue("found null");
            }
            Row image = (Row) value;
            int height = image.getInt(image.fieldIndex("height"));
            int width = image.getInt(image.fieldIndex("width"));
            int nChannels = image.getInt(image.fieldIndex("nChannels"));
            byte[] data = (byte[]) image.get(image.fieldIndex("data"));
            if (height <= 0 || width <= 0 || nChannels <= 0 || data == null || data.length == 0) {
                throw new BadValue("found an undecodable image (Spark's image source could not read the file)");
            }
            int channels = sample[0];
            int h = sample[1];
            int w = sample[2];
            boolean channelsFit = nChannels == channels || (nChannels == 4 && channels == 3);
            if (height != h || width != w || !channelsFit) {
                throw new BadValue("found an image of " + height + "×" + width + " with " + nChannels + " channel"
                        + (nChannels == 1 ? "" : "s") + " ([" + nChannels + ", " + height + ", " + width + "])");
            }
            if ((long) height * width * nChannels != data.length) {
                throw new BadValue("found an image of " + height + "×" + width + "×" + nChannels + " with "
                        + data.length + " bytes of data instead of " + (long) height * width * nChannels);
            }
            int plane = h * w;
            for (int c = 0; c < channels; c++) {
                // Spark's bytes are B, G, R(, A): the model's channel c is byte c for BGR, 2 − c for RGB (alpha stays 3)
                int source = settings.rgb() && c < 3 && channels >= 3 ? 2 - c : c;
                double mean = channelValue(settings.mean(), c, 0);
                double std = channelValue(settings.std(), c, 1);
                double scale = settings.scale();
                int target = offset + c * plane;
                for (int p = 0, b = source; p < plane; p++, b += nChannels) {
                    into[target + p] = (float) (((data[b] & 0xFF) * scale - mean) / std);
                }
            }
        }

        private static double channelValue(double[] values, int c, double absent) {
            return values.length == 0 ? absent : values.length == 1 ? values[0] : values[c];
        }
    }
}
