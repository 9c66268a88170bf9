#!/usr/bin/env bash
# The example suite and the extension's tests run by a plain user, as most developers and CI runners run Maven:
#   1. with no host set-up beyond .ci/setup (the uidmap package, the account with its subordinate ids), under
#      junit.sandbox.unsupported=abort: nothing may fail, and the only tests skipped for the host are those that
#      write a limit (memory, pids, cpus) that needs a delegated cgroup;
#   2. with a parent cgroup root made and chowned to that user in each v1 hierarchy (what the failure message of 1
#      tells a user to do): nothing may fail or be skipped for the host.
# The user cannot read root's checkout or Maven repository: both are copied to a directory it owns, removed after.
set -euo pipefail
cd "$(dirname "$0")/../.."
user=${ROOTLESS_USER:-sandboxci}
parent=junit-sandbox-ci
work=$(mktemp -d /tmp/junit-sandbox-rootless-lane-XXXXXX)
controllers=(memory pids cpu freezer)
cleanup() {
  for c in "${controllers[@]}"; do [ -d "/sys/fs/cgroup/$c/$parent" ] && rmdir "/sys/fs/cgroup/$c/$parent"; done
  rm -rf "$work"
}
trap cleanup EXIT
git clone -q . "$work/repo"
cp -r ~/.m2/repository "$work/m2"
chown -R "$user" "$work"
chmod 755 "$work"

# Runs the two suites as the user with extra Maven arguments; the reports go to target/rootless-<name>, and check judges them.
run_as_user() {
  local name=$1; shift
  runuser -u "$user" -- env HOME="$(getent passwd "$user" | cut -d: -f6)" \
    mvn -B -ntp -o -q -f "$work/repo/pom.xml" -Dmaven.repo.local="$work/m2" -pl extension,src -am verify \
    -Dsurefire.failIfNoSpecifiedTests=false -Dmaven.test.failure.ignore=true -Djunit.sandbox.unsupported=abort \
    '-Dtest=io/github/junitsandbox/*Test,io/github/junitsandbox/examples/**/*Test' \
    "-Dtest.reports=\${project.build.directory}/rootless-$name" "$@"
}

# Prints the counts of one run, the host-related skips with their reasons, and fails on any failure, any error, or a
# host-related skip whose reason does not match what the run may skip for.
check() {
  local name=$1 allowed=$2
  local reports=("$work"/repo/{extension,src}/target/rootless-"$name"/TEST-*.xml)
  local tests failures errors skipped
  tests=$(cat "${reports[@]}" | grep -c '<testcase ')
  failures=$(cat "${reports[@]}" | grep -c '<failure ' || true)
  errors=$(cat "${reports[@]}" | grep -c '<error ' || true)
  skipped=$(cat "${reports[@]}" | grep -o '<skipped message="[^"]*"' | grep -c 'cannot\|needs\|not delegated' || true)
  echo "rootless lane, $name: $tests tests, $failures failures, $errors errors, $skipped skipped for what the host lacks"
  cat "${reports[@]}" | grep -o '<skipped message="[^"]*"' | grep 'cannot\|needs\|not delegated' | sed 's/^<skipped message=/  skipped: /' | sort | uniq -c | cut -c1-220
  echo "  other skips: $(cat "${reports[@]}" | grep -c '<skipped' || true) in all (twins that show an attack as root, assumptions of the suite)"
  [ "$tests" -gt 0 ] && [ "$failures" -eq 0 ] && [ "$errors" -eq 0 ] || { echo "rootless lane, $name: failures or errors" >&2; exit 1; }
  if cat "${reports[@]}" | grep -o '<skipped message="[^"]*"' | grep 'cannot\|needs\|not delegated' | grep -v -- "$allowed"; then
    echo "rootless lane, $name: a test was skipped for something other than: $allowed" >&2
    exit 1
  fi
}

run_as_user plain
check plain "cannot enforce \(memory\|pids [0-9]*\|a CPU\|cpu\)"

for c in "${controllers[@]}"; do
  dir=/sys/fs/cgroup/$c/$parent
  mkdir -p "$dir"
  chown "$user" "$dir" "$dir/cgroup.procs" "$dir/tasks"
done
run_as_user delegated -Djunit.sandbox.cgroupParent=$parent
check delegated "^$"
