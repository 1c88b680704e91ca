#!/usr/bin/env bash
# Installs the system packages kb's integration tests use, when they are missing and we can:
#   git            — every sync test
#   openssh-server — the two-host sync test (sshd inside a network namespace)
#   iproute2       — network namespaces for that test
#   chromium       — renders the audit HTML report headless
#   systemd        — systemd-analyze verifies the units `kb schedule --format systemd` prints
#                    (the package works without systemd running as init)
# Never prompts. Without root (or apt), it prints what is missing and the tests that need it skip
# with a message saying why.
set -uo pipefail

need=()
command -v git >/dev/null 2>&1 || need+=(git)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)

if [ ${#need[@]} -eq 0 ]; then
  echo "test-deps: all present"
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test-deps: missing ${need[*]} (not root or no apt-get); tests that need them will say so"
  exit 0
fi
echo "test-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
  echo "test-deps: apt-get could not install ${need[*]}; tests that need them will say so"
exit 0
