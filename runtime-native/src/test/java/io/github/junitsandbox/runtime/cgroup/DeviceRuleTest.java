package io.github.junitsandbox.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceRuleTest {

    @Test
    void readsAndWritesTheFormOfDevicesAllow() {
        assertThat(DeviceRule.parse("c 1:3 rwm")).isEqualTo(new DeviceRule('c', 1, 3, "rwm"));
        assertThat(DeviceRule.parse("b *:* m")).isEqualTo(new DeviceRule('b', DeviceRule.ANY, DeviceRule.ANY, "m"));
        assertThat(DeviceRule.parse("c 136:* rw")).hasToString("c 136:* rw");
        assertThat(new DeviceRule('a', DeviceRule.ANY, 7, "r")).hasToString("a *:7 r");
    }

    @Test
    void rejectsWhatTheKernelWouldNotTakeNamingTheForm() {
        for (String bad : List.of("", "c 1:3", "c 1:3 ", "x 1:3 rwm", "c 1-3 rwm", "c 1:3 mwr", "c 1:3 rwmx", "c -1:3 r")) {
            assertThatThrownBy(() -> DeviceRule.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("device rule \"" + bad + "\" is not accepted (accepted: TYPE MAJOR:MINOR ACCESS, e.g. c 1:3 rwm)");
        }
        assertThatThrownBy(() -> new DeviceRule('c', 1, 3, "")).hasMessageContaining("a non-empty subset of rwm");
        assertThatThrownBy(() -> new DeviceRule('c', -2, 3, "r")).hasMessageContaining("device number -2:3");
    }

    /** runc's default: make any node, open only the usual ones. */
    @Test
    void dockersDefaultOpensTheUsualNodesOnly() {
        assertThat(DeviceAllowlist.DOCKER_DEFAULT.describe()).isEqualTo("c *:* m, b *:* m, c 1:3 rwm, c 1:5 rwm, c 1:7 rwm, c 1:8 rwm,"
                + " c 1:9 rwm, c 5:0 rwm, c 5:1 rwm, c 5:2 rwm, c 136:* rwm");
        assertThat(DeviceAllowlist.DOCKER_DEFAULT.with(List.of(DeviceRule.parse("c 10:229 rw"))).rules()).hasSize(12)
                .endsWith(DeviceRule.parse("c 10:229 rw"));
    }
}
