package io.github.junitsandbox.runtime.json;

/**
 * A text is not well-formed JSON (RFC 8259). Carries the 1-based line and column of the first
 * offending character, so that a person can find it in the file.
 */
public final class JsonSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String problem;

    public JsonSyntaxException(int line, int column, String problem) {
        super("line " + line + ", column " + column + ": " + problem);
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** What is wrong at that position, without the position. */
    public String problem() {
        return problem;
    }
}
