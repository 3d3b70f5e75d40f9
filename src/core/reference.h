// Image references ("nginx", "localhost:5000/a/b:tag", "name@sha256:…") parsed
// and normalised exactly as Docker's distribution/reference package does, so
// that a name means in berth what it means to `docker`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace berth {

// Why a reference was refused; mirrors distribution/reference's error values.
enum class ReferenceError {
  kNone,
  kInvalidFormat,          // "invalid reference format"
  kNameEmpty,              // "repository name must have at least one component"
  kNameTooLong,            // "repository name must not be more than 255 characters"
  kNameContainsUppercase,  // "repository name must be lowercase"
  kDigestInvalidFormat,
  kDigestInvalidLength,
  kDigestUnsupported,
  kOther,                  // normalisation refusals (64-hex names, uppercase paths)
};

struct Reference {
  std::string domain;  // "" when the reference names none (only before normalisation)
  std::string path;    // "library/nginx"
  std::string tag;     // "" when absent
  std::string digest;  // "sha256:…", "" when absent

  bool has_name() const { return !path.empty(); }
  std::string name() const { return domain.empty() ? path : domain + "/" + path; }
  std::string str() const;           // full form: docker.io/library/nginx:latest
  std::string familiar_name() const; // nginx, localhost:5000/a/b
  std::string familiar_str() const;  // familiar_name()[:tag][@digest]
};

struct ReferenceResult {
  std::optional<Reference> ref;
  ReferenceError error = ReferenceError::kNone;
  std::string message;  // one-line, user-facing, when !ref
};

// reference.Parse: the grammar only, no normalisation.
ReferenceResult parse_reference(std::string_view text);
// reference.ParseNormalizedNamed: adds docker.io and library/.
ReferenceResult parse_normalized_named(std::string_view text);
// reference.ParseDockerRef: normalised, ":latest" when untagged, tag dropped when digested.
ReferenceResult parse_docker_ref(std::string_view text);
// reference.ParseAnyReference: also accepts a bare digest or 64-hex ID (path stays empty).
ReferenceResult parse_any_reference(std::string_view text);

// Throwing conveniences for the CLI: Error("invalid reference format: …").
Reference parse_docker_ref_or_throw(std::string_view text);
Reference parse_normalized_named_or_throw(std::string_view text);

}  // namespace berth
