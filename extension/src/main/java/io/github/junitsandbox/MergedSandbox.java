package io.github.junitsandbox;

import io.github.junitsandbox.Sandbox.Lifecycle;
import io.github.junitsandbox.runtime.Namespace;
import io.github.junitsandbox.runtime.rootfs.RootfsProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The {@link Sandbox} attributes in force for a test after merging its declarations, nearest first,
 * attribute by attribute; each value remembers where it was declared. Absent means "not set
 * anywhere": the runtime's default (or the configuration's) applies.
 */
final class MergedSandbox {

    /** A rootfs is named either by its string form or by a provider class; the nearest choice wins. */
    sealed interface RootfsChoice {
        record Named(String value) implements RootfsChoice {
        }

        record Custom(Class<? extends RootfsProvider> providerClass) implements RootfsChoice {
        }
    }

    private final List<Declaration<Sandbox>> sandboxes;
    private final List<Declaration<Bind>> binds;

    private MergedSandbox(List<Declaration<Sandbox>> nearestFirst, List<Declaration<Bind>> bindsNearestFirst) {
        this.sandboxes = nearestFirst;
        this.binds = bindsNearestFirst;
    }

    static MergedSandbox of(DeclarationScanner scanner) {
        return of(scanner.sandboxes(), scanner.binds());
    }

    /** @throws ExtensionConfigurationException when one declaration holds what cannot go together */
    static MergedSandbox of(List<Declaration<Sandbox>> nearestFirst, List<Declaration<Bind>> bindsNearestFirst) {
        nearestFirst.forEach(MergedSandbox::rejectTwoRootfsChoices);
        nearestFirst.forEach(MergedSandbox::rejectSeveralValues);
        return new MergedSandbox(nearestFirst, bindsNearestFirst);
    }

    boolean declaresAnything() {
        return !sandboxes.isEmpty() || !binds.isEmpty();
    }

    Optional<Declared<RootfsChoice>> rootfs() {
        return nearest(s -> !s.rootfs().isEmpty() || s.rootfsProvider() != RootfsProvider.class,
                s -> s.rootfs().isEmpty() ? new RootfsChoice.Custom(s.rootfsProvider()) : new RootfsChoice.Named(s.rootfs()));
    }

    Optional<Declared<Namespace[]>> namespaces() {
        return nearest(s -> s.namespaces().length > 0, Sandbox::namespaces);
    }

    Optional<Declared<String>> shmSize() {
        return nearestString(Sandbox::shmSize);
    }

    Optional<Declared<String>> hostname() {
        return nearestString(Sandbox::hostname);
    }

    Optional<Declared<String>> memory() {
        return nearestString(Sandbox::memory);
    }

    Optional<Declared<Integer>> pids() {
        return nearest(s -> s.pids().length > 0, s -> s.pids()[0]);
    }

    Optional<Declared<String[]>> command() {
        return nearest(s -> s.command().length > 0, Sandbox::command);
    }

    Optional<Declared<String[]>> env() {
        return nearest(s -> s.env().length > 0, Sandbox::env);
    }

    Optional<Declared<String>> workdir() {
        return nearestString(Sandbox::workdir);
    }

    Optional<Declared<String>> user() {
        return nearestString(Sandbox::user);
    }

    Optional<Declared<String[]>> capabilities() {
        return nearest(s -> s.capabilities().length > 0, Sandbox::capabilities);
    }

    Optional<Declared<String>> seccomp() {
        return nearestString(Sandbox::seccomp);
    }

    Optional<Declared<String[]>> devices() {
        return nearest(s -> s.devices().length > 0, Sandbox::devices);
    }

    Optional<Declared<String[]>> unmaskedPaths() {
        return nearest(s -> s.unmaskedPaths().length > 0, Sandbox::unmaskedPaths);
    }

    Optional<Declared<Boolean>> readOnlyRoot() {
        return nearest(s -> s.readOnlyRoot().length > 0, s -> s.readOnlyRoot()[0]);
    }

    Optional<Declared<String>> network() {
        return nearestString(Sandbox::network);
    }

    Optional<Declared<String>> timeout() {
        return nearestString(Sandbox::timeout);
    }

    Optional<Declared<Lifecycle>> lifecycle() {
        return nearest(s -> s.lifecycle().length > 0, s -> s.lifecycle()[0]);
    }

    /** All binds of all levels; for one target the nearest wins. In the order declared, farthest level first. */
    List<Declared<Bind>> binds() {
        Map<String, Declared<Bind>> byTarget = new LinkedHashMap<>();
        List<Declaration<Bind>> farthestFirst = new ArrayList<>(binds);
        Collections.reverse(farthestFirst);
        for (Declaration<Bind> d : farthestFirst) {
            byTarget.remove(d.annotation().target());
            byTarget.put(d.annotation().target(), new Declared<>(d.annotation(), d.origin()));
        }
        return List.copyOf(byTarget.values());
    }

    private Optional<Declared<String>> nearestString(Function<Sandbox, String> attribute) {
        return nearest(s -> !attribute.apply(s).isEmpty(), attribute);
    }

    private <T> Optional<Declared<T>> nearest(Predicate<Sandbox> isSet, Function<Sandbox, T> value) {
        for (Declaration<Sandbox> d : sandboxes) {
            if (isSet.test(d.annotation())) {
                return Optional.of(new Declared<>(value.apply(d.annotation()), d.origin()));
            }
        }
        return Optional.empty();
    }

    /** These attributes are arrays only so that "not set" can be told from a value; they hold one. */
    private static void rejectSeveralValues(Declaration<Sandbox> d) {
        Sandbox s = d.annotation();
        Map<String, Integer> lengths = Map.of("pids", s.pids().length, "readOnlyRoot", s.readOnlyRoot().length,
                "lifecycle", s.lifecycle().length);
        lengths.forEach((attribute, length) -> {
            if (length > 1) {
                throw new ExtensionConfigurationException("@Sandbox " + attribute + " on " + d.origin()
                        + " has " + length + " values; it takes one");
            }
        });
    }

    private static void rejectTwoRootfsChoices(Declaration<Sandbox> d) {
        Sandbox s = d.annotation();
        if (!s.rootfs().isEmpty() && s.rootfsProvider() != RootfsProvider.class) {
            throw new ExtensionConfigurationException("@Sandbox on " + d.origin() + " sets both rootfs = \"" + s.rootfs()
                    + "\" and rootfsProvider = " + s.rootfsProvider().getName() + "; give one of them");
        }
    }
}
