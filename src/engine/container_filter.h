// `ps --filter` (and `container prune --filter label=…`): Docker's container
// filters. Values of one key are alternatives (label= excepted: every one
// must match); different keys must all match.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "store/store.h"

namespace berth {

class ContainerFilter {
 public:
  // Parses KEY=VALUE specs; throws Error for an unknown key or a bad value
  // (an unknown image for ancestor=, a status that does not exist…).
  ContainerFilter(Store& store, const std::vector<std::string>& specs);

  // status= lists stopped containers too, as if -a had been given.
  bool implies_all() const { return by_key_.contains("status"); }
  bool matches(Store& store, const ContainerRecord& c) const;

 private:
  bool any_of(const std::string& key, const std::function<bool(const std::string&)>& test) const;

  std::map<std::string, std::vector<std::string>> by_key_;
  std::vector<Digest> ancestor_ids_;
  std::vector<Digest> ancestor_tops_;    // their top layers: an image built on one has it in its stack
  std::vector<int64_t> before_, since_;  // created times of the named containers
};

}  // namespace berth
