// Not API: the registered process types and channel backends. A part registers as its
// library loads; a plugin's parts wait, like its component types, until the plugin's
// entry point checks out, and are dropped if it does not (or if a name is taken).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace patchbay::detail {

// True while load_plugin() has a library open but not yet checked (plugin_loader.cpp).
bool plugin_load_in_progress();

template <class Part>
class PartList {
 public:
  explicit PartList(const char* kind) : kind_(kind) {}

  void add(std::unique_ptr<Part> part) { (plugin_load_in_progress() ? pending_ : parts_).push_back(std::move(part)); }

  Part* find(std::string_view name) const {
    for (const auto& p : parts_)
      if (p->name() == name) return p.get();
    return nullptr;
  }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& p : parts_) out.emplace_back(p->name());
    return out;
  }

  // What keeps the pending parts out: names already taken, or taken twice among them.
  void check_pending(std::vector<std::string>& errors) const {
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      std::string name(pending_[i]->name());
      bool taken = find(name) != nullptr;
      for (std::size_t j = 0; j < i; ++j) taken = taken || pending_[j]->name() == name;
      if (taken) errors.push_back(std::string(kind_) + " '" + name + "' is already registered");
    }
  }

  // The names added.
  std::vector<std::string> claim() {
    std::vector<std::string> added;
    for (auto& p : pending_) {
      added.emplace_back(p->name());
      parts_.push_back(std::move(p));
    }
    pending_.clear();
    return added;
  }

  void discard() { pending_.clear(); }

 private:
  const char* kind_;
  std::vector<std::unique_ptr<Part>> parts_, pending_;
};

}  // namespace patchbay::detail

namespace patchbay {
class ChannelBackend;
class ProcessType;
namespace detail {
PartList<ChannelBackend>& channel_backends();  // channel.cpp
PartList<ProcessType>& process_types();        // process.cpp
}  // namespace detail
}  // namespace patchbay
