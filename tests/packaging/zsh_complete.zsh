# SPDX-License-Identifier: Apache-2.0
# zsh_complete.zsh DIR LINE: prints, one per line, the matches zsh offers
# when TAB is pressed after LINE, with the completion functions of DIR on
# $fpath. zsh completes only inside its line editor, so an interactive zsh
# runs in a pseudo-terminal (zsh/zpty); compadd is wrapped to print each
# match, between two NUL lines that the completion hooks write (the
# technique of Valodim's zsh-capture-completion).
zmodload zsh/zpty || { print -u2 'zsh_complete: no zsh/zpty'; exit 2 }
zpty z zsh -f -i
zpty -w z "PROMPT=''"
zpty -w z "fpath=(${(qq)1} \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z "bindkey '^I' complete-word"
zpty -w z "null-line () { echo -E - \$'\\0' }"
zpty -w z 'compprefuncs=( null-line ); comppostfuncs=( null-line exit )'
zpty -w z "zstyle ':completion:*' list-grouped false; zstyle ':completion:*' insert-tab false"
zpty -w z 'compadd () {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi
  typeset -a __hits
  builtin compadd -A __hits "$@"
  local h; for h in $__hits; do echo -E - "$h"; done
  builtin compadd "$@"
}'
zpty -n -w z "$2"$'\t'
integer seen=0
# Everything the pty prints until that zsh exits (comppostfuncs), line by line.
while zpty -r z; do :; done | while IFS= read -r line; do
  if [[ $line == *$'\0'* ]]; then
    (( seen++ )) && break
    continue
  fi
  (( seen )) && print -r -- "${line%$'\r'}"
done
