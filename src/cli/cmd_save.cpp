// berth save [-o FILE] IMAGE...: to a file (written aside, then renamed into
// place, so a failed save never leaves half an archive), to a device or pipe
// as it is, or to stdout.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/image_saver.h"
#include "cli/command.h"
#include "core/error.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "save");
  Store& store = ctx.store();
  std::vector<SaveItem> items;
  for (const std::string& name : args.positional()) items.push_back(resolve_save_item(store, name));
  std::string output = args.value("output");
  if (output.empty() || output == "-") {
    if (::isatty(STDOUT_FILENO)) throw Error("cowardly refusing to save to a terminal. Use the -o flag or redirect");
    save_images(store, items, STDOUT_FILENO, "stdout");
    return 0;
  }
  std::filesystem::path target = std::filesystem::absolute(output);
  // A device or a pipe (-o /dev/null, -o >(…)) is written as it is: renaming
  // a file over it would replace /dev/null itself (Docker's CLI does just that).
  struct stat st;
  if (::stat(target.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) throw Error("open " + output + ": is a directory");
    UniqueFd fd = open_or_throw(target, O_WRONLY | O_CLOEXEC);
    save_images(store, items, fd.get(), output);
    return 0;
  }
  std::filesystem::path tmp = target;
  tmp += ".berth-" + random_hex(8);
  try {
    UniqueFd fd = open_or_throw(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
    save_images(store, items, fd.get(), output);
    // No fsync: like docker save, the archive is the user's file, not the store's;
    // the rename alone keeps a half-written archive from ever being seen.
    if (::rename(tmp.c_str(), target.c_str()) != 0) throw_errno("rename " + output);
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
  return 0;
}

}  // namespace

const Command kSaveCommand = {"save", "berth save [OPTIONS] IMAGE [IMAGE...]",
                              "Save one or more images to a tar archive (streamed to STDOUT by default)",
                              {{'o', "output", true}}, run};

}  // namespace berth
