#!/usr/bin/env bash
# `npm run package`: builds the bundles and packages citekeys-<version>.vsix with vsce, which needs Node >= 22, so it
# runs under the Node 24 that scripts/editor-tools.sh caches outside the repo. Relative README links stay relative
# (the repository URL is not a GitHub one vsce could rewrite them against). Extra arguments go to vsce (e.g. --out).
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$(scripts/editor-tools.sh --vsce-only)"
node esbuild.mjs
PATH="$tools/node_modules/node/bin:$PATH" "$tools/node_modules/.bin/vsce" package --no-dependencies --no-rewrite-relative-links "$@"
