// Registry failures carry a kind a front end can map (404 not found, 401
// unauthorized, 403 denied, 5xx/429/transport unavailable, bad content
// invalid), and keep Docker's wording in their messages.
#include <gtest/gtest.h>

#include "registry/http_client.h"
#include "registry/registry_error.h"

namespace {

using berth::ErrorKind;
using berth::HttpResponse;

HttpResponse response(long status, std::string body = "") {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

TEST(RegistryErrorKind, ByStatus) {
  EXPECT_EQ(berth::error_kind_for_status(404), ErrorKind::not_found);
  EXPECT_EQ(berth::error_kind_for_status(401), ErrorKind::unauthorized);
  EXPECT_EQ(berth::error_kind_for_status(403), ErrorKind::permission);
  EXPECT_EQ(berth::error_kind_for_status(429), ErrorKind::unavailable);
  EXPECT_EQ(berth::error_kind_for_status(500), ErrorKind::unavailable);
  EXPECT_EQ(berth::error_kind_for_status(503), ErrorKind::unavailable);
  EXPECT_EQ(berth::error_kind_for_status(400), ErrorKind::failed);
  EXPECT_EQ(berth::error_kind_for_status(409), ErrorKind::failed);
}

TEST(RegistryErrorKind, ByErrorCode) {
  for (const char* c : {"MANIFEST_UNKNOWN", "BLOB_UNKNOWN", "NAME_UNKNOWN"})
    EXPECT_EQ(berth::error_kind_for_code(c), ErrorKind::not_found) << c;
  EXPECT_EQ(berth::error_kind_for_code("DENIED"), ErrorKind::permission);
  EXPECT_EQ(berth::error_kind_for_code("UNAUTHORIZED"), ErrorKind::unauthorized);
  EXPECT_EQ(berth::error_kind_for_code("TOOMANYREQUESTS"), ErrorKind::unavailable);
  EXPECT_EQ(berth::error_kind_for_code("MANIFEST_INVALID"), ErrorKind::invalid_argument);
  EXPECT_EQ(berth::error_kind_for_code("DIGEST_INVALID"), ErrorKind::invalid_argument);
  EXPECT_EQ(berth::error_kind_for_code("SOMETHING_NEW"), ErrorKind::failed);
}

TEST(RegistryErrorKind, TheBodysCodeBeforeTheStatus) {
  // A registry's error code says more than its status.
  EXPECT_EQ(berth::error_kind_of(response(400, R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"m"}]})")),
            ErrorKind::not_found);
  EXPECT_EQ(berth::error_kind_of(response(401, R"({"errors":[{"code":"DENIED","message":"m"}]})")),
            ErrorKind::permission);
  // Unknown or malformed codes: the status decides.
  EXPECT_EQ(berth::error_kind_of(response(404, R"({"errors":[{"code":"ODD","message":"m"}]})")),
            ErrorKind::not_found);
  EXPECT_EQ(berth::error_kind_of(response(503, R"({"errors":[{"code":5}]})")), ErrorKind::unavailable);
  EXPECT_EQ(berth::error_kind_of(response(403, "<html>denied</html>")), ErrorKind::permission);
}

TEST(RegistryError, KeepsItsStatusAndTakesItsKindFromIt) {
  berth::RegistryError e(404, "manifest for x not found: not found");
  EXPECT_EQ(e.status, 404);
  EXPECT_EQ(e.kind(), ErrorKind::not_found);
  EXPECT_STREQ(e.what(), "manifest for x not found: not found");
  berth::RegistryError f(403, "x: unauthorized: incorrect username or password", ErrorKind::unauthorized);
  EXPECT_EQ(f.status, 403);
  EXPECT_EQ(f.kind(), ErrorKind::unauthorized);
}

TEST(RegistryError, DockersWordsFromTheBodyOrTheStatus) {
  EXPECT_EQ(berth::describe_errors(
                response(404, R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]})")),
            "manifest unknown: manifest unknown");
  EXPECT_EQ(berth::describe_errors(response(
                400, R"({"errors":[{"code":"NAME_INVALID","message":"a"},{"code":"TAG_INVALID","message":"b"}]})")),
            "name invalid: a, tag invalid: b");
  EXPECT_EQ(berth::describe_errors(response(401)), "unauthorized: authentication required");
  EXPECT_EQ(berth::describe_errors(response(403)), "denied: requested access to the resource is denied");
  EXPECT_EQ(berth::describe_errors(response(404)), "not found");
  EXPECT_EQ(berth::describe_errors(response(502, "Bad Gateway")), "HTTP status 502");
}

TEST(RegistryError, ThrownWithWhatAndTheResponsesKind) {
  try {
    berth::throw_registry_error(response(404, R"({"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]})"),
                                "blob sha256:ab not found in r/x");
  } catch (const berth::RegistryError& e) {
    EXPECT_STREQ(e.what(), "blob sha256:ab not found in r/x: blob unknown: blob unknown");
    EXPECT_EQ(e.status, 404);
    EXPECT_EQ(e.kind(), ErrorKind::not_found);
    return;
  }
  FAIL() << "nothing thrown";
}

TEST(RegistryError, DroppedConnectionsAreUnavailable) {
  berth::TransportError e("GET https://r/v2/: Couldn't connect to server");
  EXPECT_EQ(e.kind(), ErrorKind::unavailable);
}

TEST(RegistryError, BadServedContentIsInvalid) {
  try {
    berth::parse_served([]() -> int { throw berth::Error("manifest for r/x:1: not a JSON object"); });
    FAIL() << "nothing thrown";
  } catch (const berth::Error& e) {
    EXPECT_STREQ(e.what(), "manifest for r/x:1: not a JSON object");
    EXPECT_EQ(e.kind(), ErrorKind::invalid_argument);
  }
  try {  // a kind already given stays
    berth::parse_served([]() -> int { throw berth::not_found("gone"); });
  } catch (const berth::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::not_found);
  }
  EXPECT_EQ(berth::parse_served([] { return 7; }), 7);
}

}  // namespace
