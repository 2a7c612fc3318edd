// A user type that nlohmann_json can convert works as a port type: it travels between
// typed ports as itself, meets Value ports and text sinks, and can be a parameter.
#include <doctest/doctest.h>

#include <mutex>

#include <patchbay/json.hpp>
#include <patchbay/model_yaml.hpp>
#include <patchbay/patchbay.hpp>
#include <patchbay/process.hpp>

#include "support.hpp"

using namespace patchbay;
using patchbay::test::read_file;
using patchbay::test::TempDir;

namespace geo {
struct Point {
  double x = 0;
  double y = 0;
  friend bool operator==(const Point&, const Point&) = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Point, x, y)
}  // namespace geo

namespace {

std::mutex seen_mutex;
std::vector<geo::Point> seen;

class Walker : public Component {
 public:
  Param<geo::Point> origin{this, "origin", geo::Point{}, "where the walk starts"};
  Param<std::int64_t> steps{this, "steps", 3, "how many points"};
  Output<geo::Point> where{this, "where"};
  explicit Walker(const Args& a) : Component(a) {}
  void step() override {
    where = geo::Point{origin->x + static_cast<double>(i_), origin->y};
    if (++i_ == *steps) close();
  }

 private:
  std::int64_t i_ = 0;
};
PATCHBAY_COMPONENT(Walker, "test.Walker", "walks along x");

class PointSink : public Component {
 public:
  Input<geo::Point> p{this, "p"};
  explicit PointSink(const Args& a) : Component(a) {}
  void step() override {
    std::lock_guard lock(seen_mutex);
    seen.push_back(*p);
  }
};
PATCHBAY_COMPONENT(PointSink, "test.PointSink", "records points");

}  // namespace

TEST_CASE("a user type gets a readable name and Value conversions from nlohmann_json") {
  const TypeInfo& t = type_of<geo::Point>();
  CHECK(t.name == "geo::Point");
  REQUIRE((t.to_value != nullptr));
  REQUIRE((t.from_value != nullptr));
  Payload p = Payload::make<geo::Point>({1.5, -2});
  CHECK(t.to_value(p) == Value(Value::Object{{"x", 1.5}, {"y", -2.0}}));
  CHECK(t.from_value(Value::Object{{"x", 3}, {"y", 4}}).get<geo::Point>() == geo::Point{3, 4});
  CHECK_THROWS_AS(t.from_value(Value("nope")), std::invalid_argument);
}

TEST_CASE("user-typed ports connect to each other, to Value ports and to text sinks") {
  TempDir dir;
  LoadResult r = load_model_string(R"(
patchbay:
  components:
    - {type: test.Walker, name: walk, args: {origin: {x: 10, y: 1}, steps: 3}}
    - {type: test.PointSink, name: sink}
    - {type: builtin.FileWriter, name: out, args: {path: )" + (dir / "points.jsonl").string() + R"(, fields: [p]}}
  connectors:
    - {source: walk.where, target: sink.p}
    - {source: walk.where, target: out.p}
)");
  REQUIRE_MESSAGE(r.ok(), format_errors(r.errors));
  auto report = run(r.model);
  CHECK_MESSAGE(report.ok, report.error);
  {
    std::lock_guard lock(seen_mutex);
    CHECK(seen == std::vector<geo::Point>{{10, 1}, {11, 1}, {12, 1}});
  }
  CHECK(read_file(dir / "points.jsonl") ==
        "{\"p\":{\"x\":10.0,\"y\":1.0}}\n{\"p\":{\"x\":11.0,\"y\":1.0}}\n{\"p\":{\"x\":12.0,\"y\":1.0}}\n");
}

TEST_CASE("a user-typed parameter with the wrong shape is a load error at its place") {
  LoadResult r = load_model_string(
      "patchbay:\n"
      "  components:\n"
      "    - {type: test.Walker, name: walk, args: {origin: [1, 2]}}\n"
      "    - {type: test.PointSink, name: sink}\n"
      "  connectors:\n"
      "    - {source: walk.where, target: sink.p}\n",
      "m.yaml");
  REQUIRE(r.errors.size() == 1);
  CAPTURE(r.errors[0].str());
  CHECK(r.errors[0].str().rfind("m.yaml:3:54: component 'walk' (test.Walker): argument 'origin': expected geo::Point, got list", 0) == 0);
}

TEST_CASE("a user type does not meet a different typed port") {
  Model m;
  m.add_component("test.Walker", "walk");
  m.add_component("builtin.Checksum", "sum", {{"path", "x.json"}});
  m.connect("walk.where", "sum.x");
  auto errors = check_model(m);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == "connector walk.where -> sum.x: type mismatch: walk.where is geo::Point but sum.x is int64");
}
