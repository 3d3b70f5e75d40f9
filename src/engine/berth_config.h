// berth's own settings file: /etc/berth/config.json, or the file
// $BERTH_CONFIG names (tests). Keys as Docker's daemon.json where Docker has
// one: "insecure-registries"; berth's own: "sync" ("full" | "normal", the
// default of --sync: core/durability.h).
#pragma once

#include "core/durability.h"
#include "core/image_config.h"

namespace berth {

// The file's object; {} when there is no file. Throws Error when it is not a JSON object.
Json read_berth_config();

// --sync's default: the file's "sync", else normal.
SyncMode configured_sync_mode();

}  // namespace berth
