// Plugins: real good and bad plugin libraries (tests/plugins/), loaded through the API, a
// model's `plugins:`, `--plugin` and PATCHBAY_PLUGIN_PATH. Every loader error is checked
// by its message. A loaded plugin stays loaded, so each case expects a fresh process (as
// ctest runs them).
#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>

#include <patchbay/model_yaml.hpp>
#include <patchbay/plugin.hpp>
#include <patchbay/process.hpp>
#include <patchbay/registry.hpp>

#include "support.hpp"

using namespace patchbay;
using namespace patchbay::test;
namespace fs = std::filesystem;

namespace {

constexpr auto npos = std::string::npos;

const std::string kGood = fs::canonical(PATCHBAY_TEST_PLUGIN_GOOD).string();
const std::string kNoEntry = fs::canonical(PATCHBAY_TEST_PLUGIN_NO_ENTRY).string();
const std::string kAbiMismatch = fs::canonical(PATCHBAY_TEST_PLUGIN_ABI_MISMATCH).string();
const std::string kDuplicateType = fs::canonical(PATCHBAY_TEST_PLUGIN_DUPLICATE_TYPE).string();
const std::string kThrowing = fs::canonical(PATCHBAY_TEST_PLUGIN_THROWING).string();

// Sets (or unsets, with nullopt) an environment variable for one test, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = getenv(name)) old_ = old;
    if (value) setenv(name, value->c_str(), 1);
    else unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_) setenv(name_, old_->c_str(), 1);
    else unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// Iterator -> good.Gain -> good.Label -> a CSV file; the plugin named under plugins:
// (none when empty).
std::string good_model(const std::string& plugin, const fs::path& out) {
  return "patchbay:\n" +
         (plugin.empty() ? "" : "  plugins: [" + plugin + "]\n") +
         "  components:\n"
         "    - {type: builtin.Iterator, name: src, args: {iters: 3}}\n"
         "    - {type: good.Gain, name: gain, args: {gain: 1.5, skip: 1}}\n"
         "    - {type: good.Label, name: label, args: {prefix: v=}}\n"
         "    - {type: builtin.FileWriter, name: out, args: {path: " + out.string() + ", fields: [text]}}\n"
         "  connectors:\n"
         "    - {source: src.x, target: gain.x}\n"
         "    - {source: gain.y, target: label.x}\n"
         "    - {source: label.text, target: out.text}\n";
}
const char* kGoodOutput = "text\nv=1\nv=3\n";

}  // namespace

TEST_CASE("a plugin file that does not exist is reported as not found with the folders searched") {
  ScopedEnv no_path(kPluginPathVariable, std::nullopt);
  PluginLoad absolute = load_plugin("/nonexistent/libnothing.so");
  CHECK(absolute.error == "file not found: /nonexistent/libnothing.so");
  CHECK(absolute.types.empty());

  TempDir dir;
  PluginLoad relative = load_plugin("libnothing.so", dir.path());
  CHECK(relative.error ==
        "file not found: libnothing.so (looked in " + dir.path().string() + "; PATCHBAY_PLUGIN_PATH is not set)");

  TempDir other;
  ScopedEnv path(kPluginPathVariable, other.path().string() + "::/nonexistent");
  PluginLoad bare = load_plugin("nothing", dir.path());
  CHECK(bare.error == "file not found: nothing or libnothing.so (looked in " + dir.path().string() +
                          " and PATCHBAY_PLUGIN_PATH: " + other.path().string() + ":/nonexistent)");
  CHECK_FALSE(bare.ok());
}

TEST_CASE("a file that is not a shared library is refused") {
  TempDir dir;
  write_file(dir / "libtext.so", "this is a text file, not a library\n");
  PluginLoad text = load_plugin((dir / "libtext.so").string());
  CHECK(text.error == "not a shared library (no ELF header)");
  PluginLoad folder = load_plugin(dir.path().string());
  CHECK(folder.error == "not a shared library (it is a directory)");
}

TEST_CASE("a shared library without the entry point is refused and registers nothing") {
  PluginLoad load = load_plugin(kNoEntry);
  CHECK(load.path == kNoEntry);
  CHECK(load.error == "not a patchbay plugin (no patchbay_plugin_abi entry point; add PATCHBAY_PLUGIN())");
  CHECK(load.types.empty());
  CHECK(Registry::global().find("noentry.Thing") == nullptr);
}

TEST_CASE("a plugin built for another ABI version is refused before its types are taken") {
  PluginLoad load = load_plugin(kAbiMismatch);
  CHECK(load.error == "built for plugin ABI " + std::to_string(kPluginAbiVersion + 1) + ", this patchbay has ABI " +
                          std::to_string(kPluginAbiVersion) + ": rebuild the plugin");
  CHECK(Registry::global().find("abimismatch.Thing") == nullptr);
}

