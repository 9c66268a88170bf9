package io.github.junitsandbox.examples.escapes;

import io.github.junitsandbox.Bind;
import io.github.junitsandbox.Sandbox;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A default sandbox with the escape probe at {@code /probes} (read-only); attributes on the test add to it. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Sandbox
@Bind(source = EscapeProbe.HOST_DIR, target = "/probes")
@interface WithEscapeProbe {
}
