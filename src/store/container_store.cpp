#include "store/container_store.h"

#include "core/error.h"

namespace berth {
namespace {

constexpr const char* kColumns =
    "id, name, image_id, image, layer_id, config, created, state, pid, monitor_pid, exit_code, started_at, finished_at, paused";

ContainerRecord read_row(const Statement& s) {
  ContainerRecord c;
  c.id = s.text(0);
  c.name = s.text(1);
  c.image_id = Digest::parse(s.text(2));
  c.image = s.text(3);
  c.layer_id = s.text(4);
  c.config = Json::parse(s.text(5));
  c.created = s.integer(6);
  c.state = s.text(7);
  c.pid = static_cast<int>(s.integer(8));
  c.monitor_pid = static_cast<int>(s.integer(9));
  c.exit_code = static_cast<int>(s.integer(10));
  c.started_at = s.integer(11);
  c.finished_at = s.integer(12);
  c.paused = s.integer(13) != 0;
  return c;
}

}  // namespace

void ContainerStore::check_name_free(const std::string& name) {
  if (name_taken(name))
    throw conflict("Conflict. The container name \"/" + name + "\" is already in use by container \"" + find(name).id +
                "\". You have to remove (or rename) that container to be able to reuse that name.");
}

void ContainerStore::rename(const std::string& id, const std::string& name) {
  Transaction tx(db_);
  check_name_free(name);
  db_.prepare("UPDATE containers SET name = ? WHERE id = ?").bind(1, name).bind(2, id).run();
  tx.commit();
}

void ContainerStore::add(const ContainerRecord& c) {
  check_name_free(c.name);
  db_.prepare(std::string("INSERT INTO containers(") + kColumns + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
      .bind(1, c.id)
      .bind(2, c.name)
      .bind(3, c.image_id.str())
      .bind(4, c.image)
      .bind(5, c.layer_id)
      .bind(6, c.config.dump())
      .bind(7, c.created)
      .bind(8, c.state)
      .bind(9, int64_t{c.pid})
      .bind(10, int64_t{c.monitor_pid})
      .bind(11, int64_t{c.exit_code})
      .bind(12, c.started_at)
      .bind(13, c.finished_at)
      .bind(14, int64_t{c.paused})
      .run();
}

std::optional<ContainerRecord> ContainerStore::get(const std::string& id) {
  Statement s = db_.prepare(std::string("SELECT ") + kColumns + " FROM containers WHERE id = ?");
  s.bind(1, id);
  if (!s.next()) return std::nullopt;
  return read_row(s);
}

std::vector<ContainerRecord> ContainerStore::all() {
  Statement s = db_.prepare(std::string("SELECT ") + kColumns + " FROM containers ORDER BY created DESC");
  std::vector<ContainerRecord> out;
  while (s.next()) out.push_back(read_row(s));
  return out;
}

ContainerRecord ContainerStore::find(const std::string& ref) {
  if (ref.empty()) throw not_found("No such container: " + ref);
  {
    Statement s = db_.prepare(std::string("SELECT ") + kColumns + " FROM containers WHERE name = ?");
    s.bind(1, ref.starts_with("/") ? ref.substr(1) : ref);
    if (s.next()) return read_row(s);
  }
  Statement s = db_.prepare(std::string("SELECT ") + kColumns + " FROM containers WHERE substr(id, 1, ?1) = ?2");
  s.bind(1, static_cast<int64_t>(ref.size())).bind(2, ref);
  std::vector<ContainerRecord> found;
  while (s.next()) found.push_back(read_row(s));
  if (found.size() > 1) throw Error("multiple containers found with provided prefix: " + ref);
  if (found.empty()) throw not_found("No such container: " + ref);
  return found[0];
}

bool ContainerStore::name_taken(const std::string& name) {
  return db_.prepare("SELECT 1 FROM containers WHERE name = ?").bind(1, name).next();
}

void ContainerStore::set_running(const std::string& id, int pid, int monitor_pid, int64_t started_at) {
  db_.prepare("UPDATE containers SET state = 'running', pid = ?1, monitor_pid = ?2, started_at = ?3, exit_code = 0, "
              "finished_at = 0, paused = 0 WHERE id = ?4")
      .bind(1, int64_t{pid})
      .bind(2, int64_t{monitor_pid})
      .bind(3, started_at)
      .bind(4, id)
      .run();
}

void ContainerStore::set_exited(const std::string& id, int exit_code, int64_t finished_at) {
  db_.prepare("UPDATE containers SET state = 'exited', exit_code = ?1, finished_at = ?2, pid = 0, monitor_pid = 0, "
              "paused = 0 WHERE id = ?3")
      .bind(1, int64_t{exit_code})
      .bind(2, finished_at)
      .bind(3, id)
      .run();
}

void ContainerStore::set_paused(const std::string& id, bool paused) {
  db_.prepare("UPDATE containers SET paused = ? WHERE id = ?").bind(1, int64_t{paused}).bind(2, id).run();
}

void ContainerStore::set_config(const std::string& id, const Json& config) {
  db_.prepare("UPDATE containers SET config = ? WHERE id = ?").bind(1, config.dump()).bind(2, id).run();
}

void ContainerStore::remove(const std::string& id) { db_.prepare("DELETE FROM containers WHERE id = ?").bind(1, id).run(); }

std::vector<ContainerRecord> ContainerStore::using_image(const Digest& image) {
  Statement s = db_.prepare(std::string("SELECT ") + kColumns + " FROM containers WHERE image_id = ? ORDER BY created");
  s.bind(1, image.str());
  std::vector<ContainerRecord> out;
  while (s.next()) out.push_back(read_row(s));
  return out;
}

}  // namespace berth
