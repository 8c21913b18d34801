#!/usr/bin/env bash
# Assembles, from Debian's packages, the local base images the container tests build on, for
# machines that reach Debian's archive and the npm registry but no image registry:
#
#   localhost/inkflow-ci/node:20-slim   Debian bookworm + this machine's Node 20 (node:20-bookworm-slim's place)
#   localhost/inkflow-ci/node:20        the same + python3, make, g++ (node:20-bookworm's place: native addons)
#   localhost/inkflow-ci/services       Debian's nginx-light and redis-server (for compose.yaml's nginx and redis)
#
# Debian's own suite carries Node 18 and the image needs Node 20, so the Node that runs this
# script is copied in (binary, headers, npm). Each image is labelled with a digest of its
# packages, that Node's version and `revision` below, and is rebuilt only when one changes,
# so CI on the same machine pays for it once (about 5 minutes on 2 cores; more under load). Prints nothing but progress; exits non-zero on any failure.
set -euo pipefail

podman() { command podman --runtime runc --cgroup-manager cgroupfs "$@"; }

node_bin=$(readlink -f "$(command -v node)")
node_prefix=$(dirname "$(dirname "$node_bin")")
# The folder holding npm's package (…/lib/node_modules).
npm_dir=$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")")
node_version=$("$node_bin" --version)
# Raise when a change here changes what the images hold (their stamps then differ).
revision=1
sources=$(ls /etc/apt/sources.list.d/debian.sources 2>/dev/null || echo /etc/apt/sources.list)

current() {
  [ "$(podman image inspect --format '{{index .Labels "inkflow.stamp"}}' "$1" 2>/dev/null)" = "$2" ]
}

# build <image> <packages> <node: none | runtime | build (headers and npm too)>
build() {
  local image=$1 packages=$2 node=$3 stamp
  stamp=$(echo "$revision $node_version $packages $node" | sha256sum | cut -c1-16)
  if current "$image" "$stamp"; then echo "base image $image: up to date"; return; fi
  echo "base image $image: assembling from Debian packages ($packages)"
  local hooks=(
    --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/* "$1"/usr/share/doc "$1"/usr/share/man'
    --customize-hook='rm -f "$1"/etc/nginx/sites-enabled/default'
  )
  if [ "$node" != none ]; then
    hooks+=(
      --customize-hook='mkdir -p "$1"/usr/local/bin "$1"/usr/local/include "$1"/usr/local/lib/node_modules "$1"/home/node'
      --customize-hook="copy-in $node_bin /usr/local/bin"
      --customize-hook='echo "node:x:1000:1000::/home/node:/bin/sh" >>"$1"/etc/passwd'
      --customize-hook='echo "node:x:1000:" >>"$1"/etc/group'
      --customize-hook='chown 1000:1000 "$1"/home/node'
    )
  fi
  if [ "$node" = build ]; then
    hooks+=(
      --customize-hook="copy-in $node_prefix/include/node /usr/local/include"
      --customize-hook="copy-in $npm_dir/npm /usr/local/lib/node_modules"
      --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1"/usr/local/bin/npm'
      --customize-hook='ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1"/usr/local/bin/npx'
    )
  fi
  # Through a file, so that a failed mmdebstrap never becomes an (empty) image.
  local tarball
  tarball=$(mktemp --suffix=.tar)
  mmdebstrap --quiet --variant=minbase --include="$packages" "${hooks[@]}" \
    bookworm "$tarball" "$sources"
  podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL inkflow.stamp=$stamp" \
    --change 'CMD ["/bin/sh"]' \
    "$tarball" "$image" >/dev/null
  rm -f "$tarball"
  echo "base image $image: done"
}

build localhost/inkflow-ci/node:20-slim libstdc++6 runtime
build localhost/inkflow-ci/node:20 libstdc++6,python3,make,g++ build
build localhost/inkflow-ci/services nginx-light,redis-server none
