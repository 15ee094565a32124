package dev.shapeproof.summary;

import java.util.List;
import java.util.Map;

/**
 * Writes a tree of {@link Map}s (keys in their iteration order), {@link List}s, strings, numbers, booleans and
 * {@code null} as indented JSON: objects one member per line, arrays that hold no object on one line
 * ({@code [-1, 10, 24, 24]}). Deterministic, so its output can be a golden file. No dependency.
 */
final class JsonWriter {
    private static final String INDENT = "  ";

    private JsonWriter() {}

    static String write(Object value) {
        StringBuilder text = new StringBuilder();
        write(text, value, 0);
        return text.append('\n').toString();
    }

    private static void write(StringBuilder text, Object value, int depth) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                text.append("{}");
                return;
            }
            text.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> member : map.entrySet()) {
                text.append(INDENT.repeat(depth + 1));
                string(text, (String) member.getKey());
                text.append(": ");
                write(text, member.getValue(), depth + 1);
                text.append(++i < map.size() ? ",\n" : "\n");
            }
            text.append(INDENT.repeat(depth)).append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                text.append("[]");
            } else if (isFlat(list)) {
                text.append('[');
                for (int i = 0; i < list.size(); i++) {
                    text.append(i > 0 ? ", " : "");
                    write(text, list.get(i), depth);
                }
                text.append(']');
            } else {
                text.append("[\n");
                for (int i = 0; i < list.size(); i++) {
                    text.append(INDENT.repeat(depth + 1));
                    write(text, list.get(i), depth + 1);
                    text.append(i + 1 < list.size() ? ",\n" : "\n");
                }
                text.append(INDENT.repeat(depth)).append(']');
            }
        } else if (value instanceof String string) {
            string(text, string);
        } else if (value instanceof Double real) {
            if (!Double.isFinite(real)) {
                throw new IllegalArgumentException("JSON has no " + real);
            }
            text.append(Numbers.real(real));
        } else if (value == null || value instanceof Long || value instanceof Integer || value instanceof Boolean) {
            text.append(value);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    /** Whether {@code list} holds no object, at any depth: it is written on one line. */
    private static boolean isFlat(List<?> list) {
        for (Object element : list) {
            if (element instanceof Map<?, ?> || element instanceof List<?> inner && !isFlat(inner)) {
                return false;
            }
        }
        return true;
    }

    /** A JSON string: quotes, backslashes and control characters escaped; other characters as they are (UTF-8). */
    static void string(StringBuilder text, String value) {
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                case '\b' -> text.append("\\b");
                case '\f' -> text.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        text.append(String.format("\\u%04x", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
    }
}
