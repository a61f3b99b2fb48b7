// SPDX-License-Identifier: Apache-2.0
// OpenDirectoryPasswords: verify and change a local account's password with
// the CFOpenDirectory C API, as Apple's own chkpasswd does (passwd's
// od_passwd.c: ODNodeCopyRecord, then ODRecordVerifyPassword) and as
// macOSLAPS and mkuser change passwords (ODRecord changePassword with the
// old and the new password). Signatures: Apple's CFOpenDirectory headers
// (CFODNode.h, CFODRecord.h); error codes: CFOpenDirectoryErrors.h
// (kODErrorCredentialsInvalid = 5000). Built only on macOS.
#include "macos/open_directory.h"

#include <CoreFoundation/CoreFoundation.h>
#include <OpenDirectory/OpenDirectory.h>

#include <utility>
#include <vector>

namespace accord {
namespace {

// Owns one CoreFoundation reference.
template <typename T>
class Cf {
 public:
  explicit Cf(T ref = nullptr) : ref_(ref) {}
  Cf(const Cf&) = delete;
  Cf& operator=(const Cf&) = delete;
  ~Cf() {
    if (ref_) CFRelease(ref_);
  }
  T get() const { return ref_; }
  explicit operator bool() const { return ref_ != nullptr; }

 private:
  T ref_;
};

std::string Utf8(CFStringRef s) {
  if (!s) return "";
  CFIndex size = CFStringGetMaximumSizeForEncoding(CFStringGetLength(s), kCFStringEncodingUTF8) + 1;
  std::vector<char> buffer(static_cast<std::size_t>(size));
  if (!CFStringGetCString(s, buffer.data(), size, kCFStringEncodingUTF8)) return "";
  return buffer.data();
}

CFStringRef NewString(const std::string& s) {
  return CFStringCreateWithBytes(kCFAllocatorDefault, reinterpret_cast<const UInt8*>(s.data()),
                                 static_cast<CFIndex>(s.size()), kCFStringEncodingUTF8, false);
}

// The directory's description of an error, and its code.
std::pair<std::string, CFIndex> Describe(CFErrorRef error) {
  if (!error) return {"no reason given", 0};
  Cf<CFStringRef> text(CFErrorCopyDescription(error));
  return {Utf8(text.get()) + " (" + std::to_string(CFErrorGetCode(error)) + ")",
          CFErrorGetCode(error)};
}

constexpr CFIndex kCredentialsInvalid = 5000;  // kODErrorCredentialsInvalid

// The user's record on the local node, or why not.
ODRecordRef LocalUser(const std::string& user, std::string& why) {
  CFErrorRef error = nullptr;
  Cf<ODNodeRef> node(ODNodeCreateWithNodeType(kCFAllocatorDefault, kODSessionDefault,
                                              kODNodeTypeLocalNodes, &error));
  if (!node) {
    why = "cannot open the local directory node: " + Describe(error).first;
    if (error) CFRelease(error);
    return nullptr;
  }
  Cf<CFStringRef> name(NewString(user));
  if (!name) {
    why = "the user name is not UTF-8";
    return nullptr;
  }
  ODRecordRef record =
      ODNodeCopyRecord(node.get(), kODRecordTypeUsers, name.get(), nullptr, &error);
  if (!record) {
    why = error ? "cannot read " + user + "'s record: " + Describe(error).first
                : user + " has no record on the local node";
    if (error) CFRelease(error);
  }
  return record;
}

}  // namespace

PasswordVerdict OpenDirectoryPasswords::Verify(const std::string& user, const Secret& password) {
  std::string why;
  Cf<ODRecordRef> record(LocalUser(user, why));
  if (!record) return {PasswordCheck::kCannotTell, why};
  Cf<CFStringRef> value(NewString(password.Reveal()));
  if (!value) return {PasswordCheck::kCannotTell, "the password is not UTF-8"};
  CFErrorRef error = nullptr;
  if (ODRecordVerifyPassword(record.get(), value.get(), &error)) {
    return {PasswordCheck::kAccepted, "OpenDirectory accepted it"};
  }
  auto [text, code] = Describe(error);
  if (error) CFRelease(error);
  return {code == kCredentialsInvalid ? PasswordCheck::kRejected : PasswordCheck::kCannotTell,
          "OpenDirectory: " + text};
}

Status OpenDirectoryPasswords::Change(const std::string& user, const Secret& old_password,
                                      const Secret& new_password) {
  std::string why;
  Cf<ODRecordRef> record(LocalUser(user, why));
  if (!record) return why;
  Cf<CFStringRef> old_value(NewString(old_password.Reveal()));
  Cf<CFStringRef> new_value(NewString(new_password.Reveal()));
  if (!old_value || !new_value) return "a password is not UTF-8";
  CFErrorRef error = nullptr;
  if (ODRecordChangePassword(record.get(), old_value.get(), new_value.get(), &error)) {
    return OkStatus();
  }
  std::string text = Describe(error).first;
  if (error) CFRelease(error);
  return "OpenDirectory refused to change " + user + "'s password: " + text;
}

}  // namespace accord
