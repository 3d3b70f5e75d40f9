#include "cli/go_template.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

#include "core/error.h"
#include "core/number.h"

namespace berth {

using Json = nlohmann::ordered_json;

namespace {

// An argument of a command: a field chain on dot, dot itself, or a literal.
struct Operand {
  enum Kind { kField, kString, kNumber } kind = kField;
  std::vector<std::string> path;  // empty with kField means "."
  std::string text;
  int64_t number = 0;
};

// A command: a function applied to operands, or a lone operand.
struct Command {
  std::string function;  // "" when the action is a lone operand
  std::vector<Operand> args;
};

// Go ranges over and prints maps in key order.
std::map<std::string, Json> sorted_items(const Json& object) {
  std::map<std::string, Json> out;
  for (const auto& item : object.items()) out.emplace(item.key(), item.value());
  return out;
}

[[noreturn]] void parse_error(const std::string& why) { throw Error("template parsing error: " + why); }

Json lookup(const Json& dot, const std::vector<std::string>& path) {
  const Json* cur = &dot;
  for (const std::string& key : path) {
    if (!cur->is_object()) return Json();
    auto it = cur->find(key);
    if (it == cur->end()) return Json();
    cur = &*it;
  }
  return *cur;
}

std::vector<std::string> tokenize(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    if (std::isspace(static_cast<unsigned char>(s[i]))) {
      ++i;
    } else if (s[i] == '"' || s[i] == '`') {
      char q = s[i];
      size_t j = i + 1;
      std::string tok(1, '"');
      for (; j < s.size() && s[j] != q; ++j) {
        if (q == '"' && s[j] == '\\' && j + 1 < s.size()) {
          ++j;
          tok += s[j] == 'n' ? '\n' : s[j] == 't' ? '\t' : s[j];
        } else {
          tok += s[j];
        }
      }
      if (j >= s.size()) parse_error("unterminated quoted string");
      out.push_back(tok);
      i = j + 1;
    } else if (s[i] == '|') {
      out.push_back("|");
      ++i;
    } else {
      size_t j = i;
      while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j])) && s[j] != '|') ++j;
      out.push_back(s.substr(i, j - i));
      i = j;
    }
  }
  return out;
}

Operand parse_operand(const std::string& tok) {
  Operand o;
  if (tok[0] == '"') {
    o.kind = Operand::kString;
    o.text = tok.substr(1);
  } else if (tok[0] == '.') {
    std::string rest = tok.substr(1);
    size_t i = 0;
    while (!rest.empty() && i <= rest.size()) {
      size_t dot = rest.find('.', i);
      if (dot == std::string::npos) dot = rest.size();
      std::string key = rest.substr(i, dot - i);
      if (key.empty()) parse_error("bad field name in \"" + tok + "\"");
      o.path.push_back(key);
      i = dot + 1;
    }
  } else if (std::isdigit(static_cast<unsigned char>(tok[0])) || tok[0] == '-') {
    o.kind = Operand::kNumber;
    std::optional<int64_t> number = try_parse_int(tok);
    if (!number) parse_error("bad number \"" + tok + "\"");
    o.number = *number;
  } else {
    parse_error("function \"" + tok + "\" not defined");
  }
  return o;
}

const std::vector<std::string> kFunctions = {"json", "upper", "lower", "title", "join", "index", "truncate", "len", "pad", "split", "println", "print"};

// A pipeline: commands joined by "|", each feeding the next as its last argument.
std::vector<Command> parse_pipeline(const std::string& text) {
  std::vector<std::string> toks = tokenize(text);
  if (toks.empty()) parse_error("missing value for command");
  std::vector<Command> cmds;
  Command cur;
  bool expect_start = true;
  for (const std::string& t : toks) {
    if (t == "|") {
      if (expect_start) parse_error("missing command before |");
      cmds.push_back(std::move(cur));
      cur = Command();
      expect_start = true;
      continue;
    }
    if (expect_start && std::find(kFunctions.begin(), kFunctions.end(), t) != kFunctions.end()) {
      cur.function = t;
    } else {
      cur.args.push_back(parse_operand(t));
    }
    expect_start = false;
  }
  if (expect_start) parse_error("missing command after |");
  cmds.push_back(std::move(cur));
  return cmds;
}

