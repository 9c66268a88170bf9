package io.github.junitsandbox.runtime;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the size forms of {@code memory} and {@code memorySwap}: plain bytes or a number with a binary suffix. */
public final class ByteSizes {

    /** What {@link #parse} accepts, in the words error messages use. */
    public static final String ACCEPTED = "a positive number of bytes, or a number with k, m or g (binary: 64m = 64 MiB)";

    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})([kmg]?)");

    private ByteSizes() {
    }

    /**
     * @param attribute the {@code @Sandbox} attribute the text belongs to, named when it is rejected
     * @return the size in bytes, at least 1
     * @throws InvalidSpecException when the text is not such a size or does not fit in a long
     */
    public static long parse(String attribute, String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new InvalidSpecException(attribute, text, ACCEPTED);
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        try {
            long number = Long.parseLong(m.group(1));
            if (number == 0) {
                throw new InvalidSpecException(attribute, text, ACCEPTED);
            }
            if (number > (Long.MAX_VALUE >> shift)) {
                throw new InvalidSpecException(attribute, text, ACCEPTED + ", at most " + Long.MAX_VALUE + " bytes");
            }
            return number << shift;
        } catch (NumberFormatException e) {
            throw new InvalidSpecException(attribute, text, ACCEPTED + ", at most " + Long.MAX_VALUE + " bytes");
        }
    }

    /** 67108864 as {@code 64m}; sizes that are not whole KiB/MiB/GiB stay in the largest unit that divides them. */
    public static String format(long bytes) {
        String[] suffixes = {"", "k", "m", "g"};
        long number = bytes;
        int unit = 0;
        while (unit < suffixes.length - 1 && number % 1024 == 0) {
            number /= 1024;
            unit++;
        }
        return number + suffixes[unit];
    }
}
