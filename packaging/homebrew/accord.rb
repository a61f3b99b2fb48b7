# Homebrew formula for Accord. packaging/release.sh fills in url and sha256
# for each release tarball (made with `git archive`, so the build knows its
# commit); copy the result into a tap to `brew install` it.
class Accord < Formula
  desc "Declarative, reboot-safe management of macOS local accounts and FileVault"
  homepage "https://github.com/accord-admin/accord"
  url "https://github.com/accord-admin/accord/releases/download/v0.1.0/accord-0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  license "Apache-2.0"

  depends_on "catch2" => :build
  depends_on "cli11" => :build
  depends_on "cmake" => :build
  depends_on "nlohmann-json" => :build
  depends_on "boost"
  depends_on "nettle"
  depends_on "spdlog"
  depends_on "yaml-cpp"

  def install
    system "cmake", "-S", ".", "-B", "build", "-DACCORD_BUILD_TESTS=OFF", *std_cmake_args
    system "cmake", "--build", "build"
    system "cmake", "--install", "build"
  end

  test do
    assert_match "accord #{version} (commit ", shell_output("#{bin}/accord --version")
    examples = pkgshare/"examples/fresh-mac"
    plan = shell_output("#{bin}/accord plan -f #{examples}/desired.yaml " \
                        "--device #{examples}/device.json --json")
    assert_match "\"accord_plan\": 1", plan
    assert_match "\"version\": \"#{version}+", plan
    assert_match "create user", shell_output("#{bin}/accord plan -f #{examples}/desired.yaml " \
                                             "--device #{examples}/device.json --no-color")
  end
end
