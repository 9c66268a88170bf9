package io.github.junitsandbox.runtime.cgroup;

import java.nio.file.Path;
import java.util.List;

/** What a container without limits gets where no cgroup is created: nothing to place, kill or remove. */
final class NoContainerCgroup implements ContainerCgroup {

    @Override
    public List<Path> directories() {
        return List.of();
    }

    @Override
    public List<Path> cleanupPaths() {
        return List.of();
    }

    @Override
    public boolean oomKilled() {
        return false;
    }

    @Override
    public void killAll() {
        // no cgroup: the runtime kills the container through its PID 1
    }

    @Override
    public void remove() {
        // nothing was created
    }
}
