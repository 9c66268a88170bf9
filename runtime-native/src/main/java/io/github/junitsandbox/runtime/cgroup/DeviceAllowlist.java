package io.github.junitsandbox.runtime.cgroup;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The devices a container's processes may use, enforced by its cgroup (v1 {@code devices.deny a} then each rule to
 * {@code devices.allow}; v2 a {@code BPF_PROG_TYPE_CGROUP_DEVICE} program that allows what a rule allows): everything
 * else is denied, whatever the mount a node is on.
 *
 * @param rules what is allowed
 */
public record DeviceAllowlist(List<DeviceRule> rules) {

    /**
     * Docker's default (runc's): any node may be made, only these opened: null, zero, full, random, urandom, tty, console,
     * ptmx and the pseudo-terminals. Not {@code /dev/net/tun}: the default network is none; name it to have it.
     */
    public static final DeviceAllowlist DOCKER_DEFAULT = new DeviceAllowlist(List.of(
            DeviceRule.parse("c *:* m"), DeviceRule.parse("b *:* m"),
            DeviceRule.parse("c 1:3 rwm"), DeviceRule.parse("c 1:5 rwm"), DeviceRule.parse("c 1:7 rwm"),
            DeviceRule.parse("c 1:8 rwm"), DeviceRule.parse("c 1:9 rwm"), DeviceRule.parse("c 5:0 rwm"),
            DeviceRule.parse("c 5:1 rwm"), DeviceRule.parse("c 5:2 rwm"), DeviceRule.parse("c 136:* rwm")));

    public DeviceAllowlist {
        rules = List.copyOf(rules);
    }

    /** This list and {@code more}. */
    public DeviceAllowlist with(List<DeviceRule> more) {
        List<DeviceRule> all = new ArrayList<>(rules);
        all.addAll(more);
        return new DeviceAllowlist(all);
    }

    /** For reports: {@code c *:* m, b *:* m, c 1:3 rwm, ...}. */
    public String describe() {
        return rules.stream().map(DeviceRule::toString).collect(Collectors.joining(", "));
    }
}
