package io.github.junitsandbox;

import static io.github.junitsandbox.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.junitsandbox.Observed.Sighting;
import io.github.junitsandbox.Sandbox.Lifecycle;
import io.github.junitsandbox.runtime.Container;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Which container a test gets, and for how long: real containers, run through the EngineTestKit. */
class SandboxLifecycleTest {

    @KitSubject
    @Sandbox(hostname = "fresh")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerTest {
        @BeforeEach
        void before(Container box) {
            Observed.container(PerTest.class, "beforeEach", box);
        }

        @Test
        @Order(1)
        void writesAMarker(Container box) {
            Observed.container(PerTest.class, "test 1", box);
            assertThat(box).hasHostname("fresh");
            assertThat(box.exec("sh", "-c", "echo written > /marker && cat /marker")).succeeded().hasStdout("written\n");
        }

        @Test
        @Order(2)
        void doesNotSeeTheMarker(Container box) {
            Observed.container(PerTest.class, "test 2", box);
            assertThat(box.exec("test", "-e", "/marker")).exitedWith(1);
        }

        @AfterEach
        void after(Container box) {
            Observed.container(PerTest.class, "afterEach", box);
        }
    }

    @Test
    void eachTestGetsAFreshContainerSharedWithItsBeforeAndAfterEach() {
        EngineExecutionResults results = KitRun.run(PerTest.class);

        results.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        List<Sighting> seen = Observed.takeFrom(PerTest.class);
        assertThat(seen).extracting(Sighting::test)
                .containsExactly("beforeEach", "test 1", "afterEach", "beforeEach", "test 2", "afterEach");
        assertThat(seen.subList(0, 3)).extracting(Sighting::containerId).containsOnly(seen.get(0).containerId());
        assertThat(seen.subList(3, 6)).extracting(Sighting::containerId).containsOnly(seen.get(3).containerId());
        assertThat(seen.get(0).containerId()).isNotEqualTo(seen.get(3).containerId());
        seen.forEach(s -> assertThat(HostTraces.of(s.containerId(), s.hostPid())).as("left behind by %s", s).isEmpty());
    }

    @KitSubject
    @Sandbox(lifecycle = Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerClass {
        @BeforeAll
        static void before(Container box) {
            Observed.container(PerClass.class, "beforeAll", box);
        }

        @Test
        @Order(1)
        void writesAMarker(Container box) {
            Observed.container(PerClass.class, "test 1", box);
            assertThat(box.exec("sh", "-c", "echo shared > /marker")).succeeded();
        }

        @Test
        @Order(2)
        void seesTheMarker(Container box) {
            Observed.container(PerClass.class, "test 2", box);
            assertThat(box.exec("cat", "/marker")).succeeded().hasStdout("shared\n");
        }

        @Test
        @Order(3)
        @Sandbox(hostname = "own")
        void withItsOwnSandboxGetsItsOwnContainer(Container box) {
            Observed.container(PerClass.class, "test 3", box);
            assertThat(box).hasHostname("own");
            assertThat(box.exec("test", "-e", "/marker")).exitedWith(1);
        }

        @Nested
        class Inner {
            @Test
            void getsAContainerOfItsOwn(Container box) {
                Observed.container(PerClass.class, "nested", box);
            }
        }
    }

    @Test
    void perClassSharesOneContainerAcrossTheClass() {
        EngineExecutionResults results = KitRun.run(PerClass.class);

        results.testEvents().assertStatistics(s -> s.started(4).succeeded(4));
        List<Sighting> seen = Observed.takeFrom(PerClass.class);
        assertThat(seen).extracting(Sighting::test).containsExactly("beforeAll", "test 1", "test 2", "test 3", "nested");
        assertThat(seen.subList(0, 3)).extracting(Sighting::containerId).containsOnly(seen.get(0).containerId());
        assertThat(seen.subList(3, 5)).extracting(Sighting::containerId).doesNotContain(seen.get(0).containerId());
        seen.forEach(s -> assertThat(HostTraces.of(s.containerId(), s.hostPid())).as("left behind by %s", s).isEmpty());
    }

    @KitSubject
    @Sandbox
    static class ContainerInBeforeAllWithoutPerClass {
        @BeforeAll
        static void before(Container box) {
            Observed.container(ContainerInBeforeAllWithoutPerClass.class, "beforeAll", box);
        }

        @Test
        void test() {
        }
    }

    @Test
    void aPerTestContainerIsNotOfferedToBeforeAll() {
        EngineExecutionResults results = KitRun.run(ContainerInBeforeAllWithoutPerClass.class);

        results.containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ParameterResolutionException.class),
                message(m -> m.contains("from @BeforeEach to @AfterEach") && m.contains("lifecycle = PER_CLASS")))));
        assertThat(Observed.takeFrom(ContainerInBeforeAllWithoutPerClass.class)).isEmpty();
    }

    @KitSubject
    static class LifecycleOnAMethod {
        @Test
        @Sandbox(lifecycle = Lifecycle.PER_CLASS)
        void test(Container box) {
        }
    }

    @Test
    void lifecycleOnAMethodIsRejected() {
        KitRun.run(LifecycleOnAMethod.class).testEvents().assertThatEvents().haveExactly(1, event(test("test"),
                finishedWithFailure(message("@Sandbox lifecycle = PER_CLASS (declared on method SandboxLifecycleTest"
                        + ".LifecycleOnAMethod.test()) is not accepted on a method: lifecycle is chosen for a class"))));
    }
}
