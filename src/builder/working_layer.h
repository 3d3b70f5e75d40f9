// A writable overlay over an image's layers, mounted, for one build step: what
// RUN runs in and COPY writes into. Its upper dir becomes the step's layer
// (image/directory_layer.h adopts it); whatever is left goes with the object.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "store/store.h"

namespace berth {

class WorkingLayer {
 public:
  // Creates and mounts it over the layers up to `top` (none: an empty root).
  WorkingLayer(Store& store, const std::optional<Digest>& top);
  ~WorkingLayer();
  WorkingLayer(const WorkingLayer&) = delete;

  std::filesystem::path merged() const;   // the mounted root
  std::filesystem::path changes() const;  // the upper dir
  void unmount();

 private:
  Store& store_;
  std::string id_;
};

}  // namespace berth
