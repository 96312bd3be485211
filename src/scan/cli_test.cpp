// `chidoan scan` from the command line: exit codes, and never a partial file at OUT.
#include "scan/cli.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "scan/test_pages.hpp"

namespace chidoan::scan {
namespace {

namespace fs = std::filesystem;

class ScanCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("chidoan-scan-cli-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string file(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return (dir_ / name).string();
  }
  // Files in the folder other than the inputs: the output and any leftover.
  std::vector<std::string> outputs() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_))
      if (e.path().filename().string().starts_with("out")) out.push_back(e.path().filename().string());
    return out;
  }
  CliArgs args(std::vector<std::string> pages) {
    CliArgs a;
    a.pages = std::move(pages);
    a.out = (dir_ / "out.pdf").string();
    a.quiet = true;
    a.jobs = 2;
    return a;
  }
  fs::path dir_;
};

TEST_F(ScanCli, WritesThePdfAndExitsZero) {
  testing::PageSpec spec;
  EXPECT_EQ(run_cli(args({file("a.png", testing::page(spec))})), 0);
  ASSERT_EQ(outputs(), std::vector<std::string>{"out.pdf"});
  std::ifstream f(dir_ / "out.pdf", std::ios::binary);
  std::string head(8, '\0');
  f.read(head.data(), 8);
  EXPECT_EQ(head, "%PDF-1.5");
}

TEST_F(ScanCli, RefusedInputExitsThreeAndLeavesNothing) {
  std::string good = file("a.png", testing::page(testing::PageSpec{}));
  EXPECT_EQ(run_cli(args({good, file("empty.jpg", "")})), 3);
  EXPECT_TRUE(outputs().empty());
  EXPECT_EQ(run_cli(args({good, (dir_ / "missing.png").string()})), 3);
  EXPECT_TRUE(outputs().empty());
}

TEST_F(ScanCli, UnwritableOutputExitsFourBeforeAnyWork) {
  CliArgs a = args({file("a.png", testing::page(testing::PageSpec{}))});
  a.out = (dir_ / "no-such-folder" / "out.pdf").string();
  EXPECT_EQ(run_cli(a), 4);
  EXPECT_FALSE(fs::exists(dir_ / "no-such-folder"));
}

TEST_F(ScanCli, UnreachableSizeExitsFiveAndLeavesNothing) {
  testing::PageSpec spec;
  spec.red_stamp = true;
  CliArgs a = args({file("a.png", testing::page(spec))});
  a.max_bytes = 1000;
  EXPECT_EQ(run_cli(a), 5);
  EXPECT_TRUE(outputs().empty());
}

TEST_F(ScanCli, MissingLanguageDataExitsSix) {
  CliArgs a = args({file("a.png", testing::page(testing::PageSpec{}))});
  a.lang = "khongco";
  EXPECT_EQ(run_cli(a), 6);
  EXPECT_TRUE(outputs().empty());
}

}  // namespace
}  // namespace chidoan::scan
