package io.github.junitsandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.ContainerSpecFactory.DeclaredSpec;
import io.github.junitsandbox.Sandbox.Lifecycle;
import io.github.junitsandbox.runtime.ContainerSpec;
import io.github.junitsandbox.runtime.Namespace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Any value of any {@link Sandbox} attribute is either accepted, and then in the spec the extension
 * launches (an empty value, the attribute's default, means "not given"), or rejected with an {@link ExtensionConfigurationException} whose message starts with
 * {@code @Sandbox <attribute>}: never another exception. (What accepted values do in a running
 * container is the runtime's AcceptedSpecValuesLaunchTest.)
 */
class SandboxAttributePropertiesTest {

    private static final String ORIGIN = "method SandboxAttributePropertiesTest.generated()";
    private static final ContainerSpecFactory FACTORY = new ContainerSpecFactory(SandboxConfiguration.from(name -> Optional.empty()),
            Path.of(System.getProperty("user.dir")));

    @Property(tries = 500)
    void rootfs(@ForAll("text") String value) {
        accepted("rootfs", value).ifPresent(spec -> assertThat(spec.rootfs().describe()).isNotBlank());
    }

    @Property(tries = 300)
    void namespaces(@ForAll("namespaceArrays") Namespace[] value) {
        accepted("namespaces", value).filter(spec -> value.length > 0).ifPresent(spec -> assertThat(spec.namespaces()).contains(value));
    }

    @Property(tries = 500)
    void hostname(@ForAll("text") String value) {
        accepted("hostname", value).filter(spec -> !value.isEmpty()).ifPresent(spec -> assertThat(spec.hostname()).contains(value));
    }

    @Property(tries = 500)
    void memory(@ForAll("text") String value) {
        accepted("memory", value).filter(spec -> !value.isEmpty()).ifPresent(spec -> assertThat(spec.memoryLimitBytes()).isPresent());
    }

    @Property(tries = 300)
    void pids(@ForAll("intArrays") int[] value) {
        accepted("pids", value).filter(spec -> value.length > 0).ifPresent(spec -> assertThat(spec.pidsLimit()).isEqualTo(value[0]));
    }

    @Property(tries = 500)
    void command(@ForAll("textArrays") String[] value) {
        accepted("command", value).filter(spec -> value.length > 0).ifPresent(spec -> assertThat(spec.command()).containsExactly(value));
    }

    @Property(tries = 500)
    void env(@ForAll("textArrays") String[] value) {
        accepted("env", value).filter(spec -> value.length > 0).ifPresent(spec -> assertThat(spec.env()).isNotEmpty());
    }

    @Property(tries = 500)
    void workdir(@ForAll("text") String value) {
        accepted("workdir", value).filter(spec -> !value.isEmpty()).ifPresent(spec -> assertThat(spec.workdir()).contains(value));
    }

    @Property(tries = 500)
    void user(@ForAll("text") String value) {
        accepted("user", value).filter(spec -> !value.isEmpty()).ifPresent(spec -> assertThat(spec.user()).isPresent());
    }

    @Property(tries = 100)
    void readOnlyRoot(@ForAll("booleanArrays") boolean[] value) {
        accepted("readOnlyRoot", value).filter(spec -> value.length > 0).ifPresent(spec -> assertThat(spec.readOnlyRoot()).isEqualTo(value[0]));
    }

    @Property(tries = 300)
    void network(@ForAll("text") String value) {
        accepted("network", value).filter(spec -> !value.isEmpty()).ifPresent(spec -> assertThat(spec.network().attributeValue()).isEqualToIgnoringCase(value.trim()));
    }

    @Property(tries = 500)
    void timeout(@ForAll("text") String value) {
        accepted("timeout", value).filter(spec -> !value.isEmpty()).ifPresent(spec -> assertThat(spec.timeout()).isPresent());
    }

    @Property(tries = 100)
    void lifecycle(@ForAll("lifecycleArrays") Lifecycle[] value) {
        accepted("lifecycle", value);
    }

    /** The spec, when the attribute's value was accepted; empty when rejected naming the attribute; fails otherwise. */
    private static Optional<ContainerSpec> accepted(String attribute, Object value) {
        Sandbox sandbox = SandboxAttributeValues.with(Map.of(attribute, value));
        try {
            MergedSandbox merged = MergedSandbox.of(List.of(new Declaration<>(sandbox, ORIGIN)), List.of());
            DeclaredSpec declared = FACTORY.create(merged);
            return Optional.of(declared.spec());
        } catch (ExtensionConfigurationException e) {
            assertThat(e.getMessage()).as("the message rejecting %s", sandbox).startsWith("@Sandbox " + attribute + " ");
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new AssertionError("unexplained " + e + " for " + sandbox, e);
        }
    }

    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> typical = Arbitraries.of("host", "busybox", "dir:/", "dir:relative", "tar:/nonexistent.tar", "64m", "0", "-1", "1g",
                "30s", "PT1S", "0s", "none", "host", "1000:1000", "root", "/", "/tmp", "box", "", " ", "KEY=value", "=x");
        return Arbitraries.oneOf(typical, Arbitraries.strings().all().ofMaxLength(70),
                Arbitraries.strings().withChars("abc019:/=.-kmgsPT ").ofMaxLength(30));
    }

    @Provide
    Arbitrary<String[]> textArrays() {
        return text().array(String[].class).ofMaxSize(4);
    }

    @Provide
    Arbitrary<int[]> intArrays() {
        return Arbitraries.integers().array(int[].class).ofMaxSize(3);
    }

    @Provide
    Arbitrary<boolean[]> booleanArrays() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 3)).as((b, n) -> {
            boolean[] values = new boolean[n];
            java.util.Arrays.fill(values, b);
            return values;
        });
    }

    @Provide
    Arbitrary<Namespace[]> namespaceArrays() {
        return Arbitraries.of(Namespace.values()).array(Namespace[].class).ofMaxSize(9);
    }

    @Provide
    Arbitrary<Lifecycle[]> lifecycleArrays() {
        return Arbitraries.of(Lifecycle.values()).array(Lifecycle[].class).ofMaxSize(3);
    }
}
