#!/usr/bin/env bash
# Prerequisites of the loopback KMS emulators (tests/emulators/, owned by the cloud-KMS
# providers): the openssl CLI, which makes the Azure Key Vault emulator's self-signed TLS
# certificate at test time (node:crypto cannot issue X.509 certificates). Idempotent.
set -euo pipefail
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
if ! command -v openssl >/dev/null; then
  echo "kms-emulators: installing openssl (apt)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends openssl >/dev/null
fi
echo "kms-emulators: $(openssl version)"
