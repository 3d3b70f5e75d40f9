// berth completion bash|zsh: a shell completion script, generated from the
// command table so that it always knows every command, alias and flag. The
// operands it offers (container, image, network, volume names) are read from
// the store when asked, through berth itself, as docker's completion does.
#include <iostream>
#include <map>

#include "cli/command.h"
#include "cli/usage_error.h"

namespace berth {
namespace {

struct Completion {
  std::string name;  // "stop", "network ls", "image ls"
  std::string summary;
  std::string flags;    // "--time -t"
  std::string operand;  // containers, images, networks, volumes or ""
};

// What a command's operands name, read from its usage line ("berth stop [OPTIONS] CONTAINER…").
std::string operand_kind(const std::string& usage) {
  for (const auto& [word, kind] : {std::pair{"CONTAINER", "containers"}, {"IMAGE", "images"},
                                   {"NETWORK", "networks"}, {"VOLUME", "volumes"}})
    if (usage.find(word) != std::string::npos) return kind;
  return "";
}

std::vector<Completion> completions() {
  std::map<std::string, Completion> by_name;
  for (const Command& c : commands()) {
    if (c.hidden) continue;
    Completion entry{c.name, c.summary, "", operand_kind(c.usage)};
    for (const FlagSpec& f : c.flags) {
      entry.flags += (entry.flags.empty() ? "--" : " --") + f.long_name;
      if (f.short_name) entry.flags += std::string(" -") + f.short_name;
    }
    by_name[c.name] = entry;
  }
  for (const auto& [alias, target] : command_aliases()) {
    if (by_name.contains(alias) || !by_name.contains(target)) continue;
    Completion entry = by_name.at(target);
    entry.name = alias;
    by_name[alias] = entry;
  }
  std::vector<Completion> out;
  for (auto& [name, entry] : by_name) out.push_back(entry);
  return out;
}

// The words that can start a command: single commands and the groups of
// two-word ones (network, volume, image, container, system, builder).
std::map<std::string, std::string> first_words(const std::vector<Completion>& all) {
  std::map<std::string, std::string> words;
  for (const Completion& c : all) {
    size_t space = c.name.find(' ');
    if (space == std::string::npos) words[c.name] = c.summary;
    else words.emplace(c.name.substr(0, space), "Manage " + c.name.substr(0, space) + (c.name.starts_with("system") ? "" : "s"));
  }
  return words;
}

std::map<std::string, std::vector<const Completion*>> groups(const std::vector<Completion>& all) {
  std::map<std::string, std::vector<const Completion*>> out;
  for (const Completion& c : all)
    if (size_t space = c.name.find(' '); space != std::string::npos) out[c.name.substr(0, space)].push_back(&c);
  return out;
}

std::string quoted(std::string s) {  // for single quotes in either shell
  std::string out;
  for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return "'" + out + "'";
}

constexpr const char* kOperands = R"(_berth_operands() {
  local berth=$1
  case $2 in
    containers) "$berth" ps -a --format '{{.Names}}' 2>/dev/null ;;
    images) "$berth" images --format '{{.Repository}}:{{.Tag}}' 2>/dev/null | grep -v '<none>' ;;
    networks) "$berth" network ls --format '{{.Name}}' 2>/dev/null ;;
    volumes) "$berth" volume ls -q 2>/dev/null ;;
  esac
}
)";

