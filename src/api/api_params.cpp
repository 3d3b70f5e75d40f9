#include "api/api_params.h"


#include "core/ascii_case.h"
#include "core/error.h"
#include "core/number.h"

namespace berth {

bool query_bool(const ApiRequest& request, const std::string& name, bool fallback) {
  std::optional<std::string> v = request.http.param(name);
  if (!v) return fallback;
  std::string s = ascii_lower(*v);  // docker-py sends "False"
  s.erase(0, s.find_first_not_of(" \t"));
  s.erase(s.find_last_not_of(" \t") + 1);
  return !(s.empty() || s == "0" || s == "false" || s == "no" || s == "none");
}

int64_t query_int(const ApiRequest& request, const std::string& name, int64_t fallback) {
  std::optional<std::string> v = request.http.param(name);
  if (!v || v->empty()) return fallback;
  std::optional<int64_t> n = try_parse_int(*v);
  if (!n) throw invalid_argument("invalid value for " + name + ": " + *v);
  return *n;
}

std::string query_string(const ApiRequest& request, const std::string& name, const std::string& fallback) {
  return request.http.param(name).value_or(fallback);
}

std::vector<std::string> filter_specs(const ApiRequest& request) {
  std::optional<std::string> text = request.http.param("filters");
  std::vector<std::string> specs;
  if (!text || text->empty()) return specs;
  nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);  // keys sorted, values too
  if (!doc.is_object()) throw invalid_argument("invalid filter: " + *text);
  for (const auto& [key, values] : doc.items()) {
    if (values.is_object()) {
      for (const auto& [value, on] : values.items())
        if (!on.is_boolean() || on.get<bool>()) specs.push_back(key + "=" + value);
    } else if (values.is_array()) {
      for (const nlohmann::json& value : values)
        if (value.is_string()) specs.push_back(key + "=" + value.get<std::string>());
    } else {
      throw invalid_argument("invalid filter: " + *text);
    }
  }
  return specs;
}

Json json_body(const ApiRequest& request) {
  if (request.http.body.empty()) return Json::object();
  Json doc = Json::parse(request.http.body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw invalid_argument("invalid JSON: the request body is not a JSON object");
  return doc;
}

ByteReader& body_stream(const ApiRequest& request) {
  if (!request.http.body_stream) throw Error("internal: the route reads its body whole");
  return *request.http.body_stream;
}

}  // namespace berth
