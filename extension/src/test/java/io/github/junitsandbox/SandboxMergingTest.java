package io.github.junitsandbox;

import static io.github.junitsandbox.SandboxAssertions.assertThat;

import io.github.junitsandbox.runtime.Container;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Nearest wins, attribute by attribute, composed annotations included: observed inside real containers. */
class SandboxMergingTest {

    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Sandbox(hostname = "composed", env = "FROM=composed", workdir = "/tmp")
    @interface ComposedBox {
    }

    @KitSubject
    @Sandbox(hostname = "outer", env = "FROM=outer", workdir = "/usr")
    static class Outer {

        @Test
        void outerValues(Container box) {
            assertThat(box).hasHostname("outer");
            assertThat(box.exec("sh", "-c", "echo $FROM; pwd")).succeeded().hasStdout("outer\n/usr\n");
        }

        @Nested
        @ComposedBox
        @Sandbox(hostname = "nested")
        class Inner {

            @Test
            void nestedDirectWinsOverComposedWhichWinsOverOuter(Container box) {
                assertThat(box).hasHostname("nested");
                assertThat(box.exec("sh", "-c", "echo $FROM; pwd")).succeeded().hasStdout("composed\n/tmp\n");
            }

            @Test
            @Sandbox(env = "FROM=method")
            void methodWinsForWhatItSetsOnly(Container box) {
                assertThat(box).hasHostname("nested");
                assertThat(box.exec("sh", "-c", "echo $FROM; pwd")).succeeded().hasStdout("method\n/tmp\n");
            }
        }
    }

    @Test
    void theNearestDeclarationWinsAttributeByAttribute() {
        KitRun.run(Outer.class).testEvents().assertStatistics(s -> s.started(3).succeeded(3));
    }
}
