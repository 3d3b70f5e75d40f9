#include "runtime/container_rootfs.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "core/error.h"
#include "core/fs.h"

namespace berth {
namespace {

std::filesystem::path layer_dir(Store& store, const std::string& layer_id) {
  return store.layers().overlay_dir() / layer_id;
}

void make_dir(const std::filesystem::path& p, mode_t mode) {
  if (::mkdir(p.c_str(), mode) != 0 && errno != EEXIST) throw_errno("create " + p.string());
}

// Gives a layer directory its short name: the link file and l/<name> -> ../<id>/diff.
std::string link_layer(Store& store, const std::string& id) {
  std::string link = random_link_id();
  write_file_atomic(layer_dir(store, id) / "link", link);
  std::filesystem::path l = store.layers().overlay_dir() / "l" / link;
  if (::symlink(("../" + id + "/diff").c_str(), l.c_str()) != 0) throw_errno("link layer " + id);
  return link;
}

void remove_layer_dir(Store& store, const std::string& id) {
  std::filesystem::path dir = layer_dir(store, id);
  std::error_code ec;
  if (std::filesystem::exists(dir / "link", ec)) {
    std::string link = read_file(dir / "link");
    std::filesystem::remove(store.layers().overlay_dir() / "l" / link, ec);
  }
  if (std::filesystem::exists(dir, ec)) remove_tree(dir);
}

// Docker's "-init" layer: the mount points the runtime needs, made in a layer
// of their own between the image and the container, so that they never show
// up among the container's changes (commit, export).
std::string create_init_layer(Store& store, const std::string& id, bool init_process) {
  std::filesystem::path diff = layer_dir(store, init_layer_id(id)) / "diff";
  make_dir(diff.parent_path(), 0710);
  make_dir(diff, 0755);
  for (const char* d : {"dev", "dev/pts", "dev/shm", "proc", "sys", "etc"}) make_dir(diff / d, 0755);
  for (const char* f : {"dev/console", "etc/hosts", "etc/hostname", "etc/resolv.conf"})
    UniqueFd(open_or_throw(diff / f, O_WRONLY | O_CREAT | O_CLOEXEC, 0755));
  if (::symlink("/proc/mounts", (diff / "etc/mtab").c_str()) != 0) throw_errno("create etc/mtab");
  if (init_process) {
    make_dir(diff / "sbin", 0755);
    UniqueFd(open_or_throw(diff / std::string(kInitProcessPath).substr(1), O_WRONLY | O_CREAT | O_CLOEXEC, 0755));
  }
  return link_layer(store, init_layer_id(id));
}

}  // namespace

std::string create_container_layer(Store& store, const std::optional<Digest>& top, bool init_process) {
  std::string id = random_hex(64);
  std::filesystem::path dir = layer_dir(store, id);
  make_dir(dir, 0710);
  for (const char* sub : {"diff", "work", "merged"}) make_dir(dir / sub, 0755);
  // The init layer, then the image's layers, nearest first.
  std::string lower = "l/" + create_init_layer(store, id, init_process);
  if (top) {
    std::optional<LayerInfo> l = store.layers().get(*top);
    if (!l) throw Error("layer " + top->str() + " is missing from the store");
    lower += ":l/" + l->link;
    if (std::string rest = store.layers().lower_of(*l); !rest.empty()) lower += ":" + rest;
  }
  write_file_atomic(dir / "lower", lower);
  link_layer(store, id);
  return id;
}

std::filesystem::path container_merged_dir(Store& store, const std::string& layer_id) {
  return layer_dir(store, layer_id) / "merged";
}

std::filesystem::path container_diff_dir(Store& store, const std::string& layer_id) {
  return layer_dir(store, layer_id) / "diff";
}

void mount_container_rootfs(Store& store, const std::string& layer_id) {
  std::filesystem::path dir = layer_dir(store, layer_id);
  std::string lower = read_file(dir / "lower");
  // Relative to overlay2/ (Docker's trick): short l/ names keep the options
  // under the one page the kernel accepts, however many layers there are.
  // Redirects and metadata-only copy-ups off, whatever the kernel's defaults:
  // the upper dir must hold every change in full, as a layer tar says it
  // (commit and build write it as one; a build step's upper dir becomes its layer).
  std::string options = "lowerdir=" + lower + ",upperdir=" + layer_id + "/diff,workdir=" + layer_id +
                        "/work,redirect_dir=off,metacopy=off";
  // On a thread with a working directory of its own (unshare(CLONE_FS)): the
  // process's stays put for the others (a build mounts from several threads).
  std::filesystem::path overlay = store.layers().overlay_dir();
  std::string merged = layer_id + "/merged";
  int err = 0;
  const char* failed = nullptr;
  std::thread([&] {
    if (::unshare(CLONE_FS) != 0) failed = "give the mounting thread its own directory";
    else if (::chdir(overlay.c_str()) != 0) failed = "enter the overlay directory";
    else if (::mount("overlay", merged.c_str(), "overlay", 0, options.c_str()) != 0) failed = "mount the container's root file system (overlay)";
    err = errno;
  }).join();
  errno = err;
  if (failed) throw_errno(failed);
}

void unmount_container_rootfs(Store& store, const std::string& layer_id) {
  std::filesystem::path merged = container_merged_dir(store, layer_id);
  if (::umount2(merged.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT)
    throw_errno("unmount " + merged.string());
}

void remove_container_layer(Store& store, const std::string& layer_id) {
  unmount_container_rootfs(store, layer_id);
  remove_layer_dir(store, layer_id);
  remove_layer_dir(store, init_layer_id(layer_id));
}

}  // namespace berth
