// bench_zmq (W4, W4-lat, W3x, W5): patchbay's zmq channel between two OS processes,
// against raw libzmq between two processes, measured in the same run.
//
//   patchbay: models run by patchbay::run on the `multiprocess` process with two workers
//             (patchbay-worker, found beside the library); the producer
//             is placed on worker 0, the consumer on worker 1, so the connector between
//             them is a zmq channel (ipc, or tcp on 127.0.0.1). Times are the run
//             report's `elapsed`: from the coordinator's start signal to the end of the
//             run, worker start-up excluded.
//   libzmq:   this program fork()s a child that builds its own zmq::context_t (never the
//             parent's); the parent binds, hands the endpoints to the child on a pipe,
//             and both sides shake hands once before anything is timed.
//
// Both sides do the same work per value: the producer makes it (an int64 counter, or an
// array of doubles i, i+1, ...) and the consumer checks it (count, sum and order of the
// counters; the sum of every array).
//
//   W4      throughput of one channel, 8 B, 1 KiB and 64 KiB values, ipc and tcp (8 B
//           also with `capacity: 16384`; the other runs use the default capacity).
//           patchbay: builtin.Iterator -> builtin.Checksum (8 B), builtin.Vectors (size
//           128 / 8192 doubles) -> builtin.VectorSum (1 KiB / 64 KiB). libzmq: PUSH ->
//           PULL, one message per value, timed from the first send to the child's
//           answer (on a second PUSH -> PULL pair) that it received and checked all.
//   W4-lat  round trip of one value between two processes: builtin.Passthrough `ping`
//           (worker 0, count N, initial value on x) -> Passthrough `pong` (worker 1) ->
//           ping.x; round trip = elapsed / N. libzmq: PAIR <-> PAIR over ipc, N round
//           trips of 8 bytes timed in the parent.
//   W3x     100 arrays of 4 MB (524,288 doubles): Vectors -> VectorSum over ipc; libzmq:
//           PUSH -> PULL over ipc, each array sent without a copy
//           (zmq::message_t(data, size, free_fn)).
//   W5      1,000 requests echoed by a component in the other worker, pipelined:
//           Iterator (worker 0) -> Passthrough (worker 1) -> Checksum (worker 0); no
//           libzmq side.
//
// Results are checked: the Checksum file (count, sum, ordered) for int64 streams; for the
// arrays, each run's report (VectorSum stepped once per array, nothing left over) and,
// once per size and transport before timing, a short run whose sums are written by a
// builtin.FileWriter and compared. Every figure is the median of kRounds runs,
// patchbay and libzmq interleaved (bench::interleave).
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include <patchbay/model.hpp>
#include <patchbay/patchbay.hpp>
#include <patchbay/memory.hpp>
#include <patchbay/process.hpp>
#include <zmq.hpp>

#include "../common/bench.hpp"

