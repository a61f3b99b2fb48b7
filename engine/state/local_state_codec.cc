// SPDX-License-Identifier: Apache-2.0
// Local state JSON: read strictly, written canonically.
#include "state/local_state_codec.h"

#include <array>
#include <set>

#include "core/json_reader.h"
#include "core/names.h"
#include "core/version.h"

namespace accord {
namespace {

using OrderedJson = nlohmann::ordered_json;

// "escrow_confirmed" is read from files of older Accords, and never
// believed (local_state.h, legacy_escrow_seen).
constexpr std::array<std::string_view, 8> kTopKeys = {
    "accord_local_state", "version",          "accounts",       "pending",
    "filevault_deferral", "escrow_confirmed", "escrow_pending", "escrow_verified"};
constexpr std::array<std::string_view, 9> kAccountKeys = {"user",
                                                          "guid",
                                                          "password_set_from",
                                                          "filevault_out_of_step",
                                                          "keychain_out_of_step",
                                                          "token_unknown",
                                                          "filevault_in_step",
                                                          "password_last_set",
                                                          "since"};
constexpr std::array<std::string_view, 2> kDeferralKeys = {"user", "since"};

class Reader : public JsonFields {
 public:
  using JsonFields::JsonFields;

  Result<LocalState> Run(const Json& root) {
    LocalState s;
    if (!Object(root, "", kTopKeys)) return errors();
    auto version = root.find("accord_local_state");
    if (version == root.end() || !version->is_number_integer() || *version != kLocalStateFormat) {
      Error("accord_local_state",
            (version == root.end() ? std::string("missing") : "format " + version->dump()) +
                "; this Accord reads local state format " + std::to_string(kLocalStateFormat));
      return errors();
    }
    String(root, "", "version");  // which Accord wrote it: informative, but a string
    if (const Json* accounts = Array(root, "", "accounts")) {
      for (std::size_t i = 0; i < accounts->size(); ++i) {
        Account((*accounts)[i], "accounts[" + std::to_string(i) + "]", s);
      }
    }
    if (const Json* pending = Array(root, "", "pending")) {
      for (std::size_t i = 0; i < pending->size(); ++i) {
        const Json& id = (*pending)[i];
        if (!id.is_string() || id.get<std::string>().rfind("grant_token:", 0) != 0) {
          Error("pending[" + std::to_string(i) + "]", "expected a grant_token:NAME step id");
        } else {
          s.pending.push_back(id.get<std::string>());
        }
      }
    }
    if (auto d = root.find("filevault_deferral"); d != root.end() && !d->is_null()) {
      if (Object(*d, "filevault_deferral", kDeferralKeys)) {
        auto user = String(*d, "filevault_deferral", "user");
        auto since = String(*d, "filevault_deferral", "since");
        if (!user || user->empty()) Error("filevault_deferral.user", "a user is required");
        if (user) s.filevault_deferral = DeferralRecord{*user, since.value_or("")};
      }
    }
    s.legacy_escrow_seen = String(root, "", "escrow_confirmed");
    s.escrow_pending = String(root, "", "escrow_pending");
    s.escrow_verified = String(root, "", "escrow_verified");
    if (!ok()) return errors();
    return s;
  }

 private:
  void Account(const Json& j, const std::string& path, LocalState& s) {
    if (!Object(j, path, kAccountKeys)) return;
    AccountRecord r;
    auto user = String(j, path, "user");
    if (!user || user->empty()) {
      Error(Join(path, "user"), "every record names its account");
      return;
    }
    if (!users_.insert(*user).second) {
      Error(Join(path, "user"), "account " + Printable(*user) + " is recorded twice");
      return;
    }
    r.user = *user;
    r.guid = String(j, path, "guid");
    r.password_set_from = String(j, path, "password_set_from");
    r.filevault_out_of_step = Bool(j, path, "filevault_out_of_step").value_or(false);
    r.keychain_out_of_step = Bool(j, path, "keychain_out_of_step").value_or(false);
    r.token_unknown = Bool(j, path, "token_unknown").value_or(false);
    r.filevault_in_step = Bool(j, path, "filevault_in_step").value_or(false);
    r.password_last_set = String(j, path, "password_last_set");
    if (r.filevault_in_step && !r.password_last_set) {
      Error(Join(path, "filevault_in_step"), "needs the password_last_set it was recorded with");
    }
    r.since = String(j, path, "since").value_or("");
    s.accounts.push_back(std::move(r));
  }

  std::set<std::string> users_;
};

OrderedJson OrNull(const std::optional<std::string>& v) {
  return v ? OrderedJson(*v) : OrderedJson(nullptr);
}

}  // namespace

Result<LocalState> ParseLocalState(const std::string& text, const std::string& file) {
  Result<Json> root = ParseStrictJson(text, file);
  if (!root.ok()) return root.errors();
  return Reader(file).Run(root.value());
}

std::string SerializeLocalState(const LocalState& s) {
  OrderedJson accounts = OrderedJson::array();
  for (const AccountRecord& r : s.accounts) {
    accounts.push_back({{"user", r.user},
                        {"guid", OrNull(r.guid)},
                        {"password_set_from", OrNull(r.password_set_from)},
                        {"filevault_out_of_step", r.filevault_out_of_step},
                        {"keychain_out_of_step", r.keychain_out_of_step},
                        {"token_unknown", r.token_unknown},
                        {"filevault_in_step", r.filevault_in_step},
                        {"password_last_set", OrNull(r.password_last_set)},
                        {"since", r.since}});
  }
  OrderedJson deferral = nullptr;
  if (s.filevault_deferral) {
    deferral = {{"user", s.filevault_deferral->user}, {"since", s.filevault_deferral->since}};
  }
  OrderedJson doc = {{"accord_local_state", kLocalStateFormat},
                     {"version", AccordVersion()},
                     {"accounts", accounts},
                     {"pending", s.pending},
                     {"filevault_deferral", deferral},
                     {"escrow_pending", OrNull(s.escrow_pending)},
                     {"escrow_verified", OrNull(s.escrow_verified)}};
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace accord
