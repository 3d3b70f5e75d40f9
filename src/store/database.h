// SQLite, the one source of truth for metadata (docs/architecture.md §3–4). WAL mode and a
// busy timeout let many berth processes share one store without a daemon.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace berth {

class Database;

// A prepared statement; bind with bind(), step with next().
class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  Statement(Statement&&) noexcept;
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, int64_t value);
  Statement& bind_null(int index);
  Statement& bind_optional(int index, const std::optional<std::string>& text);
  bool next();  // true when a row is ready
  void run();   // step to completion
  void reset();  // ready to bind and step again
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  int64_t integer(int column) const;

 private:
  Database* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  explicit Database(const std::filesystem::path& path);
  Database(const Database&) = delete;
  ~Database();

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(*this, sql); }
  sqlite3* handle() { return db_; }
  int changes();  // rows the last statement changed
  // What SQLite's integrity check reports; empty when the file is sound.
  std::vector<std::string> integrity_problems();
  [[noreturn]] void fail(const std::string& what);

 private:
  friend class Statement;
  // A statement is compiled once per connection: a finished one waits here,
  // reset, for the next Statement with the same SQL (a listing runs the same
  // few queries for every row; compiling them was most of its SQLite time).
  sqlite3_stmt* acquire_statement(std::string_view sql);
  void release_statement(sqlite3_stmt* stmt);

  sqlite3* db_ = nullptr;
  std::unordered_multimap<std::string, sqlite3_stmt*> idle_statements_;
};

// BEGIN IMMEDIATE … COMMIT; rolls back unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Database& db);
  Transaction(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace berth
