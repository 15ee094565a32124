package dev.shapeproof.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * numpy's {@code .npy} format, versions 1.0, 2.0 and 3.0, as {@code numpy.lib.format} defines it.
 *
 * <pre>
 * "\x93NUMPY"  major  minor  header_len            header                                          data
 *  6 bytes     1      1      u16 LE (1.0)           {'descr': '&lt;f4', 'fortran_order': False,       count × size
 *                            u32 LE (2.0, 3.0)       'shape': (10, 1, 5, 5), }  + spaces + '\n'
 * </pre>
 *
 * The header is a Python dict literal; only the subset numpy writes is accepted (strings, True/False, tuples of
 * integers), with exactly the three keys. Version 3.0 differs from 2.0 only in the header's encoding (UTF-8 instead
 * of latin-1).
 */
final class NpyFormat {
    private NpyFormat() {}

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Longer headers are rejected before any allocation; numpy's own default limit is 10,000 bytes. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    /** A parsed header: the dtype as written, what it means, and where the data starts. */
    record Header(String descr, StoredType type, ByteOrder order, boolean fortranOrder, long[] shape,
                  long dataOffset) {}

    /**
     * Reads the prefix and the header from the start of an entry of {@code entrySize} bytes, leaving {@code in} at
     * the first data byte.
     */
    static Header readHeader(InputStream in, long entrySize, String key) throws IOException, BadInput {
        byte[] prefix = readExactly(in, 8, "the .npy prefix (magic and version)");
        for (int i = 0; i < MAGIC.length; i++) {
            if (prefix[i] != MAGIC[i]) {
                throw new BadInput("not a .npy array: it does not start with the magic \\x93NUMPY");
            }
        }
        int major = prefix[6] & 0xff;
        int minor = prefix[7] & 0xff;
        if (minor != 0 || major < 1 || major > 3) {
            throw new BadInput("unsupported .npy format version " + major + "." + minor + " (1.0, 2.0 and 3.0 are)");
        }
        long headerLength;
        int prefixLength;
        if (major == 1) {
            byte[] length = readExactly(in, 2, "the header length");
            headerLength = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffffL;
            prefixLength = 10;
        } else {
            byte[] length = readExactly(in, 4, "the header length");
            headerLength = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffff_ffffL;
            prefixLength = 12;
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new BadInput("header length " + headerLength + " exceeds the limit of " + MAX_HEADER_BYTES
                    + " bytes");
        }
        if (prefixLength + headerLength > entrySize) {
            throw new BadInput("header length " + headerLength + " runs past the end of the entry (" + entrySize
                    + " bytes)");
        }
        byte[] headerBytes = readExactly(in, (int) headerLength, "the header");
        String text;
        if (major == 3) {
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(headerBytes)).toString();
            } catch (CharacterCodingException e) {
                throw new BadInput("the version 3.0 header is not valid UTF-8");
            }
        } else {
            text = new String(headerBytes, StandardCharsets.ISO_8859_1);
        }
        Map<String, Object> dict = new HeaderParser(text).parse();
        if (!dict.keySet().equals(KEYS)) {
            throw new BadInput("the header's keys are " + dict.keySet() + "; a .npy header has exactly 'descr', "
                    + "'fortran_order' and 'shape'");
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new BadInput("'descr' is not a string: " + describe(dict.get("descr")));
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortranOrder)) {
            throw new BadInput("'fortran_order' is not True or False: " + describe(dict.get("fortran_order")));
        }
        if (!(dict.get("shape") instanceof long[] shape)) {
            throw new BadInput("'shape' is not a tuple of integers: " + describe(dict.get("shape")));
        }
        StoredType type = typeOf(descr, key);
        ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        return new Header(descr, type, order, fortranOrder, shape, prefixLength + headerLength);
    }

    /** The type of a {@code descr} such as {@code '<f4'}, or why it is refused. */
    static StoredType typeOf(String descr, String key) throws BadInput {
        if (descr.length() < 2) {
            throw new BadInput("unsupported dtype '" + descr + "'; weights must be " + StoredType.SUPPORTED);
        }
        char byteOrder = descr.charAt(0);
        String code = descr.substring(1);
        StoredType type = StoredType.ofNpyCode(code);
        if (type == null || (byteOrder != '<' && byteOrder != '>')) {
            String name = NUMPY_NAMES.get(code);
            String what = name == null ? "" : " (" + name + ")";
            if (type != null) {
                what = " (byte order '" + byteOrder + "': a file must say '<' or '>')";
            }
            throw new BadInput("unsupported dtype '" + descr + "'" + what + "; weights must be "
                    + StoredType.SUPPORTED);
        }
        if (type == StoredType.INT64) {
            String refusal = StoredType.int64Refusal(key);
            if (refusal != null) {
                throw new BadInput("dtype '" + descr + "': " + refusal);
            }
        }
        return type;
    }

    private static final Map<String, String> NUMPY_NAMES = Map.ofEntries(
            Map.entry("b1", "bool"), Map.entry("i1", "int8"), Map.entry("u1", "uint8"), Map.entry("i2", "int16"),
            Map.entry("u2", "uint16"), Map.entry("i4", "int32"), Map.entry("u4", "uint32"), Map.entry("u8", "uint64"),
            Map.entry("f16", "longdouble"), Map.entry("f12", "longdouble"), Map.entry("c8", "complex64"),
            Map.entry("c16", "complex128"), Map.entry("O", "object: pickled Python objects"));

    private static String describe(Object value) {
        if (value instanceof long[] tuple) {
            return Shapes.tuple(tuple);
        }
        if (value instanceof String text) {
            return "'" + text + "'";
        }
        return String.valueOf(value);
    }

    private static byte[] readExactly(InputStream in, int length, String what) throws IOException, BadInput {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new BadInput("truncated: the entry ends inside " + what);
        }
        return bytes;
    }

    /**
     * The full prefix and header for an array, version 1.0 (2.0 if the header would not fit in 64 KiB, which only
     * absurd ranks reach), padded with spaces to a multiple of 64 bytes and ending in a newline, as numpy does.
     */
    static byte[] header(String descr, boolean fortranOrder, long[] shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False")
                + ", 'shape': " + Shapes.tuple(shape) + ", }";
        byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
        int prefixLength = 10;
        int padded = pad(prefixLength, text.length);
        int major = 1;
        if (padded - prefixLength > 0xffff) {
            prefixLength = 12;
            padded = pad(prefixLength, text.length);
            major = 2;
        }
        int headerLength = padded - prefixLength;
        ByteBuffer out = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            out.putShort((short) headerLength);
        } else {
            out.putInt(headerLength);
        }
        out.put(text);
        while (out.position() < padded - 1) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }

    private static int pad(int prefixLength, int textLength) {
        int unpadded = prefixLength + textLength + 1; // + '\n'
        return (unpadded + 63) / 64 * 64;
    }

    /**
     * A strict reader for the Python literal numpy writes: a dict of string keys whose values are strings, True,
     * False or tuples of non-negative integers; anything else is an error. No recursion: hostile nesting cannot
     * overflow the stack.
     */
    private static final class HeaderParser extends TextCursor {
        HeaderParser(String text) {
            super(text, "the header");
        }

        Map<String, Object> parse() throws BadInput {
            Map<String, Object> dict = new LinkedHashMap<>();
            skipSpace();
            expect('{');
            skipSpace();
            while (peek() != '}') {
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                Object value = value(key);
                if (dict.put(key, value) != null) {
                    throw new BadInput("the header repeats the key '" + key + "'");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    skipSpace();
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
            pos++;
            skipSpace();
            if (pos != text.length()) {
                throw error("unexpected text after the header's dict");
            }
            return dict;
        }

        private Object value(String key) throws BadInput {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (c == '[' && key.equals("descr")) {
                throw new BadInput("structured dtypes (a list of fields in 'descr') are not supported");
            }
            if (text.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            throw error("expected a string, True, False or a tuple");
        }

        private long[] tuple() throws BadInput {
            expect('(');
            List<Long> dims = new ArrayList<>();
            boolean trailingComma = false;
            skipSpace();
            while (peek() != ')') {
                dims.add(integer());
                skipSpace();
                trailingComma = false;
                if (peek() == ',') {
                    pos++;
                    trailingComma = true;
                    skipSpace();
                } else if (peek() != ')') {
                    throw error("expected ',' or ')' in the shape");
                }
            }
            pos++;
            if (dims.size() == 1 && !trailingComma) {
                throw error("'(n)' is an integer in Python, not a tuple; numpy writes '(n,)'");
            }
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.get(i);
            }
            return shape;
        }

        private long integer() throws BadInput {
            int start = pos;
            if (peek() == '-') {
                throw error("negative dimension in the shape");
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos)) && text.charAt(pos) < 128) {
                pos++;
            }
            if (pos == start) {
                throw error("expected a non-negative integer in the shape");
            }
            String digits = text.substring(start, pos);
            if (pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) {
                pos++; // Python 2's long suffix, in files written by numpy under Python 2
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw new BadInput("shape dimension " + abbreviate(digits) + " does not fit in 64 bits");
            }
        }

        private String string() throws BadInput {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw error("expected a quoted string");
            }
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) {
                throw error("unterminated string");
            }
            String value = text.substring(pos + 1, end);
            if (value.indexOf('\\') >= 0 || value.indexOf('\n') >= 0) {
                throw error("escapes and newlines are not expected in a .npy header string");
            }
            pos = end + 1;
            return value;
        }

        @Override
        BadInput error(String problem) {
            String shown = text.strip();
            return new BadInput("malformed header at character " + pos + ": " + problem
                    + (shown.isEmpty() ? "" : " in " + abbreviate(shown)));
        }

        private static String abbreviate(String s) {
            return abbreviate(s, 120);
        }
    }
}
