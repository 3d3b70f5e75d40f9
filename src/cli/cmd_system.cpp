// berth system df and berth system check.
#include <filesystem>
#include <iostream>
#include <set>

#include "cli/command.h"
#include "core/error.h"
#include "cli/go_template.h"
#include "cli/units.h"
#include "archive/store_check.h"
#include "core/fs.h"
#include "runtime/container_lifecycle.h"
#include "builder/run_step.h"

namespace berth {
namespace {

// "SIZE (N%)" as Docker prints a reclaimable size: the share of `total` it is, when there is any.
std::string reclaimable(int64_t bytes, int64_t total) {
  std::string out = human_size(static_cast<double>(bytes), 4);
  if (total > 0) out += " (" + std::to_string(bytes * 100 / total) + "%)";
  return out;
}

std::string row(const std::string& type, int64_t total, int64_t active, int64_t size, const std::string& reclaim) {
  return type + "\t" + std::to_string(total) + "\t" + std::to_string(active) + "\t" +
         human_size(static_cast<double>(size), 4) + "\t" + reclaim;
}

// Docker's four rows. Images: those `images` lists, active when a container
// uses one; their size is every layer once, reclaimable what no container's
// image uses. Containers: active when running; size is their writable layers.
// Volumes: active when a container mounts one. Build cache: the step records
// and the RUN --mount=type=cache directories, all reclaimable (builder prune).
int run_df(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "system df");
  Store& store = ctx.store();
  std::vector<ContainerRecord> containers;
  for (const ContainerRecord& c : store.containers().all()) containers.push_back(refresh_container(store, c));

  std::set<Digest> used_images;
  std::set<std::string> used_volumes;
  for (const ContainerRecord& c : containers) {
    used_images.insert(c.image_id);
    for (const Json& m : c.config.value("HostConfig", Json::object()).value("Mounts", Json::array()))
      if (m.value("Type", "") == "volume") used_volumes.insert(m.value("Name", ""));
  }
  int64_t images = 0, active_images = 0, layers_size = 0, used_size = 0;
  for (const ImageRecord& img : store.images().list()) {
    bool intermediate = store.images().tags_of(img.id).empty() && store.images().repo_digests_of(img.id).empty() &&
                        !store.images().children_of(img.id).empty();
    if (!intermediate) ++images;
    if (used_images.contains(img.id)) ++active_images;
  }
  for (const LayerInfo& l : store.layers().all()) layers_size += l.size;
  std::set<Digest> used_layers;
  for (const Digest& id : used_images) {
    std::optional<ImageRecord> img = store.images().get(id);
    if (!img || !img->top_layer) continue;
    for (const LayerInfo& l : store.layers().stack(*img->top_layer))
      if (used_layers.insert(l.chain_id).second) used_size += l.size;
  }

  int64_t running = 0, containers_size = 0, stopped_size = 0;
  for (const ContainerRecord& c : containers) {
    int64_t bytes = bytes_below(store.layers().overlay_dir() / c.layer_id / "diff");
    containers_size += bytes;
    if (c.state == "running") ++running;
    else stopped_size += bytes;
  }

  int64_t volumes = 0, volumes_size = 0, unused_volumes_size = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(store.root() / "volumes", ec);
       !ec && it != std::filesystem::end(it); it.increment(ec)) {
    ++volumes;
    int64_t bytes = bytes_below(it->path() / "_data");
    volumes_size += bytes;
    if (!used_volumes.contains(it->path().filename().string())) unused_volumes_size += bytes;
  }

  int64_t cache_entries = store.images().cached_steps(), cache_size = 0;
  for (auto it = std::filesystem::directory_iterator(store.root() / "build-cache", ec);
       !ec && it != std::filesystem::end(it); it.increment(ec)) {
    ++cache_entries;
    cache_size += bytes_below(it->path());
  }

  std::vector<std::string> lines = {
      "TYPE\tTOTAL\tACTIVE\tSIZE\tRECLAIMABLE",
      row("Images", images, active_images, layers_size, reclaimable(layers_size - used_size, layers_size)),
      row("Containers", static_cast<int64_t>(containers.size()), running, containers_size,
          reclaimable(stopped_size, containers_size)),
      row("Local Volumes", volumes, static_cast<int64_t>(used_volumes.size()), volumes_size,
          reclaimable(unused_volumes_size, volumes_size)),
      row("Build Cache", cache_entries, 0, cache_size, human_size(static_cast<double>(cache_size), 4))};
  std::cout << tabwrite(lines);
  return 0;
}

int run_check(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "system check");
  Store& store = ctx.store(Store::Lock::kExclusive);
  // RUN steps of a killed build first: their processes keep their roots busy.
  std::vector<std::string> steps = remove_leftover_build_steps(store);
  CheckReport r = check_store(store);
  for (const std::string& id : steps) std::cout << "repaired: removed leftover build step " << id << "\n";
  for (const std::string& line : r.repaired) std::cout << "repaired: " << line << "\n";
  for (const std::string& line : r.problems) std::cout << "problem: " << line << "\n";
  std::cout << r.images << " images, " << r.layers << " layers, " << r.blobs << " blobs checked: "
            << (r.problems.empty() ? "store is consistent" : std::to_string(r.problems.size()) + " problems") << "\n";
  return r.problems.empty() ? 0 : 1;
}

}  // namespace

const Command kSystemDfCommand = {"system df", "berth system df", "Show berth disk usage", {}, run_df};
const Command kSystemCheckCommand = {"system check", "berth system check",
                                     "Verify the store and remove what interrupted commands left", {}, run_check};

}  // namespace berth
