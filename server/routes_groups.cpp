// Groups (organization routes and the 2023 user-level /v1/groups routes, which act on the caller's
// personal organization): CRUD, configuration, locations, transfer, unarchive, rename, update.
#include "crypto.hpp"
#include "jwt.hpp"
#include "model.hpp"
#include "server.hpp"
#include "validate.hpp"

namespace tl {

namespace {

const char *kExtensions[] = {"vector", "crypto",  "fuzzy", "math",   "stats",
                             "text",   "unicode", "uuid",  "regexp", "vec"};

void check_extensions(const Body &b) {
    const cJSON *e = b.raw("extensions");
    if (!e) return;
    if (cJSON_IsString(e) && std::string(e->valuestring) == "all") return;
    if (!cJSON_IsArray(e)) fail(400, "extensions must be \"all\" or a list of extension names");
    const cJSON *it;
    cJSON_ArrayForEach(it, e) {
        bool ok = false;
        if (cJSON_IsString(it))
            for (const char *x : kExtensions)
                ok = ok || std::string(it->valuestring) == x;
        if (!ok) fail(400, "unknown extension in extensions");
    }
}

// Platform tokens pinned to a group that is gone from the organization are revoked, so that a
// later group of the same name is not theirs.
void drop_group_tokens(Ctx &ctx, int64_t org_id, const std::string &group) {
    ctx.db.q("DELETE FROM api_tokens WHERE org_id = ? AND group_name = ?").args(org_id, group).run();
    if (ctx.db.changes() > 0) ctx.invalidate_auth = true;
}

void list_groups(Ctx &ctx) {
    std::vector<int64_t> ids;
    {
        // A group-scoped token sees its own group only.
        auto s = ctx.db.q("SELECT id FROM grp WHERE org_id = ? AND (? = '' OR name = ?) ORDER BY name");
        s.args(ctx.org_id, ctx.who.group_restrict, ctx.who.group_restrict);
        while (s.step())
            ids.push_back(s.i64(0));
    }
    Json arr = json_array();
    for (int64_t id : ids)
        jpush(arr.get(), group_json(ctx.db, *group_by_id(ctx.db, id)));
    ctx.reply(jwrap("groups", std::move(arr)));
}

void create_group_route(Ctx &ctx) {
    if (!ctx.who.group_restrict.empty())
        fail(403,
             "this API token is restricted to group " + ctx.who.group_restrict + ": it cannot create groups");
    Body &b = ctx.body();
    std::string name = b.require_str("name");
    if (!valid_name(name)) fail(400, "invalid group name: use 1-64 lowercase letters, digits and dashes");
    auto location = b.str("location");
    if (!location || location->empty()) fail(400, "field 'location' is required");
    if (!valid_location(*location)) fail(400, "invalid location " + *location + " (see GET /v1/locations)");
    check_extensions(b);
    std::string version = b.str("version").value_or("latest");
    if (version != "latest" && version != "vector" && version != "canary")
        fail(400, "version must be latest, vector or canary");
    if (group_by_name(ctx.db, ctx.org_id, name)) fail(409, "group " + name + " already exists");
    GroupRow g = create_group(ctx.db, ctx.org_id, name, *location, version);
    audit(ctx, "group-create", "group " + name + " created in " + *location);
    ctx.reply(jwrap("group", group_json(ctx.db, g)));
}

void get_group(Ctx &ctx) {
    ctx.reply(jwrap("group", group_json(ctx.db, find_group(ctx, ctx.params[0]))));
}

void delete_group(Ctx &ctx) {
    GroupRow g = find_group(ctx, ctx.params[0]);
    if (g.delete_protection)
        fail(409, "group " + g.name + " has delete protection enabled: disable it first");
    auto s = ctx.db.q("SELECT name FROM dbs WHERE group_id = ? AND delete_protection LIMIT 1");
    s.args(g.id);
    if (s.step())
        fail(409, "database " + s.str(0) + " in group " + g.name + " has delete protection enabled");
    refuse_broken_schema_links(ctx, "group_id", g.id, Leaving::Deleted);
    Json j = jwrap("group", group_json(ctx.db, g));
    ctx.db.q("DELETE FROM grp WHERE id = ?").args(g.id).run(); // its databases go with it
    drop_group_tokens(ctx, ctx.org_id, g.name);
    audit(ctx, "group-delete", "group " + g.name + " deleted");
    ctx.reply(std::move(j));
}

void get_config(Ctx &ctx) {
    GroupRow g = find_group(ctx, ctx.params[0]);
    Json j = json_object();
    jbool(j.get(), "delete_protection", g.delete_protection);
    ctx.reply(std::move(j));
}

void update_config(Ctx &ctx) {
    GroupRow g = find_group(ctx, ctx.params[0]);
    Body &b = ctx.required_body();
    b.no_nulls({"delete_protection"});
    auto dp = b.boolean("delete_protection");
    if (dp && *dp != g.delete_protection) {
        ctx.db.q("UPDATE grp SET delete_protection = ? WHERE id = ?").args(*dp, g.id).run();
        audit(ctx, *dp ? "group-protect" : "group-unprotect",
              "group " + g.name + " delete protection " + (*dp ? "enabled" : "disabled"));
        g.delete_protection = *dp;
    }
    Json j = json_object();
    jbool(j.get(), "delete_protection", g.delete_protection);
    ctx.reply(std::move(j));
}

// The caller must be a member (not a viewer) of the target organization.
OrgRow target_org(Ctx &ctx, const std::string &slug) {
    auto o = org_by_slug(ctx.db, slug);
    if (!o) fail(404, "organization " + slug + " not found");
    auto s = ctx.db.q("SELECT role FROM members WHERE org_id = ? AND user_id = ?");
    s.args(o->id, ctx.who.user_id);
    if (!s.step() || parse_role(s.str(0)) < ROLE_MEMBER)
        fail(403, "you cannot create resources in organization " + slug);
    if (!ctx.who.org_restrict.empty() && ctx.who.org_restrict != slug)
        fail(403, "this API token is restricted to organization " + ctx.who.org_restrict);
    return *o;
}

void transfer_group(Ctx &ctx) {
    GroupRow g = find_group(ctx, ctx.params[0]);
    Body &b = ctx.body();
    auto slug = b.str("organization");
    if (!slug) slug = b.str("org");
    if (!slug || slug->empty()) fail(400, "field 'organization' is required");
    OrgRow to = target_org(ctx, *slug);
    if (to.id == ctx.org_id) fail(400, "group " + g.name + " is already in organization " + to.slug);
    if (group_by_name(ctx.db, to.id, g.name))
        fail(409, "organization " + to.slug + " already has a group " + g.name);
    auto s = ctx.db.q(
        "SELECT d.name FROM dbs d JOIN dbs o ON o.name = d.name AND o.org_id = ? WHERE d.group_id = ? "
        "LIMIT 1");
    s.args(to.id, g.id);
    if (s.step()) fail(409, "organization " + to.slug + " already has a database " + s.str(0));
    refuse_broken_schema_links(ctx, "group_id", g.id, Leaving::Moved);
    ctx.db.q("UPDATE grp SET org_id = ? WHERE id = ?").args(to.id, g.id).run();
    ctx.db.q("UPDATE dbs SET org_id = ? WHERE group_id = ?").args(to.id, g.id).run();
    drop_group_tokens(ctx, ctx.org_id, g.name); // pinned to this organization, which lost the group
    audit(ctx, "group-transfer", "group " + g.name + " transferred to " + to.slug);
    audit(ctx, "group-transfer", "group " + g.name + " transferred from " + ctx.org_slug, Json(), to.id);
    g.org_id = to.id;
    ctx.reply(group_json(ctx.db, g)); // the spec answers the bare group here
}

void unarchive_group(Ctx &ctx) {
    GroupRow g = find_group(ctx, ctx.params[0]);
    if (g.archived) {
        ctx.db.q("UPDATE grp SET archived = 0 WHERE id = ?").args(g.id).run();
        g.archived = false;
    }
    audit(ctx, "group-unarchive", "group " + g.name + " unarchived");
    ctx.reply(jwrap("group", group_json(ctx.db, g)));
}

void rename_group(Ctx &ctx) {
    GroupRow g = find_group(ctx, ctx.params[0]);
    std::string name = ctx.body().require_str("name"); // the CLI sends "Name": lookups ignore case
    if (!valid_name(name)) fail(400, "invalid group name: use 1-64 lowercase letters, digits and dashes");
    if (name != g.name) {
        if (group_by_name(ctx.db, ctx.org_id, name)) fail(409, "group " + name + " already exists");
        ctx.db.q("UPDATE grp SET name = ? WHERE id = ?").args(name, g.id).run();
        // Tokens pinned to the group follow it, so that a new group under the old name is not theirs.
        ctx.db.q("UPDATE api_tokens SET group_name = ? WHERE org_id = ? AND group_name = ?")
            .args(name, ctx.org_id, g.name)
            .run();
        ctx.invalidate_auth = true;
        audit(ctx, "group-rename", "group " + g.name + " renamed to " + name);
        g.name = name;
    }
    ctx.reply(jwrap("group", group_json(ctx.db, g)));
}

std::vector<int64_t> group_db_ids(Ctx &ctx, int64_t group_id) {
    std::vector<int64_t> ids;
    auto s = ctx.db.q("SELECT id FROM dbs WHERE group_id = ?");
    s.args(group_id);
    while (s.step())
        ids.push_back(s.i64(0));
    return ids;
}

const std::string &location_param(Ctx &ctx) {
    const std::string &loc = ctx.params[1];
    if (!valid_location(loc)) fail(400, "invalid location " + loc + " (see GET /v1/locations)");
    return loc;
}

void add_location(Ctx &ctx) {
    GroupRow g = find_group(ctx, ctx.params[0]);
    const std::string &loc = location_param(ctx);
    auto locs = group_locations(ctx.db, g.id);
    for (const auto &l : locs)
        if (l == loc) fail(409, "group " + g.name + " is already in " + loc);
    ctx.db.q("INSERT INTO group_locations(group_id, location, added) VALUES (?, ?, ?)")
        .args(g.id, loc, now_seconds())
        .run();
    // Every database of the group gets a replica there (unless it already has one).
    for (int64_t db : group_db_ids(ctx, g.id))
        ctx.db
            .q("INSERT OR IGNORE INTO instances(uuid, db_id, name, type, location, created_at) "
               "VALUES (?, ?, ?, 'replica', ?, ?)")
            .args(new_uuid(), db, loc, loc, now_seconds())
            .run();
    audit(ctx, "group-location-add", "location " + loc + " added to group " + g.name);
    ctx.reply(jwrap("group", group_json(ctx.db, g)));
}

void remove_location(Ctx &ctx) {
    GroupRow g = find_group(ctx, ctx.params[0]);
    // Not validated as a code: a group is in no unknown location, so that is a 404 like any other.
    const std::string &loc = ctx.params[1];
    if (loc == g.primary) fail(400, "cannot remove the primary location " + loc + " of group " + g.name);
    ctx.db.q("DELETE FROM group_locations WHERE group_id = ? AND location = ?").args(g.id, loc).run();
    if (ctx.db.changes() == 0) fail(404, "group " + g.name + " is not in " + loc);
    ctx.db
        .q("DELETE FROM instances WHERE location = ? AND type = 'replica' AND db_id IN "
           "(SELECT id FROM dbs WHERE group_id = ?)")
        .args(loc, g.id)
        .run();
    audit(ctx, "group-location-remove", "location " + loc + " removed from group " + g.name);
    ctx.reply(jwrap("group", group_json(ctx.db, g)));
}

void wait_location(Ctx &ctx) {
    GroupRow g = find_group(ctx, ctx.params[0]);
    const std::string &loc = location_param(ctx);
    for (const auto &l : group_locations(ctx.db, g.id))
        if (l == loc) return ctx.reply_empty(); // local groups are ready at once
    fail(404, "group " + g.name + " is not in " + loc);
}

void update_group(Ctx &ctx) {
    GroupRow g = find_group(ctx, ctx.params[0]);
    audit(ctx, "group-update", "group " + g.name + " updated to the latest version");
    ctx.reply_empty();
}

} // namespace

void add_group_routes(std::vector<Route> &r) {
    struct Def {
        const char *method, *suffix;
        Handler h;
        int role;
        uint32_t scope;
        bool user_level; // also under /v1/groups (2023)
    };
    static const Def defs[] = {
        {"GET", "", list_groups, ROLE_VIEWER, SC_READ, true},
        {"POST", "", create_group_route, ROLE_MEMBER, SC_GROUP_CONFIGURE, true},
        {"GET", "/{group}", get_group, ROLE_VIEWER, SC_READ, true},
        {"DELETE", "/{group}", delete_group, ROLE_MEMBER, SC_GROUP_CONFIGURE, true},
        {"GET", "/{group}/configuration", get_config, ROLE_VIEWER, SC_READ, false},
        {"PATCH", "/{group}/configuration", update_config, ROLE_MEMBER, SC_GROUP_CONFIGURE, false},
        {"POST", "/{group}/transfer", transfer_group, ROLE_ADMIN, SC_GROUP_CONFIGURE, false},
        {"POST", "/{group}/unarchive", unarchive_group, ROLE_MEMBER, SC_GROUP_CONFIGURE, false},
        {"POST", "/{group}/rename", rename_group, ROLE_MEMBER, SC_GROUP_CONFIGURE, false},
        {"POST", "/{group}/locations/{location}", add_location, ROLE_MEMBER, SC_GROUP_CONFIGURE, true},
        {"DELETE", "/{group}/locations/{location}", remove_location, ROLE_MEMBER, SC_GROUP_CONFIGURE, true},
        {"GET", "/{group}/locations/{location}/wait", wait_location, ROLE_VIEWER, SC_READ, false},
        {"POST", "/{group}/update", update_group, ROLE_MEMBER, SC_GROUP_CONFIGURE, false},
    };
    for (const auto &d : defs) {
        r.push_back({d.method, std::string("/v1/organizations/{org}/groups") + d.suffix, d.h, ORG_PARAM,
                     d.role, d.scope});
        if (d.user_level)
            r.push_back({d.method, std::string("/v1/groups") + d.suffix, d.h, ORG_PERSONAL, d.role, d.scope});
    }
}

} // namespace tl