TEST_CASE("a plugin with a type name that is already registered is refused whole") {
  PluginLoad load = load_plugin(kDuplicateType);
  CHECK(load.error == "component type 'builtin.Scale' is already registered (by builtin); none of its types were added");
  CHECK(load.types.empty());
  CHECK(Registry::global().find("dup.Fresh") == nullptr);
  CHECK(Registry::global().find("builtin.Scale")->origin == "builtin");
  // The good plugin's types cannot be registered twice either, by another copy of it.
  TempDir dir;
  REQUIRE(load_plugin(kGood).ok());
  fs::copy_file(kGood, dir / "libcopy.so");
  PluginLoad copy = load_plugin((dir / "libcopy.so").string());
  CHECK(copy.error.find("component type 'good.Gain' is already registered (by " + kGood + ")") != npos);
}

TEST_CASE("a component whose constructor throws is reported at model load, naming the component") {
  LoadResult r = load_model_string(
      "patchbay:\n"
      "  plugins: [" + kThrowing + "]\n"
      "  components:\n"
      "    - {type: throwing.Device, name: sensor}\n"
      "    - {type: builtin.Printer, name: show}\n"
      "  connectors:\n"
      "    - {source: sensor.y, target: show.x}\n",
      "model.yaml");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].str() ==
        "model.yaml:4:7: component 'sensor' (throwing.Device): cannot open /dev/patchbay-test: no such device");
  // The type itself loaded: the plugin is fine, only building the component fails.
  REQUIRE(Registry::global().find("throwing.Device") != nullptr);
  CHECK(describe(*Registry::global().find("throwing.Device")).error ==
        "cannot open /dev/patchbay-test: no such device");
}

TEST_CASE("the good plugin's components run in a model that names it under plugins, relative to the model") {
  TempDir dir;
  fs::create_directories(dir / "lib");
  fs::copy_file(kGood, dir / "lib/libgood.so");
  write_file(dir / "model.yaml", good_model("lib/libgood.so", dir / "out.csv"));
  LoadResult r = load_model_file((dir / "model.yaml").string());
  REQUIRE_MESSAGE(r.ok(), format_errors(r.errors));
  const ComponentType* gain = Registry::global().find("good.Gain");
  REQUIRE(gain != nullptr);
  CHECK(gain->origin == fs::canonical(dir / "lib/libgood.so").string());
  RunReport report = run(r.model);
  REQUIRE_MESSAGE(report.ok, report.error);
  CHECK(read_file(dir / "out.csv") == kGoodOutput);
  REQUIRE(loaded_plugins().size() == 1);
  CHECK(loaded_plugins()[0].types == std::vector<std::string>{"good.Gain", "good.Label"});
}

TEST_CASE("a plugin is loaded once however it is named") {
  TempDir dir;
  fs::create_symlink(kGood, dir / "libalias.so");
  PluginLoad first = load_plugin(kGood);
  PluginLoad again = load_plugin((dir / "libalias.so").string());
  CHECK(first.ok());
  CHECK(again.ok());
  CHECK(again.path == kGood);
  CHECK(loaded_plugins().size() == 1);
}

TEST_CASE("PATCHBAY_PLUGIN_PATH finds a plugin by file name and by bare name") {
  TempDir dir;
  ScopedEnv path(kPluginPathVariable, "/nonexistent:" + fs::path(kGood).parent_path().string());
  std::string file = fs::path(kGood).filename().string();  // libtest_plugin_good.so
  PluginLoad by_file = load_plugin(file, dir.path());
  CHECK_MESSAGE(by_file.ok(), by_file.error);
  CHECK(by_file.path == kGood);
  PluginLoad by_name = load_plugin("test_plugin_good", dir.path());
  CHECK_MESSAGE(by_name.ok(), by_name.error);
  CHECK(by_name.path == kGood);
  CHECK(Registry::global().find("good.Label") != nullptr);
}

TEST_CASE("patchbay run and validate take --plugin and run the plugin's components") {
  TempDir dir;
  write_file(dir / "bare.yaml", good_model("", dir / "out.csv"));
  auto validate = run_cli({"validate", "bare.yaml", "--plugin", kGood}, dir.path());
  CHECK_MESSAGE(validate.exit_code == 0, validate.err);
  CHECK(validate.out == "bare.yaml: ok (4 components, 3 connectors, process local)\n");
  auto run = run_cli({"run", "bare.yaml", "--plugin", kGood}, dir.path());
  CHECK_MESSAGE(run.exit_code == 0, run.err);
  CHECK(read_file(dir / "out.csv") == kGoodOutput);
  auto without = run_cli({"validate", "bare.yaml"}, dir.path());
  CHECK(without.exit_code == 2);
  CHECK(without.err.find("unknown component type 'good.Gain'") != npos);
}

