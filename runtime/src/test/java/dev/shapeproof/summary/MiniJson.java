package dev.shapeproof.summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, minimal JSON parser for the tests (RFC 8259: objects, arrays, strings with escapes, numbers, literals),
 * so that {@link ModelSummary#toJson()} is checked to be JSON by something other than its writer. Numbers come back
 * as {@code Long} when integral, else {@code Double}.
 */
final class MiniJson {
    private final String text;
    private int at;

    private MiniJson(String text) {
        this.text = text;
    }

    static Object parse(String text) {
        MiniJson parser = new MiniJson(text);
        Object value = parser.value();
        parser.whitespace();
        if (parser.at != text.length()) {
            throw parser.error("trailing text");
        }
        return value;
    }

    private Object value() {
        whitespace();
        if (at >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> object = new LinkedHashMap<>();
        at++;
        whitespace();
        if (peek() == '}') {
            at++;
            return object;
        }
        while (true) {
            whitespace();
            if (peek() != '"') {
                throw error("expected a key");
            }
            String key = string();
            whitespace();
            expect(':');
            if (object.containsKey(key)) {
                throw error("duplicate key " + key);
            }
            object.put(key, value());
            whitespace();
            if (peek() == ',') {
                at++;
            } else {
                expect('}');
                return object;
            }
        }
    }

    private List<Object> array() {
        List<Object> array = new ArrayList<>();
        at++;
        whitespace();
        if (peek() == ']') {
            at++;
            return array;
        }
        while (true) {
            array.add(value());
            whitespace();
            if (peek() == ',') {
                at++;
            } else {
                expect(']');
                return array;
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder value = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return value.toString();
            }
            if (c < 0x20) {
                throw error("raw control character in a string");
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> value.append(e);
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' -> {
                    value.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
        } else if (Character.isDigit(peek())) {
            while (Character.isDigit(peek())) {
                at++;
            }
        } else {
            throw error("expected a value");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            at++;
            if (!Character.isDigit(peek())) {
                throw error("digits expected after '.'");
            }
            while (Character.isDigit(peek())) {
                at++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            at++;
            if (peek() == '+' || peek() == '-') {
                at++;
            }
            if (!Character.isDigit(peek())) {
                throw error("digits expected in the exponent");
            }
            while (Character.isDigit(peek())) {
                at++;
            }
        }
        String number = text.substring(start, at);
        return integral ? (Object) Long.parseLong(number) : (Object) Double.parseDouble(number);
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error("expected " + word);
        }
        at += word.length();
        return value;
    }

    private void whitespace() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(message + " at offset " + at);
    }
}
