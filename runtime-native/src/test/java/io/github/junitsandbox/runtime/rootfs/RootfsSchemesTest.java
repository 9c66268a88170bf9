package io.github.junitsandbox.runtime.rootfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.junitsandbox.runtime.InvalidSpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsSchemesTest {

    private static final String BUILT_IN_FORMS = "host (read-only view of the host's system directories), "
            + "dir:PATH (an existing directory, never written to)";

    private final RootfsSchemes schemes = RootfsSchemes.load();

    @Test
    void findsTheBuiltInSchemesThroughServiceLoader() {
        assertThat(schemes.acceptedForms()).isEqualTo(BUILT_IN_FORMS);
    }

    @Test
    void hostIsTheHostView() throws IOException {
        RootfsProvider host = schemes.parse("host");
        assertThat(host.describe()).isEqualTo("host");
        assertThat(host.provide(() -> Path.of("/unused"))).isInstanceOf(Rootfs.HostView.class);
    }

    @Test
    void dirIsThatDirectoryWithoutImageDefaults(@TempDir Path dir) throws IOException {
        RootfsProvider provider = schemes.parse("dir:" + dir);
        assertThat(provider.describe()).isEqualTo("dir:" + dir);
        assertThat(provider.provide(() -> dir)).isEqualTo(new Rootfs.Directory(dir, ImageDefaults.none()));
    }

    @Test
    void aMissingDirectoryIsNamedWithEveryAcceptedForm(@TempDir Path dir) {
        Path absent = dir.resolve("absent");
        assertThatThrownBy(() -> schemes.parse("dir:" + absent))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("rootfs = \"dir:" + absent + "\" is not accepted: dir:PATH with an existing directory; " + absent
                        + " does not exist; rootfs accepts " + BUILT_IN_FORMS);
    }

    @Test
    void aFileIsNotADirectory(@TempDir Path dir) throws IOException {
        Path file = Files.createFile(dir.resolve("file"));
        assertThatThrownBy(() -> schemes.parse("dir:" + file))
                .hasMessage("rootfs = \"dir:" + file + "\" is not accepted: dir:PATH with a directory; " + file
                        + " is not one; rootfs accepts " + BUILT_IN_FORMS);
    }

    @Test
    void aDirectoryThatVanishedBeforeTheLaunchIsAnIoError(@TempDir Path dir) throws IOException {
        Path gone = Files.createDirectory(dir.resolve("gone"));
        RootfsProvider provider = schemes.parse("dir:" + gone);
        Files.delete(gone);
        assertThatThrownBy(() -> provider.provide(() -> dir)).isInstanceOf(IOException.class).hasMessageContaining(gone.toString());
    }

    @Test
    void anUnknownSchemeListsTheKnownOnesAndWhereTheOthersComeFrom() {
        assertThatThrownBy(() -> schemes.parse("busybox"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("rootfs = \"busybox\" is not accepted: one of " + BUILT_IN_FORMS + "; busybox, tar:PATH, oci:PATH[:TAG], "
                        + "docker-archive:PATH and debootstrap:SUITE come with junit-sandbox-fixtures, which is not on the class path");
    }

    @Test
    void anUnknownSchemeWithFixturesPresentSaysItIsNotAmongThem() {
        RootfsSchemes withFixtures = new RootfsSchemes(List.of(new HostRootfsScheme(), new NamedOnlyScheme("busybox")));
        assertThatThrownBy(() -> withFixtures.parse("tar:/x.tar"))
                .hasMessage("rootfs = \"tar:/x.tar\" is not accepted: one of host (read-only view of the host's system directories), "
                        + "busybox; tar is not among them although junit-sandbox-fixtures is on the class path");
    }

    @Test
    void hostTakesNoArgument() {
        assertThatThrownBy(() -> schemes.parse("host:/x"))
                .hasMessage("rootfs = \"host:/x\" is not accepted: host takes no argument; rootfs accepts " + BUILT_IN_FORMS);
    }

    @Test
    void dirNeedsAPath() {
        assertThatThrownBy(() -> schemes.parse("dir:"))
                .hasMessage("rootfs = \"dir:\" is not accepted: dir: needs a directory path after the colon; rootfs accepts " + BUILT_IN_FORMS);
    }

    /** A scheme that exists only by name: what a fixtures jar on the class path looks like to the registry. */
    private record NamedOnlyScheme(String scheme) implements RootfsScheme {
        @Override
        public String syntax() {
            return scheme;
        }

        @Override
        public RootfsProvider parse(String argument) {
            throw new UnsupportedOperationException("never parsed in these tests");
        }
    }
}
