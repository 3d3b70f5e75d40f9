// berth login [OPTIONS] [SERVER]: credentials for a registry, checked against
// it and kept in Docker's config.json (mode 0600) or its credential helper.
// A password is never printed or logged.
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "cli/command.h"
#include "cli/registry_access.h"
#include "cli/usage_error.h"
#include "core/error.h"
#include "engine/registry_access.h"
#include "registry/credentials.h"

namespace berth {
namespace {

std::string strip_newline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

std::string prompt(const std::string& label, bool echo) {
  std::cout << label << std::flush;
  termios old{};
  bool tty = ::isatty(0) && ::tcgetattr(0, &old) == 0;
  if (tty && !echo) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(0, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty && !echo) {
    ::tcsetattr(0, TCSANOW, &old);
    std::cout << "\n";
  }
  return strip_newline(line);
}

int login(Context& ctx, const Args& args) {
  require_args(args, 0, 1, "login");
  std::string key = credentials_key(args.positional().empty() ? "docker.io" : args.positional()[0]);
  Credentials creds{args.value("username"), args.value("password")};
  if (args.has("password") && args.flag("password-stdin"))
    throw UsageError("--password and --password-stdin are mutually exclusive");
  if (args.has("password")) std::cerr << "WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n";
  if (args.flag("password-stdin")) {
    if (creds.username.empty()) throw UsageError("Must provide --username with --password-stdin");
    std::string all((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    creds.secret = strip_newline(all);
  }
  if (creds.username.empty() || creds.secret.empty()) {
    if (!::isatty(0)) throw Error("Cannot perform an interactive login from a non TTY device");
    if (creds.username.empty()) creds.username = prompt("Username: ", true);
    if (creds.secret.empty()) creds.secret = prompt("Password: ", false);
  }
  if (creds.username.empty()) throw Error("Username is required");
  if (creds.secret.empty()) throw Error("Password is required");

  check_registry_login(key, creds, insecure_registries(ctx));
  DockerConfig config(DockerConfig::default_path());
  if (config.store(key, creds))
    std::cerr << "WARNING! Your password will be stored unencrypted in " << config.path().string() << ".\n"
              << "Configure a credential helper to remove this warning. See\n"
              << "https://docs.docker.com/engine/reference/commandline/login/#credentials-store\n\n";
  std::cout << "Login Succeeded\n";
  return 0;
}

}  // namespace

const Command kLoginCommand = {"login",
                               "berth login [OPTIONS] [SERVER]",
                               "Log in to a registry",
                               {{'u', "username", true}, {'p', "password", true}, {0, "password-stdin", false}},
                               login};

}  // namespace berth
