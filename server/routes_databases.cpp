// Databases: list, create, get, delete, configuration, usage, stats, transfer, wakeup, update,
// seed uploads and dumps.
#include "crypto.hpp"
#include "jwt.hpp"
#include "model.hpp"
#include "server.hpp"
#include "validate.hpp"

#include <cstdlib>

namespace tl {

namespace {

void list_databases(Ctx &ctx) {
    std::string group = ctx.query("group"), schema = ctx.query("schema"), type = ctx.query("type");
    std::string cursor = ctx.query("cursor");
    int64_t limit = -1;
    if (ctx.has_query("limit")) {
        std::string v = ctx.query("limit");
        char *end = nullptr;
        limit = std::strtoll(v.c_str(), &end, 10);
        if (v.empty() || *end || limit < 1 || limit > 100000) fail(400, "limit must be a positive integer");
    }
    if (!type.empty() && type != "schema" && type != "regular" && type != "logical")
        fail(400, "type must be schema or regular");
    // A group-scoped token lists its group only; the filter is in the query, so pages stay whole.
    const std::string &pinned = ctx.who.group_restrict;
    if (!pinned.empty()) {
        if (!group.empty() && group != pinned) fail(403, "this API token is restricted to group " + pinned);
        group = pinned;
    }
    // One statement: every database with its group, organization and instances (kDbViewSelect).
    static const std::string sql =
        std::string(kDbViewSelect) +
        "WHERE d.org_id = ? AND (? = '' OR g.name = ?) AND (? = '' OR d.schema_name = ?) "
        "AND (? != 'schema' OR d.is_schema) AND (? != 'regular' OR NOT d.is_schema) "
        "AND d.name > ?" +
        kDbViewOrder;
    auto s = ctx.db.q(sql);
    s.args(ctx.org_id, group, group, schema, schema, type, type, cursor);
    std::vector<DbView> views = read_db_views(s, limit < 0 ? -1 : limit + 1);
    bool more = limit > 0 && static_cast<int64_t>(views.size()) > limit;
    if (more) views.pop_back();
    Json arr = json_array();
    std::string last;
    for (const auto &v : views) {
        last = v.d.name;
        jpush(arr.get(), db_json(v, ctx.srv.domain()));
    }
    Json j = jwrap("databases", std::move(arr));
    if (limit > 0) { // the CLI pages with limit/cursor and reads pagination.next
        Json pg = json_object();
        if (more)
            jstr(pg.get(), "next", last);
        else
            jnull(pg.get(), "next");
        jput(j.get(), "pagination", std::move(pg));
    }
    ctx.reply(std::move(j));
}

// The group a new database goes to: the one named, or "default", created on demand in the location
// asked for, else the primary of the organization's oldest group, else ams.
GroupRow group_for_create(Ctx &ctx, const std::optional<std::string> &name,
                          const std::optional<std::string> &loc) {
    std::string gname = name && !name->empty() ? *name : "default";
    if (!ctx.who.group_restrict.empty() && ctx.who.group_restrict != gname)
        fail(403, "this API token is restricted to group " + ctx.who.group_restrict);
    if (auto g = group_by_name(ctx.db, ctx.org_id, gname)) return *g;
    if (gname != "default") fail(404, "group " + gname + " not found");
    std::string location = "ams";
    if (loc && !loc->empty()) {
        location = *loc;
    } else {
        auto s = ctx.db.q("SELECT primary_loc FROM grp WHERE org_id = ? ORDER BY id LIMIT 1");
        s.args(ctx.org_id);
        if (s.step()) location = s.str(0);
    }
    GroupRow g = create_group(ctx.db, ctx.org_id, "default", location, "latest");
    audit(ctx, "group-create", "group default created in " + location);
    return g;
}

void check_seed(Ctx &ctx, const cJSON *seed) {
    if (!seed) return;
    if (!cJSON_IsObject(seed)) fail(400, "seed must be an object");
    const cJSON *type = cJSON_GetObjectItem(seed, "type");
    if (!cJSON_IsString(type)) fail(400, "seed.type is required");
    std::string t = type->valuestring;
    auto field = [&](const char *k) -> std::string {
        const cJSON *v = cJSON_GetObjectItem(seed, k);
        if (v && !cJSON_IsNull(v) && !cJSON_IsString(v))
            fail(400, std::string("seed.") + k + " must be a string");
        return cJSON_IsString(v) ? v->valuestring : "";
    };
    if (t == "database") {
        std::string src = field("name");
        if (src.empty()) src = field("value"); // the CLI's field
        if (src.empty()) fail(400, "seed.name is required for a database seed");
        if (!db_by_name(ctx.db, ctx.org_id, src)) fail(404, "seed database " + src + " not found");
        find_db(ctx, src); // 403 outside a group-scoped token's group
    } else if (t == "dump") {
        std::string url = field("url");
        if (url.compare(0, 7, "http://") != 0 && url.compare(0, 8, "https://") != 0)
            fail(400, "seed.url must be an http(s) URL for a dump seed");
        // A dump uploaded here must exist, in this organization (the service would fail to fetch
        // it); a URL elsewhere cannot be fetched from here and is taken as it is.
        std::string own = ctx.srv.url() + "/local/dumps/";
        if (url.compare(0, own.size(), own) == 0) {
            auto s = ctx.db.q("SELECT 1 FROM dumps WHERE id = ? AND org_id = ?");
            s.args(url.substr(own.size()), ctx.org_id);
            if (!s.step()) fail(404, "seed dump " + url + " not found");
        }
    } else if (t != "database_upload") {
        fail(400, "seed.type must be database, dump or database_upload");
    }
    std::string ts = field("timestamp");
    (void)ts;
}

void create_database(Ctx &ctx) {
    Body &b = ctx.body();
    std::string name = b.require_str("name");
    if (!valid_name(name)) fail(400, "invalid database name: use 1-64 lowercase letters, digits and dashes");
    auto group = b.str("group");
    auto location = b.str("location");
    if (location && !location->empty() && !valid_location(*location))
        fail(400, "invalid location " + *location + " (see GET /v1/locations)");
    auto image = b.str("image");
    if (image && *image != "latest" && *image != "canary" && *image != "vector")
        fail(400, "image must be latest or canary");
    std::string size_limit = b.str("size_limit").value_or("");
    if (!valid_size_limit(size_limit)) fail(400, "invalid size_limit (e.g. 256mb, 1gb)");
    bool is_schema = b.boolean("is_schema").value_or(false);
    std::string schema = b.str("schema").value_or("");
    if (is_schema && !schema.empty()) fail(400, "is_schema and schema cannot both be given");
    if (!schema.empty()) {
        auto s = db_by_name(ctx.db, ctx.org_id, schema);
        if (!s) fail(404, "schema database " + schema + " not found");
        find_db(ctx, schema); // 403 outside a group-scoped token's group
        if (!s->is_schema) fail(400, "database " + schema + " is not a schema database");
    }
    check_seed(ctx, b.raw("seed"));
    if (const cJSON *enc = b.raw("remote_encryption")) {
        if (!cJSON_IsObject(enc)) fail(400, "remote_encryption must be an object");
    }
    if (db_by_name(ctx.db, ctx.org_id, name)) fail(409, "database " + name + " already exists");
    GroupRow g = group_for_create(ctx, group, location);
    std::string uuid = new_uuid();
    ctx.db
        .q("INSERT INTO dbs(uuid, org_id, group_id, name, size_limit, is_schema, schema_name, key, "
           "created_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .args(uuid, ctx.org_id, g.id, name, size_limit, is_schema, schema)
        .bind_blob(8, ed25519_new_seed())
        .bind(9, now_seconds())
        .run();
    int64_t id = ctx.db.last_id();
    for (const auto &loc : group_locations(ctx.db, g.id))
        add_instance(ctx.db, id, loc == g.primary ? "primary" : "replica", loc);
    Json data = json_object();
    jstr(data.get(), "name", name);
    jstr(data.get(), "group", g.name);
    audit(ctx, "db-create", "database " + name + " created in group " + g.name, std::move(data));
    Json out = json_object();
    jstr(out.get(), "DbId", uuid);
    jstr(out.get(), "Hostname", hostname(ctx, name, ctx.org_slug));
    jstr(out.get(), "Name", name);
    jint(out.get(), "IssuedCertLimit", 0);
    jint(out.get(), "IssuedCertCount", 0);
    ctx.reply(jwrap("database", std::move(out)));
}

void get_database(Ctx &ctx) {
    ctx.reply(jwrap("database", find_db_json(ctx, ctx.params[0])));
}

void delete_database(Ctx &ctx) {
    DbRow d = find_db(ctx, ctx.params[0]);
    if (d.delete_protection)
        fail(409, "database " + d.name + " has delete protection enabled: disable it first");
    refuse_broken_schema_links(ctx, "id", d.id, Leaving::Deleted);
    ctx.db.q("DELETE FROM dbs WHERE id = ?").args(d.id).run();
    audit(ctx, "db-delete", "database " + d.name + " deleted");
    Json j = json_object();
    jstr(j.get(), "database", d.name);
    ctx.reply(std::move(j));
}

void update_version(Ctx &ctx) {
    DbRow d = find_db(ctx, ctx.params[0]);
    audit(ctx, "db-update", "database " + d.name + " updated to the latest version");
    ctx.reply_empty();
}

Json config_json(const DbRow &d) {
    Json j = json_object();
    cJSON *p = j.get();
    jstr(p, "size_limit", d.size_limit);
    jbool(p, "allow_attach", d.allow_attach);
    jbool(p, "block_reads", d.block_reads);
    jbool(p, "block_writes", d.block_writes);
    jbool(p, "delete_protection", d.delete_protection);
    Json ips = json_parse(d.allowed_ips), vpcs = json_parse(d.allowed_vpcs);
    jput(p, "allowed_ips", ips ? std::move(ips) : json_array());
    jput(p, "allowed_aws_vpc_ids", vpcs ? std::move(vpcs) : json_array());
    return j;
}

void get_config(Ctx &ctx) {
    ctx.reply(config_json(find_db(ctx, ctx.params[0])));
}

void update_config(Ctx &ctx) {
    DbRow d = find_db(ctx, ctx.params[0]);
    Body &b = ctx.required_body();
    b.no_nulls({"size_limit", "allow_attach", "block_reads", "block_writes", "delete_protection",
                "allowed_ips", "allowed_aws_vpc_ids"});
    auto size_limit = b.str("size_limit");
    if (size_limit && !valid_size_limit(*size_limit)) fail(400, "invalid size_limit (e.g. 256mb, 1gb)");
    auto allow_attach = b.boolean("allow_attach");
    auto block_reads = b.boolean("block_reads");
    auto block_writes = b.boolean("block_writes");
    auto protect = b.boolean("delete_protection");
    auto ips = b.strings("allowed_ips");
    auto vpcs = b.strings("allowed_aws_vpc_ids");
    if (size_limit) d.size_limit = *size_limit;
    if (allow_attach) d.allow_attach = *allow_attach;
    if (block_reads) d.block_reads = *block_reads;
    if (block_writes) d.block_writes = *block_writes;
    bool protect_changed = protect && *protect != d.delete_protection;
    if (protect) d.delete_protection = *protect;
    auto list_text = [](const std::vector<std::string> &v) {
        Json a = json_array();
        for (const auto &s : v)
            jpush(a.get(), Json(cJSON_CreateString(s.c_str())));
        return json_print(a.get());
    };
    if (ips) d.allowed_ips = list_text(*ips);
    if (vpcs) d.allowed_vpcs = list_text(*vpcs);
    ctx.db
        .q("UPDATE dbs SET size_limit = ?, allow_attach = ?, block_reads = ?, block_writes = ?, "
           "delete_protection = ?, allowed_ips = ?, allowed_vpcs = ? WHERE id = ?")
        .args(d.size_limit, d.allow_attach, d.block_reads, d.block_writes, d.delete_protection, d.allowed_ips,
              d.allowed_vpcs, d.id)
        .run();
    if (protect_changed)
        audit(ctx, d.delete_protection ? "db-protect" : "db-unprotect",
              "database " + d.name + " delete protection " + (d.delete_protection ? "enabled" : "disabled"));
    else
        audit(ctx, "db-configure", "database " + d.name + " configuration updated");
    ctx.reply(config_json(d));
}

bool valid_rfc3339(const std::string &s) {
    // 2024-01-02T03:04:05Z or with fraction and offset; a strict-enough shape check.
    if (s.size() < 20) return false;
    for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u, 11u, 12u, 14u, 15u, 17u, 18u})
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return s[4] == '-' && s[7] == '-' && (s[10] == 'T' || s[10] == 't' || s[10] == ' ') && s[13] == ':' &&
           s[16] == ':';
}

Json usage_zero() {
    Json u = json_object();
    jint(u.get(), "rows_read", 0);
    jint(u.get(), "rows_written", 0);
    jint(u.get(), "storage_bytes", 0);
    jint(u.get(), "bytes_synced", 0);
    return u;
}

void usage(Ctx &ctx) {
    DbRow d = find_db(ctx, ctx.params[0]);
    for (const char *q : {"from", "to"})
        if (ctx.has_query(q) && !valid_rfc3339(ctx.query(q)))
            fail(400, std::string(q) + " must be an RFC 3339 time");
    // No queries run here: usage is truly zero.
    Json insts = json_array();
    for (const auto &i : instances_of(ctx.db, d.id)) {
        Json e = json_object();
        jstr(e.get(), "uuid", i.uuid);
        jput(e.get(), "usage", usage_zero());
        jpush(insts.get(), std::move(e));
    }
    Json db = json_object();
    jstr(db.get(), "uuid", d.uuid);
    jput(db.get(), "instances", std::move(insts));
    jput(db.get(), "usage", usage_zero()); // the 2023 name
    jput(db.get(), "total", usage_zero()); // the spec's name
    ctx.reply(jwrap("database", std::move(db)));
}

void stats(Ctx &ctx) {
    find_db(ctx, ctx.params[0]);
    ctx.reply(jwrap("top_queries", json_array()));
}

// The caller must be a member (not a viewer) of the target organization.
OrgRow target_org(Ctx &ctx, const std::string &slug) {
    auto o = org_by_slug(ctx.db, slug);
    if (!o) fail(404, "organization " + slug + " not found");
    auto s = ctx.db.q("SELECT role FROM members WHERE org_id = ? AND user_id = ?");
    s.args(o->id, ctx.who.user_id);
    if (!s.step() || parse_role(s.str(0)) < ROLE_MEMBER)
        fail(403, "you cannot create databases in organization " + slug);
    if (!ctx.who.org_restrict.empty() && ctx.who.org_restrict != slug)
        fail(403, "this API token is restricted to organization " + ctx.who.org_restrict);
    return *o;
}

void transfer(Ctx &ctx) {
    DbRow d = find_db(ctx, ctx.params[0]);
    Body &b = ctx.body();
    auto slug = b.str("org");
    if (!slug) slug = b.str("organization");
    if (!slug || slug->empty()) fail(400, "field 'org' is required");
    OrgRow to = target_org(ctx, *slug);
    if (to.id == ctx.org_id) fail(400, "database " + d.name + " is already in organization " + to.slug);
    if (db_by_name(ctx.db, to.id, d.name))
        fail(409, "organization " + to.slug + " already has a database " + d.name);
    refuse_broken_schema_links(ctx, "id", d.id, Leaving::Moved);
    GroupRow from = *group_by_id(ctx.db, d.group_id);
    auto target = group_by_name(ctx.db, to.id, from.name);
    GroupRow g = target ? *target : create_group(ctx.db, to.id, from.name, from.primary, from.version);
    ctx.db.q("UPDATE dbs SET org_id = ?, group_id = ? WHERE id = ?").args(to.id, g.id, d.id).run();
    // Its instances follow the target group's locations.
    ctx.db.q("DELETE FROM instances WHERE db_id = ?").args(d.id).run();
    for (const auto &loc : group_locations(ctx.db, g.id))
        add_instance(ctx.db, d.id, loc == g.primary ? "primary" : "replica", loc);
    audit(ctx, "db-transfer", "database " + d.name + " transferred to " + to.slug);
    audit(ctx, "db-transfer", "database " + d.name + " transferred from " + ctx.org_slug, Json(), to.id);
    DbRow moved = *db_by_id(ctx.db, d.id);
    ctx.reply(jwrap("database", db_json(ctx, moved)));
}

void wakeup(Ctx &ctx) {
    DbRow d = find_db(ctx, ctx.params[0]);
    ctx.db.q("UPDATE dbs SET archived = 0 WHERE id = ?").args(d.id).run();
    d.archived = false;
    audit(ctx, "db-aunrchive", "database " + d.name + " unarchived"); // sic: the spec's code
    ctx.reply(jwrap("database", db_json(ctx, d)));
}

const httplib::MultipartFormData &upload(Ctx &ctx) {
    auto it = ctx.req.files.find("file");
    if (it == ctx.req.files.end()) fail(400, "expected a multipart/form-data body with a 'file' field");
    return it->second;
}

void seed(Ctx &ctx) {
    DbRow d = find_db(ctx, ctx.params[0]);
    const auto &f = upload(ctx);
    ctx.db.q("UPDATE dbs SET seed_bytes = ? WHERE id = ?")
        .args(static_cast<int64_t>(f.content.size()), d.id)
        .run();
    audit(ctx, "db-seed", "database " + d.name + " seeded from an upload");
    ctx.reply(jwrap("database", db_json(ctx, d)));
}

void upload_dump(Ctx &ctx) {
    const auto &f = upload(ctx);
    std::string id = new_uuid();
    ctx.db.q("INSERT INTO dumps(id, org_id, data, created_at) VALUES (?, ?, ?, ?)")
        .args(id, ctx.org_id)
        .bind_blob(3, f.content)
        .bind(4, now_seconds())
        .run();
    audit(ctx, "db-dump-upload", "dump uploaded");
    Json j = json_object();
    jstr(j.get(), "dump_url", ctx.srv.url() + "/local/dumps/" + id);
    ctx.reply(std::move(j));
}

void get_dump(Ctx &ctx) {
    // A member of the dump's organization, with a token not restricted to another one.
    auto s = ctx.db.q("SELECT d.data FROM dumps d JOIN members m ON m.org_id = d.org_id AND m.user_id = ? "
                      "JOIN orgs o ON o.id = d.org_id WHERE d.id = ? AND (? = '' OR o.slug = ?)");
    s.args(ctx.who.user_id, ctx.params[0], ctx.who.org_restrict, ctx.who.org_restrict);
    if (!s.step()) fail(404, "dump not found");
    ctx.res.status = 200;
    ctx.res.set_content(s.str(0), "application/octet-stream");
}

} // namespace

