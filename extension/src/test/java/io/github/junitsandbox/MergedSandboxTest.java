package io.github.junitsandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.junitsandbox.Sandbox.Lifecycle;
import io.github.junitsandbox.runtime.Namespace;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Nearest wins, attribute by attribute, over annotations read by reflection from the holders below
 * (they have no tests: nothing runs them). That the extension really launches what this computes is
 * tested with real containers in SandboxExtensionTest.
 */
class MergedSandboxTest {

    @Retention(RetentionPolicy.RUNTIME)
    @Sandbox(rootfs = "busybox", hostname = "debian", memory = "256m", pids = 100)
    @Bind(source = "composed-src", target = "/data")
    @interface DebianLike {
    }

    @Sandbox(hostname = "outer", memory = "64m", timeout = "10s", lifecycle = Lifecycle.PER_CLASS)
    @Bind(source = "outer-src", target = "/data")
    @Bind(source = "outer-only", target = "/only", readOnly = false)
    static class Outer {

        @DebianLike
        @Sandbox(hostname = "nested")
        class Nested {

            @Sandbox(memory = "32m")
            void method() {
            }

            void plain() {
            }
        }
    }

    private static MergedSandbox forMethod(String name) throws NoSuchMethodException {
        Method method = Outer.Nested.class.getDeclaredMethod(name);
        return MergedSandbox.of(DeclarationScanner.forMethod(method, Outer.Nested.class));
    }

    @Test
    void theNearestDeclarationWinsAttributeByAttribute() throws Exception {
        MergedSandbox merged = forMethod("method");

        assertThat(merged.memory()).contains(new Declared<>("32m", "method MergedSandboxTest.Outer.Nested.method()"));
        assertThat(merged.hostname()).contains(new Declared<>("nested", "class MergedSandboxTest.Outer.Nested"));
        assertThat(merged.pids()).contains(new Declared<>(100, "@DebianLike on class MergedSandboxTest.Outer.Nested"));
        assertThat(merged.rootfs()).contains(new Declared<>(new MergedSandbox.RootfsChoice.Named("busybox"),
                "@DebianLike on class MergedSandboxTest.Outer.Nested"));
        assertThat(merged.timeout()).contains(new Declared<>("10s", "class MergedSandboxTest.Outer"));
        assertThat(merged.lifecycle()).contains(new Declared<>(Lifecycle.PER_CLASS, "class MergedSandboxTest.Outer"));
        assertThat(merged.namespaces()).isEmpty();
        assertThat(merged.command()).isEmpty();
    }

    @Test
    void bindsAddUpAndTheNearestWinsForOneTarget() throws Exception {
        assertThat(forMethod("plain").binds())
                .extracting(d -> d.value().source() + " -> " + d.value().target() + " @ " + d.origin())
                .containsExactly(
                        "outer-only -> /only @ class MergedSandboxTest.Outer",
                        "composed-src -> /data @ @DebianLike on class MergedSandboxTest.Outer.Nested");
    }

    @Test
    void aMethodWithoutAnnotationsDeclaresNothingOfItsOwn() throws Exception {
        assertThat(MergedSandbox.of(DeclarationScanner.forMethodOnly(Outer.Nested.class.getDeclaredMethod("plain")))
                .declaresAnything()).isFalse();
        assertThat(MergedSandbox.of(DeclarationScanner.forMethodOnly(Outer.Nested.class.getDeclaredMethod("method")))
                .declaresAnything()).isTrue();
    }

    @Sandbox(rootfs = "busybox", rootfsProvider = FixedRootfs.class)
    static class TwoRootfsChoices {
    }

    @Sandbox(pids = {1, 2})
    static class TwoPidLimits {
    }

    @Sandbox(namespaces = Namespace.MOUNT)
    static class ChrootLike {
    }

    @Test
    void contradictionsOnOneAnnotationAreRejectedNamingIt() {
        assertThatThrownBy(() -> MergedSandbox.of(DeclarationScanner.forClass(TwoRootfsChoices.class)))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("class MergedSandboxTest.TwoRootfsChoices sets both rootfs = \"busybox\" and rootfsProvider");
        assertThatThrownBy(() -> MergedSandbox.of(DeclarationScanner.forClass(TwoPidLimits.class)))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@Sandbox pids on class MergedSandboxTest.TwoPidLimits has 2 values; it takes one");
    }

    @Test
    void aSingleNamespaceIsAnExplicitChoice() {
        assertThat(MergedSandbox.of(DeclarationScanner.forClass(ChrootLike.class)).namespaces())
                .hasValueSatisfying(d -> assertThat(d.value()).containsExactly(Namespace.MOUNT));
    }
}
