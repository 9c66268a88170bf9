package com.example;

import static io.github.junitsandbox.SandboxAssertions.assertThat;

import io.github.junitsandbox.Sandbox;
import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.KillPermission;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a first user writes from the README: a class-level sandbox, a method override, a nested class, a parameterised test. */
@Sandbox(hostname = "consumer", command = {"sleep", "3600"})
class ConsumerTest {

    @Test
    void theSubjectIsContained(Container box) {
        assertThat(box).hasHostname("consumer");
        assertThat(box).visiblePids().containsExactly(1L, 2L);
        assertThat(box).hasKillPermission(ProcessHandle.current().pid(), KillPermission.NOT_VISIBLE);
    }

    @Test
    @Sandbox(hostname = "method")
    void theNearestDeclarationWins(Container box) {
        assertThat(box).hasHostname("method");
        assertThat(box.exec("sh", "-c", "echo hi; exit 3")).exitedWith(3).hasStdout("hi\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"one", "two"})
    void eachInvocationGetsAFreshContainer(String name, Container box) {
        assertThat(box.exec("sh", "-c", "test ! -e /tmp/mark && touch /tmp/mark && echo " + name)).succeeded().hasStdout(name + "\n");
    }

    @Nested
    @Sandbox(hostname = "nested")
    class Inner {
        @Test
        void nestedClassesMergeWithTheirEnclosingOne(Container box) {
            assertThat(box).hasHostname("nested");
            assertThat(box).visiblePids().containsExactly(1L, 2L);
        }
    }
}
