#include "registry/curl_library.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "core/error.h"

namespace berth {
namespace {

template <typename Fn>
void bind(void* lib, const char* name, Fn* fn) {
  void* sym = ::dlsym(lib, name);
  if (!sym) throw Error(std::string("libcurl lacks ") + name + ": install Debian's libcurl4");
  *fn = reinterpret_cast<Fn>(sym);
}

CurlLibrary load() {
  void* lib = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (!lib) throw Error(std::string("cannot load libcurl (install Debian's libcurl4): ") + ::dlerror());
  CurlLibrary c{};
  bind(lib, "curl_global_init", &c.global_init);
  bind(lib, "curl_easy_init", &c.easy_init);
  bind(lib, "curl_easy_setopt", &c.easy_setopt);
  bind(lib, "curl_easy_perform", &c.easy_perform);
  bind(lib, "curl_easy_getinfo", &c.easy_getinfo);
  bind(lib, "curl_easy_reset", &c.easy_reset);
  bind(lib, "curl_easy_cleanup", &c.easy_cleanup);
  bind(lib, "curl_easy_strerror", &c.easy_strerror);
  bind(lib, "curl_slist_append", &c.slist_append);
  bind(lib, "curl_slist_free_all", &c.slist_free_all);
  if (c.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw Error("libcurl failed to initialise");
  return c;  // the library stays loaded for the life of the process
}

}  // namespace

const CurlLibrary& CurlLibrary::get() {
  static const CurlLibrary lib = load();  // thread-safe, once
  return lib;
}

}  // namespace berth
