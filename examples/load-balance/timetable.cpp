// loadbalance.Timetable: collects the records of the tasks, and at the end writes who ran
// what when as an SVG picture (one lane per copy), prints the speedup beside the ideal
// ones for the same durations, and writes them as JSON for scripts.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>

#include <patchbay/patchbay.hpp>
#include <patchbay/plugin.hpp>

#include "schedule.hpp"

namespace {

struct Task {
  std::int64_t id;
  std::string who;
  double seconds, start, end;
};

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// "pool[10]" after "pool[9]": names compared with their numbers as numbers.
bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t i2 = i, j2 = j;
      while (i2 < a.size() && std::isdigit(static_cast<unsigned char>(a[i2]))) ++i2;
      while (j2 < b.size() && std::isdigit(static_cast<unsigned char>(b[j2]))) ++j2;
      if (i2 - i != j2 - j) return i2 - i < j2 - j;
      if (int c = a.compare(i, i2 - i, b, j, j2 - j)) return c < 0;
      i = i2;
      j = j2;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

std::string fixed(double v, int decimals = 3) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

class Timetable : public patchbay::Component {
 public:
  patchbay::Param<std::string> path{this, "path", std::string("timetable.svg"), "the SVG picture to write"};
  patchbay::Param<std::string> stats{this, "stats", std::string(), "a JSON file for the figures (none if empty)"};
  patchbay::Param<std::string> title{this, "title", std::string("who ran what when"), "the picture's title"};
  patchbay::Param<bool> quiet{this, "quiet", false, "print nothing (the figures still go to stats)"};
  patchbay::Input<patchbay::Value> record{this, "record"};

  explicit Timetable(const patchbay::Args& args) : Component(args) {}

  void step() override {
    const patchbay::Value& r = *record;
    auto field = [&](const char* key) -> const patchbay::Value& {
      const patchbay::Value* v = r.find(key);
      if (v == nullptr) throw std::invalid_argument(std::string("a record without '") + key + "'");
      return *v;
    };
    tasks_.push_back({field("id").as_int(), field("who").as_string(), field("seconds").as_double(),
                      field("start").as_double(), field("end").as_double()});
  }

  void stop() override {
    if (tasks_.empty()) return;
    std::sort(tasks_.begin(), tasks_.end(), [](const Task& a, const Task& b) { return a.id < b.id; });
    std::vector<std::string> lanes;
    for (const auto& t : tasks_) lanes.push_back(t.who);
    std::sort(lanes.begin(), lanes.end(), natural_less);
    lanes.erase(std::unique(lanes.begin(), lanes.end()), lanes.end());

    std::vector<double> durations;
    double t0 = tasks_.front().start, t1 = tasks_.front().end;
    for (const auto& t : tasks_) {
      durations.push_back(t.seconds);
      t0 = std::min(t0, t.start);
      t1 = std::max(t1, t.end);
    }
    const int n = static_cast<int>(lanes.size());
    const double serial = loadbalance::serial_seconds(durations);
    const double makespan = t1 - t0;
    const double speedup = makespan > 0 ? serial / makespan : 0;
    const double ideal_greedy = serial / loadbalance::greedy_makespan(durations, n);
    const double ideal_round_robin = serial / loadbalance::round_robin_makespan(durations, n);
    if (!*quiet)
      std::printf("%zu tasks on %d lanes in %s s (serial %s s): speedup %s; ideal greedy %s, ideal round robin %s\n",
                tasks_.size(), n, fixed(makespan).c_str(), fixed(serial).c_str(), fixed(speedup, 2).c_str(),
                fixed(ideal_greedy, 2).c_str(), fixed(ideal_round_robin, 2).c_str());
    std::fflush(stdout);
    write_svg(lanes, t0, makespan, speedup);
    if (!stats->empty()) {
      std::ofstream out(*stats);
      out << "{\"tasks\":" << tasks_.size() << ",\"lanes\":" << n << ",\"makespan\":" << fixed(makespan, 6)
          << ",\"serial\":" << fixed(serial, 6) << ",\"speedup\":" << fixed(speedup, 4)
          << ",\"ideal_greedy\":" << fixed(ideal_greedy, 4) << ",\"ideal_round_robin\":" << fixed(ideal_round_robin, 4)
          << "}\n";
      if (!out) throw std::runtime_error("cannot write '" + *stats + "'");
    }
  }

 private:
  void write_svg(const std::vector<std::string>& lanes, double t0, double span, double speedup) const {
    const double left = 90, top = 44, lane_h = 18, plot_w = 840, right = 20;
    const double height = top + lane_h * static_cast<double>(lanes.size()) + 40;
    const double width = left + plot_w + right;
    std::map<std::string, std::size_t> lane_of;
    for (std::size_t i = 0; i < lanes.size(); ++i) lane_of[lanes[i]] = i;
    double longest = 0;
    for (const auto& t : tasks_) longest = std::max(longest, t.seconds);

    std::ofstream out(*path);
    out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
        << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
    out << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    out << "<text x=\"" << left << "\" y=\"18\" font-size=\"14\">" << xml_escape(*title) << "</text>\n";
    out << "<text x=\"" << left << "\" y=\"34\" fill=\"#555\">" << tasks_.size() << " tasks on " << lanes.size()
        << " lanes, " << fixed(span) << " s, speedup " << fixed(speedup, 2) << "</text>\n";
    for (std::size_t i = 0; i < lanes.size(); ++i) {
      const double y = top + lane_h * static_cast<double>(i);
      out << "<text class=\"lane\" x=\"" << left - 6 << "\" y=\"" << y + lane_h - 5 << "\" text-anchor=\"end\">"
          << xml_escape(lanes[i]) << "</text>\n";
      out << "<line x1=\"" << left << "\" x2=\"" << left + plot_w << "\" y1=\"" << y + lane_h << "\" y2=\"" << y + lane_h
          << "\" stroke=\"#eee\"/>\n";
    }
    const double scale = span > 0 ? plot_w / span : 0;
    for (const auto& t : tasks_) {
      const double y = top + lane_h * static_cast<double>(lane_of.at(t.who)) + 2;
      const double x = left + (t.start - t0) * scale;
      const double w = std::max(0.5, (t.end - t.start) * scale - 0.5);  // a gap shows where one ends
      const bool is_long = t.seconds > longest * 0.6;
      out << "<rect class=\"task\" x=\"" << fixed(x, 2) << "\" y=\"" << y << "\" width=\"" << fixed(w, 2)
          << "\" height=\"" << lane_h - 4 << "\" fill=\"" << (is_long ? "#d95f02" : "#1b9e77") << "\"><title>task "
          << t.id << ": " << fixed(t.seconds) << " s on " << xml_escape(t.who) << "</title></rect>\n";
    }
    const double axis_y = top + lane_h * static_cast<double>(lanes.size()) + 14;
    for (int k = 0; k <= 4; ++k) {
      const double x = left + plot_w * k / 4.0;
      out << "<text x=\"" << x << "\" y=\"" << axis_y << "\" text-anchor=\"middle\" fill=\"#555\">"
          << fixed(span * k / 4.0, 2) << " s</text>\n";
    }
    out << "</svg>\n";
    if (!out) throw std::runtime_error("cannot write '" + *path + "'");
  }

  std::vector<Task> tasks_;
};
PATCHBAY_COMPONENT(Timetable, "loadbalance.Timetable", "draws who ran which task when, and prints the speedup");

}  // namespace

PATCHBAY_PLUGIN()
