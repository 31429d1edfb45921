#include "support/server_process.hpp"
#include "support/text.hpp"

#include <nlohmann/json.hpp>

#include <sstream>
#include <stdexcept>

namespace creneau::test {

server_process::server_process(server_options opts) : opts_(std::move(opts)) {
    own_dir_ = std::make_unique<temp_dir>();
    if (opts_.data_dir.empty()) opts_.data_dir = own_dir_->path() / "data";
    static int counter = 0;
    log_ = own_dir_->path() / (numbered("creneau-", ++counter) + ".log");

    std::vector<std::string> argv = {creneau_binary(), "--listen", "127.0.0.1:0", "--data",
                                     opts_.data_dir.string()};
    if (!opts_.redis_url.empty()) {
        argv.push_back("--redis");
        argv.push_back(opts_.redis_url);
    }
    for (const auto& a : opts_.extra_args) argv.push_back(a);
    proc_ = std::make_unique<child_process>(argv, log_, opts_.extra_env);

    bool up = wait_for_file(log_, scaled(std::chrono::seconds(20)), [&](const std::string& text) {
        std::istringstream lines(text);
        std::string line;
        while (std::getline(lines, line)) {
            auto j = nlohmann::json::parse(line, nullptr, false);
            if (!j.is_discarded() && j.is_object() && j.value("msg", "") == "listening") {
                port_ = j.at("port").get<std::uint16_t>();
                return true;
            }
        }
        return !proc_->running();
    });
    if (!up || port_ == 0)
        throw std::runtime_error("creneau did not start; its log:\n" + read_file(log_));
}

}  // namespace creneau::test
