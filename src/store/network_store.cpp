#include "store/network_store.h"

#include "core/error.h"

namespace berth {
namespace {

constexpr const char* kNetworkColumns = "id, name, driver, created, config";
constexpr const char* kEndpointColumns =
    "network_id, container_id, endpoint_id, aliases, requested_ip, coalesce(ip, ''), mac, attached";

NetworkRecord read_network(const Statement& s) {
  return NetworkRecord{s.text(0), s.text(1), s.text(2), s.integer(3), Json::parse(s.text(4))};
}

std::vector<std::string> string_list(const std::string& json) {
  std::vector<std::string> out;
  for (const Json& v : Json::parse(json)) out.push_back(v.get<std::string>());
  return out;
}

EndpointRecord read_endpoint(const Statement& s) {
  EndpointRecord e;
  e.network_id = s.text(0);
  e.container_id = s.text(1);
  e.endpoint_id = s.text(2);
  e.aliases = string_list(s.text(3));
  e.requested_ip = s.text(4);
  e.ip = s.text(5);
  e.mac = s.text(6);
  e.attached = s.integer(7);
  return e;
}

std::vector<EndpointRecord> endpoints_where(Database& db, const std::string& column, const std::string& value) {
  Statement s = db.prepare(std::string("SELECT ") + kEndpointColumns + " FROM endpoints WHERE " + column +
                           " = ? ORDER BY attached, network_id");
  s.bind(1, value);
  std::vector<EndpointRecord> out;
  while (s.next()) out.push_back(read_endpoint(s));
  return out;
}

}  // namespace

void NetworkStore::add(const NetworkRecord& n) {
  if (db_.prepare("SELECT 1 FROM networks WHERE name = ?").bind(1, n.name).next())
    throw conflict("network with name " + n.name + " already exists");
  db_.prepare(std::string("INSERT INTO networks(") + kNetworkColumns + ") VALUES (?,?,?,?,?)")
      .bind(1, n.id)
      .bind(2, n.name)
      .bind(3, n.driver)
      .bind(4, n.created)
      .bind(5, n.config.dump())
      .run();
}

std::vector<NetworkRecord> NetworkStore::all() {
  Statement s = db_.prepare(std::string("SELECT ") + kNetworkColumns + " FROM networks ORDER BY name");
  std::vector<NetworkRecord> out;
  while (s.next()) out.push_back(read_network(s));
  return out;
}

std::optional<NetworkRecord> NetworkStore::get(const std::string& id) {
  Statement s = db_.prepare(std::string("SELECT ") + kNetworkColumns + " FROM networks WHERE id = ?");
  s.bind(1, id);
  if (!s.next()) return std::nullopt;
  return read_network(s);
}

NetworkRecord NetworkStore::find(const std::string& ref) {
  if (!ref.empty()) {
    // As Docker: an exact ID, then a name, then a unique ID prefix.
    if (std::optional<NetworkRecord> n = get(ref)) return *n;
    Statement by_name = db_.prepare(std::string("SELECT ") + kNetworkColumns + " FROM networks WHERE name = ?");
    by_name.bind(1, ref);
    if (by_name.next()) return read_network(by_name);
    Statement s =
        db_.prepare(std::string("SELECT ") + kNetworkColumns + " FROM networks WHERE substr(id, 1, ?1) = ?2");
    s.bind(1, static_cast<int64_t>(ref.size())).bind(2, ref);
    std::vector<NetworkRecord> found;
    while (s.next()) found.push_back(read_network(s));
    if (found.size() > 1) throw Error("network " + ref + " is ambiguous (" + std::to_string(found.size()) + " matches found based on ID prefix)");
    if (found.size() == 1) return found[0];
  }
  throw not_found("network " + ref + " not found");
}

void NetworkStore::remove(const std::string& id) { db_.prepare("DELETE FROM networks WHERE id = ?").bind(1, id).run(); }

void NetworkStore::add_endpoint(const EndpointRecord& e) {
  if (db_.prepare("SELECT 1 FROM endpoints WHERE network_id = ? AND container_id = ?")
          .bind(1, e.network_id)
          .bind(2, e.container_id)
          .next())
    throw conflict("container " + e.container_id.substr(0, 12) + " is already attached to network " + e.network_id.substr(0, 12));
  Json aliases = e.aliases;
  db_.prepare("INSERT INTO endpoints(network_id, container_id, endpoint_id, aliases, requested_ip, mac, attached) "
              "VALUES (?,?,?,?,?,'',(SELECT coalesce(max(attached), 0) + 1 FROM endpoints WHERE container_id = ?2))")
      .bind(1, e.network_id)
      .bind(2, e.container_id)
      .bind(3, e.endpoint_id)
      .bind(4, aliases.dump())
      .bind(5, e.requested_ip)
      .run();
}

void NetworkStore::remove_endpoint(const std::string& network_id, const std::string& container_id) {
  db_.prepare("DELETE FROM endpoints WHERE network_id = ? AND container_id = ?")
      .bind(1, network_id)
      .bind(2, container_id)
      .run();
}

std::vector<EndpointRecord> NetworkStore::endpoints_of(const std::string& container_id) {
  return endpoints_where(db_, "container_id", container_id);
}

std::vector<EndpointRecord> NetworkStore::endpoints_on(const std::string& network_id) {
  return endpoints_where(db_, "network_id", network_id);
}

bool NetworkStore::lease(const std::string& network_id, const std::string& container_id, const std::string& ip,
                         const std::string& mac) {
  if (db_.prepare("SELECT 1 FROM endpoints WHERE network_id = ? AND ip = ? AND container_id != ?")
          .bind(1, network_id)
          .bind(2, ip)
          .bind(3, container_id)
          .next())
    return false;
  db_.prepare("UPDATE endpoints SET ip = ?1, mac = ?2 WHERE network_id = ?3 AND container_id = ?4")
      .bind(1, ip)
      .bind(2, mac)
      .bind(3, network_id)
      .bind(4, container_id)
      .run();
  return true;
}

void NetworkStore::release_leases(const std::string& container_id) {
  db_.prepare("UPDATE endpoints SET ip = NULL, mac = '' WHERE container_id = ?").bind(1, container_id).run();
}

std::vector<std::string> NetworkStore::leased_addresses(const std::string& network_id) {
  Statement s = db_.prepare("SELECT ip FROM endpoints WHERE network_id = ? AND ip IS NOT NULL");
  s.bind(1, network_id);
  std::vector<std::string> out;
  while (s.next()) out.push_back(s.text(0));
  return out;
}

std::vector<NetworkStore::Peer> NetworkStore::peers_on(const std::string& network_id) {
  Statement s = db_.prepare(
      "SELECT c.id, c.name, e.ip, e.aliases FROM endpoints e JOIN containers c ON c.id = e.container_id "
      "WHERE e.network_id = ? AND e.ip IS NOT NULL");
  s.bind(1, network_id);
  std::vector<Peer> out;
  while (s.next()) out.push_back(Peer{s.text(0), s.text(1), s.text(2), string_list(s.text(3))});
  return out;
}

}  // namespace berth
