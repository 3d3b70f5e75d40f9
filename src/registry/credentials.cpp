#include "registry/credentials.h"

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "core/base64.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/subprocess.h"

namespace berth {
namespace {

using Json = nlohmann::ordered_json;

Json read_config(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Json::object();
  std::string text = read_file(path);
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw invalid_argument(path.string() + ": not a JSON object");
  return j;
}

// "https://host:port/v1/" -> "host:port", as Docker's ConvertToHostname.
std::string hostname_of(std::string key) {
  for (const char* scheme : {"http://", "https://"})
    if (key.starts_with(scheme)) key = key.substr(std::string(scheme).size());
  return key.substr(0, key.find('/'));
}

// The credential helper that holds `server`'s secrets, if any.
std::string helper_for(const Json& config, const std::string& server) {
  if (config.contains("credHelpers") && config["credHelpers"].is_object()) {
    const Json& helpers = config["credHelpers"];
    auto it = helpers.find(server);
    if (it == helpers.end()) it = helpers.find(hostname_of(server));
    if (it != helpers.end() && it->is_string()) return it->get<std::string>();
  }
  if (config.contains("credsStore") && config["credsStore"].is_string()) return config["credsStore"].get<std::string>();
  return "";
}

ProcessResult run_helper(const std::string& helper, const std::string& action, const std::string& input) {
  return run_process({"docker-credential-" + helper, action}, input);
}

}  // namespace

std::filesystem::path DockerConfig::default_path() {
  if (const char* dir = std::getenv("DOCKER_CONFIG"); dir && *dir) return std::filesystem::path(dir) / "config.json";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : "/root") / ".docker" / "config.json";
}

std::optional<Credentials> DockerConfig::get(const std::string& server) const {
  Json config = read_config(path_);
  if (std::string helper = helper_for(config, server); !helper.empty()) {
    ProcessResult r = run_helper(helper, "get", server);
    if (r.exit_code != 0) return std::nullopt;  // "credentials not found": anonymous
    Json j = Json::parse(r.output, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw Error("docker-credential-" + helper + ": unreadable answer");
    Credentials c{j.value("Username", ""), j.value("Secret", "")};
    if (c.secret.empty()) return std::nullopt;
    return c;
  }
  if (!config.contains("auths") || !config["auths"].is_object()) return std::nullopt;
  for (const auto& [key, entry] : config["auths"].items()) {
    if (key != server && hostname_of(key) != hostname_of(server)) continue;
    if (!entry.is_object()) continue;
    if (entry.contains("auth") && entry["auth"].is_string()) {
      std::optional<std::string> decoded = base64_decode(entry["auth"].get<std::string>());
      if (!decoded || decoded->find(':') == std::string::npos)
        throw invalid_argument(path_.string() + ": the auth entry for " + key + " is not base64 of user:password");
      size_t colon = decoded->find(':');
      return Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
    }
    if (entry.contains("username") && entry.contains("password"))
      return Credentials{entry.value("username", ""), entry.value("password", "")};
  }
  return std::nullopt;
}

bool DockerConfig::store(const std::string& server, const Credentials& creds) {
  Json config = read_config(path_);
  Json& auths = config["auths"];
  if (!auths.is_object()) auths = Json::object();
  if (std::string helper = helper_for(config, server); !helper.empty()) {
    Json input = {{"ServerURL", server}, {"Username", creds.username}, {"Secret", creds.secret}};
    ProcessResult r = run_helper(helper, "store", input.dump());
    if (r.exit_code != 0) throw Error("docker-credential-" + helper + " could not store the credentials");
    auths[server] = Json::object();  // Docker lists the server, without secrets
  } else {
    auths[server] = {{"auth", base64_encode(creds.username + ":" + creds.secret)}};
  }
  std::filesystem::create_directories(path_.parent_path());
  write_file_atomic(path_, config.dump(1, '\t') + "\n", 0600);
  return helper_for(config, server).empty();
}

bool DockerConfig::erase(const std::string& server) {
  Json config = read_config(path_);
  bool removed = false;
  if (std::string helper = helper_for(config, server); !helper.empty())
    removed = run_helper(helper, "erase", server).exit_code == 0;
  if (config.contains("auths") && config["auths"].is_object()) {
    Json& auths = config["auths"];
    for (auto it = auths.begin(); it != auths.end();) {
      if (it.key() == server || hostname_of(it.key()) == hostname_of(server)) {
        it = auths.erase(it);
        removed = true;
      } else {
        ++it;
      }
    }
  }
  if (removed) write_file_atomic(path_, config.dump(1, '\t') + "\n", 0600);
  return removed;
}

}  // namespace berth
