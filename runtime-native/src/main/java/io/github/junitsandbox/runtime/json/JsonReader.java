package io.github.junitsandbox.runtime.json;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader (RFC 8259): the project's one, for seccomp profiles and for the image
 * layouts, manifests and configs the fixtures read, small enough to need no dependency.
 *
 * <p>Values become plain Java objects: an object is an unmodifiable {@code Map<String, Object>} in
 * document order, an array an unmodifiable {@code List<Object>}, a string a {@code String}, a
 * number an exact {@code BigDecimal} (syscall argument values use all 64 bits, which a double would
 * round), {@code true}/{@code false} a {@code Boolean} and {@code null} Java's {@code null}.
 *
 * <p>Strict means: nothing the RFC's grammar does not allow is accepted (no comments, trailing
 * commas, single quotes, unquoted names, leading zeros, {@code NaN}, raw control characters in
 * strings, text after the value), and two members with the same name in one object are rejected
 * rather than one silently winning. Every rejection is a {@link JsonSyntaxException} with the line
 * and column of the offending character.
 */
public final class JsonReader {
    /** Deep enough for any real profile, shallow enough that the recursion cannot exhaust the stack. */
    static final int MAX_DEPTH = 256;

    private final String text;
    private int pos;
    private int depth;

    private JsonReader(String text) {
        this.text = text;
    }

    /** Parses one JSON text: a single value surrounded by optional whitespace. */
    public static Object parse(String text) {
        JsonReader reader = new JsonReader(text);
        reader.skipWhitespace();
        Object value = reader.readValue();
        reader.skipWhitespace();
        if (reader.pos < text.length()) {
            throw reader.error("expected the end of the document after the value, found " + reader.describeCurrent());
        }
        return value;
    }

