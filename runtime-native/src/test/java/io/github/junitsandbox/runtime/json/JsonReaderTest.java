package io.github.junitsandbox.runtime.json;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class JsonReaderTest {

    @Test
    void readsObjectsInDocumentOrderWithEveryKindOfValue() {
        Object value = JsonReader.parse("""
                {"z": 1, "a": [true, false, null], "m": {"s": "x"}, "e": {}, "l": []}
                """);

        assertThat(value).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) value;
        assertThat(object.keySet()).containsExactly("z", "a", "m", "e", "l");
        assertThat(object).contains(entry("z", new BigDecimal("1")), entry("m", Map.of("s", "x")),
                entry("e", Map.of()), entry("l", List.of()));
        assertThat(object.get("a")).asInstanceOf(InstanceOfAssertFactories.LIST).containsExactly(true, false, null);
    }

    @Test
    void keepsNumbersExactIncludingTheWholeUnsigned64BitRange() {
        assertThat(JsonReader.parse("18446744073709551615")).isEqualTo(new BigDecimal("18446744073709551615"));
        assertThat(JsonReader.parse("-0")).isEqualTo(new BigDecimal("0"));
        assertThat(JsonReader.parse("-12.5e-3")).isEqualTo(new BigDecimal("-0.0125"));
        assertThat(JsonReader.parse("1E+2")).isEqualTo(new BigDecimal("1E+2"));
        assertThat(JsonReader.parse("0.5")).isEqualTo(new BigDecimal("0.5"));
    }

    @Test
    void decodesEveryEscapeAndSurrogatePairs() {
        assertThat(JsonReader.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00\""))
                .isEqualTo("\" \\ / \b \f \n \r \t é \uD83D\uDE00");
    }

    @Test
    void acceptsWhitespaceAroundEveryTokenAndIgnoresAByteOrderMark() {
        assertThat(JsonReader.parse(" \t\r\n[ 1 ,\n\t2 ] \n")).isEqualTo(List.of(new BigDecimal("1"), new BigDecimal("2")));
        byte[] withBom = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "{\"k\": \"v\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(JsonReader.parse(withBom)).isEqualTo(Map.of("k", "v"));
        assertThat(JsonReader.parse("\"héllo\"".getBytes(StandardCharsets.UTF_8))).isEqualTo("héllo");
    }

    @Test
    void acceptsNestingUpToTheLimit() {
        String deep = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertThat(JsonReader.parse(deep)).isInstanceOf(List.class);
    }

    static Stream<Arguments> malformedDocuments() {
        return Stream.of(
                malformed("empty document", "", 1, 1, "expected a value (object, array, string, number, true, false or null), found the end of the document"),
                malformed("only whitespace", "  \n ", 2, 2, "found the end of the document"),
                malformed("trailing comma in an array", "[1, 2,]", 1, 7, "expected a value after ',', found ']' (trailing commas are not JSON)"),
                malformed("trailing comma in an object", "{\"a\": 1,}", 1, 9, "expected a member name after ',', found '}'"),
                malformed("missing comma", "[1 2]", 1, 4, "expected ',' or ']' after an array element, found '2'"),
                malformed("missing colon", "{\"a\" 1}", 1, 6, "expected ':' after the member name \"a\", found '1'"),
                malformed("unquoted name", "{a: 1}", 1, 2, "expected a member name in double quotes, found 'a'"),
                malformed("single quotes", "['x']", 1, 2, "found '''"),
                malformed("comment", "{\"a\": 1 // no\n}", 1, 9, "expected ',' or '}' after an object member, found '/'"),
                malformed("unclosed object", "{\"a\": 1", 1, 8, "expected ',' or '}' after an object member, found the end of the document"),
                malformed("unclosed array on a later line", "[\n1,\n2", 3, 2, "expected ',' or ']' after an array element, found the end of the document"),
                malformed("unterminated string", "\"abc", 1, 5, "unterminated string"),
                malformed("raw control character", "\"a\tb\"", 1, 3, "control character U+0009 must be escaped inside a string"),
                malformed("invalid escape", "\"a\\xb\"", 1, 3, "invalid escape sequence '\\x'"),
                malformed("short unicode escape", "\"\\u12\"", 1, 6, "expected 4 hexadecimal digits in a \\u escape, found '\"'"),
                malformed("lone low surrogate", "\"\\uDE00\"", 1, 2, "unpaired surrogate \\uDE00"),
                malformed("high surrogate alone", "\"\\uD83Dx\"", 1, 2, "unpaired surrogate \\uD83D"),
                malformed("high surrogate and a non-low one", "\"\\uD83D\\u0041\"", 1, 2, "followed by \\u0041, which is not a low surrogate"),
                malformed("leading zero", "012", 1, 2, "leading zeros are not allowed in a number"),
                malformed("leading plus", "+1", 1, 1, "found '+'"),
                malformed("bare decimal point", ".5", 1, 1, "found '.'"),
                malformed("no digit after the point", "1.", 1, 3, "expected a digit after the decimal point, found the end of the document"),
                malformed("no digit in the exponent", "1e+", 1, 4, "expected a digit in the exponent"),
                malformed("minus alone", "-", 1, 2, "expected a digit in a number"),
                malformed("NaN", "NaN", 1, 1, "found 'NaN'"),
                malformed("capitalised literal", "True", 1, 1, "found 'True'"),
                malformed("truncated literal", "nul", 1, 1, "found 'nul'"),
                malformed("text after the value", "{} x", 1, 4, "expected the end of the document after the value, found 'x'"),
                malformed("two values", "1 2", 1, 3, "expected the end of the document after the value, found '2'"),
                malformed("duplicate member name", "{\"a\": 1,\n \"a\": 2}", 2, 2, "duplicate member name \"a\" in the same object"),
                malformed("position after CRLF line ends", "[1,\r\n2,\r\n?]", 3, 1, "found '?'"),
                malformed("position after CR line ends", "[1,\r2,\r?]", 3, 1, "found '?'"));
    }

    private static Arguments malformed(String what, String document, int line, int column, String problem) {
        return Arguments.of(what, document, line, column, problem);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedDocuments")
    void rejectsMalformedDocumentsWithTheirPosition(String what, String document, int line, int column, String problem) {
        assertThatThrownBy(() -> JsonReader.parse(document))
                .as(what)
                .isInstanceOfSatisfying(JsonSyntaxException.class, e -> {
                    assertThat(e.line()).as("line").isEqualTo(line);
                    assertThat(e.column()).as("column").isEqualTo(column);
                    assertThat(e.problem()).contains(problem);
                    assertThat(e.getMessage()).startsWith("line " + line + ", column " + column + ": ");
                });
    }

    @Test
    void rejectsNestingBeyondTheLimitInsteadOfOverflowingTheStack() {
        String tooDeep = "[".repeat(JsonReader.MAX_DEPTH + 1);

        assertThatThrownBy(() -> JsonReader.parse(tooDeep))
                .isInstanceOf(JsonSyntaxException.class)
                .hasMessage("line 1, column " + (JsonReader.MAX_DEPTH + 1) + ": nesting deeper than " + JsonReader.MAX_DEPTH + " arrays and objects");
    }

    @Test
    void rejectsBytesThatAreNotUtf8WithTheirPosition() {
        byte[] latin1 = concat("{\n \"a\": \"caf".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xE9, '"', '}'});

        assertThatThrownBy(() -> JsonReader.parse(latin1))
                .isInstanceOf(JsonSyntaxException.class)
                .hasMessage("line 2, column 11: the document is not valid UTF-8 (byte offset 12)");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
