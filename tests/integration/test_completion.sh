#!/bin/bash
# berth completion bash|zsh: the scripts complete commands, the subcommands of
# a group, a command's flags and its operands (containers, images, networks,
# volumes read from the store) — run in the real shells, as a user's
# completion system calls them.
. "$(dirname "$0")/lib.sh"
import_busybox_image comp/box:1
berth create --name web-one comp/box:1 true >/dev/null
berth create --name web-two comp/box:1 true >/dev/null
berth network create comp-net >/dev/null
berth volume create comp-vol >/dev/null

berth completion bash >"$WORK/berth.bash" || fail "berth completion bash"
# bash calls the function with COMP_WORDS (the binary first) and COMP_CWORD.
complete_bash() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _berth; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$WORK/berth.bash" "$BERTH" "$@" | sort | tr '\n' ' '
}
assert_eq "$(complete_bash sto)" "stop " "bash: a command"
assert_eq "$(complete_bash network c)" "connect create " "bash: a group's subcommands"
assert_eq "$(complete_bash system p)" "prune " "bash: system prune"
assert_eq "$(complete_bash stop web)" "web-one web-two " "bash: containers for stop"
assert_eq "$(complete_bash container stop web-t)" "web-two " "bash: containers for an alias"
assert_eq "$(complete_bash run --rm comp)" "comp/box:1 " "bash: images for run"
assert_eq "$(complete_bash network rm comp)" "comp-net " "bash: networks"
assert_eq "$(complete_bash volume inspect comp)" "comp-vol " "bash: volumes"
assert_eq "$(complete_bash stats --no)" "--no-stream --no-trunc " "bash: a command's flags"
assert_eq "$(complete_bash --root "$BERTH_ROOT" pau)" "pause " "bash: after a global flag"
pass "bash completion: commands, groups, flags and operands from the store"

berth completion zsh >"$WORK/_berth" || fail "berth completion zsh"
zsh -n "$WORK/_berth" || fail "the zsh script parses"
# zsh's completion system, with compadd and _describe reporting what they were given.
complete_zsh() {
  zsh -c 'compdef() { :; }
    compadd() { [ "$1" = -- ] && shift; print -l -- "$@"; }
    _describe() { for e in ${(P)${@[-1]}}; do print -- ${e%%:*}; done; }
    source "$1"; shift; words=("$@"); CURRENT=${#words}; PREFIX=${words[-1]}
    _berth | grep -- "^${PREFIX}"' _ "$WORK/_berth" "$BERTH" "$@" | sort | tr '\n' ' '
}
assert_eq "$(complete_zsh sto)" "stop " "zsh: a command"
assert_eq "$(complete_zsh volume c)" "create " "zsh: a group's subcommands"
assert_eq "$(complete_zsh rm web)" "web-one web-two " "zsh: containers for rm"
assert_eq "$(complete_zsh stats --no)" "--no-stream --no-trunc " "zsh: a command's flags"
grep -q "'pause:Pause all processes within one or more containers'" "$WORK/_berth" || fail "zsh: commands with descriptions"
expect_failure "completion for another shell" berth completion fish
pass "zsh completion: commands, groups, flags and operands"
