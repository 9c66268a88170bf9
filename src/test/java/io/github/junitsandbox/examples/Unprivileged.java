package io.github.junitsandbox.examples;

import io.github.junitsandbox.Sandbox;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A box of our own: an ordinary user, a read-only root, a tight PID limit. Put it on any test. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Sandbox(user = "1000:1000", readOnlyRoot = true, pids = 32, hostname = "unprivileged")
public @interface Unprivileged {
}
