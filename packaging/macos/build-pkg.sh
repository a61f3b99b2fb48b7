#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the flat installer package an MDM pushes to every Mac: a universal
# (arm64 + x86_64) accord in /usr/local/bin, with its manual page,
# completions, schemas and examples, as packaging/CMakeLists.txt installs
# them. Runs on a Mac only (Xcode's command line tools, Homebrew for the
# build tools and header-only libraries).
#
# Homebrew's bottles are built for one architecture and as shared
# libraries, which a Mac without Homebrew does not have; so yaml-cpp, fmt
# (spdlog's formatter) and GNU Nettle (SHA-256) are built here from the
# sources Homebrew fetches, static and universal, and accord links them
# statically. The result is
# checked: both architectures present, no library outside /usr/lib and
# /System linked. Set ACCORD_PKG_SIGNING_IDENTITY ("Developer ID Installer:
# ...") to sign the package.
# Usage: packaging/macos/build-pkg.sh [OUT_DIR (build-pkg)]
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
out="${1:-build-pkg}"
deps="$out/deps"
archs="arm64;x86_64"
mkdir -p "$out" "$deps"
brew install cmake boost cli11 nlohmann-json spdlog

# yaml-cpp and fmt: static, universal, from Homebrew's own source archives.
for formula in yaml-cpp fmt; do
  brew fetch --build-from-source "$formula" >/dev/null
  archive="$(brew --cache --build-from-source "$formula")"
  rm -rf "$deps/src-$formula" && mkdir -p "$deps/src-$formula"
  tar -xf "$archive" -C "$deps/src-$formula" --strip-components 1
  cmake -S "$deps/src-$formula" -B "$deps/build-$formula" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_OSX_ARCHITECTURES="$archs" -DBUILD_SHARED_LIBS=OFF -DYAML_BUILD_SHARED_LIBS=OFF \
    -DYAML_CPP_BUILD_TESTS=OFF -DYAML_CPP_BUILD_TOOLS=OFF -DFMT_TEST=OFF -DFMT_DOC=OFF \
    -DCMAKE_INSTALL_PREFIX="$root/$deps/prefix"
  cmake --build "$deps/build-$formula" --parallel
  cmake --install "$deps/build-$formula"
done

# Nettle (autotools): one architecture at a time, cross-configured so that
# configure runs nothing it builds, then joined by lipo. Only libnettle is
# needed (no GMP, no public-key half, no assembly, no documentation).
brew fetch --build-from-source nettle >/dev/null
archive="$(brew --cache --build-from-source nettle)"
for arch in arm64 x86_64; do
  src="$deps/src-nettle-$arch"
  rm -rf "$src" && mkdir -p "$src"
  tar -xf "$archive" -C "$src" --strip-components 1
  case "$arch" in
    arm64) host=aarch64-apple-darwin ;;
    *) host=x86_64-apple-darwin ;;
  esac
  (cd "$src" && ./configure --host="$host" --prefix="$root/$deps/nettle-$arch" CC="cc -arch $arch" \
    --enable-static --disable-shared --disable-public-key --disable-assembler \
    --disable-documentation --disable-openssl && make -j "$(sysctl -n hw.ncpu)" && make install)
done
mkdir -p "$deps/prefix/lib" "$deps/prefix/include"
lipo -create "$deps/nettle-arm64/lib/libnettle.a" "$deps/nettle-x86_64/lib/libnettle.a" \
  -output "$deps/prefix/lib/libnettle.a"
rm -rf "$deps/prefix/include/nettle"
cp -R "$deps/nettle-arm64/include/nettle" "$deps/prefix/include/nettle"

# accord itself, finding the static universal libraries first; spdlog is
# used header-only (its compiled library is Homebrew's, one architecture).
cmake -S . -B "$out/accord" -DCMAKE_BUILD_TYPE=Release -DACCORD_BUILD_TESTS=OFF \
  -DCMAKE_OSX_ARCHITECTURES="$archs" -DCMAKE_PREFIX_PATH="$root/$deps/prefix;$(brew --prefix)" \
  -DACCORD_SPDLOG_HEADER_ONLY=ON -DCMAKE_INSTALL_PREFIX=/usr/local
cmake --build "$out/accord" --parallel

binary="$out/accord/accord"
lipo "$binary" -verify_arch arm64 x86_64
if otool -L "$binary" | tail -n +2 | grep -v -E '^\s+/(usr/lib|System)/'; then
  echo "build-pkg: accord links a library a Mac without Homebrew lacks (above)" >&2
  exit 1
fi
"$binary" --version
(cd "$out/accord" && cpack -G productbuild)
ls "$out"/accord/accord-*.pkg
