package io.github.junitsandbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any value given to the {@link ContainerSpec} builder is either accepted, or rejected with an
 * {@link InvalidSpecException} that names the attribute it was given for: never another exception
 * (a NullPointerException, a NumberFormatException, an ArithmeticException...). What accepted values
 * do in a running container is {@link AcceptedSpecValuesLaunchTest}'s part.
 */
class ContainerSpecPropertiesTest {

    @Property(tries = 1000)
    void hostname(@ForAll("text") String value) {
        accepted("hostname", value, () -> ContainerSpec.builder().hostname(value).build())
                .ifPresent(spec -> assertThat(spec.hostname()).contains(value));
    }

    @Property(tries = 1000)
    void memory(@ForAll("sizes") String value) {
        accepted("memory", value, () -> ContainerSpec.builder().memoryLimit(value).build())
                .ifPresent(spec -> assertThat(spec.memoryLimitBytes().getAsLong()).isPositive());
    }

    @Property(tries = 300)
    void memoryInBytes(@ForAll long value) {
        accepted("memory", value, () -> ContainerSpec.builder().memoryLimit(value).build())
                .ifPresent(spec -> assertThat(spec.memoryLimitBytes()).hasValue(value));
    }

    @Property(tries = 1000)
    void memorySwap(@ForAll("sizes") String value) {
        accepted("memorySwap", value, () -> ContainerSpec.builder().memoryLimit("6m").memorySwapLimit(value).build())
                .ifPresent(spec -> assertThat(spec.memorySwapLimitBytes().getAsLong()).isGreaterThanOrEqualTo(6L << 20));
    }

    @Property(tries = 500)
    void pids(@ForAll int value) {
        accepted("pids", value, () -> ContainerSpec.builder().pidsLimit(value).build())
                .ifPresent(spec -> assertThat(spec.pidsLimit()).isEqualTo(value));
    }

    @Property(tries = 500)
    void cpus(@ForAll double value) {
        accepted("cpus", value, () -> ContainerSpec.builder().cpus(value).build())
                .ifPresent(spec -> assertThat(spec.cpus()).hasValue(value));
    }

    @Property(tries = 1000)
    void command(@ForAll("argvs") List<String> value) {
        accepted("command", value, () -> ContainerSpec.builder().command(value == null ? null : value.toArray(String[]::new)).build())
                .ifPresent(spec -> assertThat(spec.command()).isEqualTo(value));
    }

    @Property(tries = 1000)
    void env(@ForAll("envs") List<String> value) {
        accepted("env", value, () -> ContainerSpec.builder().env(value == null ? null : value.toArray(String[]::new)).build())
                .ifPresent(spec -> value.forEach(entry -> assertThat(spec.env())
                        .containsKey(entry.substring(0, entry.indexOf('=')))));
    }

    @Property(tries = 1000)
    void workdir(@ForAll("paths") String value) {
        accepted("workdir", value, () -> ContainerSpec.builder().workdir(value).build())
                .ifPresent(spec -> assertThat(spec.workdir()).contains(value));
    }

    @Property(tries = 1000)
    void user(@ForAll("users") String value) {
        accepted("user", value, () -> ContainerSpec.builder().user(value).build())
                .ifPresent(spec -> assertThat(spec.user()).isPresent());
    }

    @Property(tries = 300)
    void network(@ForAll("networks") String value) {
        accepted("network", value, () -> ContainerSpec.builder().network(value).build())
                .ifPresent(spec -> assertThat(spec.network().attributeValue()).isEqualToIgnoringCase(value.trim()));
    }

    @Property(tries = 1000)
    void timeout(@ForAll("durations") String value) {
        accepted("timeout", value, () -> ContainerSpec.builder().timeout(value).build())
                .ifPresent(spec -> assertThat(spec.timeout().orElseThrow()).isPositive());
    }

    @Property(tries = 300)
    void timeoutAsDuration(@ForAll("javaDurations") Duration value) {
        accepted("timeout", value, () -> ContainerSpec.builder().timeout(value).build())
                .ifPresent(spec -> assertThat(spec.timeout()).contains(value));
    }

    @Property(tries = 1000)
    void rootfs(@ForAll("rootfses") String value) {
        accepted("rootfs", value, () -> ContainerSpec.builder().rootfs(value).build());
    }

    @Property(tries = 500)
    void namespaces(@ForAll("namespaceLists") List<Namespace> value) {
        accepted("namespaces", value, () -> ContainerSpec.builder().namespaces(value == null ? null : value.toArray(Namespace[]::new)).build())
                .ifPresent(spec -> assertThat(spec.namespaces()).containsAll(value));
    }

