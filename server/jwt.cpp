#include "jwt.hpp"

#include "crypto.hpp"

#include <memory>
#include <openssl/evp.h>
#include <stdexcept>

namespace tl {

namespace {
struct PkeyFree {
    void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

Pkey private_key(const std::string &seed) {
    if (seed.size() != 32) throw std::runtime_error("bad Ed25519 key");
    Pkey k(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                        reinterpret_cast<const unsigned char *>(seed.data()), seed.size()));
    if (!k) throw std::runtime_error("cannot load Ed25519 key");
    return k;
}

const char kHeader[] = "{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}";
} // namespace

std::string ed25519_new_seed() {
    return random_bytes(32);
}

std::string ed25519_public_key(const std::string &seed) {
    Pkey k = private_key(seed);
    unsigned char pub[32];
    size_t len = sizeof pub;
    if (EVP_PKEY_get_raw_public_key(k.get(), pub, &len) != 1) throw std::runtime_error("Ed25519 failed");
    return std::string(reinterpret_cast<char *>(pub), len);
}

std::string jwt_sign(const std::string &seed, const std::string &payload_json) {
    std::string input = base64url(kHeader) + "." + base64url(payload_json);
    Pkey k = private_key(seed);
    MdCtx ctx(EVP_MD_CTX_new());
    unsigned char sig[64];
    size_t siglen = sizeof sig;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, k.get()) != 1 ||
        EVP_DigestSign(ctx.get(), sig, &siglen, reinterpret_cast<const unsigned char *>(input.data()),
                       input.size()) != 1)
        throw std::runtime_error("Ed25519 signing failed");
    return input + "." + base64url(std::string(reinterpret_cast<char *>(sig), siglen));
}

bool jwt_split(const std::string &token, JwtParts &out) {
    size_t a = token.find('.');
    if (a == std::string::npos) return false;
    size_t b = token.find('.', a + 1);
    if (b == std::string::npos || token.find('.', b + 1) != std::string::npos) return false;
    out.signing_input = token.substr(0, b);
    if (!base64url_decode(token.substr(0, a), out.header_json)) return false;
    if (!base64url_decode(token.substr(a + 1, b - a - 1), out.payload_json)) return false;
    if (!base64url_decode(token.substr(b + 1), out.signature)) return false;
    return out.signature.size() == 64;
}

bool ed25519_verify(const std::string &seed, const std::string &message, const std::string &signature) {
    if (signature.size() != 64) return false;
    Pkey k = private_key(seed);
    MdCtx ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, k.get()) != 1) return false;
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(signature.data()),
                            signature.size(), reinterpret_cast<const unsigned char *>(message.data()),
                            message.size()) == 1;
}

} // namespace tl
