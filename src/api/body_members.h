// Members of an Engine API request body, read the way moby's handlers read
// them: Go's json.Unmarshal into typed structs, where a member of the wrong
// type fails the request. So here a wrong type is a 400 that names the
// member, never a value silently dropped (a network created without the
// labels or subnet the client sent). Absent and null mean Go's zero value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/image_config.h"  // Json

namespace berth {

// An object (a struct in moby); absent or null → an empty object.
const Json& body_object(const Json& parent, const char* key);

// A list of anything (a slice of structs); absent or null → an empty list.
const Json& body_array(const Json& parent, const char* key);

// map[string]string: Labels, Options, DriverOpts.
const Json& body_string_map(const Json& parent, const char* key);

// []string. With `or_string`, moby's strslice.StrSlice, which takes one
// string as a list of one (Cmd, Entrypoint, CapAdd, CapDrop).
std::vector<std::string> body_strings(const Json& parent, const char* key, bool or_string = false);

std::string body_string(const Json& parent, const char* key, const std::string& fallback = "");
bool body_bool(const Json& parent, const char* key);
int64_t body_int(const Json& parent, const char* key);

}  // namespace berth
