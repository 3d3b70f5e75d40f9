// `berth import`: a root filesystem tarball becomes a one-layer image, with
// config edits from --change, as `docker import` makes it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/byte_reader.h"
#include "store/store.h"

namespace berth {

struct ImportOptions {
  std::vector<std::string> changes;  // --change instructions
  std::string message;               // --message; default "Imported from SOURCE"
  std::string source = "-";
  std::string platform;              // os/arch[/variant]; default linux/amd64
  std::optional<std::string> tag;    // full name
};

// Returns the new image's ID. The store is unchanged when it throws.
Digest import_image(Store& store, ByteReader& in, const ImportOptions& options);

}  // namespace berth
