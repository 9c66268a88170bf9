package io.github.junitsandbox;

import java.lang.annotation.Annotation;

/**
 * One {@link Sandbox} or {@link Bind} found on a test element, directly or through a composed
 * annotation, with where it was found ({@code class ContainedTest}, {@code @DebianBox on method
 * ContainedTest.boots()}), so that an error can point at it.
 */
record Declaration<A extends Annotation>(A annotation, String origin) {
}
