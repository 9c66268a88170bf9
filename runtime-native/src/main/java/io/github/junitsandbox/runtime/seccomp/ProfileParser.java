package io.github.junitsandbox.runtime.seccomp;

import io.github.junitsandbox.runtime.json.JsonReader;
import io.github.junitsandbox.runtime.json.JsonSyntaxException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the JSON tree of a profile in Docker's format into a {@link SeccompProfile}. Strict:
 * unknown members, wrong types and values out of range are errors naming their path
 * ({@code syscalls[3].args[0].op}), because a typo silently ignored would change what is allowed.
 * Members that only annotate ({@code comment}) are accepted and dropped; {@code null} stands for an
 * absent optional member, as the Go tools that write these files produce it.
 */
final class ProfileParser {
    private static final Set<String> PROFILE_MEMBERS = Set.of(
            "defaultAction", "defaultErrnoRet", "architectures", "archMap", "syscalls", "flags", "listenerPath", "listenerMetadata");
    private static final Set<String> ARCH_MAP_MEMBERS = Set.of("architecture", "subArchitectures");
    private static final Set<String> RULE_MEMBERS = Set.of("names", "name", "action", "errnoRet", "args", "comment", "includes", "excludes");
    private static final Set<String> ARG_MEMBERS = Set.of("index", "value", "valueTwo", "op");
    private static final Set<String> INCLUDES_MEMBERS = Set.of("caps", "arches", "minKernel");
    private static final Set<String> EXCLUDES_MEMBERS = Set.of("caps", "arches");
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final String source;

    private ProfileParser(String source) {
        this.source = source;
    }

    static SeccompProfile parse(byte[] json, String source) {
        Object tree;
        try {
            tree = JsonReader.parse(json);
        } catch (JsonSyntaxException e) {
            throw new SeccompProfileException(source, "line " + e.line() + ", column " + e.column(), e.problem(), e);
        }
        return new ProfileParser(source).profile(tree);
    }

    private SeccompProfile profile(Object tree) {
        Map<String, Object> root = object(tree, "the document");
        checkMembers(root, "the document", PROFILE_MEMBERS);
        if (!list(root, "flags", "flags").isEmpty()) {
            throw error("flags", "seccomp flags are not supported: the launcher installs the filter with prctl(PR_SET_SECCOMP), which takes none (accepted: absent or [])");
        }
        if (!string(root, "listenerPath", "listenerPath").orElse("").isEmpty()
                || !string(root, "listenerMetadata", "listenerMetadata").orElse("").isEmpty()) {
            throw error("listenerPath", "seccomp notification listeners are not supported (accepted: absent or \"\")");
        }
        SeccompAction.Type defaultType = actionType(requireString(root, "defaultAction", "defaultAction"), "defaultAction");
        SeccompAction defaultAction = action(defaultType, root, "defaultErrnoRet", "defaultErrnoRet");
        List<Architecture> architectures = elements(root, "architectures", "architectures",
                (value, path) -> architecture(string(value, path), path));
        Map<Architecture, List<Architecture>> archMap = archMap(root);
        if (!architectures.isEmpty() && !archMap.isEmpty()) {
            throw error("architectures", "both architectures and archMap are given (accepted: one of them)");
        }
        List<SyscallRule> rules = elements(root, "syscalls", "syscalls", this::rule);
        return new SeccompProfile(defaultAction, architectures, archMap, rules);
    }

    private Map<Architecture, List<Architecture>> archMap(Map<String, Object> root) {
        Map<Architecture, List<Architecture>> archMap = new LinkedHashMap<>();
        for (Map.Entry<Architecture, List<Architecture>> entry : elements(root, "archMap", "archMap", (value, path) -> {
            Map<String, Object> group = object(value, path);
            checkMembers(group, path, ARCH_MAP_MEMBERS);
            Architecture main = architecture(requireString(group, "architecture", path + ".architecture"), path + ".architecture");
            List<Architecture> subs = elements(group, "subArchitectures", path + ".subArchitectures",
                    (sub, subPath) -> architecture(string(sub, subPath), subPath));
            return Map.entry(main, subs);
        })) {
            if (archMap.putIfAbsent(entry.getKey(), entry.getValue()) != null) {
                throw error("archMap", "architecture " + entry.getKey().profileName() + " is mapped twice");
            }
        }
        return archMap;
    }

    private SyscallRule rule(Object value, String path) {
        Map<String, Object> rule = object(value, path);
        checkMembers(rule, path, RULE_MEMBERS);
        List<String> names = new ArrayList<>(elements(rule, "names", path + ".names", this::string));
        string(rule, "name", path + ".name").ifPresent(names::add);
        if (names.isEmpty()) {
            throw error(path, "a rule names no system call (accepted: \"names\": [\"read\", ...])");
        }
        SeccompAction.Type type = actionType(requireString(rule, "action", path + ".action"), path + ".action");
        SeccompAction action = action(type, rule, "errnoRet", path + ".errnoRet");
        List<ArgumentComparison> args = elements(rule, "args", path + ".args", this::argument);
        RuleCondition includes = condition(rule, "includes", path + ".includes", INCLUDES_MEMBERS);
        RuleCondition excludes = condition(rule, "excludes", path + ".excludes", EXCLUDES_MEMBERS);
        return new SyscallRule(names, action, args, includes, excludes);
    }

