// The part of Go's text/template that `docker … --format` users type:
// {{.Field.Sub}}, {{json .}}, {{json .Config}}, {{upper/lower/title …}},
// {{join .List ", "}}, {{index .Map "key"}}, {{truncate .S 12}},
// {{range …}}…{{end}}, {{if …}}…{{else}}…{{end}}, and a leading "table"
// that makes a column layout with a header row (docker/cli's formatter).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/go_json.h"  // go_escape_html, for the commands that print JSON

namespace berth {

class GoTemplate {
 public:
  // Throws Error("template parsing error: …") on bad syntax.
  explicit GoTemplate(const std::string& text);
  ~GoTemplate();
  GoTemplate(GoTemplate&&) noexcept;
  std::string render(const nlohmann::ordered_json& dot) const;

  struct Node;

 private:
  std::vector<std::unique_ptr<Node>> nodes_;
};

// Go's fmt %v rendering of a JSON value: strings bare, lists "[a b]", maps "map[k:v]".
std::string go_print(const nlohmann::ordered_json& v);
// Go's json.Marshal: compact, with <, > and & escaped.
std::string go_json(const nlohmann::ordered_json& v);

// docker/cli's formatter: a format string ("table …", a template, or "json")
// applied to rows. With "table", columns are aligned like Go's tabwriter
// (minwidth 10, padding 3) under a header made from `headers` (field → title).
std::string format_rows(const std::string& format, const std::vector<nlohmann::ordered_json>& rows,
                        const nlohmann::ordered_json& headers);

// Go's tabwriter with docker/cli's settings (padding 3, minimum width 10, which
// `top` raises to 20), for tab-separated lines.
std::string tabwrite(const std::vector<std::string>& lines, size_t min_width = 10);

}  // namespace berth
