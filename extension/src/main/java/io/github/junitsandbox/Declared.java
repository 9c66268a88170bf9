package io.github.junitsandbox;

/** An attribute value in force and where it was declared. */
record Declared<T>(T value, String origin) {
}
