#include "cli/image_rows.h"

#include "cli/units.h"

namespace berth {

ImageFacts image_facts(Store& store, const ImageRecord& record) {
  ImageFacts f;
  f.record = record;
  ImageConfig config = store.config_of(record.id);
  f.created = parse_rfc3339(config.str("created")).value_or(0);
  f.size = store.image_size(record);
  if (config.doc.contains("config") && config.doc["config"].is_object())
    f.labels = config.doc["config"].value("Labels", Json());
  return f;
}

}  // namespace berth
