package io.github.junitsandbox;

import io.github.junitsandbox.ContainerSpecFactory.DeclaredSpec;
import io.github.junitsandbox.Sandbox.Lifecycle;
import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.InvalidSpecException;
import io.github.junitsandbox.runtime.SandboxException;
import io.github.junitsandbox.runtime.SandboxRuntime;
import io.github.junitsandbox.runtime.UnsupportedHostException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

/**
 * The extension behind {@link Sandbox}: launches the container a test asks for before it runs
 * (before {@code @BeforeEach} methods; for {@link Lifecycle#PER_CLASS}, before {@code @BeforeAll}),
 * injects it as a {@link Container} parameter, enforces the timeout, reports the container on
 * failure, and closes it afterwards whatever happened, through the {@link ExtensionContext.Store}.
 *
 * <p>Registered by {@code @Sandbox} itself; there is no need to name it. Every piece of state lives
 * in the stores of the contexts it belongs to, so tests and classes may run in parallel.
 */
public class SandboxExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver,
        InvocationInterceptor, AfterTestExecutionCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SandboxExtension.class);

    /**
     * The container in force. One key for both lifecycles: a test's own container, in its store,
     * shadows the class container its store would otherwise inherit from the enclosing contexts.
     */
    private static final String CONTAINER = "container";
    private static final String RUNTIME = "runtime";
    private static final String CONFIGURATION = "configuration";
    private static final String WATCHDOG = "timeout watchdog";

    @Override
    public void beforeAll(ExtensionContext context) {
        MergedSandbox merged = MergedSandbox.of(DeclarationScanner.forClass(context.getRequiredTestClass()));
        if (lifecycle(merged) == Lifecycle.PER_CLASS) {
            store(context).put(CONTAINER, new OwnedContainer(launch(context, merged)));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        MergedSandbox ownDeclarations = MergedSandbox.of(DeclarationScanner.forMethodOnly(method));
        ownDeclarations.lifecycle().ifPresent(declared -> {
            throw new ExtensionConfigurationException("@Sandbox lifecycle = " + declared.value() + " (declared on "
                    + declared.origin() + ") is not accepted on a method: lifecycle is chosen for a class");
        });
        MergedSandbox classLevel = MergedSandbox.of(DeclarationScanner.forClass(context.getRequiredTestClass()));
        if (lifecycle(classLevel) == Lifecycle.PER_TEST || ownDeclarations.declaresAnything()) {
            MergedSandbox merged = MergedSandbox.of(DeclarationScanner.forMethod(method, context.getRequiredTestClass()));
            store(context).put(CONTAINER, new OwnedContainer(launch(context, merged)));
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Container.class;
    }

    @Override
    public Container resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        OwnedContainer owned = store(extensionContext).get(CONTAINER, OwnedContainer.class);
        if (owned == null || extensionContext.getTestMethod().isEmpty() && !classLevelOwns(extensionContext)) {
            throw new ParameterResolutionException("No container exists yet for " + parameterContext.getDeclaringExecutable()
                    + ": with @Sandbox(lifecycle = PER_TEST), the default, a container exists from @BeforeEach to @AfterEach;"
                    + " to have one in @BeforeAll/@AfterAll use @Sandbox(lifecycle = PER_CLASS)");
        }
        return owned.container();
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) throws Throwable {
        proceedWithinTimeout(invocation, extensionContext);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) throws Throwable {
        proceedWithinTimeout(invocation, extensionContext);
    }

    private static void proceedWithinTimeout(Invocation<Void> invocation, ExtensionContext extensionContext) throws Throwable {
        Container container = store(extensionContext).get(CONTAINER, OwnedContainer.class).container();
        Duration timeout = container.spec().timeout().orElse(configuration(extensionContext).defaultTimeout());
        String origin = container.spec().timeout().isPresent() ? "@Sandbox timeout"
                : "configuration parameter " + SandboxConfiguration.TIMEOUT + " or its default";
        watchdog(extensionContext).proceedWithin(invocation, timeout, origin, container);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) {
            return;
        }
        OwnedContainer owned = store(context).get(CONTAINER, OwnedContainer.class);
        FailureReport.entries(owned.container()).forEach(context::publishReportEntry);
        if (configuration(context).keepOnFailure()) {
            context.getRoot().getStore(NAMESPACE).put("kept " + owned.container().id(), owned.handOver());
            context.publishReportEntry(FailureReport.KEPT, FailureReport.keptNotice(owned.container()));
        }
    }

    private static boolean classLevelOwns(ExtensionContext classContext) {
        return lifecycle(MergedSandbox.of(DeclarationScanner.forClass(classContext.getRequiredTestClass()))) == Lifecycle.PER_CLASS;
    }

    private static Lifecycle lifecycle(MergedSandbox merged) {
        return merged.lifecycle().map(Declared::value).orElse(Lifecycle.PER_TEST);
    }

    private static Container launch(ExtensionContext context, MergedSandbox merged) {
        SandboxConfiguration configuration = configuration(context);
        DeclaredSpec declared = new ContainerSpecFactory(configuration, ContainerSpecFactory.projectDir()).create(merged);
        try {
            requireLinux();
            return runtime(context).launch(declared.spec());
        } catch (InvalidSpecException e) {
            throw declared.rejected(e);
        } catch (SandboxException e) {
            SandboxException explained = declared.explained(e);
            // only what the host lacks: a wrong command or a broken state directory fails under abort too
            if (e instanceof UnsupportedHostException && configuration.unsupported() == SandboxConfiguration.UnsupportedHost.ABORT) {
                throw new TestAbortedException("junit-sandbox could not start the container this test asks for, and "
                        + SandboxConfiguration.UNSUPPORTED + "=abort: " + explained.getMessage(), explained);
            }
            throw explained;
        }
    }

    private static void requireLinux() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw new UnsupportedHostException("junit-sandbox runs containers with Linux namespaces and cgroups; this JVM runs on "
                    + os + ". Run these tests on Linux (a CI runner, a VM, WSL 2), or set "
                    + SandboxConfiguration.UNSUPPORTED + "=abort to skip them on this machine");
        }
    }

    private static SandboxConfiguration configuration(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(CONFIGURATION,
                key -> SandboxConfiguration.from(context::getConfigurationParameter), SandboxConfiguration.class);
    }

    private static SandboxRuntime runtime(ExtensionContext context) {
        SandboxConfiguration configuration = configuration(context);
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(RUNTIME, key -> {
            SandboxRuntime.Builder builder = SandboxRuntime.builder();
            configuration.cacheDir().ifPresent(builder::cacheDir);
            configuration.cgroupParent().ifPresent(builder::cgroupParent);
            configuration.stateDir().ifPresent(builder::stateDir);
            configuration.layer().ifPresent(builder::layerMode);
            return builder.build();
        }, SandboxRuntime.class);
    }

    private static TimeoutWatchdog watchdog(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(WATCHDOG, key -> new TimeoutWatchdog(),
                TimeoutWatchdog.class);
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(NAMESPACE);
    }
}
