package io.github.junitsandbox.runtime;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the duration forms of {@code timeout}: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, or ISO-8601 {@code PT30S}. */
public final class Durations {

    /** What {@link #parse} accepts, in the words error messages use. */
    public static final String ACCEPTED = "a positive duration: 500ms, 30s, 2m, 1h, or ISO-8601 such as PT30S";

    private static final Pattern SHORT_FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

    private Durations() {
    }

    /**
     * @param attribute the {@code @Sandbox} attribute the text belongs to, named when it is rejected
     * @throws InvalidSpecException when the text is not such a duration, or is zero or negative
     */
    public static Duration parse(String attribute, String text) {
        String trimmed = text == null ? "" : text.trim();
        Duration parsed = trimmed.toUpperCase(Locale.ROOT).startsWith("P") ? parseIso(attribute, text, trimmed) : parseShort(attribute, text, trimmed);
        return requirePositive(attribute, parsed, text);
    }

    /** @throws InvalidSpecException when the duration is zero or negative */
    public static Duration requirePositive(String attribute, Duration duration, Object shownValue) {
        if (duration.isZero() || duration.isNegative()) {
            throw new InvalidSpecException(attribute, shownValue, ACCEPTED);
        }
        return duration;
    }

    private static Duration parseIso(String attribute, String text, String trimmed) {
        try {
            return Duration.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw new InvalidSpecException(attribute, text, ACCEPTED);
        }
    }

    private static Duration parseShort(String attribute, String text, String trimmed) {
        Matcher m = SHORT_FORM.matcher(trimmed);
        if (!m.matches()) {
            throw new InvalidSpecException(attribute, text, ACCEPTED);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
