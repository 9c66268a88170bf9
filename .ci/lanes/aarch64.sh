#!/usr/bin/env bash
# The aarch64 lane: the launcher cross-compiled for aarch64 is in the runtime jar beside the x86_64 one, and it runs.
# It runs under qemu-user (qemu-aarch64-static), which executes the arm64 instructions and passes the system calls to
# this machine's kernel. What qemu-user cannot do, this lane cannot prove, and it checks that it fails the way we
# know, so that a qemu that learns more shows up here:
#   - clone() with CLONE_NEW* flags: qemu-user refuses every flag outside fork's (EINVAL), so no pid, uts, ipc, mnt,
#     net or user namespace; clone3 is not implemented (ENOSYS), so no CLONE_INTO_CGROUP (the launcher falls back to
#     clone and PID 1 joins a cgroup2 directory itself, which this lane checks);
#   - setns() into mnt, user or time: qemu-user is multithreaded (its RCU thread) and the kernel refuses these to a
#     multithreaded process;
#   - seccomp() is not implemented (ENOSYS);
#   - rlimits as and stack are taken by qemu for itself and not passed to the kernel.
# Everything else of the launcher's own code runs: the command line, the supervisor, the control and error channels,
# the lifeline, the exit statuses, the subject's credentials, capabilities, no_new_privs, the nofile/nproc rlimits,
# environment and working directory, joining a cgroup v1 directory, unsharing the cgroup and time namespaces with a
# time offset, and exec/probe entering a running container (probes run in-process, as arm64 code).
# Subjects are this machine's x86_64 programs: qemu-user passes execve() to the kernel, which runs them natively.
#
# Usage: .ci/lanes/aarch64.sh [RUNTIME_JAR]   (default: the jar that `mvn package` left in runtime-native/target)
set -uo pipefail
cd "$(dirname "$0")/../.."

qemu=qemu-aarch64-static
command -v "$qemu" >/dev/null || { echo "aarch64 lane: $qemu is not installed (Debian's qemu-user-static; .ci/setup installs it)" >&2; exit 1; }
jar=${1:-$(ls runtime-native/target/junit-sandbox-runtime-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -n 1)}
[ -f "$jar" ] || { echo "aarch64 lane: no runtime jar (run mvn package first, or pass its path)" >&2; exit 1; }

