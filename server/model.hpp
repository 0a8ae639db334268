// The shared model: rows of organizations, groups, databases and instances, how they render as
// JSON, and the audit log. Route files build on these.
#pragma once
#include "api.hpp"

#include <optional>

namespace tl {

struct OrgRow {
    int64_t id = 0;
    std::string slug, name, type, uuid;
    bool overages = false, require_mfa = false;
};
std::optional<OrgRow> org_by_slug(Conn &c, const std::string &slug);
std::optional<OrgRow> org_by_id(Conn &c, int64_t id);
Json org_json(const OrgRow &o);

struct GroupRow {
    int64_t id = 0, org_id = 0;
    std::string uuid, name, primary, version, key;
    bool delete_protection = false, archived = false;
};
std::optional<GroupRow> group_by_name(Conn &c, int64_t org_id, const std::string &name);
std::optional<GroupRow> group_by_id(Conn &c, int64_t id);
GroupRow find_group(Ctx &ctx, const std::string &name); // 404 if missing, 403 outside a token's group
std::vector<std::string> group_locations(Conn &c, int64_t group_id); // primary first
Json group_json(Conn &c, const GroupRow &g);
// Creates a group (name and location already validated, name free) and answers its row.
GroupRow create_group(Conn &c, int64_t org_id, const std::string &name, const std::string &location,
                      const std::string &version);

struct DbRow {
    int64_t id = 0, org_id = 0, group_id = 0, seed_bytes = 0;
    std::string uuid, name, size_limit, allowed_ips, allowed_vpcs, schema_name, key;
    bool block_reads = false, block_writes = false, allow_attach = false, delete_protection = false,
         is_schema = false, archived = false;
};
std::optional<DbRow> db_by_name(Conn &c, int64_t org_id, const std::string &name);
std::optional<DbRow> db_by_id(Conn &c, int64_t id);
DbRow find_db(Ctx &ctx, const std::string &name); // 404 if missing, 403 outside a token's group
Json db_json(Ctx &ctx, const DbRow &d);           // the full database object of the spec

// A database with all its JSON needs (group, organization, instances primary first), read in one
// query: GET database and list databases are one statement each.
struct DbView {
    DbRow d;
    std::string group_name, group_primary, group_version, org_slug;
    bool group_archived = false;
    std::vector<std::pair<std::string, std::string>> instances; // (location, type)
};
// Reads views from a statement over kDbViewCols ordered by database, then instance; at most `max`
// databases (-1: all). The statement's parameters are bound by the caller.
std::vector<DbView> read_db_views(Stmt &s, int64_t max = -1);
extern const char *const kDbViewSelect; // "SELECT <view columns> FROM dbs d JOIN grp g ... "
extern const char *const kDbViewOrder;  // " ORDER BY d.name, <instances primary first>"
// Schema links are by name within an organization: 409 when the databases whose `column` ("id"
// or "group_id") is `id` leaving it would break one: a schema database whose children stay, or,
// when they move rather than go, a child whose schema database stays.
enum class Leaving { Deleted, Moved };
void refuse_broken_schema_links(Ctx &ctx, const char *column, int64_t id, Leaving how);
Json find_db_json(Ctx &ctx, const std::string &name); // db_json of find_db(ctx, name), in one query
Json db_json(const DbView &v, const std::string &domain);
std::string hostname(Ctx &ctx, const std::string &db, const std::string &org_slug);

struct InstanceRow {
    int64_t id = 0, db_id = 0;
    std::string uuid, name, type, location;
};
std::vector<InstanceRow> instances_of(Conn &c, int64_t db_id);
void add_instance(Conn &c, int64_t db_id, const std::string &type, const std::string &location);
Json instance_json(Ctx &ctx, const DbRow &d, const InstanceRow &i);

// Records a mutating call in the organization's audit log (same transaction as the change).
void audit(Ctx &ctx, const char *code, const std::string &message, Json data = Json(), int64_t org_id = 0);

// Users: create (with personal organization) if missing; answers the user id.
int64_t ensure_user(Conn &w, const std::string &name);
std::string user_email(const std::string &name);

} // namespace tl