    @Property(tries = 500)
    void bind(@ForAll("paths") String source, @ForAll("paths") String target, @ForAll boolean readOnly) {
        accepted("bind", source + " -> " + target, () -> ContainerSpec.builder().bind(source, target, readOnly).build())
                .ifPresent(spec -> assertThat(spec.binds()).singleElement().extracting(BindMount::target).isEqualTo(target));
    }

    @Property(tries = 500)
    void rlimits(@ForAll("rlimitNames") String name, @ForAll long soft, @ForAll long hard) {
        accepted("rlimits", name + "=" + soft + ":" + hard, () -> ContainerSpec.builder().rlimit(name, soft, hard).build());
    }

    /**
     * Builds; returns the spec when the value was accepted, empty when it was rejected naming
     * {@code attribute}; fails on any other exception.
     */
    static Optional<ContainerSpec> accepted(String attribute, Object value, Supplier<ContainerSpec> build) {
        try {
            return Optional.of(build.get());
        } catch (InvalidSpecException e) {
            assertThat(e.attribute()).as("the attribute named when rejecting %s = %s (%s)", attribute, value, e.getMessage())
                    .isEqualTo(attribute);
            assertThat(e.getMessage()).as("the message rejecting %s = %s", attribute, value).startsWith(attribute + " = ").contains("accepted");
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new AssertionError("unexplained " + e + " for " + attribute + " = " + value, e);
        }
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(80),
                Arbitraries.strings().withChars("abcXYZ019.-_ \t\n").ofMaxLength(70)).injectNull(0.02);
    }

    @Provide
    Arbitrary<String> sizes() {
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.longs().map(String::valueOf), Arbitraries.strings().numeric().ofMaxLength(25),
                Arbitraries.bigIntegers().map(Object::toString));
        Arbitrary<String> suffix = Arbitraries.of("", "k", "m", "g", "K", "M", "G", "t", "b", "kb", " ", "e3", ".5");
        return Arbitraries.oneOf(Combinators.combine(number, suffix).as(String::concat), text());
    }

    @Provide
    Arbitrary<List<String>> argvs() {
        return text().list().ofMaxSize(4).injectNull(0.02);
    }

    @Provide
    Arbitrary<List<String>> envs() {
        Arbitrary<String> entry = Arbitraries.oneOf(text(), Combinators.combine(text(), text()).as((k, v) -> k + "=" + v));
        return entry.list().ofMaxSize(4).injectNull(0.02);
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.oneOf(text(), text().map(t -> "/" + t), Arbitraries.of("/", "/tmp", "/etc/hostname", "/nonexistent", "relative", "", "/a\0b"));
    }

    @Provide
    Arbitrary<String> users() {
        Arbitrary<String> id = Arbitraries.oneOf(Arbitraries.longs().map(String::valueOf), Arbitraries.strings().numeric().ofMaxLength(12),
                Arbitraries.of("root", "-1", "0", "4294967295", "65534", ""));
        return Arbitraries.oneOf(id, Combinators.combine(id, id).as((u, g) -> u + ":" + g), text());
    }

    @Provide
    Arbitrary<String> networks() {
        return Arbitraries.oneOf(Arbitraries.of("none", "host", "NONE", " host ", "bridge", "", "none,host"), text());
    }

    @Provide
    Arbitrary<String> durations() {
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.longs().map(String::valueOf), Arbitraries.strings().numeric().ofMaxLength(25));
        Arbitrary<String> unit = Arbitraries.of("ms", "s", "m", "h", "d", "", "S", "us", "ns");
        Arbitrary<String> iso = Arbitraries.oneOf(Arbitraries.longs().map(n -> "PT" + n + "S"), Arbitraries.longs().map(n -> "P" + n + "D"),
                Arbitraries.longs().map(n -> "PT" + n + "H"), Arbitraries.of("P", "PT", "PT-1S", "pt1s", "PT0.5S"));
        return Arbitraries.oneOf(Combinators.combine(number, unit).as(String::concat), iso, text());
    }

    @Provide
    Arbitrary<Duration> javaDurations() {
        return Arbitraries.oneOf(Arbitraries.longs().map(Duration::ofNanos), Arbitraries.longs().map(Duration::ofSeconds)).injectNull(0.05);
    }

    @Provide
    Arbitrary<String> rootfses() {
        Arbitrary<String> scheme = Arbitraries.of("host", "dir:", "tar:", "oci:", "docker-archive:", "debootstrap:", "busybox", "floppy:", "", ":");
        return Arbitraries.oneOf(Combinators.combine(scheme, paths()).as((s, p) -> s + p), text());
    }

    @Provide
    Arbitrary<List<Namespace>> namespaceLists() {
        return Arbitraries.of(Namespace.values()).injectNull(0.05).list().ofMaxSize(9).injectNull(0.02);
    }

    @Provide
    Arbitrary<String> rlimitNames() {
        return Arbitraries.oneOf(Arbitraries.of(ResourceLimit.NAMES), text());
    }
}
