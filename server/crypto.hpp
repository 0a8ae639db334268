// Small cryptographic helpers over OpenSSL libcrypto: randomness, hashing, encodings.
#pragma once
#include <string>

namespace tl {

std::string random_bytes(size_t n);                        // throws std::runtime_error if the RNG fails
std::string sha256(const std::string &data);               // 32 raw bytes
bool equal_ct(const std::string &a, const std::string &b); // constant time for equal lengths
std::string base64url(const std::string &raw);             // no padding
bool base64url_decode(const std::string &text, std::string &out);
std::string hex(const std::string &raw);
std::string new_uuid();         // random (v4) UUID, lowercase
std::string new_secret_token(); // a fresh platform API token value

} // namespace tl
