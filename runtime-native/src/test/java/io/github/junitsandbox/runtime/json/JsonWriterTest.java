package io.github.junitsandbox.runtime.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void whatItWritesReadsBackEqual() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 é");
        document.put("numbers", List.of(0, -1, Long.MAX_VALUE, new BigInteger("18446744073709551615"), 1.5));
        document.put("flags", Arrays.asList(true, false, null));
        document.put("empty", Map.of());
        document.put("none", List.of());
        document.put("nested", Map.of("a", List.of(Map.of("b", "c"))));

        Object read = JsonReader.parse(JsonWriter.write(document));

        assertThat(read).isEqualTo(Map.of(
                "text", "quote \" backslash \\ newline \n tab \t bell \u0007 é",
                "numbers", List.of(BigDecimal.ZERO, new BigDecimal(-1), new BigDecimal(Long.MAX_VALUE),
                        new BigDecimal("18446744073709551615"), new BigDecimal("1.5")),
                "flags", Arrays.asList(true, false, null),
                "empty", Map.of(),
                "none", List.of(),
                "nested", Map.of("a", List.of(Map.of("b", "c")))));
    }

    @Test
    void membersKeepTheirOrderOneALine() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("z", 1);
        document.put("a", List.of("x"));
        assertThat(JsonWriter.write(document)).isEqualTo("{\n  \"z\": 1,\n  \"a\": [\n    \"x\"\n  ]\n}\n");
    }

    @Test
    void refusesWhatHasNoJsonForm() {
        assertThatThrownBy(() -> JsonWriter.write(Map.of(1, "x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a JSON object's member names are strings, not 1");
        assertThatThrownBy(() -> JsonWriter.write(List.of(new Object() {
            @Override
            public String toString() {
                return "thing";
            }
        }))).isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith(": thing").hasMessageStartingWith("no JSON form for ");
    }
}
