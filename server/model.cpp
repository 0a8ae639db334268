#include "model.hpp"

#include "crypto.hpp"
#include "jwt.hpp"
#include "server.hpp"
#include "validate.hpp"

#include <algorithm>
#include <tuple>

namespace tl {

// ---- organizations

static const char *kOrgCols = "SELECT id, slug, name, type, uuid, overages, require_mfa FROM orgs ";

static OrgRow read_org(Stmt &s) {
    OrgRow o;
    o.id = s.i64(0);
    o.slug = s.str(1);
    o.name = s.str(2);
    o.type = s.str(3);
    o.uuid = s.str(4);
    o.overages = s.flag(5);
    o.require_mfa = s.flag(6);
    return o;
}

std::optional<OrgRow> org_by_slug(Conn &c, const std::string &slug) {
    static const std::string sql = std::string(kOrgCols) + "WHERE slug = ?";
    auto s = c.q(sql);
    s.args(slug);
    if (!s.step()) return std::nullopt;
    return read_org(s);
}

std::optional<OrgRow> org_by_id(Conn &c, int64_t id) {
    static const std::string sql = std::string(kOrgCols) + "WHERE id = ?";
    auto s = c.q(sql);
    s.args(id);
    if (!s.step()) return std::nullopt;
    return read_org(s);
}

Json org_json(const OrgRow &o) {
    Json j = json_object();
    cJSON *p = j.get();
    jstr(p, "name", o.name);
    jstr(p, "slug", o.slug);
    jstr(p, "type", o.type);
    jbool(p, "overages", o.overages);
    jbool(p, "require_mfa", o.require_mfa);
    jbool(p, "blocked_reads", false);
    jbool(p, "blocked_writes", false);
    jstr(p, "plan_id", o.type == "personal" ? "starter" : "scaler");
    jstr(p, "plan_timeline", "monthly");
    jstr(p, "platform", "turso");
    return j;
}

// ---- groups

static const char *kGroupCols =
    "SELECT id, org_id, uuid, name, primary_loc, version, key, delete_protection, archived FROM grp ";

static GroupRow read_group(Stmt &s) {
    GroupRow g;
    g.id = s.i64(0);
    g.org_id = s.i64(1);
    g.uuid = s.str(2);
    g.name = s.str(3);
    g.primary = s.str(4);
    g.version = s.str(5);
    g.key = s.str(6);
    g.delete_protection = s.flag(7);
    g.archived = s.flag(8);
    return g;
}

std::optional<GroupRow> group_by_name(Conn &c, int64_t org_id, const std::string &name) {
    static const std::string sql = std::string(kGroupCols) + "WHERE org_id = ? AND name = ?";
    auto s = c.q(sql);
    s.args(org_id, name);
    if (!s.step()) return std::nullopt;
    return read_group(s);
}

std::optional<GroupRow> group_by_id(Conn &c, int64_t id) {
    static const std::string sql = std::string(kGroupCols) + "WHERE id = ?";
    auto s = c.q(sql);
    s.args(id);
    if (!s.step()) return std::nullopt;
    return read_group(s);
}

GroupRow find_group(Ctx &ctx, const std::string &name) {
    auto g = group_by_name(ctx.db, ctx.org_id, name);
    if (!g) fail(404, "group " + name + " not found");
    if (!ctx.who.group_restrict.empty() && ctx.who.group_restrict != name)
        fail(403, "this API token is restricted to group " + ctx.who.group_restrict);
    return *g;
}

std::vector<std::string> group_locations(Conn &c, int64_t group_id) {
    std::vector<std::string> out;
    auto s =
        c.q("SELECT l.location FROM group_locations l JOIN grp g ON g.id = l.group_id WHERE l.group_id = ? "
            "ORDER BY l.location != g.primary_loc, l.added, l.location");
    s.args(group_id);
    while (s.step())
        out.push_back(s.str(0));
    return out;
}

Json group_json(Conn &c, const GroupRow &g) {
    Json j = json_object();
    cJSON *p = j.get();
    jstr(p, "name", g.name);
    jstr(p, "version", g.version);
    jstr(p, "uuid", g.uuid);
    jstrs(p, "locations", group_locations(c, g.id));
    jstr(p, "primary", g.primary);
    jbool(p, "delete_protection", g.delete_protection);
    jbool(p, "archived", g.archived);
    return j;
}

GroupRow create_group(Conn &c, int64_t org_id, const std::string &name, const std::string &location,
                      const std::string &version) {
    int64_t now = now_seconds();
    c.q("INSERT INTO grp(uuid, org_id, name, primary_loc, version, key, created_at) VALUES (?, ?, ?, ?, ?, "
        "?, ?)")
        .args(new_uuid(), org_id, name, location, version)
        .bind_blob(6, ed25519_new_seed())
        .bind(7, now)
        .run();
    int64_t id = c.last_id();
    c.q("INSERT INTO group_locations(group_id, location, added) VALUES (?, ?, ?)")
        .args(id, location, now)
        .run();
    return *group_by_id(c, id);
}

// ---- databases

static const char *const kDbColList =
    "id, org_id, group_id, seed_bytes, uuid, name, size_limit, allowed_ips, allowed_vpcs, schema_name, "
    "key, block_reads, block_writes, allow_attach, delete_protection, is_schema, archived";
static const std::string kDbByName =
    std::string("SELECT ") + kDbColList + " FROM dbs WHERE org_id = ? AND name = ?";
static const std::string kDbById = std::string("SELECT ") + kDbColList + " FROM dbs WHERE id = ?";

static DbRow read_db(Stmt &s) {
    DbRow d;
    d.id = s.i64(0);
    d.org_id = s.i64(1);
    d.group_id = s.i64(2);
    d.seed_bytes = s.i64(3);
    d.uuid = s.str(4);
    d.name = s.str(5);
    d.size_limit = s.str(6);
    d.allowed_ips = s.str(7);
    d.allowed_vpcs = s.str(8);
    d.schema_name = s.str(9);
    d.key = s.str(10);
    d.block_reads = s.flag(11);
    d.block_writes = s.flag(12);
    d.allow_attach = s.flag(13);
    d.delete_protection = s.flag(14);
    d.is_schema = s.flag(15);
    d.archived = s.flag(16);
    return d;
}

std::optional<DbRow> db_by_name(Conn &c, int64_t org_id, const std::string &name) {
    auto s = c.q(kDbByName);
    s.args(org_id, name);
    if (!s.step()) return std::nullopt;
    return read_db(s);
}

std::optional<DbRow> db_by_id(Conn &c, int64_t id) {
    auto s = c.q(kDbById);
    s.args(id);
    if (!s.step()) return std::nullopt;
    return read_db(s);
}

static void check_group_restrict(Ctx &ctx, const std::string &group_name) {
    if (!ctx.who.group_restrict.empty() && group_name != ctx.who.group_restrict)
        fail(403, "this API token is restricted to group " + ctx.who.group_restrict);
}

DbRow find_db(Ctx &ctx, const std::string &name) {
    auto d = db_by_name(ctx.db, ctx.org_id, name);
    if (!d) fail(404, "database " + name + " not found");
    if (!ctx.who.group_restrict.empty()) {
        auto g = group_by_id(ctx.db, d->group_id);
        check_group_restrict(ctx, g ? g->name : std::string());
    }
    return *d;
}

void refuse_broken_schema_links(Ctx &ctx, const char *column, int64_t id, Leaving how) {
    std::string in_s = std::string("s.") + column + " = ?", in_c = std::string("c.") + column + " = ?";
    std::string split =
        how == Leaving::Deleted ? in_s + " AND NOT " + in_c : "(" + in_s + ") != (" + in_c + ")";
    auto q = ctx.db.q("SELECT s.name, c.name, " + in_s +
                      " FROM dbs s JOIN dbs c ON c.org_id = s.org_id AND "
                      "c.schema_name = s.name WHERE s.org_id = ? AND s.is_schema AND " +
                      split + " LIMIT 1");
    q.args(id, ctx.org_id, id, id);
    if (!q.step()) return;
    std::string schema = q.str(0), child = q.str(1);
    if (q.flag(2))
        fail(409, "database " + schema + " is the schema of database " + child + ": delete or move " + child +
                      " first");
    fail(409, "database " + child + " uses schema database " + schema + ", which stays in this organization");
}

std::string hostname(Ctx &ctx, const std::string &db, const std::string &org_slug) {
    return db + "-" + org_slug + "." + ctx.srv.domain();
}

// The view: the database's columns (as read_db), then its group's, its organization's slug, and
// one row per instance (LEFT JOIN: NULLs for none), primary first.
const char *const kDbViewSelect =
    "SELECT d.id, d.org_id, d.group_id, d.seed_bytes, d.uuid, d.name, d.size_limit, d.allowed_ips, "
    "d.allowed_vpcs, d.schema_name, d.key, d.block_reads, d.block_writes, d.allow_attach, "
    "d.delete_protection, "
    "d.is_schema, d.archived, g.name, g.primary_loc, g.version, g.archived, o.slug, i.location, i.type, i.id "
    "FROM dbs d JOIN grp g ON g.id = d.group_id JOIN orgs o ON o.id = d.org_id "
    "LEFT JOIN instances i ON i.db_id = d.id ";
// By name, which the (org_id, name) index gives without sorting; a database's instance rows come
// together (nested loop) and are put in order (primary first, then by age) in read_db_views.
const char *const kDbViewOrder = " ORDER BY d.name";
static const std::string kDbViewByName =
    std::string(kDbViewSelect) + "WHERE d.org_id = ? AND d.name = ?" + kDbViewOrder;
static const std::string kDbViewById = std::string(kDbViewSelect) + "WHERE d.id = ?" + kDbViewOrder;

std::vector<DbView> read_db_views(Stmt &s, int64_t max) {
    std::vector<DbView> out;
    struct Inst {
        bool replica;
        int64_t id;
        std::string location, type;
    };
    std::vector<Inst> insts;
    auto finish = [&] { // the instances read for out.back(): primary first, then by age
        std::sort(insts.begin(), insts.end(), [](const Inst &a, const Inst &b) {
            return std::tie(a.replica, a.id) < std::tie(b.replica, b.id);
        });
        for (auto &i : insts)
            out.back().instances.emplace_back(std::move(i.location), std::move(i.type));
        insts.clear();
    };
    while (s.step()) {
        if (out.empty() || out.back().d.id != s.i64(0)) {
            if (!out.empty()) finish();
            if (max >= 0 && static_cast<int64_t>(out.size()) == max) return out;
            DbView v;
            v.d = read_db(s);
            v.group_name = s.str(17);
            v.group_primary = s.str(18);
            v.group_version = s.str(19);
            v.group_archived = s.flag(20);
            v.org_slug = s.str(21);
            out.push_back(std::move(v));
        }
        if (!s.is_null(22)) insts.push_back({s.str(23) != "primary", s.i64(24), s.str(22), s.str(23)});
    }
    if (!out.empty()) finish();
    return out;
}

Json db_json(const DbView &v, const std::string &domain) {
    const DbRow &d = v.d;
    std::vector<std::string> regions;
    std::string primary = v.group_primary;
    for (const auto &i : v.instances) {
        regions.push_back(i.first);
        if (i.second == "primary") primary = i.first;
    }
    Json j = json_object();
    cJSON *p = j.get();
    jstr(p, "Name", d.name);
    jstr(p, "DbId", d.uuid);
    jstr(p, "Hostname", d.name + "-" + v.org_slug + "." + domain);
    jbool(p, "block_reads", d.block_reads);
    jbool(p, "block_writes", d.block_writes);
    jbool(p, "allow_attach", d.allow_attach);
    jstrs(p, "regions", regions);
    jstr(p, "primaryRegion", primary);
    jstr(p, "type", "logical");
    jstr(p, "version", v.group_version);
    jstr(p, "group", v.group_name);
    jbool(p, "sleeping", false);
    jbool(p, "archived", d.archived || v.group_archived);
    jbool(p, "delete_protection", d.delete_protection);
    jbool(p, "is_schema", d.is_schema);
    if (!d.schema_name.empty()) jstr(p, "schema", d.schema_name);
    return j;
}

Json find_db_json(Ctx &ctx, const std::string &name) {
    auto s = ctx.db.q(kDbViewByName);
    s.args(ctx.org_id, name);
    auto views = read_db_views(s, 1);
    if (views.empty()) fail(404, "database " + name + " not found");
    check_group_restrict(ctx, views[0].group_name);
    return db_json(views[0], ctx.srv.domain());
}

Json db_json(Ctx &ctx, const DbRow &d) {
    auto s = ctx.db.q(kDbViewById);
    s.args(d.id);
    auto views = read_db_views(s, 1);
    if (views.empty()) throw std::runtime_error("database " + d.name + " vanished");
    views[0].d = d; // the caller's row may carry changes not written yet
    return db_json(views[0], ctx.srv.domain());
}

// ---- instances

std::vector<InstanceRow> instances_of(Conn &c, int64_t db_id) {
    std::vector<InstanceRow> out;
    auto s = c.q("SELECT id, db_id, uuid, name, type, location FROM instances WHERE db_id = ? "
                 "ORDER BY type != 'primary', id");
    s.args(db_id);
    while (s.step()) {
        InstanceRow i;
        i.id = s.i64(0);
        i.db_id = s.i64(1);
        i.uuid = s.str(2);
        i.name = s.str(3);
        i.type = s.str(4);
        i.location = s.str(5);
        out.push_back(std::move(i));
    }
    return out;
}

void add_instance(Conn &c, int64_t db_id, const std::string &type, const std::string &location) {
    // Instances are named after their location: one instance per location and database.
    c.q("INSERT INTO instances(uuid, db_id, name, type, location, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .args(new_uuid(), db_id, location, type, location, now_seconds())
        .run();
}

Json instance_json(Ctx &ctx, const DbRow &d, const InstanceRow &i) {
    std::string org_slug = ctx.org_slug;
    Json j = json_object();
    cJSON *p = j.get();
    jstr(p, "uuid", i.uuid);
    jstr(p, "name", i.name);
    jstr(p, "type", i.type);
    jstr(p, "region", i.location);
    jstr(p, "hostname", i.name + "-" + hostname(ctx, d.name, org_slug));
    return j;
}

// ---- audit log

void audit(Ctx &ctx, const char *code, const std::string &message, Json data, int64_t org_id) {
    if (!org_id) org_id = ctx.org_id;
    if (!org_id) return;
    std::string text = data ? json_print(data.get()) : "{}";
    ctx.db
        .q("INSERT INTO audit_logs(org_id, code, message, origin, author, data, created_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .args(org_id, code, message, "api", ctx.who.username, text, now_seconds())
        .run();
}

// ---- users

std::string user_email(const std::string &name) {
    return name + "@turso.local";
}

int64_t ensure_user(Conn &w, const std::string &name) {
    {
        auto s = w.q("SELECT id FROM users WHERE username = ?");
        s.args(name);
        if (s.step()) return s.i64(0);
    }
    if (!valid_name(name))
        throw ApiError(400, "invalid user name '" + name + "': use lowercase letters, digits, dashes");
    if (org_by_slug(w, name)) throw ApiError(409, "an organization named " + name + " already exists");
    int64_t now = now_seconds();
    w.q("INSERT INTO users(username, email, created_at) VALUES (?, ?, ?)")
        .args(name, user_email(name), now)
        .run();
    int64_t uid = w.last_id();
    w.q("INSERT INTO orgs(slug, name, type, uuid, created_at) VALUES (?, ?, 'personal', ?, ?)")
        .args(name, name, new_uuid(), now)
        .run();
    int64_t oid = w.last_id();
    w.q("INSERT INTO members(org_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?)")
        .args(oid, uid, now)
        .run();
    w.q("INSERT INTO audit_logs(org_id, code, message, origin, author, data, created_at) "
        "VALUES (?, 'user-signup', ?, 'local', ?, '{}', ?)")
        .args(oid, "user " + name + " created", name, now)
        .run();
    return uid;
}

} // namespace tl