work=$(mktemp -d /tmp/junit-sandbox-aarch64-lane.XXXXXX)
cgroup=/sys/fs/cgroup/pids/junit-sandbox-aarch64-lane-$$
idle_pid=""
cleanup() {
  [ -n "$idle_pid" ] && kill -KILL "$idle_pid" 2>/dev/null && wait "$idle_pid" 2>/dev/null
  [ -d "$cgroup" ] && rmdir "$cgroup"
  [ -n "${unified_cgroup:-}" ] && [ -d "$unified_cgroup" ] && rmdir "$unified_cgroup"
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
# check NAME EXPECTED_STATUS EXPECTED_OUTPUT ACTUAL_STATUS ACTUAL_OUTPUT: EXPECTED_OUTPUT is an extended regex that
# must match the whole of ACTUAL_OUTPUT (stdout and stderr together, newlines as spaces).
check() {
  local name=$1 want_status=$2 want_output=$3 status=$4 output
  output=$(printf '%s' "$5" | tr '\n' ' ' | sed 's/ *$//')
  if [ "$status" = "$want_status" ] && [[ "$output" =~ ^${want_output}$ ]]; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
    echo "     expected: status $want_status, output matching: $want_output"
    echo "     actual:   status $status, output: $output"
  fi
}

# launch EXPECTED_STATUS EXPECTED_OUTPUT NAME -- ARGS...: runs the arm64 launcher's `run` with no lifeline (stdin
# /dev/null, as by hand); the idle container below has one.
launch() {
  local want_status=$1 want_output=$2 name=$3 output status
  shift 4
  output=$("$qemu" "$launcher" run "$@" </dev/null 2>&1)
  status=$?
  check "$name" "$want_status" "$want_output" "$status" "$output"
}

unzip -q -o "$jar" 'io/github/junitsandbox/runtime/native/*' -d "$work/jar"
launcher=$work/jar/io/github/junitsandbox/runtime/native/linux-aarch64/sandbox-init
check "the jar ships both launchers" 0 "ELF 64-bit LSB executable, ARM aarch64.* ELF 64-bit LSB executable, x86-64.*" \
  0 "$(file -b "$launcher" "$work/jar/io/github/junitsandbox/runtime/native/linux-x86_64/sandbox-init")"

# The command line.
out=$("$qemu" "$launcher" --version 2>&1); check "--version" 0 "sandbox-init [0-9][0-9.]*" $? "$out"
out=$("$qemu" "$launcher" --help 2>&1); check "--help" 0 "usage: sandbox-init run .*Exit status: .*" $? "$out"
out=$("$qemu" "$launcher" 2>&1); check "no subcommand" 2 "sandbox-init: a subcommand is required: run, exec or probe .*" $? "$out"
out=$("$qemu" "$launcher" start 2>&1); check "unknown subcommand" 2 "sandbox-init: unknown subcommand 'start'; accepted: run, exec, probe, --help, --version .*" $? "$out"
out=$("$qemu" "$launcher" run --unshare pid,moon 2>&1); check "unknown namespace" 2 "sandbox-init: .*moon.*" $? "$out"
out=$("$qemu" "$launcher" run --hostname x -- /bin/true 2>&1); check "--hostname without uts" 2 "sandbox-init: run: --hostname needs a new uts namespace \(--unshare ...,uts\) .*" $? "$out"
out=$("$qemu" "$launcher" probe --target 1 uptime 2>&1); check "unknown probe" 2 "sandbox-init: probe: expected one of: pids \| hostname \| kill PID SIGNAL \| creds .*" $? "$out"
out=$("$qemu" "$launcher" exec --target 1 2>&1); check "exec without a command" 2 "sandbox-init: exec: a command is required after -- .*" $? "$out"

# run: supervisor, control lines, error channel, exit statuses.
launch 0 "ready	[0-9]+	[0-9]+ exit	0" "run a subject" -- -- /bin/true
launch 3 "ready	[0-9]+	[0-9]+ exit	3" "the subject's exit status" -- -- /bin/sh -c 'exit 3'
launch 137 "ready	[0-9]+	[0-9]+ exit	137" "a subject killed by SIGKILL is 128+9" -- -- /bin/sh -c 'kill -KILL $$'
launch 125 "error	execve\(/bin/nope\)	ENOENT	No such file or directory" "a failed execve through the error channel" -- -- /bin/nope
launch 0 "ready	[0-9]+	[0-9]+ exit	0" "subject output to --stdout" -- --stdout "$work/out" -- /bin/echo hello from the subject
check "the subject wrote to --stdout" 0 "hello from the subject" 0 "$(cat "$work/out")"

# The subject's process settings.
launch 0 "ready	[0-9]+	[0-9]+ exit	0" "credentials, caps, no_new_privs, rlimits, env, chdir" -- \
  --stdout "$work/out" --uid 1234 --gid 2345 --caps kill,chown --no-new-privs --rlimit nofile=64:128 --rlimit nproc=500:600 \
  --env GREETING=hi --chdir /tmp -- /bin/sh -c \
  'id -u; id -g; id -G; grep -E "^(CapEff|CapBnd|NoNewPrivs):" /proc/self/status;
   awk "/^Max (processes|open files)/ { print \$(NF-2), \$(NF-1) }" /proc/self/limits; env; pwd'
check "the subject's process settings as seen inside" 0 \
  "1234 2345 2345 CapEff:	0000000000000000 CapBnd:	0000000000000021 NoNewPrivs:	1 500 600 64 128 (PWD=/tmp GREETING=hi|GREETING=hi PWD=/tmp) /tmp" \
  0 "$(cat "$work/out")"

# Namespaces unshared rather than cloned work: cgroup and time (PID 1), net (the subject makes it, PID 1 joins it
# with setns, which a multithreaded process may do for net); those that go through clone() do not.
launch 0 "ready	[0-9]+	[0-9]+ exit	0" "unshare cgroup and time with a monotonic offset" -- \
  --unshare cgroup,time --time-offset monotonic 86400 --stdout "$work/out" -- /bin/cat /proc/self/timens_offsets
check "the time namespace's offset as seen inside" 0 "monotonic +86400 +0 boottime +0 +0" 0 "$(cat "$work/out")"
launch 0 "ready	[0-9]+	[0-9]+ exit	0" "unshare net: the subject makes it" -- \
  --unshare net --stdout "$work/out" -- /bin/sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
check "the network namespace as seen inside: lo only (the host has $(($(wc -l </proc/net/dev) - 2)) interfaces)" 0 "lo" 0 \
  "$(cat "$work/out")"
for ns in pid uts ipc mnt user; do
  launch 125 "error	clone\($ns\)	EINVAL	Invalid argument" "qemu-user refuses clone($ns) (not provable here)" -- --unshare "$ns" -- /bin/true
done

# Cgroups: v1 joined by PID 1 itself (DIR/tasks); cgroup2 too, since qemu-user lacks clone3 (CLONE_INTO_CGROUP).
if [ -d /sys/fs/cgroup/pids ]; then
  mkdir "$cgroup"
  launch 0 "ready	[0-9]+	[0-9]+ exit	0" "join a cgroup v1 directory" -- --cgroup "$cgroup" --stdout "$work/out" -- /bin/cat /proc/self/cgroup
  check "the subject is in the cgroup" 0 "[0-9]+:pids:/junit-sandbox-aarch64-lane-$$" 0 "$(grep ':pids:' "$work/out")"
fi
unified=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
if [ -n "$unified" ] && [ -w "$unified" ]; then
  unified_cgroup=$unified/junit-sandbox-aarch64-lane-$$
  mkdir "$unified_cgroup"
  launch 0 "ready	[0-9]+	[0-9]+ exit	0" "qemu-user has no clone3: PID 1 joins the cgroup2 directory itself" -- \
    --cgroup "$unified_cgroup" --stdout "$work/out" -- /bin/cat /proc/self/cgroup
  check "the subject is in the cgroup2 directory" 0 "0::/junit-sandbox-aarch64-lane-$$" 0 "$(grep '^0::' "$work/out")"
fi
printf '\x06\x00\x00\x00\x00\x00\xff\x7f' >"$work/allow.bpf" # one instruction: return SECCOMP_RET_ALLOW
launch 125 "error	seccomp\(SECCOMP_SET_MODE_FILTER\)	ENOSYS	Function not implemented" \
  "qemu-user has no seccomp (not provable here)" -- --no-new-privs --seccomp "$work/allow.bpf" -- /bin/true

# exec and probe into a running (idle) container.
# Its lifeline is a fifo whose only writer is this script.
mkfifo "$work/lifeline"
"$qemu" "$launcher" run --unshare cgroup,time <"$work/lifeline" >"$work/control" &
idle_pid=$!
exec {lifeline}>"$work/lifeline"
for _ in $(seq 100); do grep -q '^ready' "$work/control" 2>/dev/null && break; sleep 0.1; done
target=$(awk -F'\t' '/^ready/ { print $2 }' "$work/control")
check "an idle container is ready" 0 "ready	[0-9]+	0" 0 "$(cat "$work/control")"
out=$("$qemu" "$launcher" exec --target "$target" -- /bin/sh -c 'echo out; echo err >&2; exit 4' 2>"$work/err")
check "exec relays stdout, stderr and the status" 4 "out err" $? "$out $(cat "$work/err")"
out=$("$qemu" "$launcher" exec --target "$target" --join pid,cgroup -- /bin/true 2>&1); check "exec --join pid,cgroup" 0 "" $? "$out"
out=$("$qemu" "$launcher" probe --target "$target" hostname 2>&1); check "probe hostname" 0 "$(hostname)" $? "$out"
out=$("$qemu" "$launcher" probe --target "$target" kill "$target" 0 2>&1); check "probe kill PID 0" 0 "ALLOWED" $? "$out"
out=$("$qemu" "$launcher" probe --target "$target" --uid 1234 kill 1 0 2>&1); check "probe kill as another uid" 0 "EPERM" $? "$out"
out=$("$qemu" "$launcher" probe --target "$target" kill 4194000 0 2>&1); check "probe kill of no process" 0 "ESRCH" $? "$out"
out=$("$qemu" "$launcher" probe --target "$target" pids 2>&1)
check "probe pids lists the container's PID 1" 0 "yes" $? "$(printf '%s\n' "$out" | awk -F'\t' -v p="$target" '$1 == p { print "yes" }')"
out=$("$qemu" "$launcher" probe --target "$target" --uid 77 --gid 88 creds 2>&1)
check "probe creds" 0 "uid	77 gid	88 groups	 CapEff	0+ CapPrm	0+ .*NoNewPrivs	0 Seccomp	0 hostname	.*" $? "$out"
for ns in mnt user time; do
  out=$("$qemu" "$launcher" exec --target "$target" --join "$ns" -- /bin/true 2>&1)
  check "qemu-user is multithreaded: setns($ns) refused (not provable here)" 125 "sandbox-init: error	setns\($ns\)	E(INVAL|USERS)	.*" $? "$out"
done

# The lifeline: EOF on stdin kills the container and the supervisor exits 137.
exec {lifeline}>&-
wait "$idle_pid"
status=$?
idle_pid=""
check "a broken lifeline ends the container" 137 "ready	[0-9]+	0.*" "$status" "$(cat "$work/control")"
check "its PID 1 is gone" 0 "gone" 0 "$([ -d "/proc/$target" ] && echo "still there: $(cat /proc/$target/cmdline | tr '\0' ' ')" || echo gone)"

echo "aarch64: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