TEST_CASE("patchbay finds plugins named in the model or by --plugin through PATCHBAY_PLUGIN_PATH") {
  TempDir dir;
  std::string folder = fs::path(kGood).parent_path().string();
  write_file(dir / "model.yaml", good_model("test_plugin_good", dir / "out.csv"));
  auto missing = run_cli({"run", "model.yaml"}, dir.path(), -1, {"PATCHBAY_PLUGIN_PATH="});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("model.yaml:2:13: plugin 'test_plugin_good': file not found: test_plugin_good or "
                         "libtest_plugin_good.so (looked in " + dir.path().string() + "; PATCHBAY_PLUGIN_PATH is not set)") != npos);
  auto found = run_cli({"run", "model.yaml"}, dir.path(), -1, {"PATCHBAY_PLUGIN_PATH=" + folder});
  CHECK_MESSAGE(found.exit_code == 0, found.err);
  CHECK(read_file(dir / "out.csv") == kGoodOutput);
  auto listed = run_cli({"components", "--plugin", "libtest_plugin_good.so"}, dir.path(), -1,
                        {"PATCHBAY_PLUGIN_PATH=" + folder});
  CHECK(listed.exit_code == 0);
  CHECK(listed.out.find("plugin " + kGood + " adds: good.Gain good.Label\n") != npos);
}

TEST_CASE("patchbay components lists the types each plugin adds and the plugins that failed with the reason") {
  auto r = run_cli({"components", "--plugin", kGood, "--plugin", kNoEntry, "--plugin", kAbiMismatch, "--plugin",
                    kDuplicateType, "--plugin", kThrowing, "--plugin", "/nonexistent/libnothing.so"});
  CHECK(r.exit_code == 2);  // it lists everything, and a script still learns that a plugin failed
  CHECK(r.out.find("good.Gain  y = x * gain, after skipping the first values  [" + kGood + "]\n"
                   "    inputs:  x (int64)\n"
                   "    outputs: y (double)\n"
                   "    param   gain (double, default 2.0)  multiplies x\n"
                   "    param   skip (int64, default 0)  values dropped at the start\n") != npos);
  CHECK(r.out.find("param   prefix (string, required)  text before each value") != npos);
  CHECK(r.out.find("throwing.Device  a source whose constructor always throws  [" + kThrowing + "]\n"
                   "    error:  cannot be built with default arguments: cannot open /dev/patchbay-test: no such device\n") != npos);
  CHECK(r.out.find("plugin " + kGood + " adds: good.Gain good.Label\n") != npos);
  CHECK(r.out.find("plugin " + kThrowing + " adds: throwing.Device\n") != npos);
  CHECK(r.out.find("plugin " + kNoEntry + " failed: not a patchbay plugin") != npos);
  CHECK(r.out.find("plugin " + kAbiMismatch + " failed: built for plugin ABI") != npos);
  CHECK(r.out.find("plugin " + kDuplicateType + " failed: component type 'builtin.Scale' is already registered") != npos);
  CHECK(r.out.find("plugin /nonexistent/libnothing.so failed: file not found") != npos);
  CHECK(r.out.find("dup.Fresh") == npos);
  CHECK(r.out.find("noentry.Thing") == npos);
  // The same failures are on stderr, one line each.
  CHECK(r.err.find("plugin '" + kNoEntry + "': not a patchbay plugin") != npos);
}

TEST_CASE("a plugin that does not load makes run, validate and schema exit 2 with the reason") {
  TempDir dir;
  write_file(dir / "model.yaml", "patchbay:\n  components:\n    - {type: builtin.Iterator, name: src}\n");
  for (const char* cmd : {"run", "validate"}) {
    auto r = run_cli({cmd, "model.yaml", "--plugin", kAbiMismatch}, dir.path());
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("plugin '" + kAbiMismatch + "': built for plugin ABI") != npos);
  }
  auto schema = run_cli({"schema", "--plugin", "libnothing.so"}, dir.path(), -1, {"PATCHBAY_PLUGIN_PATH="});
  CHECK(schema.exit_code == 2);
  CHECK(schema.err == "plugin 'libnothing.so': file not found: libnothing.so (looked in " + dir.path().string() +
                          "; PATCHBAY_PLUGIN_PATH is not set)\n");
  CHECK(schema.out.empty());
}
