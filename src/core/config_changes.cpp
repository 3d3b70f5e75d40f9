#include "core/config_changes.h"

#include <algorithm>
#include <cctype>

#include "core/error.h"

namespace berth {
namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Splits on whitespace, honouring "double" and 'single' quotes and backslashes.
std::vector<std::string> split_words(const std::string& s, const std::string& change) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
      else if (c == '\\' && quote == '"' && i + 1 < s.size()) cur += s[++i];
      else cur += c;
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < s.size()) {
      cur += s[++i];
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) words.push_back(cur);
      cur.clear();
      in_word = false;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (quote) throw Error("invalid change \"" + change + "\": unterminated quote");
  if (in_word) words.push_back(cur);
  return words;
}

// JSON form (["a","b"]) as is; shell form wrapped in /bin/sh -c.
Json command_form(const std::string& rest, const std::string& change) {
  if (!rest.empty() && rest[0] == '[') {
    Json j = Json::parse(rest, nullptr, false);
    if (!j.is_discarded() && j.is_array() &&
        std::all_of(j.begin(), j.end(), [](const Json& e) { return e.is_string(); }))
      return j;
  }
  if (rest.empty()) throw Error("invalid change \"" + change + "\": missing command");
  return Json::array({"/bin/sh", "-c", rest});
}

// NAME=VALUE pairs, or the legacy single "NAME VALUE" form.
std::vector<std::pair<std::string, std::string>> key_values(const std::string& rest, const std::string& change) {
  std::vector<std::pair<std::string, std::string>> out;
  std::vector<std::string> words = split_words(rest, change);
  if (words.empty()) throw Error("invalid change \"" + change + "\": missing arguments");
  if (words[0].find('=') == std::string::npos) {
    size_t sp = rest.find_first_of(" \t");
    if (sp == std::string::npos) throw Error("invalid change \"" + change + "\": expected NAME=VALUE or NAME VALUE");
    out.emplace_back(words[0], trim(rest.substr(sp)));
    return out;
  }
  for (const std::string& w : words) {
    size_t eq = w.find('=');
    if (eq == std::string::npos || eq == 0) throw Error("invalid change \"" + change + "\": expected NAME=VALUE, got \"" + w + "\"");
    out.emplace_back(w.substr(0, eq), w.substr(eq + 1));
  }
  return out;
}

}  // namespace

void apply_config_change(Json& config, const std::string& change) {
  std::string line = trim(change);
  size_t sp = line.find_first_of(" \t");
  std::string keyword = line.substr(0, sp);
  std::string rest = sp == std::string::npos ? "" : trim(line.substr(sp));
  std::transform(keyword.begin(), keyword.end(), keyword.begin(), [](unsigned char c) { return std::toupper(c); });

  if (keyword == "CMD") {
    config["Cmd"] = command_form(rest, change);
  } else if (keyword == "ENTRYPOINT") {
    config["Entrypoint"] = command_form(rest, change);
  } else if (keyword == "ENV") {
    Json env = config.value("Env", Json::array());
    if (!env.is_array()) env = Json::array();
    for (const auto& [k, v] : key_values(rest, change)) {
      std::string prefix = k + "=";
      auto it = std::find_if(env.begin(), env.end(), [&](const Json& e) {
        return e.is_string() && e.get<std::string>().rfind(prefix, 0) == 0;
      });
      if (it != env.end()) *it = prefix + v;
      else env.push_back(prefix + v);
    }
    config["Env"] = env;
  } else if (keyword == "LABEL") {
    Json labels = config.value("Labels", Json::object());
    if (!labels.is_object()) labels = Json::object();
    for (const auto& [k, v] : key_values(rest, change)) labels[k] = v;
    config["Labels"] = labels;
  } else if (keyword == "EXPOSE") {
    Json ports = config.value("ExposedPorts", Json::object());
    if (!ports.is_object()) ports = Json::object();
    for (std::string p : split_words(rest, change)) {
      if (p.find('/') == std::string::npos) p += "/tcp";
      std::string num = p.substr(0, p.find('/')), proto = p.substr(p.find('/') + 1);
      bool digits = !num.empty() && std::all_of(num.begin(), num.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits || std::stol(num) > 65535 || (proto != "tcp" && proto != "udp" && proto != "sctp"))
        throw Error("invalid change \"" + change + "\": invalid port \"" + p + "\"");
      ports[p] = Json::object();
    }
    config["ExposedPorts"] = ports;
  } else if (keyword == "VOLUME") {
    Json volumes = config.value("Volumes", Json::object());
    if (!volumes.is_object()) volumes = Json::object();
    Json list = (!rest.empty() && rest[0] == '[') ? Json::parse(rest, nullptr, false) : Json();
    if (!list.is_array()) {
      list = Json::array();
      for (const std::string& w : split_words(rest, change)) list.push_back(w);
    }
    if (list.empty()) throw Error("invalid change \"" + change + "\": VOLUME needs a path");
    for (const Json& v : list) volumes[v.get<std::string>()] = Json::object();
    config["Volumes"] = volumes;
  } else if (keyword == "USER" || keyword == "WORKDIR" || keyword == "STOPSIGNAL") {
    if (rest.empty()) throw Error("invalid change \"" + change + "\": " + keyword + " needs an argument");
    const char* key = keyword == "USER" ? "User" : keyword == "WORKDIR" ? "WorkingDir" : "StopSignal";
    config[key] = rest;
  } else {
    throw Error("invalid change \"" + change + "\": " + keyword +
                " is not one of CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR");
  }
}

}  // namespace berth
