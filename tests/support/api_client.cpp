#include "support/api_client.hpp"

#include <stdexcept>

namespace creneau::test {

namespace http = boost::beast::http;

std::string add_user(const server_options& where, const std::string& email, const std::string& name,
                     const std::string& role, const std::string& org, const std::string& password) {
    temp_dir dir;
    std::vector<std::string> argv = {creneau_binary(), "user", "add",    "--email", email,
                                     "--name",         name,   "--role", role};
    if (!org.empty()) {
        argv.push_back("--org");
        argv.push_back(org);
    }
    argv.push_back("--password-stdin");
    if (!where.redis_url.empty()) {
        argv.push_back("--redis");
        argv.push_back(where.redis_url);
    } else {
        argv.push_back("--data");
        argv.push_back(where.data_dir.string());
    }
    child_process p(argv, dir.path() / "out", {}, password + "\n");
    auto code = p.wait_exit(scaled(std::chrono::seconds(30)));
    auto out = read_file(dir.path() / "out");
    if (!code || *code != 0) throw std::runtime_error("creneau user add failed: " + out);
    auto nl = out.find_last_of('\n', out.size() - 2);
    return out.substr(nl == std::string::npos ? 0 : nl + 1,
                      out.size() - (nl == std::string::npos ? 0 : nl + 1) - 1);
}

api_client api_client::sign_in(std::uint16_t port, const std::string& email,
                               const std::string& password) {
    auto r = http_call(port, http::verb::post, "/api/session",
                       nlohmann::json{{"email", email}, {"password", password}}.dump());
    if (r.status != 200) throw std::runtime_error("sign-in of " + email + " failed: " + r.body);
    return api_client{port, r.json()["token"].get<std::string>()};
}

http_reply api_client::send(http::verb v, const std::string& target,
                            const std::string& body) const {
    std::map<std::string, std::string> headers;
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return http_call(port, v, target, body, headers);
}

http_reply api_client::get(const std::string& target) const {
    return send(http::verb::get, target, {});
}
http_reply api_client::post(const std::string& target, const nlohmann::json& body) const {
    return send(http::verb::post, target, body.dump());
}
http_reply api_client::put(const std::string& target, const nlohmann::json& body) const {
    return send(http::verb::put, target, body.dump());
}
http_reply api_client::del(const std::string& target) const {
    return send(http::verb::delete_, target, {});
}

api_client invited_account(const api_client& admin, const std::string& email,
                           const std::string& name, const std::string& role, const std::string& org,
                           const std::string& password) {
    auto made = admin.post(
        "/api/users", {{"email", email}, {"name", name}, {"role", role}, {"organisation", org}});
    if (made.status != 201) throw std::runtime_error("invitation of " + email + ": " + made.body);
    const auto link = made.json()["link"].get<std::string>();
    const api_client anonymous{admin.port, ""};
    auto set = anonymous.post(
        "/api/password", {{"token", link.substr(link.rfind('/') + 1)}, {"password", password}});
    if (set.status != 200) throw std::runtime_error("password of " + email + ": " + set.body);
    return api_client::sign_in(admin.port, email, password);
}

nlohmann::json booking(const std::string& resource, const std::string& start,
                       const std::string& end, int attendees, const std::string& layout,
                       const std::string& title) {
    nlohmann::json j = {{"resource", resource},
                        {"start", start},
                        {"end", end},
                        {"attendees", attendees},
                        {"title", title}};
    if (!layout.empty()) j["layout"] = layout;
    return j;
}

}  // namespace creneau::test
