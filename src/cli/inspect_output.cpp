#include "cli/inspect_output.h"

#include <iostream>

#include "cli/go_template.h"
#include "core/error.h"

namespace berth {

int print_inspected(const std::vector<std::string>& names, const std::string& format, const std::string& kind,
                    const std::function<Json(const std::string&)>& lookup) {
  Json all = Json::array();
  std::string missing;
  for (const std::string& name : names) {
    try {
      all.push_back(lookup(name));
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found) throw;
      missing = name;
    }
  }
  if (format.empty()) {
    std::cout << go_escape_html(all.dump(4)) << "\n";
  } else {
    GoTemplate tmpl(format);
    for (const Json& item : all) std::cout << tmpl.render(item) << "\n";
  }
  if (missing.empty()) return 0;
  std::cout.flush();
  std::cerr << "Error: No such " << kind << ": " << missing << "\n";
  return 1;
}

}  // namespace berth
