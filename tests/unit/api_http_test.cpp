// The Engine API's HTTP layer: requests read from a socket with their bounds,
// and the router's version prefixes and moby's error bodies.
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <thread>

#include "api/api_router.h"
#include "api/http_message.h"
#include "core/fs.h"

namespace berth {
namespace {

// A connection whose peer sends `bytes` and then closes.
struct Peer {
  UniqueFd ours, theirs;
  explicit Peer(const std::string& bytes) {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    ours = UniqueFd(fds[0]);
    theirs = UniqueFd(fds[1]);
    // The reader may give up early (that is the point of some tests): the
    // writer then stops at EPIPE, without a signal.
    std::thread([fd = theirs.release(), bytes] {
      for (size_t sent = 0; sent < bytes.size();) {
        ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<size_t>(n);
      }
      ::close(fd);
    }).detach();
  }
};

TEST(RequestReader, ReadsPipelinedRequestsWithHeadersQueryAndBodies) {
  Peer p("GET /v1.41/containers/json?all=1&filters=%7B%22a%22%3A1%7D&x=a+b HTTP/1.1\r\nHost: d\r\nX-A: 1\r\nx-a: 2\r\n\r\n"
         "POST /build HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
         "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n");
  RequestReader reader(p.ours.get(), 1 << 20);
  auto a = reader.next();
  ASSERT_TRUE(a);
  reader.read_body(*a);
  EXPECT_EQ(a->method, "GET");
  EXPECT_EQ(a->path, "/v1.41/containers/json");
  EXPECT_EQ(a->param("all"), "1");
  EXPECT_EQ(a->param("filters"), "{\"a\":1}");
  EXPECT_EQ(a->param("x"), "a b");
  EXPECT_EQ(a->param("missing"), std::nullopt);
  EXPECT_EQ(a->header("x-a"), "1, 2");
  EXPECT_TRUE(a->keep_alive);
  auto b = reader.next();
  ASSERT_TRUE(b);
  reader.read_body(*b);
  EXPECT_EQ(b->body, "hello");
  auto c = reader.next();
  ASSERT_TRUE(c);
  reader.read_body(*c);
  EXPECT_EQ(c->body, "abcde");
  EXPECT_FALSE(c->keep_alive);
  EXPECT_FALSE(reader.next());
}

int status_of_reading(const std::string& bytes, size_t max_body = 1 << 20) {
  Peer p(bytes);
  RequestReader reader(p.ours.get(), max_body);
  try {
    if (auto r = reader.next()) reader.read_body(*r);
  } catch (const RequestError& e) {
    return e.status();
  }
  return 0;
}

TEST(RequestReader, RefusesWhatItCannotCarry) {
  EXPECT_EQ(status_of_reading("GET / HTTP/1.1\r\nX: " + std::string(kMaxHeaderBytes + 10, 'a') + "\r\n\r\n"), 431);
  EXPECT_EQ(status_of_reading("GET / HTTP/1.1\r\nX: " + std::string(kMaxHeaderBytes + 10, 'a')), 431);  // no newline ever
  EXPECT_EQ(status_of_reading("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort"), 400);
  EXPECT_EQ(status_of_reading("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789", 4), 413);
  EXPECT_EQ(status_of_reading("POST / HTTP/1.1\r\nContent-Length: ten\r\n\r\n"), 400);
  EXPECT_EQ(status_of_reading("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), 400);
  EXPECT_EQ(status_of_reading("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n", 8), 413);
  EXPECT_EQ(status_of_reading("GET / SPDY/3\r\n\r\n"), 505);
  EXPECT_EQ(status_of_reading("GARBAGE\r\n\r\n"), 400);
  EXPECT_EQ(status_of_reading("GET / HTTP/1.1\r\nno colon\r\n\r\n"), 400);
  EXPECT_EQ(status_of_reading("GET / HTTP/1.1\r\nHost: d\r\n"), 400);  // closed inside the headers
}

std::string chunked(const std::string& body, size_t piece) {
  std::string out;
  char size[24];
  for (size_t at = 0; at < body.size(); at += piece) {
    std::string part = body.substr(at, piece);
    std::snprintf(size, sizeof size, "%zx\r\n", part.size());
    out += size + part + "\r\n";
  }
  return out + "0\r\n\r\n";
}

std::string read_stream(ByteReader& in) {
  std::string out;
  char buf[1000];  // smaller than a chunk: a read ends inside one
  while (size_t n = in.read(buf, sizeof buf)) out.append(buf, n);
  return out;
}

// A body larger than the bound for whole bodies is read as a stream, by length
// or chunked, and the next pipelined request follows it.
TEST(RequestReader, StreamsBodiesPastTheBoundAndKeepsThePipeline) {
  std::string big(300000, 'x');
  for (size_t i = 0; i < big.size(); i += 7) big[i] = static_cast<char>('a' + i % 26);
  Peer p("POST /build HTTP/1.1\r\nContent-Length: " + std::to_string(big.size()) + "\r\n\r\n" + big +
         "POST /images/load HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(big, 4099) +
         "GET /_ping HTTP/1.1\r\n\r\n");
  RequestReader reader(p.ours.get(), 1024);
  auto a = reader.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(read_stream(reader.body()), big);
  EXPECT_TRUE(reader.finish_body());
  auto b = reader.next();
  ASSERT_TRUE(b);
  EXPECT_EQ(read_stream(reader.body()), big);
  auto c = reader.next();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->path, "/_ping");
}

// What a handler leaves unread is discarded up to 256 KiB (the connection goes
// on); more, and the connection must close.
TEST(RequestReader, FinishingABodyDiscardsALittleNotALot) {
  std::string small(1000, 's'), big(1 << 20, 'b');
  Peer p("POST /a HTTP/1.1\r\nContent-Length: 1000\r\n\r\n" + small + "GET /b HTTP/1.1\r\n\r\n" +
         "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(big, 65536));
  RequestReader reader(p.ours.get(), 1024);
  ASSERT_TRUE(reader.next());
  EXPECT_TRUE(reader.finish_body());
  auto b = reader.next();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->path, "/b");
  EXPECT_TRUE(reader.finish_body());  // no body
  ASSERT_TRUE(reader.next());
  EXPECT_FALSE(reader.finish_body());
}

// curl sends large uploads with "Expect: 100-continue" and waits for the 100:
// it goes out when the body is first read, and never for a body left unread.
TEST(RequestReader, AnswersExpectContinueWhenTheBodyIsRead) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  UniqueFd ours(fds[0]), theirs(fds[1]);
  std::string head = "POST /images/load HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n";
  ASSERT_EQ(::write(theirs.get(), head.data(), head.size()), static_cast<ssize_t>(head.size()));
  RequestReader reader(ours.get(), 1024);
  ASSERT_TRUE(reader.next());
  ASSERT_EQ(::write(theirs.get(), "body", 4), 4);
  char buf[8];
  EXPECT_EQ(reader.body().read(buf, sizeof buf), 4u);
  std::string answer(64, '\0');
  answer.resize(static_cast<size_t>(::read(theirs.get(), answer.data(), answer.size())));
  EXPECT_EQ(answer, "HTTP/1.1 100 Continue\r\n\r\n");

  ASSERT_EQ(::write(theirs.get(), head.data(), head.size()), static_cast<ssize_t>(head.size()));
  ASSERT_TRUE(reader.next());
  EXPECT_FALSE(reader.finish_body());  // unread and unsent: the connection closes
}

TEST(RequestReader, AStreamedBodyCutShortIsAnError) {
  Peer p("POST /build HTTP/1.1\r\nContent-Length: 100\r\n\r\nshort");
  RequestReader reader(p.ours.get(), 1024);
  ASSERT_TRUE(reader.next());
  try {
    read_stream(reader.body());
    FAIL() << "a body cut short was read as complete";
  } catch (const RequestError& e) {
    EXPECT_EQ(e.status(), 400);
  }
}

// Once a body failed to parse, nothing after it can be framed: the rest of
// the connection is never read as a body's end or as the next request.
TEST(RequestReader, ABodyThatFailedEndsTheConnection) {
  Peer p("POST /build HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n0\r\n\r\n"
         "GET /_ping HTTP/1.1\r\n\r\n");
  RequestReader reader(p.ours.get(), 1024);
  ASSERT_TRUE(reader.next());
  EXPECT_THROW(read_stream(reader.body()), RequestError);
  EXPECT_THROW(read_stream(reader.body()), RequestError);
  EXPECT_FALSE(reader.finish_body());
}

ReceivedRequest request(const std::string& method, const std::string& target) {
  ReceivedRequest r;
  r.method = method;
  r.target = r.path = target;
  return r;
}

TEST(ApiRouter, StripsVersionsCapturesNamesAndAnswersAsMoby) {
  ApiRouter router;
  router.add("GET", "/containers/{id}/json", [](const ApiRequest& r) {
    if (r.params.at("id") == "gone") throw not_found("No such container: gone");
    return json_response(200, "{\"Id\":\"" + r.params.at("id") + "\",\"V\":\"" + r.api_version + "\"}");
  });
  Reply ok = router.route(request("GET", "/v1.24/containers/abc/json"));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "{\"Id\":\"abc\",\"V\":\"1.24\"}\n");
  EXPECT_EQ(ok.headers.at("Api-Version"), kApiVersion);
  EXPECT_EQ(router.route(request("GET", "/containers/abc/json")).body, "{\"Id\":\"abc\",\"V\":\"1.41\"}\n");
  EXPECT_EQ(router.route(request("HEAD", "/v1.44/containers/abc/json")).status, 200);

