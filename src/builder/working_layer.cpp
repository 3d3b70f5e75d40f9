#include "builder/working_layer.h"

#include "runtime/container_rootfs.h"

namespace berth {

WorkingLayer::WorkingLayer(Store& store, const std::optional<Digest>& top)
    : store_(store), id_(create_container_layer(store, top)) {
  try {
    mount_container_rootfs(store, id_);
  } catch (...) {
    remove_container_layer(store, id_);
    throw;
  }
}

WorkingLayer::~WorkingLayer() {
  try {
    remove_container_layer(store_, id_);
  } catch (...) {
    // Left for `system check`.
  }
}

std::filesystem::path WorkingLayer::merged() const { return container_merged_dir(store_, id_); }
std::filesystem::path WorkingLayer::changes() const { return container_diff_dir(store_, id_); }
void WorkingLayer::unmount() { unmount_container_rootfs(store_, id_); }

}  // namespace berth
