// libcurl, loaded when the first registry command needs it. Linking it would
// load its ~30 shared dependencies (GnuTLS, Kerberos, LDAP, ...) into every
// berth process: measured +3.3 ms on each start, which `images` and `inspect`
// would pay for nothing. So the few entry points berth uses are looked up
// once with dlopen, and everything else in berth links as before.
#pragma once

#include <curl/curl.h>

namespace berth {

struct CurlLibrary {
  CURLcode (*global_init)(long flags);
  CURL* (*easy_init)();
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_perform)(CURL*);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  void (*easy_reset)(CURL*);
  void (*easy_cleanup)(CURL*);
  const char* (*easy_strerror)(CURLcode);
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);

  // The library, loaded and initialised on first use; throws Error when
  // libcurl is not installed.
  static const CurlLibrary& get();
};

}  // namespace berth
