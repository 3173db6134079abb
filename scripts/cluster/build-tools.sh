#!/usr/bin/env bash
# Builds the local cluster's binaries from the Go module proxy and caches them
# by version under $PHASE_GATE_CACHE (default ~/.cache/phase-gate), so only the
# first run on a machine pays the build. Idempotent: a tool whose cached binary
# exists is not rebuilt. Links every binary into .cluster/bin of the checkout
# (PHASE_GATE_BIN_DIR overrides that folder; empty means link nowhere, as
# lib.mjs does, which links into each cluster's own bin folder).
#
#   scripts/cluster/build-tools.sh [tool ...]    # default: etcd kubernetes kwok helm actionlint
#   tools: etcd kubernetes kwok helm actionlint act controller-gen
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=versions.sh
. "$root/scripts/cluster/versions.sh"

cache=${PHASE_GATE_CACHE:-$HOME/.cache/phase-gate}
bin=${PHASE_GATE_BIN_DIR-$root/.cluster/bin}
mkdir -p "$cache/tools"
[ -z "$bin" ] || mkdir -p "$bin"
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
# The checksum database is not reachable from every machine that reaches the
# module proxy; the proxy's own hashes still protect the downloads.
export GOSUMDB=off

log() { printf '[build-tools] %s\n' "$*" >&2; }

link() { # link NAME DIR
  [ -z "$bin" ] || ln -sfn "$2/$1" "$bin/$1"
}

build_kubernetes() {
  local dir="$cache/tools/kubernetes-$K8S_VERSION"
  if [ -x "$dir/kube-apiserver" ] && [ -x "$dir/kubectl" ] && [ -x "$dir/kube-scheduler" ] && [ -x "$dir/kube-controller-manager" ]; then
    for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do link "$b" "$dir"; done
    return
  fi
  log "building kubernetes $K8S_VERSION (cold: about 5 minutes)"
  local src work minor staging
  src=$(cd /tmp && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  work=$(mktemp -d "$cache/tools/.k8s-src.XXXX")
  cp -r "$src/." "$work/"
  chmod -R u+w "$work"
  rm -rf "$work/go.work" "$work/go.work.sum" "$work/vendor"
  staging="v0.${K8S_VERSION#v1.}"
  # Drop the replace block that points the staging modules at ./staging, and
  # require each at its published release instead.
  awk -v st="$staging" '
    /^replace \($/ {skip=1; next}
    skip && /^\)$/ {skip=0; next}
    skip {next}
    /^replace k8s.io\// {next}
    { if ($1 ~ /^k8s\.io\// && $2 == "v0.0.0") { sub(/v0\.0\.0$/, st) } print }
  ' "$work/go.mod" >"$work/go.mod.new"
  mv "$work/go.mod.new" "$work/go.mod"
  minor=${K8S_VERSION#v1.}
  minor=${minor%%.*}
  local ld="-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
  mkdir -p "$dir.tmp"
  (cd "$work" && GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath -ldflags "$ld" -o "$dir.tmp/" ./cmd/kube-apiserver ./cmd/kube-controller-manager ./cmd/kube-scheduler ./cmd/kubectl)
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  rm -rf "$work"
  for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do link "$b" "$dir"; done
}

build_etcd() {
  local dir="$cache/tools/etcd-$ETCD_VERSION"
  if [ -x "$dir/etcd" ]; then link etcd "$dir"; return; fi
  log "building etcd $ETCD_VERSION"
  local src work
  src=$(cd /tmp && go mod download -json "go.etcd.io/etcd/server/v3@$ETCD_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  work=$(mktemp -d "$cache/tools/.etcd-src.XXXX")
  cp -r "$src/." "$work/"
  chmod -R u+w "$work"
  # Same trick as kubernetes: the server module replaces its siblings with ../
  # paths the module zip lacks; require their published releases instead.
  awk -v v="$ETCD_VERSION" '
    /^replace \($/ {skip=1; next}
    skip && /^\)$/ {skip=0; next}
    skip {next}
    /^replace / {next}
    /FORBIDDEN_DEPENDENCY/ {next}
    { if ($1 ~ /^go\.etcd\.io\/etcd\// && $2 ~ /^v3\.[0-9]+\.[0-9]+/) { $2 = v } print }
  ' "$work/go.mod" >"$work/go.mod.new"
  mv "$work/go.mod.new" "$work/go.mod"
  mkdir -p "$dir.tmp"
  (cd "$work" && GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath -ldflags "-s -w" -o "$dir.tmp/etcd" .)
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  rm -rf "$work"
  link etcd "$dir"
}

go_install() { # go_install NAME MODULE@VERSION PKG
  local name=$1 modver=$2 pkg=$3 dir
  dir="$cache/tools/$name-${modver##*@}"
  if [ -x "$dir/$name" ]; then link "$name" "$dir"; return; fi
  log "building $name ${modver##*@}"
  mkdir -p "$dir.tmp"
  GOBIN="$dir.tmp" go install -trimpath -ldflags "-s -w" "$pkg@${modver##*@}"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  link "$name" "$dir"
}

build_helm() {
  local dir="$cache/tools/helm-$HELM_VERSION"
  if [ -x "$dir/helm" ]; then link helm "$dir"; return; fi
  log "building helm $HELM_VERSION"
  mkdir -p "$dir.tmp"
  GOBIN="$dir.tmp" go install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  link helm "$dir"
}

want=("$@")
[ ${#want[@]} -gt 0 ] || want=(etcd kubernetes kwok helm actionlint)
for t in "${want[@]}"; do
  SECONDS=0
  case "$t" in
  kubernetes) build_kubernetes ;;
  etcd) build_etcd ;;
  kwok) go_install kwok "sigs.k8s.io/kwok@$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok ;;
  helm) build_helm ;;
  actionlint) go_install actionlint "github.com/rhysd/actionlint@$ACTIONLINT_VERSION" github.com/rhysd/actionlint/cmd/actionlint ;;
  act) go_install act "github.com/nektos/act@$ACT_VERSION" github.com/nektos/act ;;
  controller-gen) go_install controller-gen "sigs.k8s.io/controller-tools@$CONTROLLER_TOOLS_VERSION" sigs.k8s.io/controller-tools/cmd/controller-gen ;;
  *) log "unknown tool $t"; exit 2 ;;
  esac
  [ "$SECONDS" -lt 2 ] || log "$t ready after ${SECONDS}s"
done
log "tools ready in $cache/tools${bin:+, linked into $bin}"
