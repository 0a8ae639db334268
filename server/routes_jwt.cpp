// Database and group auth tokens: EdDSA JWTs signed with the database's or group's own Ed25519 key,
// invalidated by rotate (a new key), and POST /local/verify-token to check one against current keys.
#include "jwt.hpp"
#include "model.hpp"
#include "server.hpp"
#include "validate.hpp"

namespace tl {

namespace {

// Claims common to database and group tokens, from the query and body.
Json claims(Ctx &ctx) {
    int64_t seconds = -1;
    std::string exp = ctx.query("expiration");
    if (!parse_expiration(exp, seconds))
        fail(400, "invalid expiration '" + exp +
                      "': use a duration like 1w2d6h3m (units ns us ms s m h d w) or never");
    std::string authz = ctx.has_query("authorization") ? ctx.query("authorization") : "full-access";
    if (authz != "full-access" && authz != "read-only")
        fail(400, "authorization must be full-access or read-only");
    int64_t now = now_seconds();
    Json c = json_object();
    jstr(c.get(), "a", authz == "read-only" ? "ro" : "rw");
    jint(c.get(), "iat", now);
    if (seconds > 0) jint(c.get(), "exp", now + seconds);
    const cJSON *perms = ctx.body().raw("permissions");
    if (perms) {
        if (!cJSON_IsObject(perms)) fail(400, "permissions must be an object");
        const cJSON *ra = cJSON_GetObjectItem(perms, "read_attach");
        const cJSON *dbs = ra ? cJSON_GetObjectItem(ra, "databases") : nullptr;
        if (ra && !cJSON_IsNull(ra) && !cJSON_IsObject(ra))
            fail(400, "permissions.read_attach must be an object");
        if (dbs && !cJSON_IsNull(dbs)) {
            if (!cJSON_IsArray(dbs)) fail(400, "permissions.read_attach.databases must be an array of names");
            std::vector<std::string> names;
            const cJSON *it;
            cJSON_ArrayForEach(it, dbs) {
                if (!cJSON_IsString(it))
                    fail(400, "permissions.read_attach.databases must be an array of names");
                find_db(ctx, it->valuestring); // 404 if missing, 403 outside a token's group
                names.emplace_back(it->valuestring);
            }
            if (!names.empty()) {
                Json ns = json_object();
                jstrs(ns.get(), "ns", names);
                jput(c.get(), "p", jwrap("roa", std::move(ns)));
            }
        }
    }
    return c;
}

// Signs after the commit (Ed25519 needs no database): the single writer does not wait for it.
void reply_jwt_after_commit(Ctx &ctx, std::string key, Json claims) {
    ctx.after_commit = [&res = ctx.res, key = std::move(key), payload = json_print(claims.get())] {
        Json j = json_object();
        jstr(j.get(), "jwt", jwt_sign(key, payload));
        reply_json(res, j);
    };
}

void db_token(Ctx &ctx) {
    DbRow d = find_db(ctx, ctx.params[0]);
    Json c = claims(ctx);
    jstr(c.get(), "id", d.uuid);
    audit(ctx, "db-token-create", "token created for database " + d.name);
    reply_jwt_after_commit(ctx, d.key, std::move(c));
}

void db_rotate(Ctx &ctx) {
    DbRow d = find_db(ctx, ctx.params[0]);
    ctx.db.q("UPDATE dbs SET key = ? WHERE id = ?").bind_blob(1, ed25519_new_seed()).bind(2, d.id).run();
    audit(ctx, "db-rotate-tokens", "tokens of database " + d.name + " invalidated");
    ctx.reply_empty();
}

void group_token(Ctx &ctx) {
    GroupRow g = find_group(ctx, ctx.params[0]);
    Json c = claims(ctx);
    jstr(c.get(), "gid", g.uuid);
    audit(ctx, "group-token-create", "token created for group " + g.name);
    reply_jwt_after_commit(ctx, g.key, std::move(c));
}

void group_rotate(Ctx &ctx) {
    GroupRow g = find_group(ctx, ctx.params[0]);
    // A group's rotation also rotates the keys of all its databases.
    ctx.db.q("UPDATE grp SET key = ? WHERE id = ?").bind_blob(1, ed25519_new_seed()).bind(2, g.id).run();
    std::vector<int64_t> ids;
    {
        auto s = ctx.db.q("SELECT id FROM dbs WHERE group_id = ?");
        s.args(g.id);
        while (s.step())
            ids.push_back(s.i64(0));
    }
    for (int64_t id : ids)
        ctx.db.q("UPDATE dbs SET key = ? WHERE id = ?").bind_blob(1, ed25519_new_seed()).bind(2, id).run();
    audit(ctx, "group-rotate-tokens", "tokens of group " + g.name + " invalidated");
    ctx.reply_empty();
}

// POST /local/verify-token {"token": "..."} -> {"valid": bool, "claims": {...}, "reason": "..."}
void verify_token(Ctx &ctx) {
    std::string token = ctx.body().require_str("token");
    Json out = json_object();
    auto verdict = [&](bool valid, const std::string &reason) {
        jbool(out.get(), "valid", valid);
        if (!reason.empty()) jstr(out.get(), "reason", reason);
        ctx.reply(std::move(out));
    };
    JwtParts parts;
    if (!jwt_split(token, parts)) return verdict(false, "not a compact EdDSA JWT");
    Json header = json_parse(parts.header_json), payload = json_parse(parts.payload_json);
    if (!header || !payload || !cJSON_IsObject(payload.get())) return verdict(false, "malformed JWT");
    const cJSON *alg = cJSON_GetObjectItemCaseSensitive(header.get(), "alg");
    if (!cJSON_IsString(alg) || std::string(alg->valuestring) != "EdDSA")
        return verdict(false, "alg is not EdDSA");
    jput(out.get(), "claims", Json(cJSON_Duplicate(payload.get(), 1)));
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(payload.get(), "id");
    const cJSON *gid = cJSON_GetObjectItemCaseSensitive(payload.get(), "gid");
    std::string key;
    int64_t org_id = 0;
    if (cJSON_IsString(id)) {
        auto s = ctx.db.q("SELECT key, org_id, name FROM dbs WHERE uuid = ?");
        s.args(std::string(id->valuestring));
        if (!s.step()) return verdict(false, "database not found");
        key = s.str(0);
        org_id = s.i64(1);
        jstr(out.get(), "database", s.str(2));
    } else if (cJSON_IsString(gid)) {
        auto s = ctx.db.q("SELECT key, org_id, name FROM grp WHERE uuid = ?");
        s.args(std::string(gid->valuestring));
        if (!s.step()) return verdict(false, "group not found");
        key = s.str(0);
        org_id = s.i64(1);
        jstr(out.get(), "group", s.str(2));
    } else {
        return verdict(false, "no id or gid claim");
    }
    if (auto o = org_by_id(ctx.db, org_id)) jstr(out.get(), "organization", o->slug);
    if (!ed25519_verify(key, parts.signing_input, parts.signature))
        return verdict(false, "signature does not match the current key (rotated or forged)");
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(payload.get(), "exp");
    if (exp && cJSON_IsNumber(exp) && exp->valuedouble <= static_cast<double>(now_seconds()))
        return verdict(false, "expired");
    verdict(true, "");
}

} // namespace

void add_jwt_routes(std::vector<Route> &r) {
    const std::string db = "/v1/organizations/{org}/databases/{db}/auth";
    r.push_back({"POST", db + "/tokens", db_token, ORG_PARAM, ROLE_MEMBER, SC_DB_MINT});
    r.push_back({"POST", db + "/rotate", db_rotate, ORG_PARAM, ROLE_MEMBER, SC_DB_ROTATE});
    for (auto mode : {ORG_PARAM, ORG_PERSONAL}) {
        std::string g =
            mode == ORG_PARAM ? "/v1/organizations/{org}/groups/{group}/auth" : "/v1/groups/{group}/auth";
        r.push_back({"POST", g + "/tokens", group_token, mode, ROLE_MEMBER, SC_GROUP_MINT});
        r.push_back({"POST", g + "/rotate", group_rotate, mode, ROLE_MEMBER, SC_GROUP_ROTATE});
    }
    r.push_back({"POST", "/local/verify-token", verify_token, ORG_NONE, 0, 0});
}

} // namespace tl
