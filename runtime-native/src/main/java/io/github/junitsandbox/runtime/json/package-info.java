/**
 * JSON, read and written without a dependency: {@link io.github.junitsandbox.runtime.json.JsonReader}
 * turns a strict RFC 8259 text into plain Java values (maps, lists, strings, exact numbers, booleans,
 * null), {@link io.github.junitsandbox.runtime.json.JsonWriter} writes such values back. What a
 * document's members mean is left to its reader (seccomp profiles, OCI configs, image manifests).
 */
package io.github.junitsandbox.runtime.json;