    /**
     * Parses UTF-8 bytes (the only encoding RFC 8259 allows between systems). A leading byte order
     * mark is ignored, as the RFC permits; bytes that are not UTF-8 are rejected with their offset.
     */
    public static Object parse(byte[] utf8) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8);
        CharBuffer out = CharBuffer.allocate(utf8.length);
        var result = decoder.decode(in, out, true);
        if (result.isError()) {
            String consumed = out.flip().toString();
            JsonReader at = new JsonReader(consumed);
            at.pos = consumed.length();
            throw at.error("the document is not valid UTF-8 (byte offset " + in.position() + ")");
        }
        decoder.flush(out);
        String text = out.flip().toString();
        return parse(text.startsWith("\uFEFF") ? text.substring(1) : text);
    }

    /**
     * How a message names a value this reader returned, so that an error can say what it found:
     * {@code an object}, {@code an array}, {@code the string "x"}, {@code the number 3}, {@code true}, {@code null}.
     */
    public static String describe(Object value) {
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String) {
            return "the string \"" + value + "\"";
        }
        if (value instanceof BigDecimal) {
            return "the number " + value;
        }
        return String.valueOf(value);
    }

    private Object readValue() {
        if (pos >= text.length()) {
            throw error("expected a value (object, array, string, number, true, false or null), found the end of the document");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return readObject();
            case '[':
                return readArray();
            case '"':
                return readString();
            case 't':
                return readLiteral("true", Boolean.TRUE);
            case 'f':
                return readLiteral("false", Boolean.FALSE);
            case 'n':
                return readLiteral("null", null);
            default:
                if (c == '-' || isDigit(c)) {
                    return readNumber();
                }
                throw error("expected a value (object, array, string, number, true, false or null), found " + describeWord());
        }
    }

    private Map<String, Object> readObject() {
        Map<String, Object> members = new LinkedHashMap<>();
        readSequence('}', "a member name", "an object member", () -> {
            if (peek() != '"') {
                throw error("expected a member name in double quotes, found " + describeCurrent());
            }
            int nameStart = pos;
            String name = readString();
            if (members.containsKey(name)) {
                pos = nameStart;
                throw error("duplicate member name \"" + name + "\" in the same object");
            }
            skipWhitespace();
            expect(':', "after the member name \"" + name + "\"");
            skipWhitespace();
            members.put(name, readValue());
        });
        return Collections.unmodifiableMap(members);
    }

    private List<Object> readArray() {
        List<Object> elements = new ArrayList<>();
        readSequence(']', "a value", "an array element", () -> elements.add(readValue()));
        return Collections.unmodifiableList(elements);
    }

    /**
     * Reads the comma-separated items of an object or array, from its opening bracket (the current
     * character) to {@code close}, with {@code item} reading each item.
     */
    private void readSequence(char close, String itemName, String itemKind, Runnable item) {
        enter();
        pos++;
        skipWhitespace();
        if (peek() == close) {
            pos++;
            depth--;
            return;
        }
        while (true) {
            skipWhitespace();
            item.run();
            skipWhitespace();
            char next = peek();
            if (next == close) {
                pos++;
                depth--;
                return;
            }
            if (next != ',') {
                throw error("expected ',' or '" + close + "' after " + itemKind + ", found " + describeCurrent());
            }
            pos++;
            skipWhitespace();
            if (peek() == close) {
                throw error("expected " + itemName + " after ',', found '" + close + "' (trailing commas are not JSON)");
            }
        }
    }

    private String readString() {
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string: expected '\"' before the end of the document");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return out.toString();
            }
            if (c < 0x20) {
                throw error("control character U+" + hex4(c) + " must be escaped inside a string");
            }
            if (c == '\\') {
                readEscape(out);
            } else {
                out.append(c);
                pos++;
            }
        }
    }

    private void readEscape(StringBuilder out) {
        int escapeStart = pos;
        pos++;
        if (pos >= text.length()) {
            throw error("unterminated escape sequence at the end of the document");
        }
        char c = text.charAt(pos);
        pos++;
        switch (c) {
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
            case '/' -> out.append('/');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'u' -> out.append(readUnicodeEscape(escapeStart));
            default -> {
                pos = escapeStart;
                throw error("invalid escape sequence '\\" + c + "' (accepted: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            }
        }
    }

    /** Reads the XXXX of a \\uXXXX escape, and its low surrogate partner where it is a high one. */
    private String readUnicodeEscape(int escapeStart) {
        char unit = readHex4();
        if (Character.isLowSurrogate(unit)) {
            pos = escapeStart;
            throw error("unpaired surrogate \\u" + hex4(unit) + " (a low surrogate must follow a high one)");
        }
        if (!Character.isHighSurrogate(unit)) {
            return String.valueOf(unit);
        }
        if (!text.startsWith("\\u", pos)) {
            pos = escapeStart;
            throw error("unpaired surrogate \\u" + hex4(unit) + " (a high surrogate must be followed by a \\u escape of a low one)");
        }
        pos += 2;
        char low = readHex4();
        if (!Character.isLowSurrogate(low)) {
            pos = escapeStart;
            throw error("unpaired surrogate \\u" + hex4(unit) + " followed by \\u" + hex4(low) + ", which is not a low surrogate");
        }
        return new String(new char[] {unit, low});
    }

    private char readHex4() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = pos < text.length() ? Character.digit(text.charAt(pos), 16) : -1;
            if (digit < 0) {
                throw error("expected 4 hexadecimal digits in a \\u escape, found " + describeCurrent());
            }
            value = value * 16 + digit;
            pos++;
        }
        return (char) value;
    }

    private BigDecimal readNumber() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("leading zeros are not allowed in a number");
            }
        } else {
            requireDigits("in a number");
        }
        if (peek() == '.') {
            pos++;
            requireDigits("after the decimal point");
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            requireDigits("in the exponent");
        }
        return new BigDecimal(text.substring(start, pos));
    }

    private void requireDigits(String where) {
        if (!isDigit(peek())) {
            throw error("expected a digit " + where + ", found " + describeCurrent());
        }
        while (isDigit(peek())) {
            pos++;
        }
    }

    private Object readLiteral(String literal, Object value) {
        if (!text.startsWith(literal, pos)) {
            throw error("expected a value (object, array, string, number, true, false or null), found " + describeWord());
        }
        pos += literal.length();
        return value;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " arrays and objects");
        }
    }

    private void expect(char expected, String where) {
        if (peek() != expected) {
            throw error("expected '" + expected + "' " + where + ", found " + describeCurrent());
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** The current character, or NUL at the end (NUL cannot start any token, so it never matches). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private String describeCurrent() {
        if (pos >= text.length()) {
            return "the end of the document";
        }
        char c = text.charAt(pos);
        return c < 0x20 || c == 0x7f ? "U+" + hex4(c) : "'" + c + "'";
    }

    /** The bare word at the position, so that {@code True} or {@code NaN} are reported whole. */
    private String describeWord() {
        int end = pos;
        while (end < text.length() && Character.isLetterOrDigit(text.charAt(end)) && end - pos < 20) {
            end++;
        }
        return end == pos ? describeCurrent() : "'" + text.substring(pos, end) + "'";
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }

    private JsonSyntaxException error(String problem) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < pos && i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
                lineStart = i + 1;
            }
        }
        return new JsonSyntaxException(line, pos - lineStart + 1, problem);
    }
}