namespace {

constexpr int kRounds = 3;
constexpr int kW5Rounds = 5;
constexpr std::int64_t kLatencyTrips = 10'000;
constexpr std::int64_t kW3xArrays = 100;
constexpr std::int64_t kW3xDoubles = 524'288;  // 4 MB
constexpr std::int64_t kW5Requests = 1'000;
constexpr auto kRawTimeout = std::chrono::seconds(60);

// One W4 message size: `doubles` == 0 is a single int64 (8 B). `capacity` 0 is the zmq
// channel's default (4096 values); the 8 B stream is also run with a larger one, since a
// stream of tiny values moves as fast as the credit window lets it.
struct Size {
  const char* name;
  std::int64_t doubles;
  std::int64_t values;  // how many per run (about 0.3-1 s)
  std::int64_t capacity = 0;
  std::int64_t bytes() const { return doubles ? doubles * 8 : 8; }
};
constexpr Size kSizes[] = {{"8b", 0, 2'000'000},
                           {"8b_capacity16384", 0, 4'000'000, 16'384},
                           {"1kib", 128, 300'000},
                           {"64kib", 8192, 20'000}};

// The sum of array i, i + 1, ..., i + doubles - 1 (exact in a double for these sizes).
double expected_array_sum(std::int64_t i, std::int64_t doubles) {
  return static_cast<double>(doubles * i + doubles * (doubles - 1) / 2);
}

// The ratio lines: patchbay's figure over raw libzmq's, named for the better direction.
void ratio_vs_zmq_higher_is_better(const std::string& what, double patchbay, double zmq) {
  bench::metric(what + "_ratio_higher_is_better", patchbay / zmq, "patchbay/zmq");
}
void ratio_vs_zmq_lower_is_better(const std::string& what, double patchbay, double zmq) {
  bench::metric(what + "_ratio_lower_is_better", patchbay / zmq, "patchbay/zmq");
}

// --- patchbay ---------------------------------------------------------------------------

patchbay::Model two_workers() {
  patchbay::Model model;
  model.process().type = "multiprocess";
  model.process().args = {{"workers", patchbay::Value(std::int64_t{2})}};
  return model;
}

patchbay::ChannelSpec zmq_spec(const std::string& transport, std::int64_t capacity = 0) {
  patchbay::ChannelSpec spec;
  spec.type = "zmq";
  spec.options.emplace_back("transport", patchbay::Value(transport));
  spec.capacity = static_cast<std::size_t>(capacity);  // 0: the default
  return spec;
}

patchbay::ComponentSpec& place(patchbay::ComponentSpec& spec, int worker) {
  spec.worker = worker;
  return spec;
}

patchbay::RunReport run_model(const patchbay::Model& model) {
  if (auto errors = patchbay::check_model(model); !errors.empty())
    throw std::runtime_error(patchbay::format_errors(errors));
  patchbay::RunOptions options;
  patchbay::RunReport report = patchbay::run(model, options);
  bench::check(report.ok, "patchbay run failed: " + report.error);
  return report;
}

double seconds(const patchbay::RunReport& report) { return std::chrono::duration<double>(report.elapsed).count(); }

const patchbay::ComponentReport& component(const patchbay::RunReport& report, const std::string& name) {
  for (const auto& c : report.components)
    if (c.name == name) return c;
  throw std::runtime_error("no report for component '" + name + "'");
}

// W4 8 B: Iterator (worker 0) -> Checksum (worker 1).
double patchbay_counters(const std::string& transport, std::int64_t values, std::int64_t capacity,
                         const std::filesystem::path& checksum) {
  patchbay::Model model = two_workers();
  place(model.add_component("builtin.Iterator", "src", {{"iters", values}}), 0);
  place(model.add_component("builtin.Checksum", "sum", {{"path", checksum.string()}}), 1);
  model.connect("src.x", "sum.x", zmq_spec(transport, capacity));
  double elapsed = seconds(run_model(model));
  bench::check_checksum_file(checksum, values);
  return elapsed;
}

// Vectors (worker 0) -> VectorSum (worker 1); VectorSum.sum is left unconnected.
double patchbay_arrays(const std::string& transport, std::int64_t count, std::int64_t doubles) {
  patchbay::Model model = two_workers();
  place(model.add_component("builtin.Vectors", "src", {{"count", count}, {"size", doubles}}), 0);
  place(model.add_component("builtin.VectorSum", "sum"), 1);
  model.connect("src.v", "sum.v", zmq_spec(transport));
  patchbay::RunReport report = run_model(model);
  const auto& src = component(report, "src");
  const auto& sum = component(report, "sum");
  bench::check(src.values_out == static_cast<std::uint64_t>(count) && sum.steps == static_cast<std::uint64_t>(count) &&
                   report.total_left_over() == 0,
               "patchbay arrays: src sent " + std::to_string(src.values_out) + ", sum stepped " +
                   std::to_string(sum.steps) + ", left over " + std::to_string(report.total_left_over()) +
                   ", expected " + std::to_string(count) + ", " + std::to_string(count) + ", 0");
  return seconds(report);
}

// The same model with the sums written to a file (VectorSum and FileWriter on worker 1),
// run once, untimed, to check that the arrays arrive whole.
void check_patchbay_arrays(const std::string& transport, std::int64_t doubles, const std::filesystem::path& csv) {
  constexpr std::int64_t kCount = 3;
  patchbay::Model model = two_workers();
  place(model.add_component("builtin.Vectors", "src", {{"count", kCount}, {"size", doubles}}), 0);
  place(model.add_component("builtin.VectorSum", "sum"), 1);
  place(model.add_component("builtin.FileWriter", "out",
                            {{"path", csv.string()}, {"fields", patchbay::Value::array({"sum"})}}),
        1);
  model.connect("src.v", "sum.v", zmq_spec(transport));
  model.connect("sum.sum", "out.sum");
  run_model(model);
  std::ifstream in(csv);
  std::string line;
  std::vector<double> sums;
  std::getline(in, line);  // header
  while (std::getline(in, line)) sums.push_back(std::stod(line));
  std::filesystem::remove(csv);
  bool ok = sums.size() == kCount;
  for (std::int64_t i = 0; ok && i < kCount; ++i) ok = sums[static_cast<std::size_t>(i)] == expected_array_sum(i, doubles);
  std::ostringstream got;
  for (double s : sums) got << ' ' << s;
  bench::check(ok, "patchbay arrays of " + std::to_string(doubles) + " doubles over " + transport +
                       " arrived wrong: sums" + got.str());
}

// W4-lat: ping (worker 0, closes after `trips`) <-> pong (worker 1). Seconds per round trip.
double patchbay_ping_pong(std::int64_t trips) {
  patchbay::Model model = two_workers();
  place(model.add_component("builtin.Passthrough", "ping", {{"count", trips}}), 0)
      .initial("x", patchbay::Value::Array{patchbay::Value(std::int64_t{0})});
  place(model.add_component("builtin.Passthrough", "pong"), 1);
  model.connect("ping.y", "pong.x", zmq_spec("ipc"));
  model.connect("pong.y", "ping.x", zmq_spec("ipc"));
  patchbay::RunReport report = run_model(model);
  const auto& ping = component(report, "ping");
  const auto& pong = component(report, "pong");
  bench::check(ping.steps == static_cast<std::uint64_t>(trips) && pong.steps == static_cast<std::uint64_t>(trips),
               "patchbay ping-pong: ping stepped " + std::to_string(ping.steps) + ", pong " +
                   std::to_string(pong.steps) + ", expected " + std::to_string(trips));
  return seconds(report) / static_cast<double>(trips);
}

// W5: Iterator (worker 0) -> Passthrough (worker 1) -> Checksum (worker 0).
double patchbay_echo(std::int64_t requests, const std::filesystem::path& checksum) {
  patchbay::Model model = two_workers();
  place(model.add_component("builtin.Iterator", "requests", {{"iters", requests}}), 0);
  place(model.add_component("builtin.Passthrough", "echo"), 1);
  place(model.add_component("builtin.Checksum", "replies", {{"path", checksum.string()}}), 0);
  model.connect("requests.x", "echo.x", zmq_spec("ipc"));
  model.connect("echo.y", "replies.x", zmq_spec("ipc"));
  double elapsed = seconds(run_model(model));
  bench::check_checksum_file(checksum, requests);
  return elapsed;
}

// --- libzmq -----------------------------------------------------------------------------

// The other process of a raw libzmq measurement. The constructor forks; the child waits
// for the endpoints the parent bound (start()), runs `body` with a context of its own and
// exits: 0 if `body` returned, 1 (after printing why) if it threw. The parent must fork
// before it creates its own context, so the child inherits no ZeroMQ state or threads.
class RawPeer {
 public:
  using Body = std::function<void(zmq::context_t&, const std::vector<std::string>& endpoints)>;

  explicit RawPeer(const Body& body) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    pid_t parent = getpid();
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid_ == 0) {
      close(fds[1]);
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      int status = 0;
      if (getppid() != parent) _exit(1);
      try {
        std::vector<std::string> endpoints = read_endpoints(fds[0]);
        zmq::context_t context(1);
        body(context, endpoints);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_zmq: raw libzmq child: %s\n", e.what());
        status = 1;
      }
      _exit(status);  // no atexit handlers, no destructors of the parent's objects
    }
    close(fds[0]);
    pipe_ = fds[1];
  }

  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;

  ~RawPeer() {
    if (pipe_ >= 0) close(pipe_);
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  void start(const std::vector<std::string>& endpoints) {
    std::string text;
    for (const auto& e : endpoints) text += e + "\n";
    for (std::size_t done = 0; done < text.size();) {
      ssize_t n = write(pipe_, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw std::runtime_error(std::string("write to the raw child: ") + std::strerror(errno));
      done += static_cast<std::size_t>(n);
    }
    close(pipe_);
    pipe_ = -1;
  }

  // Waits for the child to exit; throws unless it exited with status 0.
  void wait() {
    int status = 0;
    pid_t r = waitpid(pid_, &status, 0);
    pid_ = -1;
    bench::check(r > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0, "the raw libzmq child failed");
  }

 private:
  static std::vector<std::string> read_endpoints(int fd) {
    std::string text;
    char buffer[512];
    for (;;) {
      ssize_t n = read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw std::runtime_error(std::string("read from the parent: ") + std::strerror(errno));
      if (n == 0) break;
      text.append(buffer, static_cast<std::size_t>(n));
    }
    close(fd);
    std::vector<std::string> endpoints;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) endpoints.push_back(line);
    if (endpoints.empty()) throw std::runtime_error("the parent sent no endpoints");
    return endpoints;
  }

  pid_t pid_ = -1;
  int pipe_ = -1;
};

zmq::socket_t raw_socket(zmq::context_t& context, zmq::socket_type type) {
  zmq::socket_t s(context, type);
  s.set(zmq::sockopt::linger, 0);
  s.set(zmq::sockopt::rcvtimeo, static_cast<int>(std::chrono::milliseconds(kRawTimeout).count()));
  s.set(zmq::sockopt::sndtimeo, static_cast<int>(std::chrono::milliseconds(kRawTimeout).count()));
  return s;
}

// Binds to a fresh endpoint of the transport and returns it.
std::string bind_any(zmq::socket_t& socket, const std::string& transport, const std::string& tag) {
  static int count = 0;
  if (transport == "ipc")
    socket.bind("ipc://" + (std::filesystem::temp_directory_path() / ("patchbay-bench-zmq-" + std::to_string(getpid()) +
                                                                       "-" + tag + "-" + std::to_string(count++)))
                               .string());
  else
    socket.bind("tcp://127.0.0.1:*");
  return socket.get(zmq::sockopt::last_endpoint);
}

void send_or_throw(zmq::socket_t& socket, zmq::message_t&& message) {
  if (!socket.send(message, zmq::send_flags::none)) throw std::runtime_error("send timed out");
}

zmq::message_t receive_or_throw(zmq::socket_t& socket) {
  zmq::message_t m;
  if (!socket.recv(m, zmq::recv_flags::none)) throw std::runtime_error("receive timed out");
  return m;
}

// Value i as a message: an int64, or an array of doubles i, i + 1, ... (zero_copy: in a
// buffer of our own that ZeroMQ frees when it is done with it).
zmq::message_t make_value(std::int64_t i, std::int64_t doubles, bool zero_copy) {
  if (doubles == 0) {
    zmq::message_t m(sizeof i);
    std::memcpy(m.data(), &i, sizeof i);
    return m;
  }
  const auto n = static_cast<std::size_t>(doubles);
  if (zero_copy) {
    auto* data = new double[n];
    std::iota(data, data + n, static_cast<double>(i));
    return zmq::message_t(data, n * sizeof(double), [](void* p, void*) { delete[] static_cast<double*>(p); });
  }
  zmq::message_t m(n * sizeof(double));
  std::iota(m.data<double>(), m.data<double>() + n, static_cast<double>(i));
  return m;
}

// Throws unless `m` is value i.
void check_value(const zmq::message_t& m, std::int64_t i, std::int64_t doubles) {
  const auto* bytes = static_cast<const unsigned char*>(m.data());
  if (doubles == 0) {
    std::int64_t v = -1;
    if (m.size() == sizeof v) std::memcpy(&v, bytes, sizeof v);
    if (v != i) throw std::runtime_error("value " + std::to_string(i) + " arrived as " + std::to_string(v));
    return;
  }
  if (m.size() != static_cast<std::size_t>(doubles) * sizeof(double))
    throw std::runtime_error("array " + std::to_string(i) + " has " + std::to_string(m.size()) + " bytes");
  double sum = 0;
  for (std::size_t k = 0; k < m.size(); k += sizeof(double)) {
    double d;
    std::memcpy(&d, bytes + k, sizeof d);  // ZeroMQ does not align message data
    sum += d;
  }
  if (sum != expected_array_sum(i, doubles)) throw std::runtime_error("array " + std::to_string(i) + " sums wrong");
}

// PUSH -> PULL between this process and a child: `count` values, timed from the first
// send to the child's answer that it received and checked them all.
double raw_push_pull(const std::string& transport, std::int64_t count, std::int64_t doubles, bool zero_copy) {
  RawPeer child([=](zmq::context_t& context, const std::vector<std::string>& endpoints) {
    zmq::socket_t in = raw_socket(context, zmq::socket_type::pull);
    zmq::socket_t back = raw_socket(context, zmq::socket_type::push);
    in.connect(endpoints.at(0));
    back.connect(endpoints.at(1));
    receive_or_throw(in);  // hello
    send_or_throw(back, zmq::message_t(std::string("ready")));
    for (std::int64_t i = 0; i < count; ++i) check_value(receive_or_throw(in), i, doubles);
    send_or_throw(back, zmq::message_t(std::string("done")));
  });
  zmq::context_t context(1);
  zmq::socket_t out = raw_socket(context, zmq::socket_type::push);
  zmq::socket_t back = raw_socket(context, zmq::socket_type::pull);
  const std::string data_endpoint = bind_any(out, transport, "d");
  const std::string back_endpoint = bind_any(back, transport, "b");
  child.start({data_endpoint, back_endpoint});
  send_or_throw(out, zmq::message_t(std::string("hello")));
  bench::check(receive_or_throw(back).to_string_view() == "ready", "the raw child did not say ready");

  auto start = bench::Clock::now();
  for (std::int64_t i = 0; i < count; ++i) send_or_throw(out, make_value(i, doubles, zero_copy));
  zmq::message_t answer = receive_or_throw(back);
  double elapsed = bench::seconds_since(start);
  bench::check(answer.to_string_view() == "done", "the raw child answered '" + answer.to_string() + "'");
  child.wait();
  return elapsed;
}

// PAIR <-> PAIR over ipc: `trips` round trips of an 8-byte value. Seconds per round trip.
double raw_ping_pong(std::int64_t trips) {
  RawPeer child([=](zmq::context_t& context, const std::vector<std::string>& endpoints) {
    zmq::socket_t pair = raw_socket(context, zmq::socket_type::pair);
    pair.connect(endpoints.at(0));
    for (std::int64_t i = 0; i <= trips; ++i) send_or_throw(pair, receive_or_throw(pair));  // hello + trips
  });
  zmq::context_t context(1);
  zmq::socket_t pair = raw_socket(context, zmq::socket_type::pair);
  child.start({bind_any(pair, "ipc", "p")});
  send_or_throw(pair, make_value(-1, 0, false));  // hello: the connection is up after this
  check_value(receive_or_throw(pair), -1, 0);

  auto start = bench::Clock::now();
  for (std::int64_t i = 0; i < trips; ++i) {
    send_or_throw(pair, make_value(i, 0, false));
    check_value(receive_or_throw(pair), i, 0);
  }
  double elapsed = bench::seconds_since(start);
  child.wait();
  return elapsed / static_cast<double>(trips);
}

}  // namespace

int main() {
  // The allocator settings of the patchbay program, which runs the workers, for the
  // libzmq side too: both keep freed buffers instead of faulting them in again.
  patchbay::keep_freed_memory();
  return bench::guarded_main("bench_zmq", [] {
    const auto temp = std::filesystem::temp_directory_path();
    const std::string tag = std::to_string(::getpid());
    const auto checksum = temp / ("patchbay-bench-zmq-" + tag + ".json");
    const auto csv = temp / ("patchbay-bench-zmq-" + tag + ".csv");

    // W4: throughput.
    for (const std::string transport : {"ipc", "tcp"}) {
      for (const Size& size : kSizes) {
        if (size.doubles) check_patchbay_arrays(transport, size.doubles, csv);
        std::vector<double> pb, raw;
        bench::interleave(
            kRounds,
            [&] {
              pb.push_back(size.doubles ? patchbay_arrays(transport, size.values, size.doubles)
                                        : patchbay_counters(transport, size.values, size.capacity, checksum));
            },
            [&] { raw.push_back(raw_push_pull(transport, size.values, size.doubles, false)); });
        const std::string w = std::string("w4_") + size.name + "_" + transport;
        const double pb_rate = static_cast<double>(size.values) / bench::median(pb);
        const double raw_rate = static_cast<double>(size.values) / bench::median(raw);
        const double mb = static_cast<double>(size.bytes()) / 1e6;
        bench::metric(w + "_patchbay_rate", pb_rate, "values/s");
        bench::metric(w + "_patchbay_bandwidth", pb_rate * mb, "MB/s");
        bench::metric(w + "_zmq_rate", raw_rate, "values/s");
        bench::metric(w + "_zmq_bandwidth", raw_rate * mb, "MB/s");
        ratio_vs_zmq_higher_is_better(w + "_rate", pb_rate, raw_rate);
      }
    }

    // W4-lat: ping-pong round trip.
    {
      std::vector<double> pb, raw;
      bench::interleave(
          kRounds, [&] { pb.push_back(patchbay_ping_pong(kLatencyTrips)); },
          [&] { raw.push_back(raw_ping_pong(kLatencyTrips)); });
      const double pb_us = bench::median(pb) * 1e6, raw_us = bench::median(raw) * 1e6;
      bench::metric("w4lat_patchbay_round_trip_median", pb_us, "us");
      bench::metric("w4lat_zmq_round_trip_median", raw_us, "us");
      ratio_vs_zmq_lower_is_better("w4lat_round_trip", pb_us, raw_us);
    }

    // W3x: 100 arrays of 4 MB.
    {
      check_patchbay_arrays("ipc", kW3xDoubles, csv);
      std::vector<double> pb, raw;
      bench::interleave(
          kRounds, [&] { pb.push_back(patchbay_arrays("ipc", kW3xArrays, kW3xDoubles)); },
          [&] { raw.push_back(raw_push_pull("ipc", kW3xArrays, kW3xDoubles, true)); });
      const double pb_ms = bench::median(pb) * 1e3, raw_ms = bench::median(raw) * 1e3;
      bench::metric("w3x_patchbay_total", pb_ms, "ms");
      bench::metric("w3x_zmq_total", raw_ms, "ms");
      ratio_vs_zmq_lower_is_better("w3x_total", pb_ms, raw_ms);
    }

    // W5: pipelined echo through the other worker.
    {
      std::vector<double> pb;
      for (int round = 0; round < kW5Rounds; ++round) pb.push_back(patchbay_echo(kW5Requests, checksum));
      bench::metric("w5_patchbay_rate", static_cast<double>(kW5Requests) / bench::median(pb), "requests/s");
    }
  });
}
