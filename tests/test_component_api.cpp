// The component author's API: typed ports named once, ports made from arguments,
// parameters with types, defaults and help, and the registry.
#include <doctest/doctest.h>

#include <patchbay/patchbay.hpp>

using namespace patchbay;

namespace {

struct Point {
  double x = 0, y = 0;
};

class Gauge : public Component {
 public:
  Param<double> scale{this, "scale", 2.0, "multiplies the reading"};
  Param<std::string> label{this, "label", required, "what is measured"};
  Param<std::vector<std::string>> extra{this, "extra", std::vector<std::string>{}, "more inputs"};
  Input<double> reading{this, "reading"};
  Input<Point> where{this, "where"};
  Output<std::string> text{this, "text"};

  explicit Gauge(const Args& a) : Component(a) {
    for (const auto& n : *extra) add_input<std::int64_t>(n);
  }
  void step() override { text = *label + ": " + std::to_string(*reading * *scale); }
};
PATCHBAY_COMPONENT(Gauge, "test.Gauge", "a component with every kind of member");

std::unique_ptr<Component> build(Value::Object values, std::vector<Error>& errors) {
  const ComponentType* type = Registry::global().find("test.Gauge");
  REQUIRE(type != nullptr);
  Args args("g", "test.Gauge", std::move(values));
  return create_component(*type, args, errors);
}

}  // namespace

TEST_CASE("ports declared as members are found by name with their types") {
  std::vector<Error> errors;
  auto c = build({{"label", "depth"}}, errors);
  REQUIRE(c);
  CHECK(errors.empty());
  REQUIRE(c->inputs().size() == 2);
  CHECK(c->find_input("reading")->type().name == "double");
  CHECK(c->find_input("where")->type().name == "(anonymous namespace)::Point");
  CHECK(c->find_output("text")->type().name == "string");
  CHECK(c->find_input("text") == nullptr);
  CHECK(c->name() == "g");
}

TEST_CASE("ports can be made from arguments") {
  std::vector<Error> errors;
  auto c = build({{"label", "depth"}, {"extra", Value::array({"p", "q"})}}, errors);
  REQUIRE(c);
  CHECK(c->inputs().size() == 4);
  CHECK(c->find_input("q")->type().name == "int64");
}

TEST_CASE("parameters take defaults and given values") {
  std::vector<Error> errors;
  auto c = build({{"label", "depth"}, {"scale", 3}}, errors);
  REQUIRE(c);
  CHECK(*static_cast<Gauge&>(*c).scale == 3.0);
  CHECK(*static_cast<Gauge&>(*c).label == "depth");
}

TEST_CASE("a missing required parameter, a wrong type and an unknown key are all reported") {
  std::vector<Error> errors;
  auto c = build({{"scale", "big"}, {"colour", "red"}}, errors);
  CHECK_FALSE(c);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].message == "component 'g' (test.Gauge): argument 'scale': expected double, got string \"big\"");
  CHECK(errors[1].message == "component 'g' (test.Gauge): missing required argument 'label' (string)");
  CHECK(errors[2].message == "component 'g' (test.Gauge): unknown argument 'colour' (parameters: scale, label, extra)");
}

TEST_CASE("two ports with one name are an error naming the port") {
  std::vector<Error> errors;
  auto c = build({{"label", "d"}, {"extra", Value::array({"reading"})}}, errors);
  CHECK_FALSE(c);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == "component 'g' (test.Gauge): two ports named 'reading'");
}

TEST_CASE("describe lists parameters with type, default and help, and the ports") {
  TypeDescription d = describe(*Registry::global().find("test.Gauge"));
  CHECK(d.error.empty());
  REQUIRE(d.params.size() == 3);
  CHECK(d.params[0].name == "scale");
  CHECK(d.params[0].type == "double");
  CHECK(d.params[0].default_value == Value(2.0));
  CHECK(d.params[0].help == "multiplies the reading");
  CHECK(d.params[1].required);
  CHECK(d.inputs.size() == 2);
  CHECK(d.outputs.size() == 1);
}

TEST_CASE("the registry suggests the nearest names for a typo") {
  auto near = Registry::global().nearest("builtin.Iteratr");
  REQUIRE_FALSE(near.empty());
  CHECK(near[0] == "builtin.Iterator");
  auto short_name = Registry::global().nearest("Passthru");
  REQUIRE_FALSE(short_name.empty());
  CHECK(short_name[0] == "builtin.Passthrough");
  CHECK(Registry::global().nearest("zzzzzzzzzzzzzz").empty());
}

TEST_CASE("types registered by the program itself are told apart from the built-ins") {
  CHECK(Registry::global().find("test.Gauge")->origin == "program");
  CHECK(Registry::global().find("builtin.Sleep")->origin == "builtin");
}

TEST_CASE("registering a type name twice is refused") {
  ComponentType t{"test.Gauge", "again", nullptr, "test"};
  CHECK_THROWS_WITH_AS(Registry::global().add(t), doctest::Contains("already registered"), std::invalid_argument);
}

TEST_CASE("built-in components are registered like any other type") {
  for (const char* name : {"builtin.Iterator", "builtin.Passthrough", "builtin.Sleep", "builtin.Busy", "builtin.Add",
                           "builtin.Timestamper", "builtin.FileReader", "builtin.FileWriter", "builtin.Printer",
                           "builtin.Checksum"}) {
    CAPTURE(name);
    const ComponentType* t = Registry::global().find(name);
    REQUIRE(t != nullptr);
    CHECK(t->origin == "builtin");
    CHECK(describe(*t).error.empty());
  }
}

TEST_CASE("Value prints compact JSON and reports kind mismatches clearly") {
  Value v = Value::Object{{"a", 1}, {"b", Value::array({true, nullptr, 2.5, "x\"y"})}};
  CHECK(v.dump() == R"({"a":1,"b":[true,null,2.5,"x\"y"]})");
  CHECK(Value(0.1).dump() == "0.1");
  CHECK(Value(3.0).dump() == "3.0");
  CHECK_THROWS_WITH(Value("s").as_int(), "expected integer, got string \"s\"");
  CHECK(Value(2).as_double() == 2.0);
  CHECK(from_value<std::vector<std::int64_t>>(Value::array({1, 2})) == std::vector<std::int64_t>{1, 2});
  CHECK_THROWS_WITH(from_value<std::int8_t>(Value(300)), "expected int8, got integer 300 (out of range)");
}

TEST_CASE("payloads keep small values inline and share large ones") {
  Payload small = Payload::make<std::int64_t>(42);
  CHECK(small.shared_address() == nullptr);
  CHECK(small.get<std::int64_t>() == 42);
  Payload big = Payload::make<std::string>(std::string(1000, 'x'));
  Payload copy = big;
  CHECK(copy.shared_address() == big.shared_address());
  Payload moved = std::move(copy);
  CHECK(copy.empty());
  CHECK(moved.get<std::string>().size() == 1000);
  CHECK(convert_payload(small, type_of<Value>()).get<Value>() == Value(42));
  auto buffer = std::make_shared<const std::vector<double>>(1000, 1.0);
  Payload shared = Payload::share<std::vector<double>>(buffer);
  CHECK(shared.shared_address() == buffer.get());
  CHECK(shared.shared<std::vector<double>>() == buffer);
  CHECK_THROWS_WITH(convert_payload(small, type_of<std::string>()), "a int64 value cannot go to a string port");
}