std::string title_case(std::string s) {
  bool start = true;
  for (char& c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) start = true;
    else if (start) { c = static_cast<char>(std::toupper(static_cast<unsigned char>(c))); start = false; }
  }
  return s;
}

Json eval_operand(const Operand& o, const Json& dot) {
  switch (o.kind) {
    case Operand::kString: return o.text;
    case Operand::kNumber: return o.number;
    case Operand::kField: break;
  }
  return o.path.empty() ? dot : lookup(dot, o.path);
}

Json eval_pipeline(const std::vector<Command>& cmds, const Json& dot) {
  Json value;
  bool have_prev = false;
  for (const Command& c : cmds) {
    std::vector<Json> args;
    for (const Operand& o : c.args) args.push_back(eval_operand(o, dot));
    if (have_prev) args.push_back(value);
    have_prev = true;
    auto as_text = [&](size_t i) { return i < args.size() ? go_print(args[i]) : std::string(); };
    auto need = [&](size_t n) {
      if (args.size() < n) throw Error("template: " + c.function + ": wrong number of arguments");
    };
    if (c.function.empty()) {
      if (args.size() != 1) throw Error("template: can't give argument to non-function");
      value = args[0];
    } else if (c.function == "json") {
      need(1);
      value = go_json(args[0]);
    } else if (c.function == "upper" || c.function == "lower") {
      need(1);
      std::string s = as_text(0);
      for (char& ch : s) ch = static_cast<char>(c.function == "upper" ? std::toupper(static_cast<unsigned char>(ch)) : std::tolower(static_cast<unsigned char>(ch)));
      value = s;
    } else if (c.function == "title") {
      need(1);
      value = title_case(as_text(0));
    } else if (c.function == "join") {
      need(2);
      std::string out;
      if (args[0].is_array())
        for (size_t i = 0; i < args[0].size(); ++i) out += (i ? go_print(args[1]) : "") + go_print(args[0][i]);
      value = out;
    } else if (c.function == "split") {
      need(2);
      Json out = Json::array();
      std::string s = as_text(0), sep = as_text(1);
      for (size_t pos = 0;;) {
        size_t next = sep.empty() ? std::string::npos : s.find(sep, pos);
        out.push_back(s.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
        if (next == std::string::npos) break;
        pos = next + sep.size();
      }
      value = out;
    } else if (c.function == "index") {
      need(2);
      if (args[0].is_object() && args[1].is_string())
        value = lookup(args[0], {args[1].get<std::string>()});
      else if (args[0].is_array() && args[1].is_number_integer() && args[1].get<int64_t>() >= 0 &&
               static_cast<size_t>(args[1].get<int64_t>()) < args[0].size())
        value = args[0][static_cast<size_t>(args[1].get<int64_t>())];
      else
        throw Error("template: index: cannot index " + go_print(args[0]) + " with " + go_print(args[1]));
    } else if (c.function == "truncate") {
      need(2);
      std::string s = as_text(0);
      int64_t n = args[1].is_number_integer() ? args[1].get<int64_t>() : 0;
      value = n >= 0 && static_cast<size_t>(n) < s.size() ? s.substr(0, static_cast<size_t>(n)) : s;
    } else if (c.function == "len") {
      need(1);
      value = args[0].is_string() ? args[0].get<std::string>().size() : args[0].size();
    } else if (c.function == "pad") {
      need(3);
      // Docker's padWithSpace(source string, prefix, suffix int); text/template
      // refuses another type. (A width past 1 MiB is refused too: a typo, not a layout.)
      auto width = [&](size_t i) {
        if (!args[i].is_number_integer())
          throw Error("template: pad: wrong type for value; expected int; got " + go_print(args[i]));
        int64_t n = args[i].get<int64_t>();
        if (n > (1 << 20)) throw Error("template: pad: width " + std::to_string(n) + " is too large");
        return std::string(static_cast<size_t>(std::max<int64_t>(0, n)), ' ');
      };
      value = width(1) + as_text(0) + width(2);
    } else if (c.function == "print" || c.function == "println") {
      std::string out;
      for (size_t i = 0; i < args.size(); ++i) out += (i ? " " : "") + go_print(args[i]);
      value = c.function == "println" ? out + "\n" : out;
    }
  }
  return value;
}

bool truthy(const Json& v) {
  if (v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string() || v.is_array() || v.is_object()) return !v.empty() && !(v.is_string() && v.get<std::string>().empty());
  if (v.is_number()) return v.get<double>() != 0;
  return true;
}

}  // namespace

