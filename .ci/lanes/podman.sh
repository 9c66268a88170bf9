#!/usr/bin/env bash
# The inside-a-container lane: the runtime's LaunchedContainerTest and the end-to-end examples (32 tests) run inside a
# podman container, as a CI job that runs in a container does, in four ways, each judged from the Surefire reports:
#   privileged       --privileged: everything passes;
#   least-privilege  what the failure messages advise and no more (the host's cgroups writable with a parent of the
#                    lane's own, CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_SYS_PTRACE, unmask=ALL; default seccomp): passes;
#   ci-default       a CI provider's container as it comes (cgroups read-only, default capabilities and seccomp): every
#                    test fails, saying that the cgroup file system is read-only and what to do;
#   ci-unconfined    GitHub Actions' usual loosening (seccomp and AppArmor unconfined) with writable cgroups: every
#                    test fails, naming the capabilities root lacks.
# Then a JVM that is not root launches one container through the runtime API (RootlessLaunch.java): refused by the
# default seccomp profile (sethostname), then by the masked /proc ("mount too revealing"), each with its explanation,
# and it runs once both are lifted.
# The container needs no image and no registry: its root is a directory of a few symlinks, with this machine's /usr and
# /etc bound read-only (the JDK and Maven are in /usr), the project and ~/.m2 as throwaway overlays (what the build
# writes inside is dropped). Maven runs offline: run `mvn verify` before this lane. About 1.5 to 2.5 minutes.
#
# Usage: .ci/lanes/podman.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
project=$(pwd)

[ "$(id -u)" -eq 0 ] || { echo "podman lane: run as root (it starts privileged containers and makes cgroups)" >&2; exit 1; }
command -v podman >/dev/null || { echo "podman lane: podman is not installed (Debian's podman; .ci/setup installs it)" >&2; exit 1; }
command -v runc >/dev/null || { echo "podman lane: runc is not installed (Debian's runc; .ci/setup installs it)" >&2; exit 1; }
[ -d "$HOME/.m2/repository" ] || { echo "podman lane: no $HOME/.m2/repository: run mvn verify first (Maven runs offline inside)" >&2; exit 1; }

