// Reading Engine API requests as moby does: query booleans and filters in
// both spellings, and a /containers/create body as the CLI's create options.
#include <gtest/gtest.h>

#include "api/api_params.h"
#include "api/body_members.h"
#include "api/container_config.h"

namespace berth {
namespace {

ReceivedRequest with_query(std::multimap<std::string, std::string> query) {
  ReceivedRequest r;
  r.method = "GET";
  r.path = "/containers/json";
  r.query = std::move(query);
  return r;
}

TEST(ApiParams, BooleansAndIntegersAsMobyReadsThem) {
  ReceivedRequest http = with_query({{"a", "1"}, {"b", "false"}, {"c", ""}, {"d", "none"}, {"e", "yes"}, {"n", "12"}, {"x", "1x"}});
  ApiRequest r{http, "1.41", {}};
  EXPECT_TRUE(query_bool(r, "a"));
  EXPECT_FALSE(query_bool(r, "b"));
  EXPECT_FALSE(query_bool(r, "c"));
  EXPECT_FALSE(query_bool(r, "d"));
  EXPECT_TRUE(query_bool(r, "e"));
  EXPECT_TRUE(query_bool(r, "missing", true));
  EXPECT_EQ(query_int(r, "n", 0), 12);
  EXPECT_EQ(query_int(r, "missing", 7), 7);
  EXPECT_THROW(query_int(r, "x", 0), Error);
}

TEST(ApiParams, FiltersInBothSpellingsBecomeCliSpecs) {
  ReceivedRequest map_form = with_query({{"filters", R"({"status":{"exited":true,"dead":false},"label":{"a=b":true}})"}});
  EXPECT_EQ(filter_specs(ApiRequest{map_form, "1.41", {}}), (std::vector<std::string>{"label=a=b", "status=exited"}));
  ReceivedRequest list_form = with_query({{"filters", R"({"name":["web","db"]})"}});
  EXPECT_EQ(filter_specs(ApiRequest{list_form, "1.41", {}}), (std::vector<std::string>{"name=web", "name=db"}));  // a list keeps its order
  ReceivedRequest bad = with_query({{"filters", "[1]"}});
  EXPECT_THROW(filter_specs(ApiRequest{bad, "1.41", {}}), Error);
  EXPECT_TRUE(filter_specs(ApiRequest{with_query({}), "1.41", {}}).empty());
}

TEST(ContainerOptionsFromRequest, TheDockerCliCreateBody) {
  // What `docker run -d --name /web -e A=1 -p 127.0.0.1::80 -v /data -v v1:/v --tmpfs /t:size=1m
  // --network net --network-alias www --entrypoint sh web:1 -c 'echo hi'` sends.
  Json body = Json::parse(R"({
    "Image": "web:1", "Env": ["A=1"], "Cmd": ["-c", "echo hi"], "Entrypoint": ["sh"], "User": "", "Tty": false,
    "Labels": {"k": "v"}, "Volumes": {"/data": {}, "/v": {}},
    "HostConfig": {"Binds": ["v1:/v"], "NetworkMode": "net", "PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}]},
                   "Tmpfs": {"/t": "size=1m"}, "AutoRemove": true, "PidsLimit": null, "Init": null},
    "NetworkingConfig": {"EndpointsConfig": {"net": {"Aliases": ["www"], "IPAMConfig": {"IPv4Address": "10.9.0.5"}}}}
  })");
  ContainerOptions o = container_options_from_request(body, "/web");
  EXPECT_EQ(o.image, "web:1");
  EXPECT_EQ(o.name, "web");
  EXPECT_EQ(o.entrypoint, std::vector<std::string>{"sh"});
  EXPECT_EQ(o.args, (std::vector<std::string>{"-c", "echo hi"}));
  EXPECT_EQ(o.env, std::vector<std::string>{"A=1"});
  EXPECT_FALSE(o.user);  // "" is the image's user
  EXPECT_EQ(o.labels, std::vector<std::string>{"k=v"});
  EXPECT_EQ(o.network, "net");
  EXPECT_EQ(o.network_aliases, std::vector<std::string>{"www"});
  EXPECT_EQ(o.ip, "10.9.0.5");
  EXPECT_TRUE(o.auto_remove);
  EXPECT_EQ(o.pids_limit, 0);
  // An empty HostPort is chosen now, as -p 80 is.
  const Json& binding = o.port_bindings["80/tcp"][0];
  EXPECT_EQ(binding["HostIp"], "127.0.0.1");
  EXPECT_NE(binding["HostPort"], "");
  // The bind, the tmpfs, and /data from Config.Volumes; /v is the bind's, not a second mount.
  ASSERT_EQ(o.mounts.size(), 3u);
  EXPECT_EQ(o.mounts[0]["Target"], "/v");
  EXPECT_EQ(o.mounts[0]["Type"], "volume");
  EXPECT_EQ(o.mounts[1]["Target"], "/t");
  EXPECT_EQ(o.mounts[1]["Type"], "tmpfs");
  EXPECT_EQ(o.mounts[2]["Target"], "/data");
}

TEST(ContainerOptionsFromRequest, RefusesWhatIsNotAContainerConfig) {
  EXPECT_THROW(container_options_from_request(Json::object(), ""), Error);
  EXPECT_THROW(container_options_from_request(Json{{"Image", "x"}, {"Cmd", 5}}, ""), Error);
  EXPECT_THROW(container_options_from_request(Json{{"Image", "x"}, {"HostConfig", "no"}}, ""), Error);
  EXPECT_THROW(container_options_from_request(Json{{"Image", "x"}, {"HostConfig", {{"Memory", "1g"}}}}, ""), Error);
  // A string Cmd is one argument, as moby's StrSlice takes it.
  EXPECT_EQ(container_options_from_request(Json{{"Image", "x"}, {"Cmd", "true"}}, "").args, std::vector<std::string>{"true"});
}

// As Go's json.Unmarshal into moby's structs: a wrong type is an error naming
// the member; absent and null are the zero value.
TEST(BodyMembers, WrongTypesAreRefusedAbsentAndNullAreZero) {
  Json body = Json::parse(R"({"S": "x", "N": null, "I": 3, "B": true, "L": ["a"], "M": {"k": "v"}, "Bad": {"k": 1}})");
  EXPECT_EQ(body_string(body, "S"), "x");
  EXPECT_EQ(body_string(body, "N", "d"), "d");
  EXPECT_EQ(body_int(body, "I"), 3);
  EXPECT_TRUE(body_bool(body, "B"));
  EXPECT_FALSE(body_bool(body, "Absent"));
  EXPECT_EQ(body_strings(body, "L"), std::vector<std::string>{"a"});
  EXPECT_EQ(body_strings(body, "S", /*or_string=*/true), std::vector<std::string>{"x"});
  EXPECT_TRUE(body_object(body, "N").empty());
  EXPECT_TRUE(body_array(body, "Absent").empty());
  EXPECT_EQ(body_string_map(body, "M")["k"], "v");
  auto message = [](auto read) {
    try {
      read();
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::invalid_argument);
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message([&] { body_string(body, "I"); }), "I must be a string");
  EXPECT_EQ(message([&] { body_int(body, "S"); }), "S must be an integer");
  EXPECT_EQ(message([&] { body_bool(body, "S"); }), "S must be a boolean");
  EXPECT_EQ(message([&] { body_strings(body, "S"); }), "S must be a list of strings");
  EXPECT_EQ(message([&] { body_object(body, "L"); }), "L must be an object");
  EXPECT_EQ(message([&] { body_array(body, "M"); }), "M must be a list");
  EXPECT_EQ(message([&] { body_string_map(body, "Bad"); }), "Bad.k must be a string");
}

}  // namespace
}  // namespace berth
