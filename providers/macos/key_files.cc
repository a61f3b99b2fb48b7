// SPDX-License-Identifier: Apache-2.0
// Finding, guarding, keeping and removing the files that hold a recovery
// key.
#include "macos/key_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/atomic_file.h"
#include "core/clock.h"
#include "core/text_file.h"
#include "macos/command_runner.h"
#include "macos/plist.h"
#include "macos/text_lines.h"

namespace accord {

std::vector<KeyFile> FindKeyFiles(const std::string& dir, const FileVaultState& filevault) {
  bool enabled =
      filevault.status == FileVaultStatus::kOn || filevault.status == FileVaultStatus::kEncrypting;
  std::vector<KeyFile> out;
  for (const KeyFileName& k : kKeyFileNames) {
    if (k.deferral && !enabled) continue;
    const std::string path = dir + "/" + k.name;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) continue;
    out.push_back({path, UtcTime(st.st_mtime)});
  }
  return out;
}

namespace {

// "XXXX-…" without the white space around it.
std::string Trimmed(const std::string& text) { return Trim(text, " \t\r\n"); }

// The key of fdesetup's plist (-outputplist, or a -defer file): the root
// dict's RecoveryKey, a non-empty string; nothing if there is none.
const PlistValue* RecoveryKeyIn(const PlistParse& plist) {
  if (!plist.ok() || plist.root.kind != PlistValue::Kind::kDict) return nullptr;
  const PlistValue* key = plist.root.Get("RecoveryKey");
  if (!key || key->kind != PlistValue::Kind::kString || key->text.empty()) return nullptr;
  return key;
}

bool SameInConstantTime(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

}  // namespace

Known<bool> HoldsKey(const KeyFile& file, const Secret& key) {
  Result<std::string> read = ReadTextFile(file.path);
  if (!read.ok()) return std::nullopt;
  std::string text = std::move(read).value();
  std::string held;
  if (text.find("<plist") != std::string::npos) {
    PlistParse plist = ParsePlist(text);
    if (const PlistValue* v = RecoveryKeyIn(plist)) held = v->text;
    for (PlistEntry& e : plist.root.dict) Wipe(e.value.text);
  } else if (std::string one = Trimmed(text); one.find('\n') == std::string::npos) {
    held = one;
    Wipe(one);
  }
  Wipe(text);
  if (held.empty()) return std::nullopt;
  bool same = SameInConstantTime(held, Trimmed(key.Reveal()));
  Wipe(held);
  return same;
}

Status ProtectKeyFile(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return OkStatus();  // not written yet
  if (!S_ISREG(st.st_mode)) return path + " is not a regular file";
  if ((st.st_mode & 07777) != 0600 && ::chmod(path.c_str(), 0600) != 0) {
    return "cannot make " + path + " root-only: " + std::strerror(errno);
  }
  return OkStatus();
}

Status RemoveKeyFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return "cannot remove " + path + ": " + std::strerror(errno);
  }
  return OkStatus();
}

Result<bool> KeepRotatedKey(const std::string& path, const std::string& printed) {
  if (printed.empty()) return false;
  PlistParse plist = ParsePlist(printed);
  const PlistValue* key = RecoveryKeyIn(plist);
  std::string kept = key ? key->text + "\n" : printed;
  Status written = WriteFileAtomically(path, kept, 0600);
  Wipe(kept);
  for (PlistEntry& e : plist.root.dict) Wipe(e.value.text);
  if (!written.ok()) return written.errors();
  return key != nullptr;
}

}  // namespace accord
