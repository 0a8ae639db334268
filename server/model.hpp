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