# The JDK that runs Maven here runs it inside too: it must be under /usr, which is bound.
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
case "$java_home" in
  /usr/*) ;;
  *) echo "podman lane: the JDK ($java_home) is not under /usr, the only system directory bound into the container" >&2; exit 1 ;;
esac

work=$(mktemp -d /tmp/junit-sandbox-podman-lane.XXXXXX)
cleanup() {
  podman rm --all --force >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

# podman's own configuration, for this lane only (nothing under /etc/containers changes). runc, because Debian 12's
# crun fails on this machine's hybrid cgroup layout; cgroupfs and a file event log, because there is no systemd;
# ulimits that root may set here: root lacks CAP_SYS_RESOURCE, so podman's default (1048576) fails, and so does any
# nproc above 32768, the hard limit runc ends up with here (measured).
export CONTAINERS_CONF=$work/containers.conf CONTAINERS_STORAGE_CONF=$work/storage.conf
cat >"$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
cat >"$CONTAINERS_STORAGE_CONF" <<EOF
[storage]
driver = "vfs"
graphroot = "$work/storage"
runroot = "$work/run"
EOF

# A root of a few directories and the merged-/usr symlinks; everything else is bound from the host.
mkdir -p "$work/root"/{usr,etc,proc,sys,dev,run,tmp,var/tmp,root,project}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$work/root/$d"; done
chmod 1777 "$work/root/tmp" "$work/root/var/tmp"

tests='LaunchedContainerTest,io.github.junitsandbox.examples.*Test'
# in_container NAME PODMAN_OPTIONS...: runs the selected tests (with Maven arguments from --env MAVEN_ARGS=...); the reports land in $work/NAME, Maven's output in
# $work/NAME.log; returns Maven's status, which failed tests do not change (the reports are judged instead).
in_container() {
  local name=$1
  shift
  mkdir -p "$work/$name"
  podman run --rm --network host \
    -v /usr:/usr:ro -v /etc:/etc:ro -v "$project:/project:O" -v "$HOME/.m2:/root/.m2:O" -v "$work/$name:/reports" \
    --env HOME=/root --env JAVA_HOME="$java_home" \
    "$@" --rootfs "$work/root" /bin/sh -c "
      cd /project
      rm -rf runtime-native/target/surefire-reports src/target/surefire-reports
      mvn -B -ntp -o -pl runtime-native,src -am test -Dtest='$tests' -Dsurefire.failIfNoSpecifiedTests=false \\
        -Dmaven.test.failure.ignore=true \$MAVEN_ARGS
      status=\$?
      for m in runtime-native src; do cp -r \$m/target/surefire-reports /reports/\$m 2>/dev/null; done
      exit \$status" >"$work/$name.log" 2>&1
}

lane_start=$(date +%s)
failed_runs=0
passed_runs=0
# run NAME EXPECTATION PODMAN_OPTIONS...: EXPECTATION as SurefireVerdicts.java takes it.
run() {
  local name=$1 expectation=$2 started=$(date +%s)
  shift 2
  in_container "$name" "$@"
  local maven=$?
  echo "$name (podman run $*): $(( $(date +%s) - started )) s"
  if [ "$maven" -ne 0 ]; then
    echo "  WRONG: maven itself failed (status $maven); the end of its output:"
    tail -30 "$work/$name.log" | sed 's/^/  | /'
    failed_runs=$((failed_runs + 1))
  elif java "$(dirname "$0")/SurefireVerdicts.java" "$work/$name" "$expectation"; then
    passed_runs=$((passed_runs + 1))
  else
    failed_runs=$((failed_runs + 1))
  fi
}

# The host's cgroups bound writable, with a parent cgroup of the lane's own: the runtime names its cgroups by JVM pid,
# and a JVM outside (in another PID namespace) would take the container's for leftovers of dead JVMs and sweep them.
parent=junit-sandbox-podman-lane-$$
controllers=(memory pids cpu freezer)
for c in "${controllers[@]}"; do [ -d "/sys/fs/cgroup/$c" ] && mkdir "/sys/fs/cgroup/$c/$parent"; done
cgroup_rw=(-v /sys/fs/cgroup:/sys/fs/cgroup:rw --env MAVEN_ARGS=-Djunit.sandbox.cgroupParent=$parent)
run privileged pass --privileged
# What the runtime's failure messages advise, and no more: a writable cgroup file system, three capabilities, and the
# masked paths lifted (a spec with a user namespace mounts /proc and /sys where the kernel checks that nothing of them
# is hidden); podman's default seccomp profile stays.
run least-privilege pass "${cgroup_rw[@]}" --cap-add SYS_ADMIN,NET_ADMIN,SYS_PTRACE --security-opt unmask=ALL
# A CI provider's container as it comes: cgroups read-only, default capabilities. A spec with a user namespace needs no
# cgroup for its default PID limit (RLIMIT_NPROC in that namespace): it gets further and fails for the capabilities.
run ci-default "fail:the cgroup file system is mounted read-only here ( || this JVM runs as root but without CAP_NET_ADMIN, CAP_SYS_PTRACE, CAP_SYS_ADMIN"
# GitHub Actions' container jobs with the usual loosening (options: --security-opt seccomp=unconfined ...), and cgroups
# made writable: what is left missing is capabilities.
run ci-unconfined "fail:this JVM runs as root but without CAP_NET_ADMIN, CAP_SYS_PTRACE, CAP_SYS_ADMIN, which creating and entering a container needs" \
  "${cgroup_rw[@]}" --security-opt seccomp=unconfined --security-opt apparmor=unconfined

# A JVM that is not root (uid 1000) inside the container: the runtime adds a user namespace. podman's default seccomp
# profile refuses it sethostname; without that profile, the kernel refuses a fresh /proc under the container's masked
# paths ("mount too revealing"); unmasked too, the same launch runs.
# The runtime's dependencies, copied where uid 1000 may read them (~/.m2 is root's alone).
version() { sed -n "s|.*<$1>\\(.*\\)</$1>.*|\\1|p" pom.xml | head -n 1; }
mkdir -m 755 "$work/lib"
cp "$HOME/.m2/repository/net/java/dev/jna/jna/$(version jna.version)/jna-$(version jna.version).jar" \
  "$HOME/.m2/repository/commons-io/commons-io/$(version commons-io.version)/commons-io-$(version commons-io.version).jar" "$work/lib/"
chmod 644 "$work/lib"/*.jar
classpath=/project/runtime-native/target/classes:/deps/*
# rootless NAME EXPECTED_STATUS EXPECTED_TEXT... -- PODMAN_OPTIONS...: the output must contain each EXPECTED_TEXT.
rootless() {
  local name=$1 want_status=$2 output status missing=""
  shift 2
  local want=()
  while [ "$1" != "--" ]; do want+=("$1"); shift; done
  shift
  output=$(podman run --rm --network none --user 1000:1000 -v /usr:/usr:ro -v /etc:/etc:ro -v "$project:/project:ro" \
    -v "$work/lib:/deps:ro" --env HOME=/tmp "$@" --rootfs "$work/root" \
    java -Djunit.sandbox.cacheDir=/tmp/junit-sandbox-cache -cp "$classpath" /project/.ci/lanes/RootlessLaunch.java 2>&1)
  status=$?
  for w in "${want[@]}"; do [[ "$output" == *"$w"* ]] || missing+=" [$w]"; done
  echo "$name (podman run --user 1000:1000 $*):"
  echo "  $output"
  if [ "$status" = "$want_status" ] && [ -z "$missing" ]; then
    passed_runs=$((passed_runs + 1))
  else
    echo "  WRONG: expected status $want_status (was $status) and output containing:$missing"
    failed_runs=$((failed_runs + 1))
  fi
}
rootless rootless-default 3 "sethostname(sandbox): EPERM (Operation not permitted): this JVM runs under a seccomp filter" --
rootless rootless-unconfined 3 "mount(proc, " \
  ": the kernel mounts a fresh /proc in a user namespace only where the one this JVM sees is visible whole" \
  -- --security-opt seccomp=unconfined
rootless rootless-unconfined-unmasked 0 "the subject exited 0" -- --security-opt seccomp=unconfined --security-opt unmask=ALL

# Nothing of ours may outlive the runs: no cgroup under the lane's parent (rmdir fails on a non-empty one), no mount
# under the lane's directory.
leftovers=$(grep -F "$work" /proc/self/mountinfo | head -5)
for c in "${controllers[@]}"; do
  [ -d "/sys/fs/cgroup/$c/$parent" ] && ! rmdir "/sys/fs/cgroup/$c/$parent" 2>/dev/null && leftovers+=" $(find "/sys/fs/cgroup/$c/$parent" -mindepth 1 -type d | head -3)"
done
if [ -n "$leftovers" ]; then
  echo "leftovers after the runs: $leftovers"
  failed_runs=$((failed_runs + 1))
fi
echo "podman lane took $(( $(date +%s) - lane_start )) s"
echo "podman: $passed_runs passed, $failed_runs failed"
[ "$failed_runs" -eq 0 ]
