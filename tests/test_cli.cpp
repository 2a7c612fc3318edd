// The `patchbay` command, run as a user would run it.
#include <doctest/doctest.h>

#include "support.hpp"

using namespace patchbay::test;

TEST_CASE("patchbay run configs/hello.yaml writes the documented Fahrenheit table") {
  TempDir dir;
  auto r = run_cli({"run", (source_dir() / "configs/hello.yaml").string(),
                    "--set", "reader.path=" + (source_dir() / "configs/data/temperatures.csv").string()},
                   dir.path());
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(read_file(dir / "hello-fahrenheit.csv") ==
        "city,fahrenheit\n"
        "Reykjavik,29.3\n"
        "Oslo,39.2\n"
        "Berlin,52.7\n"
        "Lisbon,64.4\n"
        "Cairo,81.5\n"
        "Singapore,86.0\n");
}

TEST_CASE("patchbay --version prints the version") {
  auto r = run_cli({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("patchbay 0.1.0") != std::string::npos);
}
