// Organizations: list, create, get, update, delete; audit logs; usage; plans, subscription and
// invoices (fixed local data); locations.
#include "crypto.hpp"
#include "model.hpp"
#include "server.hpp"
#include "validate.hpp"

#include <algorithm>
#include <cstdlib>

namespace tl {

namespace {

void list_orgs(Ctx &ctx) {
    Json arr = json_array();
    auto s = ctx.db.q(
        "SELECT o.slug FROM orgs o JOIN members m ON m.org_id = o.id WHERE m.user_id = ? ORDER BY o.id");
    s.args(ctx.who.user_id);
    std::vector<std::string> slugs;
    while (s.step())
        slugs.push_back(s.str(0));
    for (const auto &slug : slugs) {
        if (!ctx.who.org_restrict.empty() && slug != ctx.who.org_restrict) continue;
        if (auto o = org_by_slug(ctx.db, slug)) jpush(arr.get(), org_json(*o));
    }
    // The 2023 reference and both official clients read {"organizations": [...]}.
    ctx.reply(jwrap("organizations", std::move(arr)));
}

void create_org(Ctx &ctx) {
    if (!ctx.who.org_restrict.empty())
        fail(403, "an organization-scoped API token cannot create organizations");
    std::string name = ctx.body().require_str("name");
    if (!valid_name(name))
        fail(400, "invalid organization name: use 1-64 lowercase letters, digits and dashes");
    if (org_by_slug(ctx.db, name)) fail(409, "organization " + name + " already exists");
    std::string dry = ctx.query("dry_run");
    if (!dry.empty() && dry != "true" && dry != "false") fail(400, "dry_run must be true or false");
    OrgRow o;
    o.slug = o.name = name;
    o.type = "team";
    if (dry != "true") {
        int64_t now = now_seconds();
        ctx.db.q("INSERT INTO orgs(slug, name, type, uuid, created_at) VALUES (?, ?, 'team', ?, ?)")
            .args(name, name, new_uuid(), now)
            .run();
        int64_t id = ctx.db.last_id();
        ctx.db.q("INSERT INTO members(org_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?)")
            .args(id, ctx.who.user_id, now)
            .run();
        audit(ctx, "org-create", "organization " + name + " created", Json(), id);
        o = *org_by_id(ctx.db, id);
    }
    ctx.reply(jwrap("organization", org_json(o)));
}

void get_org(Ctx &ctx) {
    ctx.reply(jwrap("organization", org_json(*org_by_id(ctx.db, ctx.org_id))));
}

void update_org(Ctx &ctx) {
    Body &b = ctx.required_body();
    b.no_nulls({"overages", "require_mfa"});
    auto overages = b.boolean("overages");
    auto mfa = b.boolean("require_mfa");
    if (overages) {
        ctx.db.q("UPDATE orgs SET overages = ? WHERE id = ?").args(*overages, ctx.org_id).run();
        audit(ctx, "org-set-overages", std::string("overages ") + (*overages ? "enabled" : "disabled"));
    }
    if (mfa) {
        ctx.db.q("UPDATE orgs SET require_mfa = ? WHERE id = ?").args(*mfa, ctx.org_id).run();
        audit(ctx, "org-update", std::string("require_mfa ") + (*mfa ? "enabled" : "disabled"));
    }
    ctx.reply(jwrap("organization", org_json(*org_by_id(ctx.db, ctx.org_id))));
}

void delete_org(Ctx &ctx) {
    if (ctx.org_type == "personal") fail(400, "a personal organization cannot be deleted");
    auto s = ctx.db.q("SELECT count(*) FROM dbs WHERE org_id = ? AND delete_protection");
    s.args(ctx.org_id);
    if (s.step() && s.i64(0) > 0) fail(409, "organization has databases with delete protection enabled");
    auto g = ctx.db.q("SELECT name FROM grp WHERE org_id = ? AND delete_protection LIMIT 1");
    g.args(ctx.org_id);
    if (g.step()) fail(409, "group " + g.str(0) + " has delete protection enabled: disable it first");
    OrgRow o = *org_by_id(ctx.db, ctx.org_id);
    ctx.db.q("DELETE FROM orgs WHERE id = ?").args(ctx.org_id).run(); // cascades to everything in it
    ctx.invalidate_auth = true;                                       // tokens scoped to it are gone
    ctx.reply(jwrap("organization", org_json(o)));
}

// An integer query parameter; one out of [lo, hi] is brought into it (the spec sets no bounds, so
// any integer is a valid request), anything else is 400.
int64_t int_query(Ctx &ctx, const char *name, int64_t dflt, int64_t lo, int64_t hi) {
    if (!ctx.has_query(name)) return dflt;
    std::string v = ctx.query(name);
    char *end = nullptr;
    long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end) fail(400, std::string(name) + " must be an integer");
    return std::min<int64_t>(hi, std::max<int64_t>(lo, n));
}

void audit_logs(Ctx &ctx) {
    int64_t page = int_query(ctx, "page", 1, 1, 1000000000);
    int64_t size = int_query(ctx, "page_size", 100, 1, 1000);
    int64_t total = 0;
    {
        auto s = ctx.db.q("SELECT count(*) FROM audit_logs WHERE org_id = ?");
        s.args(ctx.org_id);
        if (s.step()) total = s.i64(0);
    }
    Json arr = json_array();
    auto s =
        ctx.db.q("SELECT code, message, origin, author, created_at, data FROM audit_logs WHERE org_id = ? "
                 "ORDER BY id DESC LIMIT ? OFFSET ?");
    s.args(ctx.org_id, size, (page - 1) * size);
    while (s.step()) {
        Json e = json_object();
        cJSON *p = e.get();
        jstr(p, "code", s.str(0));
        jstr(p, "message", s.str(1));
        jstr(p, "origin", s.str(2));
        jstr(p, "author", s.str(3));
        jstr(p, "created_at", rfc3339(s.i64(4)));
        Json data = json_parse(s.str(5));
        jput(p, "data", data ? std::move(data) : json_object());
        jpush(arr.get(), std::move(e));
    }
    Json j = jwrap("audit_logs", std::move(arr));
    Json pg = json_object();
    jint(pg.get(), "page", page);
    jint(pg.get(), "page_size", size);
    jstr(pg.get(), "sort", "desc");
    jint(pg.get(), "total_rows", total);
    jint(pg.get(), "total_pages", (total + size - 1) / size);
    jput(j.get(), "pagination", std::move(pg));
    ctx.reply(std::move(j));
}

Json zero_usage(bool with_counts, int64_t databases, int64_t locations, int64_t groups) {
    Json u = json_object();
    cJSON *p = u.get();
    jint(p, "rows_read", 0);
    jint(p, "rows_written", 0);
    if (with_counts) {
        jint(p, "databases", databases);
        jint(p, "locations", locations);
        jint(p, "groups", groups);
    }
    jint(p, "storage_bytes", 0);
    jint(p, "bytes_synced", 0);
    return u;
}

int64_t count(Ctx &ctx, const char *sql) {
    auto s = ctx.db.q(sql);
    s.args(ctx.org_id);
    return s.step() ? s.i64(0) : 0;
}

void org_usage(Ctx &ctx) {
    // No data plane runs here: rows and bytes are truly zero; the counts are real.
    int64_t dbs = count(ctx, "SELECT count(*) FROM dbs WHERE org_id = ?");
    int64_t groups = count(ctx, "SELECT count(*) FROM grp WHERE org_id = ?");
    int64_t locs =
        count(ctx, "SELECT count(DISTINCT i.location) FROM instances i JOIN dbs d ON d.id = i.db_id "
                   "WHERE d.org_id = ?");
    Json arr = json_array();
    std::vector<std::pair<int64_t, std::string>> ids;
    {
        auto s = ctx.db.q("SELECT id, uuid FROM dbs WHERE org_id = ? ORDER BY name");
        s.args(ctx.org_id);
        while (s.step())
            ids.emplace_back(s.i64(0), s.str(1));
    }
    for (const auto &d : ids) {
        Json e = json_object();
        jstr(e.get(), "uuid", d.second);
        Json insts = json_array();
        for (const auto &i : instances_of(ctx.db, d.first)) {
            Json ie = json_object();
            jstr(ie.get(), "uuid", i.uuid);
            jput(ie.get(), "usage", zero_usage(false, 0, 0, 0));
            jpush(insts.get(), std::move(ie));
        }
        jput(e.get(), "instances", std::move(insts));
        jput(e.get(), "total", zero_usage(false, 0, 0, 0));
        jpush(arr.get(), std::move(e));
    }
    auto o = org_by_id(ctx.db, ctx.org_id);
    Json org = json_object();
    jstr(org.get(), "uuid", o ? o->uuid : "");
    jput(org.get(), "usage", zero_usage(true, dbs, locs, groups));
    jput(org.get(), "databases", std::move(arr));
    ctx.reply(jwrap("organization", std::move(org)));
}

Json plan(const char *name, const char *price, int64_t rows_read, int64_t rows_written, int64_t databases,
          int64_t locations, int64_t storage, int64_t groups, int64_t synced) {
    Json p = json_object();
    jstr(p.get(), "name", name);
    jstr(p.get(), "price", price);
    Json prices = json_array();
    Json pr = json_object();
    jstr(pr.get(), "value", price);
    jstr(pr.get(), "timeline", "monthly");
    jpush(prices.get(), std::move(pr));
    jput(p.get(), "prices", std::move(prices));
    Json q = json_object();
    jint(q.get(), "rowsRead", rows_read);
    jint(q.get(), "rowsWritten", rows_written);
    jint(q.get(), "databases", databases);
    jint(q.get(), "locations", locations);
    jint(q.get(), "storage", storage);
    jint(q.get(), "groups", groups);
    jint(q.get(), "bytesSynced", synced);
    jput(p.get(), "quotas", std::move(q));
    return p;
}

void plans(Ctx &ctx) {
    const int64_t G = 1000000000;
    Json arr = json_array();
    jpush(arr.get(),
          plan("starter", "0", 500 * G / 1000 * 1000, 10 * G / 1000 * 1000, 500, 3, 9 * G, 1, 3 * G));
    jpush(arr.get(), plan("scaler", "29", 100 * G, 100 * G, 10000, 6, 24 * G, 20, 20 * G));
    jpush(arr.get(), plan("enterprise", "custom", 1000 * G, 1000 * G, 1000000, 37, 1000 * G, 1000, 1000 * G));
    ctx.reply(jwrap("plans", std::move(arr)));
}

void subscription(Ctx &ctx) {
    auto o = org_by_id(ctx.db, ctx.org_id);
    Json s = json_object();
    std::string plan_name = o && o->type == "personal" ? "starter" : "scaler";
    jstr(s.get(), "name", plan_name);
    jbool(s.get(), "overages", o && o->overages);
    jstr(s.get(), "plan", plan_name);
    jstr(s.get(), "timeline", "monthly");
    ctx.reply(jwrap("subscription", std::move(s)));
}

void invoices(Ctx &ctx) {
    std::string type = ctx.has_query("type") ? ctx.query("type") : "all";
    if (type != "all" && type != "upcoming" && type != "issued")
        fail(400, "type must be one of all, upcoming, issued");
    Json arr = json_array();
    if (type != "upcoming") { // one settled invoice of zero: fixed local data
        Json i = json_object();
        cJSON *p = i.get();
        jstr(p, "invoice_number", "LOCAL-0001");
        jstr(p, "amount_due", "0.00");
        jstr(p, "due_date", "2024-01-31T00:00:00Z");
        jstr(p, "paid_at", "2024-01-31T00:00:00Z");
        jstr(p, "payment_failed_at", "");
        jstr(p, "invoice_pdf", "");
        jpush(arr.get(), std::move(i));
    }
    ctx.reply(jwrap("invoices", std::move(arr)));
}

void list_locations(Ctx &ctx) {
    // The locations never change: their JSON is built once (building it was a sixth of the
    // server's CPU for this request).
    static const std::string text = [] {
        Json locs = json_object();
        for (const auto &l : all_locations())
            jstr(locs.get(), l.first.c_str(), l.second);
        Json j = jwrap("locations", std::move(locs));
        return json_print(j.get());
    }();
    ctx.res.status = 200;
    ctx.res.set_content(text, "application/json");
}

void get_location(Ctx &ctx) {
    const std::string &code = ctx.params[0];
    if (!valid_location(code)) fail(404, "location " + code + " not found");
    Json l = json_object();
    jstr(l.get(), "code", code);
    jstr(l.get(), "description", location_description(code));
    Json closest = json_array();
    for (const auto &c : closest_locations(code)) {
        Json e = json_object();
        jstr(e.get(), "code", c);
        jstr(e.get(), "description", location_description(c));
        jpush(closest.get(), std::move(e));
    }
    jput(l.get(), "closest", std::move(closest));
    ctx.reply(jwrap("location", std::move(l)));
}

} // namespace

