// Fuzz target: every macOS tool output Accord parses, through observation
// itself. The input is split at NUL bytes; the n-th part is what the n-th
// observe command printed (dscl plists, diskutil, fdesetup, profiles,
// sw_vers, ls), as a damaged or hostile Mac might print it.
#include "fuzz_input.h"
#include "macos/observe.h"

namespace {

class Replay : public accord::CommandRunner {
 public:
  explicit Replay(std::vector<std::string> parts) : parts_(std::move(parts)) {}
  accord::Result<accord::CommandResult> Run(const accord::Command&) override {
    std::string out = next_ < parts_.size() ? parts_[next_] : "";
    ++next_;
    return accord::CommandResult{out.empty() ? 1 : 0, out, ""};
  }

 private:
  std::vector<std::string> parts_;
  std::size_t next_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Replay mac(accord::fuzz::Parts(accord::fuzz::Text(data, size)));
  accord::ObserveMac(mac);
  return 0;
}
