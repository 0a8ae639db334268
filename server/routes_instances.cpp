// Database instances (the 2023 per-database routes): list, create a replica, get, delete, wait.
#include "model.hpp"
#include "server.hpp"
#include "validate.hpp"

#include <algorithm>

namespace tl {

namespace {

InstanceRow find_instance(Ctx &ctx, const DbRow &d, const std::string &name) {
    for (auto &i : instances_of(ctx.db, d.id))
        if (i.name == name) return i;
    fail(404, "instance " + name + " of database " + d.name + " not found");
}

void list_instances(Ctx &ctx) {
    DbRow d = find_db(ctx, ctx.params[0]);
    Json arr = json_array();
    for (const auto &i : instances_of(ctx.db, d.id))
        jpush(arr.get(), instance_json(ctx, d, i));
    ctx.reply(jwrap("instances", std::move(arr)));
}

void create_instance(Ctx &ctx) {
    DbRow d = find_db(ctx, ctx.params[0]);
    auto loc = ctx.body().str("location"); // the CLI sends "Location": lookups ignore case
    if (!loc || loc->empty()) fail(400, "field 'location' is required");
    if (!valid_location(*loc)) fail(400, "invalid location " + *loc + " (see GET /v1/locations)");
    auto image = ctx.body().str("image");
    if (image && *image != "latest" && *image != "canary") fail(400, "image must be latest or canary");
    // A database's instances live where its group does: a replica elsewhere is bad input.
    auto locs = group_locations(ctx.db, d.group_id);
    if (std::find(locs.begin(), locs.end(), *loc) == locs.end()) {
        auto g = group_by_id(ctx.db, d.group_id);
        fail(400, "location " + *loc + " is not one of the locations of group " +
                      (g ? g->name : std::string("?")) + " (add it with POST .../groups/{group}/locations/" +
                      *loc + ")");
    }
    for (const auto &i : instances_of(ctx.db, d.id))
        if (i.location == *loc) fail(409, "database " + d.name + " already has an instance in " + *loc);
    add_instance(ctx.db, d.id, "replica", *loc);
    audit(ctx, "instance-create", "instance " + *loc + " of database " + d.name + " created");
    ctx.reply(jwrap("instance", instance_json(ctx, d, find_instance(ctx, d, *loc))));
}

void get_instance(Ctx &ctx) {
    DbRow d = find_db(ctx, ctx.params[0]);
    ctx.reply(jwrap("instance", instance_json(ctx, d, find_instance(ctx, d, ctx.params[1]))));
}

void delete_instance(Ctx &ctx) {
    DbRow d = find_db(ctx, ctx.params[0]);
    InstanceRow i = find_instance(ctx, d, ctx.params[1]);
    if (i.type == "primary") fail(400, "the primary instance of database " + d.name + " cannot be destroyed");
    ctx.db.q("DELETE FROM instances WHERE id = ?").args(i.id).run();
    audit(ctx, "instance-delete", "instance " + i.name + " of database " + d.name + " deleted");
    Json j = json_object();
    jstr(j.get(), "instance", i.name);
    ctx.reply(std::move(j));
}

void wait_instance(Ctx &ctx) {
    DbRow d = find_db(ctx, ctx.params[0]);
    find_instance(ctx, d, ctx.params[1]); // local instances take queries at once
    ctx.reply_empty();
}

} // namespace

void add_instance_routes(std::vector<Route> &r) {
    const std::string p = "/v1/organizations/{org}/databases/{db}/instances";
    r.push_back({"GET", p, list_instances, ORG_PARAM, ROLE_VIEWER, SC_READ});
    r.push_back({"POST", p, create_instance, ORG_PARAM, ROLE_MEMBER, SC_DB_CONFIGURE});
    r.push_back({"GET", p + "/{instance}", get_instance, ORG_PARAM, ROLE_VIEWER, SC_READ});
    r.push_back({"DELETE", p + "/{instance}", delete_instance, ORG_PARAM, ROLE_MEMBER, SC_DB_CONFIGURE});
    r.push_back({"GET", p + "/{instance}/wait", wait_instance, ORG_PARAM, ROLE_VIEWER, SC_READ});
}

} // namespace tl