  Reply missing = router.route(request("GET", "/v1.41/containers/gone/json"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.headers.at("Content-Type"), "application/json");
  EXPECT_EQ(missing.body, "{\"message\":\"No such container: gone\"}\n");
  EXPECT_EQ(router.route(request("GET", "/v1.41/nothing")).body, "{\"message\":\"page not found\"}\n");
  EXPECT_EQ(router.route(request("DELETE", "/containers/abc/json")).status, 405);
  EXPECT_EQ(router.route(request("GET", "/v1.12/containers/abc/json")).status, 400);
  EXPECT_EQ(router.route(request("GET", "/v1.45/containers/abc/json")).status, 400);
}

TEST(ApiRouter, AnImageNameTakesAsManySegmentsAsTheRouteLeaves) {
  ApiRouter router;
  router.add("GET", "/images/json", [](const ApiRequest&) { return json_response(200, std::string("list")); });
  router.add("GET", "/images/{name*}/json", [](const ApiRequest& r) { return json_response(200, r.params.at("name")); });
  router.add("DELETE", "/images/{name*}", [](const ApiRequest& r) { return json_response(200, r.params.at("name")); });
  EXPECT_EQ(router.route(request("GET", "/v1.41/images/json")).body, "list\n");
  EXPECT_EQ(router.route(request("GET", "/images/busybox:1/json")).body, "busybox:1\n");
  EXPECT_EQ(router.route(request("GET", "/images/127.0.0.1:5000/team/web:2/json")).body, "127.0.0.1:5000/team/web:2\n");
  EXPECT_EQ(router.route(request("DELETE", "/images/a/b/c")).body, "a/b/c\n");
}

TEST(ApiRouter, KnowsWhichRoutesStreamTheirBodies) {
  ApiRouter router;
  auto ok = [](const ApiRequest&) { return json_response(200, std::string("ok")); };
  router.add("POST", "/build", ok, RequestBody::streamed);
  router.add("POST", "/containers/{id}/start", ok);
  router.add("PUT", "/containers/{id}/archive", ok, RequestBody::streamed);
  EXPECT_TRUE(router.streams_body(request("POST", "/v1.41/build")));
  EXPECT_TRUE(router.streams_body(request("POST", "/build")));
  EXPECT_TRUE(router.streams_body(request("PUT", "/containers/c1/archive")));
  EXPECT_FALSE(router.streams_body(request("GET", "/containers/c1/archive")));
  EXPECT_FALSE(router.streams_body(request("POST", "/v1.41/containers/c1/start")));
  EXPECT_FALSE(router.streams_body(request("POST", "/nothing")));
}

TEST(JsonResponse, EscapesHtmlAsGoDoesAndReplacesInvalidUtf8) {
  Reply r = json_response(200, Json{{"Cmd", "a >&2 <b>"}, {"Bad", std::string("x\xff")}});
  EXPECT_EQ(r.body, "{\"Cmd\":\"a \\u003e\\u00262 \\u003cb\\u003e\",\"Bad\":\"x\xef\xbf\xbd\"}\n");
}

TEST(ResponseStream, WritesChunksAndEndsTheBody) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  UniqueFd ours(fds[0]), theirs(fds[1]);
  Reply r;
  r.stream = [](ResponseStream& out) {
    out.write("hello");
    out.write("");  // nothing: an empty chunk would end the body
    out.write(std::string(20, 'x'));
  };
  write_response(ours.get(), r);
  ours = UniqueFd();
  std::string got;
  char buf[4096];
  for (ssize_t n; (n = ::read(theirs.get(), buf, sizeof buf)) > 0;) got.append(buf, static_cast<size_t>(n));
  EXPECT_NE(got.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
  EXPECT_EQ(got.find("Content-Length"), std::string::npos);
  EXPECT_EQ(got.substr(got.find("\r\n\r\n") + 4), "5\r\nhello\r\n14\r\n" + std::string(20, 'x') + "\r\n0\r\n\r\n");
}

}  // namespace
}  // namespace berth
