package io.github.junitsandbox;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs {@link KitSubject} classes on the real Jupiter engine, with real containers. */
final class KitRun {

    private KitRun() {
    }

    static EngineExecutionResults run(Class<?>... subjects) {
        return run(Map.of(), subjects);
    }

    static EngineExecutionResults run(Map<String, String> configuration, Class<?>... subjects) {
        Map<String, String> parameters = new HashMap<>(configuration);
        parameters.put(KitSubject.PARAMETER, "true");
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameters(parameters)
                .selectors(Arrays.stream(subjects).map(c -> selectClass(c)).toArray(ClassSelector[]::new))
                .execute();
    }
}
