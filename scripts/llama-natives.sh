#!/usr/bin/env bash
# Fetches llama.cpp's prebuilt CPU libraries for the embedded inference engine into a directory.
#
#   scripts/llama-natives.sh <dir>
#
# The libraries come from the npm package @node-llama-cpp/linux-x64 3.22.1 (llama.cpp v0.5.0, MIT),
# fetched with the npm client so the machine's configured registry is used. The tarball is cached
# under ${MEMOS_CACHE:-~/.cache/memos}. Writes <dir>/MANIFEST (file name and SHA-256 per line) last,
# so a directory with a MANIFEST is complete. Without npm, or on another platform, it says so and
# leaves <dir> empty: memos then builds and runs without the embedded engine (memos.engine.library-dir
# can point at a libllama build of your own).
set -euo pipefail

out=${1:?usage: llama-natives.sh <dir>}
package=@node-llama-cpp/linux-x64
version=3.22.1
say() { printf '[llama-natives] %s\n' "$*" >&2; }

if [ -f "$out/MANIFEST" ] && grep -q "^# $package@$version$" "$out/MANIFEST"; then
  exit 0
fi
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  say "no prebuilt llama.cpp for $(uname -s)-$(uname -m); the embedded engine needs memos.engine.library-dir"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1 && [ "${MEMOS_INSTALL_NPM:-}" = 1 ] && [ "$(id -u)" = 0 ] \
    && command -v apt-get >/dev/null 2>&1; then
  say "npm not found: installing Debian's npm (MEMOS_INSTALL_NPM=1)"
  apt-get update -qq >/dev/null && apt-get install -y -qq npm >/dev/null || say "installing npm failed"
fi
if ! command -v npm >/dev/null 2>&1; then
  say "npm not found: the embedded engine is left out of this build (install npm, or set memos.engine.library-dir)"
  exit 0
fi

cache=${MEMOS_CACHE:-$HOME/.cache/memos}/npm
mkdir -p "$cache"
tarball="$cache/node-llama-cpp-linux-x64-$version.tgz"
if [ ! -s "$tarball" ]; then
  say "fetching $package@$version with npm pack (~11 MB, once)"
  tmp=$(mktemp -d)
  if ! (cd "$tmp" && npm pack --silent "$package@$version" >/dev/null); then
    rm -rf "$tmp"
    say "npm pack $package@$version failed: the embedded engine is left out of this build"
    exit 0
  fi
  mv "$tmp"/*.tgz "$tarball"
  rm -rf "$tmp"
fi

unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
tar xzf "$tarball" -C "$unpacked" package/bins/linux-x64 package/LICENSE
rm -rf "$out"
mkdir -p "$out"
# libllama-common and the Node addon belong to node-llama-cpp's own bindings; memos needs neither.
for f in "$unpacked"/package/bins/linux-x64/*.so; do
  case "$(basename "$f")" in libllama-common.so) continue ;; esac
  cp "$f" "$out/"
done
cp "$unpacked/package/LICENSE" "$out/LICENSE.node-llama-cpp"
{
  echo "# $package@$version"
  (cd "$out" && sha256sum -- *.so | awk '{ print $2 " " $1 }')
} > "$out/MANIFEST.tmp"
mv "$out/MANIFEST.tmp" "$out/MANIFEST"
say "llama.cpp v0.5.0 CPU libraries in $out"
