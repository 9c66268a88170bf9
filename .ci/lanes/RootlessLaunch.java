import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.ContainerSpec;
import io.github.junitsandbox.runtime.SandboxException;
import io.github.junitsandbox.runtime.Sandboxes;
import java.time.Duration;

/**
 * The podman lane's rootless case (java -cp RUNTIME_CLASSPATH RootlessLaunch.java): a JVM that is not root launches a
 * container with the runtime's defaults but no PID limit, so that it needs no cgroup (a non-root user in a CI container
 * has none delegated) and goes as far as the user namespace takes it. Prints the subject's status, or the runtime's
 * message; exits 0 when the container ran, 3 when the runtime refused.
 */
public class RootlessLaunch {

    public static void main(String[] args) throws Exception {
        try (Container box = Sandboxes.launch(ContainerSpec.builder().pidsLimit(0).command("/bin/true").build())) {
            System.out.println("the subject exited " + box.awaitExit(Duration.ofSeconds(20)));
        } catch (SandboxException e) {
            System.out.println(e.getMessage());
            System.exit(3);
        }
    }
}
