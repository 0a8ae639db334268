// JSON Web Tokens signed with Ed25519 ("alg": "EdDSA"), as the service issues for databases and groups.
#pragma once
#include <string>

namespace tl {

std::string ed25519_new_seed();                          // 32 random bytes: a private key
std::string ed25519_public_key(const std::string &seed); // 32 raw bytes

// header.payload.signature, base64url; payload_json is the claims object's text.
std::string jwt_sign(const std::string &seed, const std::string &payload_json);

// Splits a compact JWT; false if it is not three base64url parts with an EdDSA header.
struct JwtParts {
    std::string header_json, payload_json, signing_input, signature;
};
bool jwt_split(const std::string &token, JwtParts &out);

// True if signature is a valid Ed25519 signature of message under the key derived from seed.
bool ed25519_verify(const std::string &seed, const std::string &message, const std::string &signature);

} // namespace tl
