#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sources each generated completion script in its own shell (bash, zsh and
# fish: all three are Debian packages, installed by .ci/install-deps) and
# checks what is offered for `accord pl<TAB>`, `accord plan -<TAB>`, and the
# file arguments by kind: `-f` YAML, `--device` JSON or folders, `--replay`
# folders. A shell that is missing fails the test: CI installs them.
# Usage: completion_test.sh BUILD_DIR
set -euo pipefail
build="$(cd "$1" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cd "$dir"
mkdir inventory && touch desired.yaml mac.json notes.txt
failures=0
expect() {  # expect SHELL WHAT "offered words" word... [! word...]
  local shell="$1" what="$2" offered=" $3 " want=1 w
  shift 3
  for w in "$@"; do
    if [ "$w" = "!" ]; then want=0; continue; fi
    if [[ "$offered" == *" $w "* ]]; then
      [ "$want" = 1 ] || { echo "FAIL $shell: $what offers $w, which it must not (offered:$offered)"; failures=$((failures + 1)); }
    else
      [ "$want" = 0 ] || { echo "FAIL $shell: $what does not offer $w (offered:$offered)"; failures=$((failures + 1)); }
    fi
  done
}

# bash: call the completion function as bash would.
bash_offers() {
  bash --norc --noprofile -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _accord
    printf "%s " "${COMPREPLY[@]}"' _ "$build/completions/accord.bash" "$@"
}
expect bash "accord pl<TAB>" "$(bash_offers accord pl)" plan ! validate
expect bash "accord plan -<TAB>" "$(bash_offers accord plan -)" --file --device --replay --enroll --fleet --json --help ! --auto-approve
expect bash "accord plan -f <TAB>" "$(bash_offers accord plan -f "")" desired.yaml inventory ! mac.json ! notes.txt
expect bash "accord plan --device <TAB>" "$(bash_offers accord plan --device "")" mac.json inventory ! desired.yaml
expect bash "accord plan --replay <TAB>" "$(bash_offers accord plan --replay "")" inventory ! mac.json ! desired.yaml
expect bash "accord plan --format <TAB>" "$(bash_offers accord plan --format "")" markdown junit text

# fish: `complete -C` prints what the command line would complete to.
fish_offers() {
  fish --no-config -c "source $build/completions/accord.fish; complete -C '$1'" | cut -f1 | tr '\n' ' '
}
expect fish "accord pl<TAB>" "$(fish_offers 'accord pl')" plan ! validate
expect fish "accord plan -<TAB>" "$(fish_offers 'accord plan --')" --file --device --replay --enroll --fleet --json ! --auto-approve
expect fish "accord plan -f <TAB>" "$(fish_offers 'accord plan -f ')" desired.yaml ! mac.json ! notes.txt
expect fish "accord plan --device <TAB>" "$(fish_offers 'accord plan --device ')" mac.json inventory/ ! desired.yaml
expect fish "accord plan --replay <TAB>" "$(fish_offers 'accord plan --replay ')" inventory/ ! mac.json

# zsh: completion needs a terminal; drive an interactive zsh in a zpty and
# read the listing it prints (the technique of zsh-capture-completion).
# (macOS has no timeout(1) unless Homebrew's coreutils is installed.)
limit=()
if command -v timeout >/dev/null 2>&1; then limit=(timeout 30); fi
zsh_offers() {
  ${limit[@]+"${limit[@]}"} zsh -f "$here/zsh_complete.zsh" "$build/completions" "$1" 2>/dev/null | tr -s ' \r\n' ' '
}
expect zsh "accord pl<TAB>" "$(zsh_offers 'accord pl')" plan ! validate
expect zsh "accord plan -<TAB>" "$(zsh_offers 'accord plan --')" --file --device --replay --enroll --fleet --json ! --auto-approve
expect zsh "accord plan -f <TAB>" "$(zsh_offers 'accord plan -f ')" desired.yaml ! mac.json ! notes.txt
expect zsh "accord plan --replay <TAB>" "$(zsh_offers 'accord plan --replay ')" inventory ! mac.json

if [ "$failures" != 0 ]; then
  echo "completion: $failures failed"
  exit 1
fi
echo "completion: bash, zsh and fish offer what they should"
