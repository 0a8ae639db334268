// The location codes turso-local accepts: the 31 of the 2023 reference plus some of today's aws- ones.
#include "validate.hpp"

#include <cmath>
#include <map>

namespace tl {

namespace {
struct Loc {
    const char *code, *description;
    double lat, lon; // to answer "closest" plausibly
};
const Loc kLocs[] = {
    {"ams", "Amsterdam, Netherlands", 52.37, 4.90},
    {"arn", "Stockholm, Sweden", 59.65, 17.92},
    {"bog", "Bogotá, Colombia", 4.71, -74.07},
    {"bos", "Boston, Massachusetts (US)", 42.36, -71.06},
    {"cdg", "Paris, France", 49.01, 2.55},
    {"den", "Denver, Colorado (US)", 39.74, -104.99},
    {"dfw", "Dallas, Texas (US)", 32.90, -97.04},
    {"ewr", "Secaucus, NJ (US)", 40.79, -74.06},
    {"fra", "Frankfurt, Germany", 50.11, 8.68},
    {"gdl", "Guadalajara, Mexico", 20.67, -103.35},
    {"gig", "Rio de Janeiro, Brazil", -22.91, -43.17},
    {"gru", "São Paulo, Brazil", -23.55, -46.63},
    {"hkg", "Hong Kong, Hong Kong", 22.32, 114.17},
    {"iad", "Ashburn, Virginia (US)", 39.04, -77.49},
    {"jnb", "Johannesburg, South Africa", -26.20, 28.05},
    {"lax", "Los Angeles, California (US)", 34.05, -118.24},
    {"lhr", "London, United Kingdom", 51.47, -0.45},
    {"mad", "Madrid, Spain", 40.42, -3.70},
    {"mia", "Miami, Florida (US)", 25.76, -80.19},
    {"nrt", "Tokyo, Japan", 35.68, 139.69},
    {"ord", "Chicago, Illinois (US)", 41.88, -87.63},
    {"otp", "Bucharest, Romania", 44.43, 26.10},
    {"qro", "Querétaro, Mexico", 20.59, -100.39},
    {"scl", "Santiago, Chile", -33.45, -70.67},
    {"sea", "Seattle, Washington (US)", 47.61, -122.33},
    {"sin", "Singapore, Singapore", 1.35, 103.82},
    {"sjc", "San Jose, California (US)", 37.34, -121.89},
    {"syd", "Sydney, Australia", -33.87, 151.21},
    {"waw", "Warsaw, Poland", 52.23, 21.01},
    {"yul", "Montreal, Canada", 45.50, -73.57},
    {"yyz", "Toronto, Canada", 43.65, -79.38},
    {"aws-ap-northeast-1", "AWS AP NorthEast (Tokyo)", 35.68, 139.77},
    {"aws-ap-south-1", "AWS AP South (Mumbai)", 19.08, 72.88},
    {"aws-eu-west-1", "AWS EU West (Ireland)", 53.35, -6.26},
    {"aws-us-east-1", "AWS US East (Virginia)", 38.95, -77.45},
    {"aws-us-east-2", "AWS US East (Ohio)", 40.00, -83.00},
    {"aws-us-west-2", "AWS US West (Oregon)", 45.60, -121.18},
};

double distance(const Loc &a, const Loc &b) {
    const double r = 3.14159265358979 / 180;
    double dlat = (b.lat - a.lat) * r, dlon = (b.lon - a.lon) * r;
    double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
               std::cos(a.lat * r) * std::cos(b.lat * r) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * std::asin(std::sqrt(h));
}

const Loc *find(const std::string &code) {
    for (const auto &l : kLocs)
        if (code == l.code) return &l;
    return nullptr;
}
} // namespace

const std::vector<std::pair<std::string, std::string>> &all_locations() {
    static const std::vector<std::pair<std::string, std::string>> list = [] {
        std::vector<std::pair<std::string, std::string>> v;
        for (const auto &l : kLocs)
            v.emplace_back(l.code, l.description);
        return v;
    }();
    return list;
}

bool valid_location(const std::string &code) {
    return find(code) != nullptr;
}

std::string location_description(const std::string &code) {
    const Loc *l = find(code);
    return l ? l->description : "";
}

std::vector<std::string> closest_locations(const std::string &code) {
    const Loc *me = find(code);
    std::vector<std::string> out;
    if (!me) return out;
    std::multimap<double, const char *> byd;
    for (const auto &l : kLocs)
        if (&l != me) byd.emplace(distance(*me, l), l.code);
    for (auto it = byd.begin(); it != byd.end() && out.size() < 3; ++it)
        out.push_back(it->second);
    return out;
}

} // namespace tl
