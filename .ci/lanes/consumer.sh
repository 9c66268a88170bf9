#!/usr/bin/env bash
# A consumer project (.ci/consumer), built outside the reactor against the installed artifacts with no BOM, on
# each JUnit version README claims: the oldest and 6.x. Each run must execute all of its tests and pass.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -ntp -q install -DskipTests
for junit in 5.10.5 6.0.1; do
  mvn -B -ntp -q -f .ci/consumer/pom.xml clean verify -Djunit.jupiter.version="$junit"
  # Surefire counts a nested class's tests in a suite of their own: count the test cases themselves.
  ran=$(cat .ci/consumer/target/surefire-reports/TEST-*.xml | grep -c '<testcase ')
  echo "consumer on JUnit $junit: $ran tests ran, all passed"
  [ "$ran" -eq 5 ] || { echo "consumer on JUnit $junit: expected 5 tests, ran $ran" >&2; exit 1; }
done
rm -rf .ci/consumer/target
