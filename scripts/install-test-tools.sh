#!/usr/bin/env bash
# Installs what the tests need beyond Java and Maven: Prometheus and promtool (Debian's
# package), used to check the metrics exposition, the alert rules and every dashboard query
# against a real Prometheus; Alertmanager and amtool (prometheus-alertmanager), which check
# the Alertmanager config and receive the alerts in that test; and openssl, which makes the
# TLS test's certificates.
# Idempotent; the tests run it when a tool is absent.
set -euo pipefail
have() {
  command -v prometheus && command -v promtool && command -v prometheus-alertmanager && command -v amtool \
    && command -v openssl
}
if have >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# --no-install-recommends: the server and promtool only, not the exporters it recommends.
$SUDO apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager openssl >/dev/null
# The packages start nothing here (no systemd); the tests start their own on free ports.
have >/dev/null
