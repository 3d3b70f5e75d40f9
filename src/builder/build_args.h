// Build arguments as Docker's builders scope them: an ARG declares a name
// (with a default), a --build-arg gives its value, BuildKit's automatic
// platform args (TARGETPLATFORM, BUILDARCH, …) fill an ARG that names one
// without a value, and the proxy variables pass into RUN without any ARG
// (kept out of the image's history).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "dockerfile/shell_lexer.h"

namespace berth {

// HTTP_PROXY, https_proxy, NO_PROXY, …
bool is_proxy_arg(const std::string& name);

// TARGETPLATFORM, TARGETOS, TARGETARCH, TARGETVARIANT and the BUILD ones: this machine's.
const std::map<std::string, std::string>& platform_args();

struct DeclaredArg {
  std::string name;
  std::optional<std::string> value;  // none: no default and no --build-arg
  std::optional<std::string> written_default;  // the Dockerfile's default, expanded (history shows it)
  bool from_build_arg = false;       // a --build-arg gave it (it counts as consumed)
};

// One ARG word, "NAME" or "NAME=default" ($VARs in the default expanded with
// `env`); a --build-arg of that name wins. Throws Error for a blank name.
DeclaredArg declare_arg(const std::string& word, const EnvLookup& env,
                        const std::map<std::string, std::string>& build_args, const ShellLexer& lexer);

}  // namespace berth
