// Platform API tokens (/v1/auth, /v2/auth, organization-scoped tokens) and the current user.
#include "crypto.hpp"
#include "model.hpp"
#include "server.hpp"
#include "validate.hpp"

namespace tl {

namespace {

bool valid_token_name(const std::string &s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
    return true;
}

void validate_token(Ctx &ctx) {
    Json j = json_object();
    jint(j.get(), "exp", -1); // platform tokens of turso-local never expire
    ctx.reply(std::move(j));
}

// One row of api_tokens as the list answers show it.
Json token_json(Stmt &s, bool with_owner) {
    // columns: public_id, name, org slug, group_name, scopes, created_at, username
    Json t = json_object();
    cJSON *p = t.get();
    jstr(p, "name", s.str(1));
    jstr(p, "id", s.str(0));
    if (!s.is_null(2)) jstr(p, "organization", s.str(2));
    if (!s.is_null(3)) jstr(p, "group", s.str(3));
    auto scopes = scope_names(s.str(4));
    if (scopes.empty()) scopes.push_back("full-access");
    jstrs(p, "scopes", scopes);
    if (with_owner) {
        Json owner = json_object();
        jstr(owner.get(), "username", s.str(6));
        jstr(owner.get(), "email", user_email(s.str(6)));
        jput(p, "owner", std::move(owner));
    }
    jstr(p, "created_at", rfc3339(s.i64(5)));
    return t;
}

const char *kTokenCols =
    "SELECT t.public_id, t.name, o.slug, t.group_name, t.scopes, t.created_at, u.username "
    "FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN orgs o ON o.id = t.org_id ";

void list_tokens(Ctx &ctx) {
    Json arr = json_array();
    // A restricted token sees the user's tokens of its own organization (and group) only.
    auto s = ctx.db.q(std::string(kTokenCols) +
                      "WHERE t.user_id = ? AND t.kind = 'api' AND (? = '' OR o.slug = ?) "
                      "AND (? = '' OR t.group_name = ?) ORDER BY t.id");
    s.args(ctx.who.user_id, ctx.who.org_restrict, ctx.who.org_restrict, ctx.who.group_restrict,
           ctx.who.group_restrict);
    while (s.step())
        jpush(arr.get(), token_json(s, false));
    ctx.reply(jwrap("tokens", std::move(arr)));
}

// Mints a platform token; answers {id, name, value}. Body (optional): organization, group, scopes.
struct Minted {
    std::string id, name, value;
};

Minted mint(Ctx &ctx) {
    if (!ctx.who.org_restrict.empty() || ctx.who.scopes != SC_ALL)
        fail(403, "a restricted API token cannot create API tokens");
    const std::string &name = ctx.params[0];
    if (!valid_token_name(name)) fail(400, "invalid token name: use 1-64 letters, digits, '-', '_', '.'");
    Body &b = ctx.body();
    auto org = b.str("organization");
    auto group = b.str("group");
    auto scopes = b.strings("scopes");
    std::string scopes_text;
    if (scopes) {
        std::string bad;
        if (!parse_scopes(*scopes, bad) && !scopes->empty()) fail(400, "unknown scope: " + bad);
        for (const auto &s : *scopes)
            scopes_text += (scopes_text.empty() ? "" : ",") + s;
    }
    int64_t org_id = 0;
    if (group && !org) fail(400, "a group-scoped token needs an organization");
    if (group && (!scopes || scopes->empty()))
        fail(400, "a group-scoped token needs a non-empty 'scopes' list");
    if (org) {
        auto s = ctx.db.q(
            "SELECT o.id, m.role FROM orgs o LEFT JOIN members m ON m.org_id = o.id AND m.user_id = ? "
            "WHERE o.slug = ?");
        s.args(ctx.who.user_id, *org);
        if (!s.step()) fail(404, "organization " + *org + " not found");
        if (s.is_null(1)) fail(403, "you are not a member of organization " + *org);
        if (group && parse_role(s.str(1)) < ROLE_ADMIN)
            fail(403, "only an admin or owner of organization " + *org + " can mint a group-scoped token");
        org_id = s.i64(0);
        if (group && !group_by_name(ctx.db, org_id, *group)) fail(404, "group " + *group + " not found");
    }
    {
        auto s = ctx.db.q("SELECT 1 FROM api_tokens WHERE user_id = ? AND name = ?");
        s.args(ctx.who.user_id, name);
        if (s.step()) fail(409, "an API token named " + name + " already exists");
    }
    Minted m{new_uuid(), name, new_secret_token()};
    auto ins =
        ctx.db.q("INSERT INTO api_tokens(public_id, user_id, name, kind, hash, org_id, group_name, scopes, "
                 "created_at) VALUES (?, ?, ?, 'api', ?, ?, ?, ?, ?)");
    ins.args(m.id, ctx.who.user_id, name).bind_blob(4, sha256(m.value));
    if (org_id)
        ins.bind(5, org_id);
    else
        ins.bind(5, nullptr);
    ins.bind(6, group ? group->c_str() : nullptr).bind(7, scopes_text).bind(8, now_seconds()).run();
    auto personal = org_by_slug(ctx.db, ctx.who.username);
    int64_t log_org = org_id ? org_id : (personal ? personal->id : 0);
    Json data = json_object();
    jstr(data.get(), "name", name);
    audit(ctx, "user-token-create", "API token " + name + " created", std::move(data), log_org);
    return m;
}

void create_token(Ctx &ctx) {
    Minted m = mint(ctx);
    Json j = json_object();
    jstr(j.get(), "name", m.name);
    jstr(j.get(), "id", m.id);
    jstr(j.get(), "token", m.value);
    ctx.reply(std::move(j));
}

void create_token_v2(Ctx &ctx) {
    Minted m = mint(ctx);
    Json t = json_object();
    jstr(t.get(), "id", m.id);
    jstr(t.get(), "name", m.name);
    jstr(t.get(), "value", m.value);
    ctx.reply(jwrap("token", std::move(t)));
}

void revoke_token(Ctx &ctx) {
    const std::string &name = ctx.params[0];
    auto s = ctx.db.q("SELECT id, org_id FROM api_tokens WHERE user_id = ? AND name = ? AND kind = 'api'");
    s.args(ctx.who.user_id, name);
    if (!s.step()) fail(404, "API token " + name + " not found");
    int64_t id = s.i64(0);
    int64_t org_id = s.is_null(1) ? 0 : s.i64(1);
    ctx.db.q("DELETE FROM api_tokens WHERE id = ?").args(id).run();
    ctx.invalidate_auth = true;
    auto personal = org_by_slug(ctx.db, ctx.who.username);
    audit(ctx, "user-token-revoke", "API token " + name + " revoked", Json(),
          org_id ? org_id : (personal ? personal->id : 0));
    Json j = json_object();
    jstr(j.get(), "token", name);
    ctx.reply(std::move(j));
}

void list_org_tokens(Ctx &ctx) {
    Json arr = json_array();
    bool all = ctx.role >= ROLE_ADMIN;
    auto s = ctx.db.q(std::string(kTokenCols) +
                      "WHERE t.org_id = ? AND t.kind = 'api' AND (? OR t.user_id = ?) ORDER BY t.id");
    s.args(ctx.org_id, all, ctx.who.user_id);
    while (s.step())
        jpush(arr.get(), token_json(s, true));
    ctx.reply(jwrap("tokens", std::move(arr)));
}

void revoke_org_token(Ctx &ctx) {
    const std::string &id = ctx.params[0];
    auto s = ctx.db.q(
        "SELECT id, user_id, name FROM api_tokens WHERE public_id = ? AND org_id = ? AND kind = 'api'");
    s.args(id, ctx.org_id);
    if (!s.step()) fail(404, "API token " + id + " not found in organization " + ctx.org_slug);
    int64_t row = s.i64(0);
    if (s.i64(1) != ctx.who.user_id && ctx.role < ROLE_ADMIN)
        fail(403, "only the token's owner or an admin can revoke it");
    std::string name = s.str(2);
    ctx.db.q("DELETE FROM api_tokens WHERE id = ?").args(row).run();
    ctx.invalidate_auth = true;
    audit(ctx, "user-token-revoke", "API token " + name + " revoked");
    Json j = json_object();
    jstr(j.get(), "token", id);
    ctx.reply(std::move(j));
}

Json user_json(Ctx &ctx) {
    Json u = json_object();
    cJSON *p = u.get();
    std::string email = user_email(ctx.who.username);
    jstr(p, "username", ctx.who.username);
    jstr(p, "name", ctx.who.username);
    jstr(p, "email", email);
    jstr(p, "avatarUrl", "");
    jstr(p, "plan", "starter");
    jbool(p, "mfa", false);
    auto s = ctx.db.q("SELECT count(*) FROM invites WHERE email = ?");
    s.args(email);
    jbool(p, "has_pending_invites", s.step() && s.i64(0) > 0);
    return u;
}

void get_user(Ctx &ctx) {
    ctx.reply(jwrap("user", user_json(ctx)));
}

} // namespace

void add_token_routes(std::vector<Route> &r) {
    r.push_back({"GET", "/v1/auth/validate", validate_token, ORG_NONE, 0, 0});
    r.push_back({"GET", "/v1/auth/api-tokens/validate", validate_token, ORG_NONE, 0, 0}); // TS client's path
    r.push_back({"GET", "/v1/auth/api-tokens", list_tokens, ORG_NONE, 0, SC_READ});
    r.push_back({"POST", "/v1/auth/api-tokens/{name}", create_token, ORG_NONE, 0, SC_MANAGE});
    r.push_back({"POST", "/v2/auth/api-tokens/{name}", create_token_v2, ORG_NONE, 0, SC_MANAGE});
    r.push_back({"DELETE", "/v1/auth/api-tokens/{name}", revoke_token, ORG_NONE, 0, SC_MANAGE});
    r.push_back({"GET", "/v1/organizations/{org}/api-tokens", list_org_tokens, ORG_PARAM, ROLE_VIEWER,
                 SC_READ | SC_ORG});
    // Any member may revoke a token they minted; admins any (checked in the handler).
    r.push_back({"DELETE", "/v1/organizations/{org}/api-tokens/{id}", revoke_org_token, ORG_PARAM,
                 ROLE_VIEWER, SC_MANAGE});
    r.push_back({"GET", "/v1/user", get_user, ORG_NONE, 0, SC_READ});
    r.push_back({"GET", "/v1/current-user", get_user, ORG_NONE, 0, SC_READ});
}

} // namespace tl