void print_bash(const std::vector<Completion>& all) {
  std::cout << "# bash completion for berth: source <(berth completion bash)\n" << kOperands;
  std::cout << "_berth() {\n  local cur=${COMP_WORDS[COMP_CWORD]} i=1 cmd flags operand\n"
               "  while [ $i -lt $COMP_CWORD ]; do\n"
               "    case ${COMP_WORDS[i]} in --root|--insecure-registry) i=$((i + 2)) ;; -*) i=$((i + 1)) ;; *) break ;; esac\n"
               "  done\n  if [ $i -eq $COMP_CWORD ]; then\n    COMPREPLY=($(compgen -W \"";
  std::string words;
  for (const auto& [w, summary] : first_words(all)) words += (words.empty() ? "" : " ") + w;
  std::cout << words << "\" -- \"$cur\"))\n    return\n  fi\n  cmd=${COMP_WORDS[i]}\n  case $cmd in\n";
  for (const auto& [group, members] : groups(all)) {
    std::string subs;
    for (const Completion* c : members) subs += (subs.empty() ? "" : " ") + c->name.substr(group.size() + 1);
    std::cout << "    " << group << ")\n      if [ $((i + 1)) -eq $COMP_CWORD ]; then COMPREPLY=($(compgen -W \"" << subs
              << "\" -- \"$cur\")); return; fi\n      cmd=\"$cmd ${COMP_WORDS[i + 1]}\" ;;\n";
  }
  std::cout << "  esac\n  case $cmd in\n";
  for (const Completion& c : all)
    std::cout << "    " << quoted(c.name) << ") flags=" << quoted(c.flags) << " operand=" << c.operand << " ;;\n";
  std::cout << "  esac\n"
               "  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$flags\" -- \"$cur\")); return; fi\n"
               "  [ -n \"$operand\" ] && COMPREPLY=($(compgen -W \"$(_berth_operands \"${COMP_WORDS[0]}\" $operand)\" -- \"$cur\"))\n"
               "  return 0\n}\ncomplete -F _berth berth\n";
}

std::string described(const std::string& word, const std::string& summary) {
  std::string s;
  for (char ch : word) s += ch == ':' ? std::string("\\:") : std::string(1, ch);
  return quoted(s + ":" + summary);
}

void print_zsh(const std::vector<Completion>& all) {
  std::cout << "#compdef berth\n# zsh completion for berth: source <(berth completion zsh), or save as _berth in $fpath\n"
            << kOperands << "_berth() {\n  local -a top sub flags\n  local i=2 cmd operand\n  top=(";
  for (const auto& [w, summary] : first_words(all)) std::cout << "\n    " << described(w, summary);
  std::cout << "\n  )\n  while (( i < CURRENT )); do\n"
               "    case ${words[i]} in --root|--insecure-registry) (( i += 2 )) ;; -*) (( i += 1 )) ;; *) break ;; esac\n"
               "  done\n  if (( i == CURRENT )); then _describe -t commands 'berth command' top; return; fi\n"
               "  cmd=${words[i]}\n  case $cmd in\n";
  for (const auto& [group, members] : groups(all)) {
    std::cout << "    " << group << ")\n      sub=(";
    for (const Completion* c : members) std::cout << " " << described(c->name.substr(group.size() + 1), c->summary);
    std::cout << " )\n      if (( i + 1 == CURRENT )); then _describe -t commands 'berth " << group
              << " command' sub; return; fi\n      cmd=\"$cmd ${words[i + 1]}\" ;;\n";
  }
  std::cout << "  esac\n  case $cmd in\n";
  for (const Completion& c : all)
    std::cout << "    " << quoted(c.name) << ") flags=(" << c.flags << ") operand=" << c.operand << " ;;\n";
  std::cout << "  esac\n"
               "  if [[ $PREFIX == -* ]]; then compadd -- $flags; return; fi\n"
               "  [[ -n $operand ]] && compadd -- ${(f)\"$(_berth_operands ${words[1]} $operand)\"}\n}\n"
               "if [ \"$funcstack[1]\" = \"_berth\" ]; then _berth \"$@\"; else compdef _berth berth; fi\n";
}

int run(Context&, const Args& args) {
  require_args(args, 1, 1, "completion");
  const std::string& shell = args.positional()[0];
  if (shell == "bash") print_bash(completions());
  else if (shell == "zsh") print_zsh(completions());
  else throw UsageError("berth completion: unsupported shell \"" + shell + "\" (bash or zsh)");
  return 0;
}

}  // namespace

const Command kCompletionCommand = {"completion", "berth completion bash|zsh",
                                    "Generate the shell completion script for bash or zsh", {}, run};

}  // namespace berth
