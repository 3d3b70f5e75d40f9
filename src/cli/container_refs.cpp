#include "cli/container_refs.h"

#include <iostream>

#include "core/error.h"

namespace berth {

int for_each_container(const Args& args, const std::function<void(const std::string& ref)>& act) {
  int rc = 0;
  for (const std::string& ref : args.positional()) {
    try {
      act(ref);
      std::cout << ref << "\n";
    } catch (const Error& e) {
      std::cerr << "Error: " << e.what() << "\n";
      rc = 1;
    }
  }
  return rc;
}

}  // namespace berth
