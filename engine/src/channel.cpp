#include "patchbay/backend/channel.hpp"

namespace patchbay {

namespace {
std::vector<std::unique_ptr<ChannelBackend>>& backends() {
  static std::vector<std::unique_ptr<ChannelBackend>> list;
  return list;
}
}  // namespace

sdk::ChannelBackendRegistration::ChannelBackendRegistration(std::unique_ptr<ChannelBackend> backend) {
  backends().push_back(std::move(backend));
}

ChannelBackend* find_channel_backend(std::string_view name) {
  for (auto& b : backends())
    if (b->name() == name) return b.get();
  return nullptr;
}

std::vector<std::string> channel_backend_names() {
  std::vector<std::string> out;
  for (auto& b : backends()) out.emplace_back(b->name());
  return out;
}

}  // namespace patchbay
