# zsh -f zsh-complete.zsh RC_LINE LINE: prints what zsh completes for LINE, one match a line.
# An interactive zsh on a pseudo-terminal (zpty) runs RC_LINE (what `instru autocomplete script zsh`
# puts in ~/.zshrc), then gets LINE and a Tab; compadd is wrapped to print each match it adds.
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "$1"
zpty -w z 'PROMPT=; RPROMPT=; unsetopt zle_bracketed_paste 2>/dev/null; zstyle ":completion:*" insert-tab false; bindkey "^I" complete-word'
# The markers are split in what is typed, so the terminal's echo of a command never matches them.
zpty -w z 'compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi
  typeset -a hits; builtin compadd -A hits "$@"
  (( $#hits )) && print -rl -- "<mat""ch>"${^hits}
}'
zpty -w z 'end-marker() { print -r -- "<do""ne>" }; zle -N end-marker; bindkey "^X" end-marker'
zpty -w z 'print -r -- "<rea""dy>"'
local out
while zpty -r z out; do [[ $out == *'<ready>'* ]] && break; done
# The line, Tab (complete), then Ctrl+X (end-marker).
zpty -n -w z "$2"$'\t\x18'
while zpty -r z out; do
  [[ $out == *'<done>'* ]] && break
  [[ $out == *'<match>'* ]] && print -r -- ${${out#*<match>}%%[$'\r\n']*}
done
zpty -d z