void add_org_routes(std::vector<Route> &r) {
    r.push_back({"GET", "/v1/organizations", list_orgs, ORG_NONE, 0, SC_READ});
    r.push_back({"POST", "/v1/organizations", create_org, ORG_NONE, 0, SC_MANAGE});
    r.push_back({"GET", "/v1/organizations/{org}", get_org, ORG_PARAM, ROLE_VIEWER, SC_READ});
    r.push_back({"PATCH", "/v1/organizations/{org}", update_org, ORG_PARAM, ROLE_ADMIN, SC_MANAGE});
    r.push_back({"DELETE", "/v1/organizations/{org}", delete_org, ORG_PARAM, ROLE_OWNER, SC_MANAGE});
    r.push_back(
        {"GET", "/v1/organizations/{org}/audit-logs", audit_logs, ORG_PARAM, ROLE_VIEWER, SC_READ | SC_ORG});
    r.push_back(
        {"GET", "/v1/organizations/{org}/usage", org_usage, ORG_PARAM, ROLE_VIEWER, SC_READ | SC_ORG});
    r.push_back({"GET", "/v1/organizations/{org}/plans", plans, ORG_PARAM, ROLE_VIEWER, SC_READ | SC_ORG});
    r.push_back({"GET", "/v1/organizations/{org}/subscription", subscription, ORG_PARAM, ROLE_VIEWER,
                 SC_READ | SC_ORG});
    r.push_back(
        {"GET", "/v1/organizations/{org}/invoices", invoices, ORG_PARAM, ROLE_VIEWER, SC_READ | SC_ORG});
    r.push_back({"GET", "/v1/locations", list_locations, ORG_NONE, 0, 0});
    r.push_back({"GET", "/v1/locations/{location}", get_location, ORG_NONE, 0, 0});
}

} // namespace tl
