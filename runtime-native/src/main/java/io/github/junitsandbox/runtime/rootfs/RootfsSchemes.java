package io.github.junitsandbox.runtime.rootfs;

import io.github.junitsandbox.runtime.InvalidSpecException;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The string forms of {@code rootfs}: every {@link RootfsScheme} that {@link ServiceLoader} finds
 * (the runtime's own {@code host} and {@code dir}, and those of jars on the class path such as
 * junit-sandbox-fixtures).
 */
public final class RootfsSchemes {

    /** Schemes that junit-sandbox-fixtures provides, named when one of them is asked for but absent. */
    private static final List<String> FIXTURE_SCHEMES = List.of("busybox", "tar", "oci", "docker-archive", "debootstrap");

    private final List<RootfsScheme> schemes;

    RootfsSchemes(List<RootfsScheme> schemes) {
        this.schemes = List.copyOf(schemes);
    }

    /** The schemes visible to the context class loader (else this class's loader). */
    public static RootfsSchemes load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = RootfsSchemes.class.getClassLoader();
        }
        return new RootfsSchemes(ServiceLoader.load(RootfsScheme.class, loader).stream().map(ServiceLoader.Provider::get).toList());
    }

    /**
     * Parses {@code SCHEME} or {@code SCHEME:ARGUMENT}.
     *
     * @throws InvalidSpecException naming {@code rootfs}, the value, and every accepted form
     */
    public RootfsProvider parse(String value) {
        String text = value == null ? "" : value.trim();
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String argument = colon < 0 ? "" : text.substring(colon + 1);
        RootfsScheme scheme = schemes.stream().filter(s -> s.scheme().equals(name)).findFirst()
                .orElseThrow(() -> new InvalidSpecException("rootfs", value, unknownSchemeHelp(name)));
        try {
            return scheme.parse(argument);
        } catch (InvalidSpecException e) {
            throw new InvalidSpecException("rootfs", value, e.accepted() + "; rootfs accepts " + acceptedForms());
        }
    }

    /** Every accepted form, as the schemes spell them. */
    public String acceptedForms() {
        return schemes.stream().map(RootfsScheme::syntax).collect(Collectors.joining(", "));
    }

    private String unknownSchemeHelp(String name) {
        String help = "one of " + acceptedForms();
        boolean fixturesAbsent = schemes.stream().noneMatch(s -> FIXTURE_SCHEMES.contains(s.scheme()));
        if (fixturesAbsent) {
            help += "; busybox, tar:PATH, oci:PATH[:TAG], docker-archive:PATH and debootstrap:SUITE come with "
                    + "junit-sandbox-fixtures, which is not on the class path";
        } else if (FIXTURE_SCHEMES.contains(name)) {
            help += "; " + name + " is not among them although junit-sandbox-fixtures is on the class path";
        }
        return help;
    }
}
