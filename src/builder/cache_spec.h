// `build --cache-to` and `--cache-from`: where a build cache shared between
// machines is written and read (BuildKit's flags and their syntax):
//   type=registry,ref=REF[,mode=min|max][,ignore-error=true|false]
//   type=local,dest=DIR (export) | type=local,src=DIR (import)
//   type=inline (the description travels in the built image's config)
// A value without "type=" names an image (Docker's classic --cache-from, and
// BuildKit's: that image's inline cache).
#pragma once

#include <optional>
#include <string>

#include "core/digest.h"

namespace berth {

struct CacheSpec {
  enum class Type { kRegistry, kLocal, kInline, kImage };
  Type type = Type::kImage;
  std::string ref;        // registry: the cache manifest's name; image: the image
  std::optional<Digest> image;  // image: the image once the command has it (pulled when missing)
  std::string directory;  // local: dest (export) or src (import)
  // mode=max: every stage's steps; min (the default, as BuildKit's): those
  // the final image is made of.
  bool every_stage = false;
  // An export that fails is a warning unless ignore-error=false (BuildKit
  // fails the build by default; a cache is an optimisation, so berth warns).
  bool ignore_error = true;
  std::string text;  // as given, for messages
};

enum class CacheDirection { kExport, kImport };

// Throws Error (one line, naming the value) for an unknown type or key, a
// missing ref/dest/src, or a type the direction cannot have.
CacheSpec parse_cache_spec(const std::string& text, CacheDirection direction);

}  // namespace berth
