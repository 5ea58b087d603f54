# Shared settings of the project's scripts: pinned tool versions and the PATH that puts the
# project's own tools (.tools/bin) first. Sourced, not run.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$root/.tools"

# Pinned versions. The Pulumi CLI must match @pulumi/pulumi in package.json and
# tools/pulumi/go.mod; a unit test checks that the three agree.
KO_VERSION=v0.19.1
CRANE_VERSION=v0.21.7 # go-containerregistry, the version ko v0.19.1 requires
PULUMI_VERSION=3.276.0

export PATH="$tools/bin:$root/node_modules/.bin:$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
# The local file:// backends of the demo and tests encrypt stack secrets with this passphrase.
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-pulumi-kos-local}"
