#include "image/image_importer.h"

#include <fcntl.h>

#include "image/layer_apply.h"
#include "dockerfile/config_changes.h"
#include "core/error.h"
#include "core/timestamp.h"

namespace berth {
Digest import_image(Store& store, ByteReader& in, const ImportOptions& options) {
  // Validate everything the user typed before reading a byte.
  Json config = Json::object();
  for (const std::string& change : options.changes) apply_config_change(config, change);
  std::string os = "linux", arch = "amd64", variant;
  if (!options.platform.empty()) {
    std::string p = options.platform;
    size_t a = p.find('/');
    if (a == std::string::npos) throw Error("invalid platform \"" + p + "\": expected OS/ARCH[/VARIANT]");
    os = p.substr(0, a);
    arch = p.substr(a + 1);
    size_t v = arch.find('/');
    if (v != std::string::npos) {
      variant = arch.substr(v + 1);
      arch = arch.substr(0, v);
    }
    if (os.empty() || arch.empty()) throw Error("invalid platform \"" + p + "\"");
  }

  StagingDir staging = store.make_staging_dir("import");
  std::filesystem::path layer_dir = staging.path() / "layer";
  std::filesystem::create_directory(layer_dir);
  AppliedLayer applied;
  std::optional<StagedBlob> blob;
  {
    BlobWriter keep(staging.path() / "blob", 0644);
    BlobTeeReader tee(in, keep);
    applied = apply_layer(tee, layer_dir, "import " + options.source, LayerHashing::kBlobByStore);
    blob = keep.finish();
  }
  take_blob_digest(applied, *blob);

  // docker import streams files to the daemon as "-", so that is what it records.
  std::string message = options.message.empty() ? "Imported from -" : options.message;
  std::string created = rfc3339_nano(now_unix_nanos());
  Json doc = Json::object();
  doc["architecture"] = arch;
  doc["comment"] = message;
  doc["config"] = config;
  doc["created"] = created;
  doc["history"] = Json::array({{{"created", created}, {"comment", message}}});
  doc["os"] = os;
  doc["rootfs"] = {{"type", "layers"}, {"diff_ids", Json::array({applied.diff_id.str()})}};
  if (!variant.empty()) doc["variant"] = variant;

  StagedLayer layer = stage_applied_layer(layer_dir, applied.diff_id, std::nullopt, applied, blob);
  // Not kept (diff/ + tar-split suffice): drop the copy before the sync, so it
  // never reaches the disk.
  if (!layer.info.blob) std::filesystem::remove(blob->file());

  return register_layer_image(store, staging, layer, doc.dump(), options.tag);
}

}  // namespace berth
