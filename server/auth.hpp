// Platform API tokens: random secrets stored only as SHA-256 hashes, checked on every request
// through a small in-memory cache that revocations clear at once.
#pragma once
#include "api.hpp"

#include <shared_mutex>
#include <unordered_map>
#include <vector>

namespace tl {

class Auth {
  public:
    explicit Auth(Store &s) : store_(s) {}
    // True and fills out if the bearer token is a live platform token.
    bool authenticate(const std::string &token, Principal &out);
    // Call after a commit that revoked tokens or deleted what they are scoped to.
    void invalidate();

  private:
    Store &store_;
    std::shared_mutex mu_;
    std::unordered_map<std::string, Principal> cache_; // by token hash
    uint64_t generation_ = 0;
};

// Adds a login token (not listed, not revocable through the API) to a user. Throws ApiError(409)
// if the token already belongs to another user. Writer side, inside a transaction.
void add_login_token(Conn &w, int64_t user_id, const std::string &token);

// Makes the login tokens exactly the ones given, by user (creating users that are missing): those
// of an earlier start stop working, also a user's not named now, since nothing else could revoke
// them. Writer side, inside a transaction.
void replace_login_tokens(Conn &w,
                          const std::vector<std::pair<std::string, std::vector<std::string>>> &logins);

} // namespace tl
