// `images` and the Engine API's /images/json as data: the images a listing
// shows (build steps only with `all`), after Docker's filters (dangling=,
// reference=, before=, since=, label=), each with the names it is listed
// under. Front ends turn them into rows or JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace berth {

// What list-style commands know about an image: its created time (from the
// config) and labels, read once per image.
struct ImageFacts {
  ImageRecord record;
  int64_t created = 0;  // unix seconds, from the config's "created"
  int64_t size = 0;
  Json labels;          // config.Labels or null
};

struct ImageFilters {
  std::optional<bool> dangling;
  std::vector<std::string> references;   // patterns matched against NAME and NAME:TAG
  std::optional<int64_t> before, since;  // created times of the named images
  std::vector<std::string> labels;       // KEY or KEY=VALUE
};

// KEY=VALUE specs as `--filter` takes them. Throws Error with Docker's
// message for an unknown key or a bad value.
ImageFilters parse_image_filters(Store& store, const std::vector<std::string>& specs);

struct ListedImage {
  ImageFacts facts;
  std::vector<std::string> tags;          // full names, those the reference filters kept
  std::vector<std::string> repo_digests;  // full NAME@DIGEST
};

// Newest first, as Docker lists them.
std::vector<ListedImage> list_images(Store& store, const ImageFilters& filters, bool all);

}  // namespace berth