struct GoTemplate::Node {
  enum Kind { kText, kAction, kRange, kIf } kind = kText;
  std::string text;
  std::vector<Command> pipeline;
  std::vector<std::unique_ptr<Node>> body, otherwise;
};

namespace {

using NodeList = std::vector<std::unique_ptr<GoTemplate::Node>>;

struct Parser {
  const std::string& src;
  size_t pos = 0;

  // Parses until {{end}} / {{else}} (returned in *stop) or the end of input.
  NodeList parse_list(std::string* stop) {
    NodeList nodes;
    while (pos < src.size()) {
      size_t open = src.find("{{", pos);
      std::string text = src.substr(pos, open == std::string::npos ? std::string::npos : open - pos);
      if (open != std::string::npos && open + 2 < src.size() && src[open + 2] == '-') {
        while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
      }
      if (!text.empty()) {
        auto n = std::make_unique<GoTemplate::Node>();
        n->text = text;
        nodes.push_back(std::move(n));
      }
      if (open == std::string::npos) {
        pos = src.size();
        break;
      }
      size_t close = src.find("}}", open);
      if (close == std::string::npos) parse_error("unclosed action");
      std::string inner = src.substr(open + 2, close - open - 2);
      bool trim_right = false;
      if (!inner.empty() && inner[0] == '-') inner.erase(0, 1);
      if (!inner.empty() && inner.back() == '-') { inner.pop_back(); trim_right = true; }
      pos = close + 2;
      if (trim_right)
        while (pos < src.size() && std::isspace(static_cast<unsigned char>(src[pos]))) ++pos;
      size_t b = inner.find_first_not_of(" \t\n"), e = inner.find_last_not_of(" \t\n");
      inner = b == std::string::npos ? "" : inner.substr(b, e - b + 1);
      if (inner.rfind("/*", 0) == 0) continue;  // comment
      if (inner == "end" || inner == "else") {
        if (!stop) parse_error("unexpected {{" + inner + "}}");
        *stop = inner;
        return nodes;
      }
      auto n = std::make_unique<GoTemplate::Node>();
      if (inner.rfind("range ", 0) == 0 || inner.rfind("if ", 0) == 0) {
        bool is_range = inner[0] == 'r';
        n->kind = is_range ? GoTemplate::Node::kRange : GoTemplate::Node::kIf;
        n->pipeline = parse_pipeline(inner.substr(is_range ? 6 : 3));
        std::string why;
        n->body = parse_list(&why);
        if (why == "else") {
          n->otherwise = parse_list(&why);
          if (why != "end") parse_error("missing {{end}}");
        } else if (why != "end") {
          parse_error("missing {{end}}");
        }
      } else {
        n->kind = GoTemplate::Node::kAction;
        n->pipeline = parse_pipeline(inner);
      }
      nodes.push_back(std::move(n));
    }
    if (stop) parse_error("unexpected EOF: missing {{end}}");
    return nodes;
  }
};

void render_list(const NodeList& nodes, const Json& dot, std::string* out) {
  for (const auto& n : nodes) {
    switch (n->kind) {
      case GoTemplate::Node::kText:
        *out += n->text;
        break;
      case GoTemplate::Node::kAction: {
        Json v = eval_pipeline(n->pipeline, dot);
        *out += v.is_null() ? "<no value>" : go_print(v);
        break;
      }
      case GoTemplate::Node::kIf:
        render_list(truthy(eval_pipeline(n->pipeline, dot)) ? n->body : n->otherwise, dot, out);
        break;
      case GoTemplate::Node::kRange: {
        Json v = eval_pipeline(n->pipeline, dot);
        if (!truthy(v)) {
          render_list(n->otherwise, dot, out);
        } else if (v.is_array()) {
          for (const Json& item : v) render_list(n->body, item, out);
        } else if (v.is_object()) {
          for (const auto& [k, item] : sorted_items(v)) render_list(n->body, item, out);
        }
        break;
      }
    }
  }
}

}  // namespace

