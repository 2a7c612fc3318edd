// A process type and a channel backend from outside the engine, written against the
// backend headers alone: the extension-point tests register them by loading this plugin.
//
//   toy.serial  a process type: every component in this process, on one thread. Its
//               `log` argument (required) names a file that gets one line per run.
//   toy.queue   a channel backend: a mutex and a deque, for edges inside one process.
//               Its `tag` option (non-empty) is written in no message but checked.
#include <deque>
#include <fstream>
#include <mutex>

#include <patchbay/backend/channel.hpp>
#include <patchbay/backend/process_type.hpp>
#include <patchbay/plugin.hpp>

namespace {

using namespace patchbay;

class QueueChannel final : public Channel {
 public:
  explicit QueueChannel(std::size_t capacity) : capacity_(capacity) {}

  bool has_space() const override {
    std::lock_guard lock(mutex_);
    return detached_ || queue_.size() < capacity_;
  }
  ChannelOp try_send(Payload& v) override {
    {
      std::lock_guard lock(mutex_);
      if (detached_) {
        ++left_over_;
        return ChannelOp::ok;
      }
      if (queue_.size() >= capacity_) return ChannelOp::full;
      queue_.push_back(std::move(v));
    }
    if (consumer_) consumer_->wake();
    return ChannelOp::ok;
  }
  void close() override {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    if (consumer_) consumer_->wake();
  }
  ChannelOp try_receive(Payload& out) override {
    {
      std::lock_guard lock(mutex_);
      if (queue_.empty()) return closed_ ? ChannelOp::closed : ChannelOp::empty;
      out = std::move(queue_.front());
      queue_.pop_front();
    }
    if (producer_) producer_->wake();
    return ChannelOp::ok;
  }
  void detach() override {
    {
      std::lock_guard lock(mutex_);
      detached_ = true;
      left_over_ += queue_.size();
      queue_.clear();
    }
    if (producer_) producer_->wake();
  }
  std::size_t left_over() const override {
    std::lock_guard lock(mutex_);
    return left_over_;
  }
  void set_wakers(Waker* consumer, Waker* producer) override {
    consumer_ = consumer;
    producer_ = producer;
  }

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<Payload> queue_;
  bool closed_ = false, detached_ = false;
  std::size_t left_over_ = 0;
  Waker* consumer_ = nullptr;
  Waker* producer_ = nullptr;
};

class QueueBackend final : public ChannelBackend {
 public:
  std::string_view name() const override { return "toy.queue"; }
  std::string_view help() const override { return "a mutex and a deque, inside one process (test plugin)"; }
  std::vector<ParamInfo> options() const override {
    return {{"tag", "string", Value("toy"), false, "a label; must not be empty"}};
  }
  std::vector<OptionProblem> check(const ChannelSpec& spec) const override {
    for (const auto& [key, value] : spec.options)
      if (key == "tag" && value.as_string().empty()) return {{"tag", "'tag' must not be empty"}};
    return {};
  }
  bool can_carry(const EdgePlacement& edge) const override { return edge.same_process; }
  int auto_preference(const EdgePlacement&) const override { return 0; }  // by name only
  std::unique_ptr<Channel> open(const ChannelSpec& spec, const EdgePlacement&) override {
    return std::make_unique<QueueChannel>(spec.capacity ? spec.capacity : 8);
  }
};

class SerialProcess final : public Process {
 public:
  SerialProcess(std::unique_ptr<Process> inner, std::string log) : inner_(std::move(inner)), log_(std::move(log)) {}
  RunReport run(const Model& model) override {
    RunReport report = inner_->run(model);
    if (!log_.empty()) std::ofstream(log_, std::ios::app) << "toy.serial ran " << report.components.size() << " components\n";
    return report;
  }
  void request_stop() override { inner_->request_stop(); }

 private:
  std::unique_ptr<Process> inner_;
  std::string log_;
};

class SerialProcessType final : public ProcessType {
 public:
  std::string_view name() const override { return "toy.serial"; }
  std::string_view help() const override { return "this process, one thread (test plugin)"; }
  std::vector<ParamInfo> parameters() const override {
    return {{"log", "string", Value(), true, "a file that gets a line per run (required)"},
            {"rounds", "int64", Value(1), false, "unused; checked from 1 to 3", {}, 1, 3}};
  }
  std::unique_ptr<Process> make(const Model& model, RunOptions options) const override {
    std::string log;
    for (const auto& [key, value] : model.process().args)
      if (key == "log") log = value.as_string();
    options.threads = 1;
    return std::make_unique<SerialProcess>(find_process_type("local")->make(model, std::move(options)), log);
  }
};

}  // namespace

PATCHBAY_CHANNEL_BACKEND(QueueBackend);
PATCHBAY_PROCESS_TYPE(SerialProcessType);
PATCHBAY_PLUGIN()
