package io.github.junitsandbox;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a host path visible inside the container. Repeatable, and allowed wherever {@link Sandbox}
 * is; binds from all levels add up, and for the same {@link #target} the nearest wins.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Repeatable(Bind.List.class)
public @interface Bind {

    /** The host path; a relative one is resolved against the project directory ({@code basedir}, else {@code user.dir}). */
    String source();

    /** The absolute path inside the container. */
    String target();

    /** Whether the container may only read through it. */
    boolean readOnly() default true;

    /**
     * Whether device nodes open and setuid bits count through this bind, as on the host. Not set: the bind is
     * {@code nodev,nosuid}, so that a node or a setuid file found or made there gives nothing inside. An explicit loosening,
     * for the rare test that needs a host device.
     */
    boolean keepDevicesAndSetuid() default false;

    /** The container of repeated {@link Bind}s. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @interface List {
        Bind[] value();
    }
}
