#!/usr/bin/env bash
# Builds the pinned Pulumi CLI from its Go modules into a cache outside the work tree, once per
# (Pulumi version, Go version, platform, go.mod+go.sum digest): a second clone on the same machine
# reuses it. Pins live in engine/versions.env; engine/go.mod + go.sum are their lock.
#
#   engine/build.sh              build if missing; the last stdout line is the bin directory
#   engine/build.sh --print-key  the cache key only (engine/tooling.py computes the same)
#   engine/build.sh --print-dir  the bin directory it would use, built or not
#   engine/build.sh --update     regenerate go.mod/go.sum from PULUMI_VERSION (then commit them)
#
# Cache root: $CHIME_PSTN_ENGINE_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/chime-pstn-routing/engine.
# Exit codes: 0 built or cached, 1 the build failed, 2 a prerequisite is missing (Go) or the pins
# disagree.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"

cmd_pkg=github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
version_var=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version

if ! command -v go >/dev/null 2>&1; then
    echo "engine: Go is not installed; install Go (see engine/go.mod for the minimum) or the Pulumi CLI" >&2
    exit 2
fi

# Never switch toolchains behind the user's back, never go to VCS hosts, never edit go.mod in a build.
export GOTOOLCHAIN=local
export GOPROXY="${GOPROXY:-$ENGINE_GOPROXY}"
export GOFLAGS=-mod=readonly

if [ "${1:-}" = "--update" ]; then
    cd "$here"
    GOFLAGS=-mod=mod go get -tool "$cmd_pkg@$PULUMI_VERSION"
    echo "engine: go.mod and go.sum now pin $PULUMI_VERSION; commit them" >&2
    exit 0
fi

if ! grep -Eq "^[[:space:]]*github\.com/pulumi/pulumi/pkg/v3 $PULUMI_VERSION([[:space:]]|\$)" "$here/go.mod"; then
    echo "engine: engine/go.mod does not require pkg/v3 $PULUMI_VERSION (engine/versions.env);" \
        "run engine/build.sh --update" >&2
    exit 2
fi

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi
}
digest=$(cat "$here/go.mod" "$here/go.sum" | sha256 | cut -c1-12)
key="pulumi-$PULUMI_VERSION-$(go env GOVERSION)-$(go env GOOS)-$(go env GOARCH)-$digest"
cache_root="${CHIME_PSTN_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/chime-pstn-routing/engine}"
dest="$cache_root/$key"

case "${1:-}" in
    --print-key) echo "$key"; exit 0 ;;
    --print-dir) echo "$dest/bin"; exit 0 ;;
    "") ;;
    *) echo "engine: unknown option $1 (see the header of engine/build.sh)" >&2; exit 2 ;;
esac

mkdir -p "$cache_root"
# Parallel callers (two test workers, two clones) wait for one build instead of running two.
if command -v flock >/dev/null 2>&1; then
    exec 9>"$cache_root/.lock"
    flock 9
fi

if [ -x "$dest/bin/pulumi" ]; then
    echo "engine: pulumi $PULUMI_VERSION already built in $dest/bin" >&2
    echo "$dest/bin"
    exit 0
fi

tmp=$(mktemp -d "$cache_root/.build-XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
echo "engine: building pulumi $PULUMI_VERSION with $(go env GOVERSION) into $dest/bin" \
    "(a first build compiles ~1,700 packages: minutes)" >&2
start=$(date +%s)
(cd "$here" && go build -v -buildvcs=false -ldflags "-X $version_var=$PULUMI_VERSION" \
    -o "$tmp/bin/pulumi" "$cmd_pkg")
seconds=$(( $(date +%s) - start ))

# The binary must report the pinned version (the -X above), or the plugin checks misbehave.
reported=$(PULUMI_SKIP_UPDATE_CHECK=true PULUMI_HOME="$tmp/home" "$tmp/bin/pulumi" version)
if [ "$reported" != "$PULUMI_VERSION" ]; then
    echo "engine: the built pulumi reports '$reported', expected $PULUMI_VERSION" >&2
    exit 1
fi
rm -rf "$tmp/home"
{
    echo "pulumi=$PULUMI_VERSION"
    echo "go=$(go env GOVERSION)"
    echo "gomod_digest=$digest"
    echo "build_seconds=$seconds"
    echo "built_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$tmp/BUILDINFO"
mv "$tmp" "$dest"
trap - EXIT
echo "engine: built in ${seconds}s: $dest/bin/pulumi ($(du -h "$dest/bin/pulumi" | cut -f1))" >&2
echo "$dest/bin"