void add_database_routes(std::vector<Route> &r) {
    const std::string db = "/v1/organizations/{org}/databases";
    r.push_back({"GET", db, list_databases, ORG_PARAM, ROLE_VIEWER, SC_READ});
    r.push_back({"POST", db, create_database, ORG_PARAM, ROLE_MEMBER, SC_DB_CREATE});
    r.push_back({"POST", db + "/dumps", upload_dump, ORG_PARAM, ROLE_MEMBER, SC_DB_CREATE});
    r.push_back({"GET", db + "/{db}", get_database, ORG_PARAM, ROLE_VIEWER, SC_READ});
    r.push_back({"DELETE", db + "/{db}", delete_database, ORG_PARAM, ROLE_MEMBER, SC_DB_DELETE});
    r.push_back({"POST", db + "/{db}/update", update_version, ORG_PARAM, ROLE_MEMBER, SC_DB_CONFIGURE});
    r.push_back({"GET", db + "/{db}/configuration", get_config, ORG_PARAM, ROLE_VIEWER, SC_READ});
    r.push_back(
        {"PATCH", db + "/{db}/configuration", update_config, ORG_PARAM, ROLE_MEMBER, SC_DB_CONFIGURE});
    r.push_back({"GET", db + "/{db}/usage", usage, ORG_PARAM, ROLE_VIEWER, SC_READ});
    r.push_back({"GET", db + "/{db}/stats", stats, ORG_PARAM, ROLE_VIEWER, SC_READ});
    r.push_back({"GET", db + "/{db}/usage/queries", stats, ORG_PARAM, ROLE_VIEWER, SC_READ});
    r.push_back({"POST", db + "/{db}/transfer", transfer, ORG_PARAM, ROLE_ADMIN, SC_DB_CONFIGURE});
    r.push_back({"POST", db + "/{db}/wakeup", wakeup, ORG_PARAM, ROLE_MEMBER, SC_DB_CONFIGURE});
    r.push_back({"POST", db + "/{db}/seed", seed, ORG_PARAM, ROLE_MEMBER, SC_DB_CONFIGURE});
    r.push_back({"GET", "/local/dumps/{id}", get_dump, ORG_NONE, 0, SC_READ});
}

} // namespace tl
