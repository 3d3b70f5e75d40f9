#include "builder/build_args.h"

#include "core/error.h"
#include "core/platform.h"

namespace berth {

bool is_proxy_arg(const std::string& name) {
  static const std::set<std::string> kProxyArgs = {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
                                                   "FTP_PROXY",  "ftp_proxy",  "NO_PROXY",    "no_proxy",
                                                   "ALL_PROXY",  "all_proxy"};
  return kProxyArgs.contains(name);
}

const std::map<std::string, std::string>& platform_args() {
  static const std::map<std::string, std::string> kArgs = [] {
    Platform p = Platform::host();
    std::map<std::string, std::string> out;
    for (std::string side : {"TARGET", "BUILD"}) {
      out[side + "PLATFORM"] = p.str();
      out[side + "OS"] = p.os;
      out[side + "ARCH"] = p.architecture;
      out[side + "VARIANT"] = p.variant;
    }
    return out;
  }();
  return kArgs;
}

DeclaredArg declare_arg(const std::string& word, const EnvLookup& env,
                        const std::map<std::string, std::string>& build_args, const ShellLexer& lexer) {
  size_t eq = word.find('=');
  DeclaredArg arg;
  arg.name = word.substr(0, eq);
  if (arg.name.empty()) throw Error("ARG names can not be blank");
  if (eq != std::string::npos) arg.value = arg.written_default = lexer.process_word(word.substr(eq + 1), env);
  if (auto it = build_args.find(arg.name); it != build_args.end()) {
    arg.value = it->second;
    arg.from_build_arg = true;
  }
  return arg;
}

}  // namespace berth
