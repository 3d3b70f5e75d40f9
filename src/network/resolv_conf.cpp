#include "network/resolv_conf.h"

#include <sstream>

namespace berth {
namespace {

bool loopback(const std::string& server) { return server.starts_with("127.") || server == "::1"; }

}  // namespace

ResolvConf ResolvConf::parse(const std::string& text) {
  ResolvConf r;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string key, word;
    if (!(words >> key) || key[0] == '#' || key[0] == ';') continue;
    std::vector<std::string> rest;
    while (words >> word) rest.push_back(word);
    if (key == "nameserver" && !rest.empty()) r.nameservers.push_back(rest[0]);
    if (key == "search" || key == "domain") r.search = rest;  // the last one counts, as in glibc
    if (key == "options") r.options.insert(r.options.end(), rest.begin(), rest.end());
  }
  return r;
}

std::string ResolvConf::render() const {
  std::string out;
  for (const std::string& s : nameservers) out += "nameserver " + s + "\n";
  auto line = [&](const char* key, const std::vector<std::string>& words) {
    if (words.empty()) return;
    out += key;
    for (const std::string& w : words) out += " " + w;
    out += "\n";
  };
  line("search", search);
  line("options", options);
  return out;
}

ResolvConf container_resolv_conf(const ResolvConf& host, const DnsSettings& settings, bool embedded) {
  ResolvConf r;
  if (embedded) {
    r.nameservers = {kEmbeddedResolver};
    r.options = {"ndots:0"};
  } else if (!settings.servers.empty()) {
    r.nameservers = settings.servers;
  } else {
    for (const std::string& s : host.nameservers)
      if (!loopback(s)) r.nameservers.push_back(s);
  }
  r.search = settings.search.empty() ? host.search : settings.search;
  if (!settings.options.empty()) r.options = settings.options;
  else if (!embedded) r.options = host.options;
  return r;
}

std::vector<std::string> upstream_servers(const ResolvConf& host, const DnsSettings& settings) {
  return settings.servers.empty() ? host.nameservers : settings.servers;
}

}  // namespace berth