GoTemplate::GoTemplate(const std::string& text) {
  Parser p{text};
  nodes_ = p.parse_list(nullptr);
}

GoTemplate::~GoTemplate() = default;
GoTemplate::GoTemplate(GoTemplate&&) noexcept = default;

std::string GoTemplate::render(const Json& dot) const {
  std::string out;
  render_list(nodes_, dot, &out);
  return out;
}

std::string go_print(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "[]";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (d == static_cast<double>(static_cast<int64_t>(d))) return std::to_string(static_cast<int64_t>(d));
    return v.dump();
  }
  std::string out;
  if (v.is_array()) {
    out = "[";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + go_print(v[i]);
    return out + "]";
  }
  out = "map[";
  bool first = true;
  for (const auto& [k, item] : sorted_items(v)) {
    out += (first ? "" : " ") + k + ":" + go_print(item);
    first = false;
  }
  return out + "]";
}

std::string go_json(const Json& v) {
  // Docker's templates see decoded JSON (Go maps), and Go writes map keys sorted.
  nlohmann::json sorted = nlohmann::json::parse(v.dump(-1, ' ', false, Json::error_handler_t::replace));
  return go_escape_html(sorted.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string tabwrite(const std::vector<std::string>& lines, size_t min_width) {
  const size_t kMinWidth = min_width, kPadding = 3;
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> widths;
  auto display_width = [](const std::string& s) {
    size_t w = 0;
    for (unsigned char c : s) w += (c & 0xC0) != 0x80;
    return w;
  };
  for (const std::string& line : lines) {
    std::vector<std::string> row;
    size_t start = 0;
    while (true) {
      size_t tab = line.find('\t', start);
      row.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    for (size_t i = 0; i + 1 < row.size(); ++i) {
      if (widths.size() <= i) widths.resize(i + 1, kMinWidth);
      widths[i] = std::max(widths[i], display_width(row[i]) + kPadding);
    }
    cells.push_back(std::move(row));
  }
  std::string out;
  for (const auto& row : cells) {
    for (size_t i = 0; i < row.size(); ++i) {
      out += row[i];
      if (i + 1 < row.size()) out += std::string(widths[i] - display_width(row[i]), ' ');
    }
    out += "\n";
  }
  return out;
}

std::string format_rows(const std::string& format, const std::vector<Json>& rows, const Json& headers) {
  std::string f = format;
  bool table = f.rfind("table", 0) == 0;
  if (table) f = f.substr(5);
  if (f == "json" || f == " json") f = "{{json .}}";
  size_t b = f.find_first_not_of(' '), e = f.find_last_not_of(' ');
  f = b == std::string::npos ? "" : f.substr(b, e - b + 1);
  std::string replaced;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] == '\\' && i + 1 < f.size() && (f[i + 1] == 't' || f[i + 1] == 'n')) {
      replaced += f[i + 1] == 't' ? '\t' : '\n';
      ++i;
    } else {
      replaced += f[i];
    }
  }
  GoTemplate tmpl(replaced);
  std::string body;
  for (const Json& row : rows) body += tmpl.render(row) + "\n";
  if (!table) return body;
  std::vector<std::string> lines;
  std::string header = tmpl.render(headers);
  lines.push_back(header);  // docker prints the header even when there are no rows
  std::stringstream ss(body);
  for (std::string line; std::getline(ss, line);) lines.push_back(line);
  return tabwrite(lines);
}

}  // namespace berth
