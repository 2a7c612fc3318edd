#include "patchbay/backend/channel.hpp"

#include "part_list.hpp"

namespace patchbay {

detail::PartList<ChannelBackend>& detail::channel_backends() {
  static PartList<ChannelBackend> list("channel backend");
  return list;
}

sdk::ChannelBackendRegistration::ChannelBackendRegistration(std::unique_ptr<ChannelBackend> backend) {
  detail::channel_backends().add(std::move(backend));
}

ChannelBackend* find_channel_backend(std::string_view name) { return detail::channel_backends().find(name); }

std::vector<std::string> channel_backend_names() { return detail::channel_backends().names(); }

}  // namespace patchbay
