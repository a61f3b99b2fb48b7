// SPDX-License-Identifier: Apache-2.0
// Dependency edges among a plan's steps, found per account by grouping the
// step indices: sorted by account, in file order within one, each
// account's steps are one run.
#include "plan/step_edges.h"

#include <algorithm>
#include <span>

namespace accord {
namespace {

using Steps = std::span<const std::size_t>;

class Edges {
 public:
  Edges(const std::vector<Change>& changes, StepGraph& graph) : changes_(changes), graph_(graph) {
    for (std::size_t i = 0; i < changes_.size(); ++i) {
      if (!changes_[i].user.empty()) by_user_.push_back(i);
    }
    std::stable_sort(by_user_.begin(), by_user_.end(), [&](std::size_t a, std::size_t b) {
      return changes_[a].user < changes_[b].user;
    });
  }

  // Within one account: it exists first; a new password comes before the
  // grant that uses it.
  void OwnSteps() {
    for (auto first = by_user_.begin(); first != by_user_.end();) {
      const std::string& user = changes_[*first].user;
      auto last = std::find_if(first, by_user_.end(),
                               [&](std::size_t i) { return changes_[i].user != user; });
      for (auto a = first; a != last; ++a) {
        for (auto b = first; b != last; ++b) {
          Action act = changes_[*a].action;
          if (act == Action::kCreateUser && a != b) {
            graph_.AddEdge(*a, *b, user + " must exist first");
          }
          bool password = act == Action::kChangePassword || act == Action::kResetPassword;
          if (password && changes_[*b].action == Action::kGrantToken) {
            graph_.AddEdge(*a, *b, "the grant uses " + user + "'s new password");
          }
        }
      }
      first = last;
    }
  }

  // FileVault is enabled as a SecureToken holder: the enabler's creation
  // and grant come first.
  void Enabler(const std::string& enabler) {
    const Steps own = StepsOf(enabler);
    for (std::size_t i = 0; i < changes_.size(); ++i) {
      if (changes_[i].action != Action::kEnableFileVault) continue;
      for (std::size_t a : own) {
        Action act = changes_[a].action;
        if ((act == Action::kCreateUser || act == Action::kGrantToken) &&
            !Stopped(changes_[a].outcome)) {
          graph_.AddEdge(a, i, enabler + " enables FileVault and must hold a SecureToken first");
        }
      }
    }
  }

  // The authority is a SecureToken admin before a step acts as it, and
  // stays one until its last use.
  void Authority(const std::string& authority) {
    const Steps own = StepsOf(authority);
    if (own.empty()) return;
    for (std::size_t i = 0; i < changes_.size(); ++i) {
      if (!NeedsAuthority(changes_[i].action) || changes_[i].user == authority) continue;
      for (std::size_t a : own) {
        // A step that will never run enables nothing: whether the authority
        // can act is then decided when the dependent step is reached.
        if (EnablesAuthority(changes_[a].action) && !Stopped(changes_[a].outcome)) {
          graph_.AddEdge(a, i, "the authority " + authority + " must be a SecureToken admin first");
        } else if (DisablesAuthority(changes_[a].action)) {
          graph_.AddEdge(i, a, "the authority " + authority + " stays until its last use");
        }
      }
    }
  }

 private:
  Steps StepsOf(const std::string& user) const {
    auto first =
        std::lower_bound(by_user_.begin(), by_user_.end(), user,
                         [&](std::size_t a, const std::string& u) { return changes_[a].user < u; });
    auto last =
        std::upper_bound(first, by_user_.end(), user,
                         [&](const std::string& u, std::size_t b) { return u < changes_[b].user; });
    return Steps(by_user_.data() + (first - by_user_.begin()),
                 static_cast<std::size_t>(last - first));
  }

  const std::vector<Change>& changes_;
  StepGraph& graph_;
  std::vector<std::size_t> by_user_;
};

}  // namespace

bool EnablesAuthority(Action a) {
  return a == Action::kCreateUser || a == Action::kMakeAdmin || a == Action::kGrantToken ||
         a == Action::kChangePassword;
}

bool DisablesAuthority(Action a) {
  return a == Action::kDeleteUser || a == Action::kMakeStandard || a == Action::kRevokeToken ||
         a == Action::kResetPassword;
}

void AddDependencyEdges(const std::vector<Change>& changes,
                        const std::optional<std::string>& authority, const std::string& enabler,
                        StepGraph& graph) {
  Edges edges(changes, graph);
  edges.OwnSteps();
  edges.Enabler(enabler);
  if (authority) edges.Authority(*authority);
}

}  // namespace accord
