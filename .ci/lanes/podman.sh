#!/usr/bin/env bash
# The inside-a-container lane: the runtime's LaunchedContainerTest and the end-to-end examples run inside a podman
# container, as a CI job that runs in a container does.
#   privileged    (--privileged): everything must pass;
#   CI-like       (podman's default capabilities, seccomp profile, masked /proc paths, as GitHub Actions' container
#                  jobs and GitLab's docker executor give): every test that launches a container must fail, and its
#                  message must say what the outer container lacks; the same with --security-opt seccomp=unconfined.
# The container needs no image and no registry: its root is a directory of a few symlinks, with this machine's /usr and
# /etc bound read-only (the JDK and Maven are in /usr), the project and ~/.m2 as throwaway overlays (what the build
# writes inside is dropped). Maven runs offline: run `mvn verify` (or at least `mvn test-compile`) before this lane.
#
# Usage: .ci/lanes/podman.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
project=$(pwd)

command -v podman >/dev/null || { echo "podman lane: podman is not installed (Debian's podman; .ci/setup installs it)" >&2; exit 1; }
command -v runc >/dev/null || { echo "podman lane: runc is not installed (Debian's runc; .ci/setup installs it)" >&2; exit 1; }
[ -d "$HOME/.m2/repository" ] || { echo "podman lane: no $HOME/.m2/repository: run mvn verify first (Maven runs offline inside)" >&2; exit 1; }

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
# in_container NAME PODMAN_OPTIONS...: runs the selected tests; the reports land in $work/NAME, Maven's output in
# $work/NAME.log; returns Maven's status, which failed tests do not change (the reports are judged instead).
in_container() {
  local name=$1
  shift
  mkdir -p "$work/$name"
  podman run --rm --network host \
    -v /usr:/usr:ro -v /etc:/etc:ro -v "$project:/project:O" -v "$HOME/.m2:/root/.m2:O" -v "$work/$name:/reports" \
    --env HOME=/root --env JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}" \
    "$@" --rootfs "$work/root" /bin/sh -c "
      cd /project
      rm -rf runtime-native/target/surefire-reports src/target/surefire-reports
      mvn -B -ntp -o -pl runtime-native,src -am test -Dtest='$tests' -Dsurefire.failIfNoSpecifiedTests=false \\
        -Dmaven.test.failure.ignore=true
      status=\$?
      for m in runtime-native src; do cp -r \$m/target/surefire-reports /reports/\$m 2>/dev/null; done
      exit \$status" >"$work/$name.log" 2>&1
}

lane_start=$(date +%s)
ours() { (find /sys/fs/cgroup -name 'junit-sandbox*' 2>/dev/null; grep -F "$work" /proc/self/mountinfo) | sort; }
before=$(ours)
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

cgroup_rw=(-v /sys/fs/cgroup:/sys/fs/cgroup:rw)
run privileged pass --privileged
# What the README's failure messages advise, and no more: a writable cgroup file system and three capabilities; podman's
# default seccomp profile and masked /proc paths stay.
run least-privilege pass "${cgroup_rw[@]}" --cap-add SYS_ADMIN,NET_ADMIN,SYS_PTRACE
# A CI provider's container as it comes: cgroups read-only, default capabilities.
run ci-default "fail:the cgroup file system is mounted read-only here (/sys/fs/cgroup/memory, /sys/fs/cgroup/pids): this JVM runs inside a container that was not given its cgroups"
# GitHub Actions' container jobs with the usual loosening (options: --security-opt seccomp=unconfined ...), and cgroups
# made writable: what is left missing is capabilities.
run ci-unconfined "fail:this JVM runs as root but without CAP_NET_ADMIN, CAP_SYS_PTRACE, CAP_SYS_ADMIN, which creating and entering a container needs" \
  "${cgroup_rw[@]}" --security-opt seccomp=unconfined --security-opt apparmor=unconfined

# Nothing of ours may outlive the runs: no cgroup, no mount under the lane's directory.
leftovers=$(comm -13 <(echo "$before") <(ours) | head -5)
if [ -n "$leftovers" ]; then
  echo "leftovers after the runs: $leftovers"
  failed_runs=$((failed_runs + 1))
fi
echo "podman lane: $(( $(date +%s) - lane_start )) s"
echo "podman lane: $passed_runs passed, $failed_runs failed"
[ "$failed_runs" -eq 0 ]
