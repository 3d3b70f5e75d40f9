// Registry credentials where Docker keeps them: ~/.docker/config.json (or
// $DOCKER_CONFIG/config.json), in its "auths" map as base64 "user:password",
// or in a credential helper (docker-credential-<name>) named by "credHelpers"
// for one registry or "credsStore" for all. berth reads and writes the same
// file, so `docker login` and `berth login` see each other's logins.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace berth {

struct Credentials {
  std::string username;
  std::string secret;  // password or token; never printed
};

class DockerConfig {
 public:
  explicit DockerConfig(std::filesystem::path path) : path_(std::move(path)) {}
  // $DOCKER_CONFIG/config.json, else $HOME/.docker/config.json.
  static std::filesystem::path default_path();
  const std::filesystem::path& path() const { return path_; }

  // `server` is the key Docker uses: "localhost:5000", or for Docker Hub
  // "https://index.docker.io/v1/". Keys written with a scheme or path
  // ("https://localhost:5000/v2/") match too, as in Docker.
  std::optional<Credentials> get(const std::string& server) const;
  // Stores in the helper for `server` if one is configured, else in the
  // file (mode 0600, written atomically). Returns true when stored in the file.
  bool store(const std::string& server, const Credentials& creds);
  // Returns false when there was nothing to remove.
  bool erase(const std::string& server);

 private:
  std::filesystem::path path_;
};

}  // namespace berth