    private ArgumentComparison argument(Object value, String path) {
        Map<String, Object> arg = object(value, path);
        checkMembers(arg, path, ARG_MEMBERS);
        long index = integer(require(arg, "index", path + ".index"), path + ".index", BigInteger.ZERO, BigInteger.valueOf(ArgumentComparison.MAX_INDEX));
        long datum = integer(require(arg, "value", path + ".value"), path + ".value", BigInteger.ZERO, MAX_UINT64);
        Object two = arg.get("valueTwo");
        long datumTwo = two == null ? 0 : integer(two, path + ".valueTwo", BigInteger.ZERO, MAX_UINT64);
        String opName = requireString(arg, "op", path + ".op");
        ArgumentComparison.Operator op;
        try {
            op = ArgumentComparison.Operator.named(opName);
        } catch (IllegalArgumentException e) {
            throw error(path + ".op", e.getMessage());
        }
        return new ArgumentComparison((int) index, datum, datumTwo, op);
    }

    private RuleCondition condition(Map<String, Object> rule, String key, String path, Set<String> members) {
        Object value = rule.get(key);
        if (value == null) {
            return RuleCondition.NONE;
        }
        Map<String, Object> condition = object(value, path);
        checkMembers(condition, path, members);
        List<String> caps = elements(condition, "caps", path + ".caps", (cap, capPath) -> {
            String name = string(cap, capPath);
            if (!name.matches("CAP_[A-Z0-9_]+")) {
                throw error(capPath, "\"" + name + "\" is not a capability name (accepted: CAP_ and upper-case letters, e.g. CAP_SYS_ADMIN)");
            }
            return name;
        });
        List<Architecture> arches = elements(condition, "arches", path + ".arches", (arch, archPath) -> {
            try {
                return Architecture.ofGoName(string(arch, archPath));
            } catch (IllegalArgumentException e) {
                throw error(archPath, e.getMessage());
            }
        });
        Optional<KernelVersion> minKernel = string(condition, "minKernel", path + ".minKernel").map(text -> {
            if (!text.matches("\\d+\\.\\d+")) {
                throw error(path + ".minKernel", "\"" + text + "\" is not a kernel version (accepted: MAJOR.MINOR, e.g. \"4.8\")");
            }
            return KernelVersion.parse(text);
        });
        return new RuleCondition(Set.copyOf(caps), Set.copyOf(arches), minKernel);
    }

    private SeccompAction.Type actionType(String name, String path) {
        try {
            return SeccompAction.typeNamed(name);
        } catch (IllegalArgumentException e) {
            throw error(path, e.getMessage());
        }
    }

    /** The action with its errno: the given one, EPERM where ERRNO or TRACE gives none (as Docker). */
    private SeccompAction action(SeccompAction.Type type, Map<String, Object> holder, String errnoKey, String errnoPath) {
        Object errno = holder.get(errnoKey);
        if (!type.takesData()) {
            if (errno != null) {
                throw error(errnoPath, type.profileName() + " returns no errno (accepted only with SCMP_ACT_ERRNO or SCMP_ACT_TRACE)");
            }
            return new SeccompAction(type, 0);
        }
        int data = errno == null ? SeccompAction.EPERM : (int) integer(errno, errnoPath, BigInteger.ZERO, BigInteger.valueOf(0xffff));
        return new SeccompAction(type, data);
    }

    private Architecture architecture(String name, String path) {
        try {
            return Architecture.ofProfileName(name);
        } catch (IllegalArgumentException e) {
            throw error(path, e.getMessage());
        }
    }

    private void checkMembers(Map<String, Object> object, String path, Set<String> accepted) {
        for (String key : object.keySet()) {
            if (!accepted.contains(key)) {
                throw error(path, "unknown member \"" + key + "\" (accepted: " + String.join(", ", accepted.stream().sorted().toList()) + ")");
            }
        }
    }

    /** The elements of an optional array member, each converted with its path ({@code syscalls[3]}). */
    private <T> List<T> elements(Map<String, Object> holder, String key, String path, ElementReader<T> reader) {
        List<Object> values = list(holder, key, path);
        List<T> result = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            result.add(reader.read(values.get(i), path + "[" + i + "]"));
        }
        return result;
    }

    @FunctionalInterface
    private interface ElementReader<T> {
        T read(Object value, String path);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Map<String, Object> holder, String key, String path) {
        Object value = holder.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List)) {
            throw typeError(path, "an array", value);
        }
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(Object value, String path) {
        if (!(value instanceof Map)) {
            throw typeError(path, "an object", value);
        }
        return (Map<String, Object>) value;
    }

    private Object require(Map<String, Object> holder, String key, String path) {
        Object value = holder.get(key);
        if (value == null) {
            throw error(path, "the member is missing");
        }
        return value;
    }

    private String requireString(Map<String, Object> holder, String key, String path) {
        return string(require(holder, key, path), path);
    }

    private Optional<String> string(Map<String, Object> holder, String key, String path) {
        return Optional.ofNullable(holder.get(key)).map(value -> string(value, path));
    }

    private String string(Object value, String path) {
        if (!(value instanceof String)) {
            throw typeError(path, "a string", value);
        }
        return (String) value;
    }

    private long integer(Object value, String path, BigInteger min, BigInteger max) {
        if (!(value instanceof BigDecimal)) {
            throw typeError(path, "an integer", value);
        }
        BigInteger integer;
        try {
            integer = ((BigDecimal) value).toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw error(path, value + " is not an integer (accepted: " + min + ".." + max + ")");
        }
        if (integer.compareTo(min) < 0 || integer.compareTo(max) > 0) {
            throw error(path, integer + " is out of range (accepted: " + min + ".." + max + ")");
        }
        return integer.longValue();
    }

    private SeccompProfileException typeError(String path, String expected, Object actual) {
        return error(path, "expected " + expected + ", found " + JsonReader.describe(actual));
    }

    private SeccompProfileException error(String path, String problem) {
        return new SeccompProfileException(source, path, problem);
    }
}
