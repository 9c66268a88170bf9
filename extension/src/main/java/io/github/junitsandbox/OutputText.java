package io.github.junitsandbox;

/** A process's output as failure messages show it: indented under its heading, emptiness said in words. */
final class OutputText {

    private OutputText() {
    }

    static String indented(String output) {
        if (output == null || output.isEmpty()) {
            return "  (nothing)";
        }
        String withoutLastNewline = output.endsWith("\n") ? output.substring(0, output.length() - 1) : output;
        return "  " + withoutLastNewline.replace("\n", "\n  ");
    }
}
