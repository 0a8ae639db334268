#include "crypto.hpp"

#include <chrono>
#include <cstdint>
#include <cstring>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdexcept>

namespace tl {

// Served from a per-thread block of 1 KiB of OpenSSL's CSPRNG output: one RAND_bytes call per
// block instead of per value (a database creation needs three, and each call costs as much as
// the block). The bytes are the same generator's; each is handed out once.
std::string random_bytes(size_t n) {
    constexpr size_t kBlock = 1024;
    thread_local unsigned char block[kBlock];
    thread_local size_t used = kBlock;
    std::string out(n, '\0');
    auto *dst = reinterpret_cast<unsigned char *>(&out[0]);
    if (n > kBlock) {
        if (RAND_bytes(dst, static_cast<int>(n)) != 1)
            throw std::runtime_error("random number generator failed");
        return out;
    }
    if (kBlock - used < n) {
        if (RAND_bytes(block, static_cast<int>(kBlock)) != 1)
            throw std::runtime_error("random number generator failed");
        used = 0;
    }
    std::memcpy(dst, block + used, n);
    OPENSSL_cleanse(block + used, n); // handed out: not kept around in two places
    used += n;
    return out;
}

std::string sha256(const std::string &data) {
    // Fetched once: OpenSSL 3 looks the algorithm up in its provider tables on every call that
    // names it by EVP_sha256() (half of the hash's cost for a token). Never freed, like a static.
    static EVP_MD *const md_sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!md_sha256 || EVP_Digest(data.data(), data.size(), md, &len, md_sha256, nullptr) != 1)
        throw std::runtime_error("sha256 failed");
    return std::string(reinterpret_cast<char *>(md), len);
}

bool equal_ct(const std::string &a, const std::string &b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

static const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(const std::string &raw) {
    std::string out;
    out.reserve((raw.size() + 2) / 3 * 4);
    size_t i = 0;
    auto b = [&](size_t k) { return static_cast<unsigned char>(raw[k]); };
    for (; i + 2 < raw.size(); i += 3) {
        unsigned v = (b(i) << 16) | (b(i + 1) << 8) | b(i + 2);
        out += kB64[(v >> 18) & 63];
        out += kB64[(v >> 12) & 63];
        out += kB64[(v >> 6) & 63];
        out += kB64[v & 63];
    }
    if (i + 1 == raw.size()) {
        unsigned v = b(i) << 16;
        out += kB64[(v >> 18) & 63];
        out += kB64[(v >> 12) & 63];
    } else if (i + 2 == raw.size()) {
        unsigned v = (b(i) << 16) | (b(i + 1) << 8);
        out += kB64[(v >> 18) & 63];
        out += kB64[(v >> 12) & 63];
        out += kB64[(v >> 6) & 63];
    }
    return out;
}

static int b64val(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

bool base64url_decode(const std::string &text, std::string &out) {
    out.clear();
    if (text.size() % 4 == 1) return false;
    unsigned acc = 0;
    int bits = 0;
    for (char c : text) {
        int v = b64val(c);
        if (v < 0) return false;
        acc = (acc << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xff);
        }
    }
    // The last character's unused low bits must be zero: else up to four texts would decode to
    // the same bytes, and a changed signature would still verify.
    return (acc & ((1u << bits) - 1)) == 0;
}

std::string hex(const std::string &raw) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(raw.size() * 2);
    for (unsigned char c : raw) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

// UUID version 7 (RFC 9562): 48 bits of Unix milliseconds first, then random bits. Rows keyed
// by it are inserted in time order, so a write touches the last page of a UNIQUE(uuid) index
// instead of a random one (three databases created: one index page written, not three).
std::string new_uuid() {
    std::string r = random_bytes(16);
    uint64_t ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count());
    for (int i = 0; i < 6; ++i)
        r[i] = static_cast<char>((ms >> (8 * (5 - i))) & 0xff);
    r[6] = static_cast<char>((r[6] & 0x0f) | 0x70);
    r[8] = static_cast<char>((r[8] & 0x3f) | 0x80);
    std::string h = hex(r);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" +
           h.substr(20);
}

std::string new_secret_token() {
    return "tlp_" + base64url(random_bytes(32));
}

} // namespace tl
