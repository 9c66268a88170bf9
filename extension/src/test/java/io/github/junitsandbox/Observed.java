package io.github.junitsandbox;

import io.github.junitsandbox.runtime.Container;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What kit subjects saw of their containers, for the test that ran them to check afterwards from
 * outside (is the container gone, was it shared, was it fresh). Keyed by the subject's class so that
 * tests running in parallel do not mix their observations.
 */
final class Observed {

    /** A container as its test saw it. */
    record Sighting(String test, String containerId, long hostPid) {
    }

    private static final Map<Class<?>, List<Sighting>> SIGHTINGS = new ConcurrentHashMap<>();

    private Observed() {
    }

    static void container(Class<?> subject, String test, Container container) {
        SIGHTINGS.computeIfAbsent(subject, k -> new CopyOnWriteArrayList<>())
                .add(new Sighting(test, container.id(), container.hostPid()));
    }

    /** What {@code subject} saw so far, for a later test of the same run. */
    static List<Sighting> seenBy(Class<?> subject) {
        return List.copyOf(SIGHTINGS.getOrDefault(subject, List.of()));
    }

    /** Returns and forgets what {@code subject} saw, so that a rerun starts clean. */
    static List<Sighting> takeFrom(Class<?> subject) {
        List<Sighting> seen = SIGHTINGS.remove(subject);
        return seen == null ? List.of() : List.copyOf(seen);
    }
}
