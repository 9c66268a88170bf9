package io.github.junitsandbox;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the {@link Sandbox} and {@link Bind} declarations that apply to a test, nearest first: the
 * method, then its class and that class's superclasses, then each enclosing class the same way. On
 * one element, annotations written on it come before those reached through composed annotations.
 */
final class DeclarationScanner {

    private final List<Declaration<Sandbox>> sandboxes = new ArrayList<>();
    private final List<Declaration<Bind>> binds = new ArrayList<>();

    private DeclarationScanner() {
    }

    static DeclarationScanner forClass(Class<?> testClass) {
        DeclarationScanner scanner = new DeclarationScanner();
        scanner.scanClassAndEnclosing(testClass);
        return scanner;
    }

    static DeclarationScanner forMethod(Method method, Class<?> testClass) {
        DeclarationScanner scanner = forMethodOnly(method);
        scanner.scanClassAndEnclosing(testClass);
        return scanner;
    }

    /** Only what is declared on the method itself (directly or composed). */
    static DeclarationScanner forMethodOnly(Method method) {
        DeclarationScanner scanner = new DeclarationScanner();
        scanner.scanElement(method, "method " + displayName(method.getDeclaringClass()) + "." + method.getName() + "()");
        return scanner;
    }

    List<Declaration<Sandbox>> sandboxes() {
        return List.copyOf(sandboxes);
    }

    List<Declaration<Bind>> binds() {
        return List.copyOf(binds);
    }

    boolean isEmpty() {
        return sandboxes.isEmpty() && binds.isEmpty();
    }

    private void scanClassAndEnclosing(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            for (Class<?> s = c; s != null && s != Object.class; s = s.getSuperclass()) {
                scanElement(s, "class " + displayName(s));
            }
        }
    }

    private void scanElement(AnnotatedElement element, String where) {
        Annotation[] annotations = element.getDeclaredAnnotations();
        for (Annotation a : annotations) {
            collectIfOurs(a, where);
        }
        Set<Class<? extends Annotation>> visited = new HashSet<>();
        for (Annotation a : annotations) {
            scanComposed(a, where, visited);
        }
    }

    private void scanComposed(Annotation composed, String where, Set<Class<? extends Annotation>> visited) {
        Class<? extends Annotation> type = composed.annotationType();
        if (isOurs(type) || isPlatformAnnotation(type) || !visited.add(type)) {
            return;
        }
        String origin = "@" + type.getSimpleName() + " on " + where;
        Annotation[] metaAnnotations = type.getDeclaredAnnotations();
        for (Annotation meta : metaAnnotations) {
            collectIfOurs(meta, origin);
        }
        for (Annotation meta : metaAnnotations) {
            scanComposed(meta, origin, visited);
        }
    }

    private void collectIfOurs(Annotation a, String origin) {
        if (a instanceof Sandbox sandbox) {
            sandboxes.add(new Declaration<>(sandbox, origin));
        } else if (a instanceof Bind bind) {
            binds.add(new Declaration<>(bind, origin));
        } else if (a instanceof Bind.List list) {
            for (Bind bind : list.value()) {
                binds.add(new Declaration<>(bind, origin));
            }
        }
    }

    private static boolean isOurs(Class<? extends Annotation> type) {
        return type == Sandbox.class || type == Bind.class || type == Bind.List.class;
    }

    /** JDK and JUnit annotations never carry ours; skipping them keeps the walk short and acyclic. */
    private static boolean isPlatformAnnotation(Class<? extends Annotation> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("kotlin.")
                || name.startsWith("org.junit.") || name.startsWith("org.apiguardian.");
    }

    private static String displayName(Class<?> c) {
        String name = c.getName();
        String packageName = c.getPackageName();
        return (packageName.isEmpty() ? name : name.substring(packageName.length() + 1)).replace('$', '.');
    }
}
