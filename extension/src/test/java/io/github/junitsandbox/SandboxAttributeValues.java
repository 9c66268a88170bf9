package io.github.junitsandbox;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Map;

/**
 * A {@link Sandbox} annotation with the given attribute values, every other attribute at its
 * default: what a user could write, made at run time so that properties can try any value.
 */
final class SandboxAttributeValues {

    private SandboxAttributeValues() {
    }

    static Sandbox with(Map<String, Object> values) {
        return (Sandbox) Proxy.newProxyInstance(Sandbox.class.getClassLoader(), new Class<?>[] {Sandbox.class}, (proxy, method, args) -> {
            return switch (method.getName()) {
                case "annotationType" -> Sandbox.class;
                case "toString" -> "@Sandbox" + values;
                case "hashCode" -> values.hashCode();
                case "equals" -> proxy == args[0];
                default -> values.containsKey(method.getName()) ? values.get(method.getName()) : defaultOf(method);
            };
        });
    }

    private static Object defaultOf(Method attribute) {
        Object value = attribute.getDefaultValue();
        if (value == null) {
            throw new IllegalArgumentException("@Sandbox has no attribute " + attribute.getName() + " with a default; attributes: "
                    + Arrays.toString(Sandbox.class.getDeclaredMethods()));
        }
        return value;
    }
}
