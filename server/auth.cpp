#include "auth.hpp"

#include "crypto.hpp"
#include "model.hpp"

#include <mutex>

namespace tl {

namespace {
struct ScopeName {
    const char *name;
    uint32_t bits;
};
const ScopeName kScopes[] = {
    {"read", SC_READ},
    {"db:create", SC_DB_CREATE},
    {"db:delete", SC_DB_DELETE},
    {"db:configure", SC_DB_CONFIGURE},
    {"db:mint-token", SC_DB_MINT},
    {"db:rotate-creds", SC_DB_ROTATE},
    {"group:configure", SC_GROUP_CONFIGURE},
    {"group:mint-token", SC_GROUP_MINT},
    {"group:rotate-creds", SC_GROUP_ROTATE},
    {"read-only", SC_READ},
    {"full-access", SC_ALL},
};
} // namespace

uint32_t parse_scopes(const std::vector<std::string> &names, std::string &bad) {
    if (names.empty()) return SC_ALL;
    uint32_t bits = 0;
    for (const auto &n : names) {
        bool found = false;
        for (const auto &s : kScopes)
            if (n == s.name) {
                bits |= s.bits;
                found = true;
            }
        if (!found) {
            bad = n;
            return 0;
        }
    }
    return bits;
}

std::vector<std::string> scope_names(const std::string &stored) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start < stored.size()) {
        size_t comma = stored.find(',', start);
        if (comma == std::string::npos) comma = stored.size();
        if (comma > start) out.push_back(stored.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

bool Auth::authenticate(const std::string &token, Principal &out) {
    if (token.empty() || token.size() > 4096) return false;
    std::string h = sha256(token);
    uint64_t gen;
    {
        std::shared_lock<std::shared_mutex> g(mu_);
        auto it = cache_.find(h);
        if (it != cache_.end()) {
            out = it->second;
            return true;
        }
        gen = generation_;
    }
    Principal p;
    {
        Store::Lease lease(store_);
        auto s = lease.conn().q("SELECT t.id, t.user_id, u.username, t.hash, o.slug, t.group_name, t.scopes "
                                "FROM api_tokens t JOIN users u ON u.id = t.user_id "
                                "LEFT JOIN orgs o ON o.id = t.org_id WHERE t.hash = ?");
        s.bind_blob(1, h);
        if (!s.step()) return false;
        // The index found it by hash; compare the stored hash once more in constant time.
        if (!equal_ct(s.str(3), h)) return false;
        p.token_id = s.i64(0);
        p.user_id = s.i64(1);
        p.username = s.str(2);
        p.org_restrict = s.is_null(4) ? "" : s.str(4);
        p.group_restrict = s.is_null(5) ? "" : s.str(5);
        std::string bad;
        p.scopes = parse_scopes(scope_names(s.str(6)), bad);
        if (!p.org_restrict.empty() && !p.scopes) return false;
        // Whatever its scopes say ("full-access" included), a restricted token never manages
        // organizations, members or tokens, and one pinned to a group sees nothing of the
        // organization beyond that group.
        if (!p.org_restrict.empty()) p.scopes &= ~SC_MANAGE;
        if (!p.group_restrict.empty()) p.scopes &= ~SC_ORG;
    }
    {
        std::unique_lock<std::shared_mutex> g(mu_);
        // A revocation that committed after our read bumped the generation: do not cache.
        if (gen == generation_) cache_.emplace(h, p);
    }
    out = std::move(p);
    return true;
}

void Auth::invalidate() {
    std::unique_lock<std::shared_mutex> g(mu_);
    ++generation_;
    cache_.clear();
}

void add_login_token(Conn &w, int64_t user_id, const std::string &token) {
    if (token.empty()) throw ApiError(400, "empty token");
    std::string h = sha256(token);
    auto s = w.q("SELECT user_id FROM api_tokens WHERE hash = ?");
    s.bind_blob(1, h);
    if (s.step()) {
        if (s.i64(0) != user_id) throw ApiError(409, "this token already belongs to another user");
        return;
    }
    w.q("INSERT INTO api_tokens(public_id, user_id, name, kind, hash, created_at) VALUES (?, ?, NULL, "
        "'login', ?, ?)")
        .args(new_uuid(), user_id)
        .bind_blob(3, h)
        .bind(4, now_seconds())
        .run();
}

void replace_login_tokens(Conn &w,
                          const std::vector<std::pair<std::string, std::vector<std::string>>> &logins) {
    // Every user's: one named at an earlier start (or added by /admin/users) and not now is
    // left with the tokens minted through the API.
    w.q("DELETE FROM api_tokens WHERE kind = 'login'").run();
    std::vector<int64_t> ids;
    for (const auto &l : logins)
        ids.push_back(ensure_user(w, l.first));
    // Added after every delete, so that two users may swap tokens between starts.
    for (size_t i = 0; i < logins.size(); ++i)
        for (const auto &t : logins[i].second)
            add_login_token(w, ids[i], t);
}

} // namespace tl
