// A registry's WWW-Authenticate challenge (RFC 7235): the scheme, Bearer or
// Basic, and its parameters: realm, service, scope, error.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace berth {

struct AuthChallenge {
  std::string scheme;                         // lower case: "bearer", "basic"
  std::map<std::string, std::string> params;  // names lower case

  std::string param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? "" : it->second;
  }
};

// Parses the header's first challenge; nullopt when it names none.
std::optional<AuthChallenge> parse_auth_challenge(std::string_view header);

// The token a Bearer challenge's realm answered with: "token", else
// "access_token" (distribution's token spec has both); "" when the answer
// holds neither as a string.
std::string token_of_response(std::string_view body);

}  // namespace berth
