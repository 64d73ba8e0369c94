#!/usr/bin/env bash
# Installs what the tests need beyond Java and Maven: Prometheus and promtool (Debian's
# package), used to check the metrics exposition, the alert rules and every dashboard query
# against a real Prometheus; and openssl, which makes the TLS test's certificates.
# Idempotent; the tests run it when a tool is absent.
set -euo pipefail
if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# --no-install-recommends: the server and promtool only, not the exporters it recommends.
$SUDO apt-get install -y -qq --no-install-recommends prometheus openssl >/dev/null
# The package starts nothing here (no systemd), but make sure no packaged instance holds port 9090.
command -v prometheus >/dev/null && command -v promtool >/dev/null && command -v openssl >/dev/null
