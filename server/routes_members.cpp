// Organization members and invites (v1 and v2 routes).
#include "crypto.hpp"
#include "model.hpp"
#include "server.hpp"
#include "validate.hpp"

namespace tl {

namespace {

void no_personal(Ctx &ctx) {
    if (ctx.org_type == "personal")
        fail(400, "personal organization " + ctx.org_slug +
                      " cannot have other members: create a team organization");
}

int invited_role(const std::optional<std::string> &role) {
    if (!role) return ROLE_MEMBER;
    int r = parse_role(*role);
    if (r < 0 || r == ROLE_OWNER) fail(400, "role must be one of admin, member, viewer");
    return r;
}

struct Member {
    int64_t user_id = 0;
    std::string username;
    int role = -1;
};

std::optional<Member> member_by_name(Ctx &ctx, const std::string &username) {
    auto s = ctx.db.q("SELECT u.id, u.username, m.role FROM members m JOIN users u ON u.id = m.user_id "
                      "WHERE m.org_id = ? AND u.username = ?");
    s.args(ctx.org_id, username);
    if (!s.step()) return std::nullopt;
    return Member{s.i64(0), s.str(1), parse_role(s.str(2))};
}

Json member_json(const std::string &username, int role) {
    Json m = json_object();
    jstr(m.get(), "username", username);
    jstr(m.get(), "role", role_name(role));
    jstr(m.get(), "email", user_email(username));
    return m;
}

void list_members(Ctx &ctx) {
    Json arr = json_array();
    auto s = ctx.db.q(
        "SELECT u.username, m.role FROM members m JOIN users u ON u.id = m.user_id WHERE m.org_id = ? "
        "ORDER BY m.role != 'owner', u.username");
    s.args(ctx.org_id);
    while (s.step())
        jpush(arr.get(), member_json(s.str(0), parse_role(s.str(1))));
    ctx.reply(jwrap("members", std::move(arr)));
}

void add_member_named(Ctx &ctx, const std::string &username) {
    no_personal(ctx);
    int role = invited_role(ctx.body().str("role"));
    if (username.empty()) fail(400, "field 'username' is required");
    auto s = ctx.db.q("SELECT id FROM users WHERE username = ?");
    s.args(username);
    if (!s.step()) fail(404, "user " + username + " not found");
    int64_t uid = s.i64(0);
    if (member_by_name(ctx, username))
        fail(409, "user " + username + " is already a member of " + ctx.org_slug);
    ctx.db.q("INSERT INTO members(org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)")
        .args(ctx.org_id, uid, role_name(role), now_seconds())
        .run();
    ctx.db.q("DELETE FROM invites WHERE org_id = ? AND email = ?")
        .args(ctx.org_id, user_email(username))
        .run();
    Json data = json_object();
    jstr(data.get(), "username", username);
    jstr(data.get(), "role", role_name(role));
    audit(ctx, "org-member-add", "member " + username + " added as " + role_name(role), std::move(data));
    Json j = json_object();
    jstr(j.get(), "member", username);
    jstr(j.get(), "role", role_name(role));
    ctx.reply(std::move(j));
}

void add_member(Ctx &ctx) {
    add_member_named(ctx, ctx.body().str("username").value_or(""));
}
void add_member_path(Ctx &ctx) {
    add_member_named(ctx, ctx.params[0]);
} // the TS client's form

void get_member(Ctx &ctx) {
    auto m = member_by_name(ctx, ctx.params[0]);
    if (!m) fail(404, "member " + ctx.params[0] + " not found");
    ctx.reply(jwrap("member", member_json(m->username, m->role)));
}

void update_member(Ctx &ctx) {
    auto role_text = ctx.body().str("role");
    if (!role_text) fail(400, "field 'role' is required");
    int role = invited_role(role_text);
    auto m = member_by_name(ctx, ctx.params[0]);
    if (!m) fail(404, "member " + ctx.params[0] + " not found");
    if (m->role == ROLE_OWNER) fail(403, "the owner's role cannot be changed");
    ctx.db.q("UPDATE members SET role = ? WHERE org_id = ? AND user_id = ?")
        .args(role_name(role), ctx.org_id, m->user_id)
        .run();
    audit(ctx, "org-member-update", "member " + m->username + " is now " + role_name(role));
    ctx.reply(jwrap("member", member_json(m->username, role)));
}

void remove_member(Ctx &ctx) {
    auto m = member_by_name(ctx, ctx.params[0]);
    if (!m) fail(404, "member " + ctx.params[0] + " not found");
    bool self = m->user_id == ctx.who.user_id;
    if (!self && ctx.role < ROLE_ADMIN) fail(403, "only admins and owners can remove members");
    if (m->role == ROLE_OWNER) fail(403, "the owner of an organization cannot be removed");
    ctx.db.q("DELETE FROM members WHERE org_id = ? AND user_id = ?").args(ctx.org_id, m->user_id).run();
    // Their tokens restricted to this organization go too: kept, they would work again the day
    // the user is added back, with whatever scopes they had.
    ctx.db.q("DELETE FROM api_tokens WHERE org_id = ? AND user_id = ?").args(ctx.org_id, m->user_id).run();
    if (ctx.db.changes() > 0) ctx.invalidate_auth = true;
    audit(ctx, self ? "org-member-leave" : "org-member-rm", "member " + m->username + " removed");
    Json j = json_object();
    jstr(j.get(), "member", m->username);
    ctx.reply(std::move(j));
}

// ---- invites

struct Invite {
    int64_t id = 0;
    std::string email, role, token;
    int64_t created_at = 0;
};

Invite create_invite(Ctx &ctx) {
    no_personal(ctx);
    Body &b = ctx.body();
    auto email = b.str("email");
    auto username = b.str("username");
    if (email && email->empty()) email.reset();
    if (username && username->empty()) username.reset();
    if (email && username) fail(400, "give either email or username, not both");
    if (!email && !username) fail(400, "field 'email' or 'username' is required");
    int role = invited_role(b.str("role"));
    std::string who;
    if (username) {
        auto s = ctx.db.q("SELECT 1 FROM users WHERE username = ?");
        s.args(*username);
        if (!s.step()) fail(404, "user " + *username + " not found");
        if (member_by_name(ctx, *username)) fail(409, "user " + *username + " is already a member");
        who = user_email(*username);
    } else {
        if (!valid_email(*email)) fail(400, "invalid e-mail address");
        who = *email;
        auto s = ctx.db.q(
            "SELECT 1 FROM members m JOIN users u ON u.id = m.user_id WHERE m.org_id = ? AND u.email = ?");
        s.args(ctx.org_id, who);
        if (s.step()) fail(409, who + " is already a member");
    }
    {
        auto s = ctx.db.q("SELECT 1 FROM invites WHERE org_id = ? AND email = ?");
        s.args(ctx.org_id, who);
        if (s.step()) fail(409, who + " is already invited");
    }
    Invite inv{0, who, role_name(role), hex(random_bytes(16)), now_seconds()};
    ctx.db.q("INSERT INTO invites(org_id, email, role, token, created_at) VALUES (?, ?, ?, ?, ?)")
        .args(ctx.org_id, inv.email, inv.role, inv.token, inv.created_at)
        .run();
    inv.id = ctx.db.last_id();
    audit(ctx, "org-invite-create", "invited " + inv.email + " as " + inv.role);
    return inv;
}

// The 2024-01 spec's (Go struct) shape of an invite, for the v1 routes.
Json invite_v1_json(Ctx &ctx, const Invite &i) {
    Json j = json_object();
    cJSON *p = j.get();
    jint(p, "ID", i.id);
    jstr(p, "CreatedAt", rfc3339(i.created_at));
    jstr(p, "UpdatedAt", rfc3339(i.created_at));
    jnull(p, "DeletedAt");
    jstr(p, "Role", i.role);
    jstr(p, "Email", i.email);
    jint(p, "OrganizationID", ctx.org_id);
    jstr(p, "Token", i.token);
    auto o = org_by_id(ctx.db, ctx.org_id);
    Json org = json_object();
    jstr(org.get(), "name", o->name);
    jstr(org.get(), "slug", o->slug);
    jstr(org.get(), "type", o->type);
    jbool(org.get(), "overages", o->overages);
    jbool(org.get(), "blocked_reads", false);
    jbool(org.get(), "blocked_writes", false);
    jput(p, "Organization", std::move(org));
    jbool(p, "Accepted", false);
    return j;
}

std::vector<Invite> invites_of(Ctx &ctx) {
    std::vector<Invite> out;
    auto s = ctx.db.q("SELECT id, email, role, token, created_at FROM invites WHERE org_id = ? ORDER BY id");
    s.args(ctx.org_id);
    while (s.step())
        out.push_back(Invite{s.i64(0), s.str(1), s.str(2), s.str(3), s.i64(4)});
    return out;
}

void list_invites_v1(Ctx &ctx) {
    Json arr = json_array();
    for (const auto &i : invites_of(ctx))
        jpush(arr.get(), invite_v1_json(ctx, i));
    ctx.reply(jwrap("invites", std::move(arr)));
}

void create_invite_v1(Ctx &ctx) {
    Invite i = create_invite(ctx);
    ctx.reply(jwrap("invited", invite_v1_json(ctx, i)));
}

void list_invites_v2(Ctx &ctx) {
    Json arr = json_array();
    for (const auto &i : invites_of(ctx)) {
        Json e = json_object();
        jint(e.get(), "id", i.id);
        jstr(e.get(), "email", i.email);
        jstr(e.get(), "role", i.role);
        jstr(e.get(), "created_at", rfc3339(i.created_at));
        jpush(arr.get(), std::move(e));
    }
    ctx.reply(jwrap("invites", std::move(arr)));
}

void create_invite_v2(Ctx &ctx) {
    Invite i = create_invite(ctx);
    Json e = json_object();
    jstr(e.get(), "email", i.email);
    jstr(e.get(), "role", i.role);
    jstr(e.get(), "organization", ctx.org_slug);
    ctx.reply(jwrap("invited", std::move(e)));
}

void delete_invite(Ctx &ctx) {
    const std::string &email = ctx.params[0];
    ctx.db.q("DELETE FROM invites WHERE org_id = ? AND email = ?").args(ctx.org_id, email).run();
    if (ctx.db.changes() == 0) fail(404, "no invite for " + email);
    audit(ctx, "org-invite-delete", "invite of " + email + " deleted");
    ctx.reply_empty();
}

} // namespace

void add_member_routes(std::vector<Route> &r) {
    r.push_back(
        {"GET", "/v1/organizations/{org}/members", list_members, ORG_PARAM, ROLE_VIEWER, SC_READ | SC_ORG});
    r.push_back({"POST", "/v1/organizations/{org}/members", add_member, ORG_PARAM, ROLE_ADMIN, SC_MANAGE});
    r.push_back({"POST", "/v1/organizations/{org}/members/{username}", add_member_path, ORG_PARAM, ROLE_ADMIN,
                 SC_MANAGE});
    r.push_back({"GET", "/v1/organizations/{org}/members/{username}", get_member, ORG_PARAM, ROLE_VIEWER,
                 SC_READ | SC_ORG});
    r.push_back({"PATCH", "/v1/organizations/{org}/members/{username}", update_member, ORG_PARAM, ROLE_ADMIN,
                 SC_MANAGE});
    r.push_back({"DELETE", "/v1/organizations/{org}/members/{username}", remove_member, ORG_PARAM,
                 ROLE_VIEWER, SC_MANAGE});
    r.push_back(
        {"POST", "/v1/organizations/{org}/invite", create_invite_v1, ORG_PARAM, ROLE_ADMIN, SC_MANAGE});
    r.push_back(
        {"GET", "/v1/organizations/{org}/invites", list_invites_v1, ORG_PARAM, ROLE_ADMIN, SC_READ | SC_ORG});
    r.push_back(
        {"POST", "/v1/organizations/{org}/invites", create_invite_v1, ORG_PARAM, ROLE_ADMIN, SC_MANAGE});
    r.push_back({"DELETE", "/v1/organizations/{org}/invites/{email}", delete_invite, ORG_PARAM, ROLE_ADMIN,
                 SC_MANAGE});
    r.push_back(
        {"GET", "/v2/organizations/{org}/invites", list_invites_v2, ORG_PARAM, ROLE_ADMIN, SC_READ | SC_ORG});
    r.push_back(
        {"POST", "/v2/organizations/{org}/invites", create_invite_v2, ORG_PARAM, ROLE_ADMIN, SC_MANAGE});
    r.push_back({"DELETE", "/v2/organizations/{org}/invites/{email}", delete_invite, ORG_PARAM, ROLE_ADMIN,
                 SC_MANAGE});
}

} // namespace tl
