// SPDX-License-Identifier: Apache-2.0
// Text rendering of plans and predictions.
#include "render/text_render.h"

#include <cstdio>
#include <cstring>

#include "core/names.h"
#include "core/terminal_text.h"

namespace accord {
namespace {

constexpr const char* kReset = "\033[0m";
constexpr const char* kBold = "\033[1m";
constexpr const char* kGreen = "\033[32m";
constexpr const char* kYellow = "\033[33m";
constexpr const char* kRed = "\033[31m";
constexpr const char* kMagenta = "\033[35m";
constexpr const char* kDim = "\033[2m";

class Writer {
 public:
  explicit Writer(bool color) : color_(color) {}
  // Every piece of text is escaped for the terminal (names come from
  // outside); only Line() ends a line.
  Writer& Paint(const char* code, std::string_view text) {
    if (color_) out_ += code;
    AppendForTerminal(out_, text);
    if (color_) out_ += kReset;
    return *this;
  }
  Writer& Text(std::string_view text) {
    AppendForTerminal(out_, text);
    return *this;
  }
  Writer& Line() {
    out_ += '\n';
    return *this;
  }
  std::string Take() { return std::move(out_); }

 private:
  bool color_;
  std::string out_;
};

}  // namespace

std::string StepTitle(const Change& c) {
  switch (c.action) {
    case Action::kCreateUser: return "create user " + c.user;
    case Action::kSetAttribute: return "update user " + c.user;
    case Action::kRenumberUser: return "renumber user " + c.user;
    case Action::kMakeAdmin: return "make " + c.user + " an admin";
    case Action::kMakeStandard: return "make " + c.user + " a standard user";
    case Action::kGrantToken: return "grant a SecureToken to " + c.user;
    case Action::kRevokeToken: return "revoke the SecureToken of " + c.user;
    case Action::kResetPassword: return "reset the password of " + c.user;
    case Action::kChangePassword: return "change the password of " + c.user;
    case Action::kDeleteUser: return "delete user " + c.user;
    case Action::kEnableFileVault: return "enable FileVault";
    case Action::kDisableFileVault: return "disable FileVault";
    case Action::kRotateRecoveryKey: return "rotate the FileVault recovery key";
    case Action::kRemoveRecoveryKey: return "remove the personal recovery key";
    case Action::kEnrollMdm: return "enroll in MDM";
  }
  return "?";
}

namespace {

const char* SignColor(char sign) { return sign == '+' ? kGreen : sign == '-' ? kRed : kYellow; }

void RenderChange(Writer& w, const Change& c, bool explain) {
  char sign = SignOf(c.action);
  bool stopped = Stopped(c.outcome);
  const char mark = stopped ? '!' : sign;
  w.Text("  ").Paint(stopped ? kRed : SignColor(sign), std::string_view(&mark, 1));
  w.Text(" ").Paint(kBold, StepTitle(c));
  if (c.outcome != Outcome::kRun) {
    std::string tag = "  " + std::string(ToString(c.outcome));
    if (c.rule) tag += std::string(" [") + RuleId(*c.rule) + "]";
    w.Paint(stopped ? kRed : kMagenta, tag);
  }
  w.Line();
  std::size_t width = 0;
  for (const Attribute& a : c.attributes) width = std::max(width, std::strlen(ToString(a.name)));
  for (const Attribute& a : c.attributes) {
    const std::string_view name = ToString(a.name);
    w.Text("      ").Text(name).Text(std::string(width - name.size(), ' '));
    if (a.before) {
      w.Text("  ").Text(FormatValue(*a.before)).Text(" → ").Text(FormatValue(a.after));
    } else {
      w.Text(" = ").Text(FormatValue(a.after));
    }
    if (!a.note.empty()) w.Paint(kDim, "  (" + a.note + ")");
    if (!a.origin.empty()) w.Paint(kDim, "  ← " + a.origin);
    w.Line();
  }
  w.Paint(kDim, "      why: " + c.Why()).Line();
  if (!c.origin.empty()) w.Paint(kDim, "      from: " + c.origin).Line();
  for (const std::string& note : c.notes) w.Text("      note: ").Text(note).Line();
  if (!c.remedy.empty()) w.Text("      fix: ").Text(c.remedy).Line();
  if (explain) {
    for (const Dependency& d : c.depends_on) {
      w.Paint(kDim, "      after: " + d.id + " (" + d.reason + ")").Line();
    }
  }
}

// A prediction's events under one heading each: "Binding jdoe".
std::string EventTitle(const EventStep& e) {
  switch (e.kind) {
    case EventKind::kAgentInstall: return "Agent install";
    case EventKind::kMdmEnrollment: return "MDM enrollment";
    case EventKind::kBinding: return "Binding " + e.change.user;
    case EventKind::kFileVaultPolicy: return "FileVault policy";
    case EventKind::kAgentRemoval: return "Agent removal";
  }
  return ToString(e.kind);
}

// What a plan and a prediction print alike, in their own words.
struct Wording {
  const char* title;    // "Accord plan"
  const char* file;     // "  desired: "
  const char* device;   // "  device:  "
  const char* nothing;  // when there is no step
  const char* totals;   // "Plan:"
};

constexpr Wording kPlanWords = {"Accord plan", "  desired: ", "  device:  ",
                                "No changes. This Mac matches the desired state.", "Plan:"};
constexpr Wording kPredictionWords = {
    "Accord enrollment prediction",
    "  enrollment: ", "  device:     ", "No events: enrollment changes no account on this Mac.",
    "Predicted:"};

void RenderHeader(Writer& w, const Wording& words, const Known<std::string>& name,
                  const Known<std::string>& os_version, const std::string& file,
                  const std::string& source) {
  std::string device = MacName(name);
  if (os_version) device += " (macOS " + *os_version + ")";
  w.Paint(kBold, words.title).Text(" for " + device).Line();
  w.Text(words.file + file).Line();
  if (!source.empty()) w.Text(words.device).Text(source).Line();
  w.Line();
}

void RenderFindings(Writer& w, const std::vector<Finding>& findings) {
  for (FindingLevel level : {FindingLevel::kWarning, FindingLevel::kNote}) {
    bool header = false;
    for (const Finding& f : findings) {
      if (f.level != level) continue;
      if (!header) {
        w.Paint(level == FindingLevel::kWarning ? kYellow : kBold,
                level == FindingLevel::kWarning ? "Warnings:" : "Notes:")
            .Line();
        header = true;
      }
      w.Text("  - [" + f.kind + "] " + f.message).Line();
    }
    if (header) w.Line();
  }
}

// " (FileVault off)": the irreversible among counted steps, said apart.
std::string Apart(const std::vector<std::string>& words) {
  return words.empty() ? "" : " (" + Join(words, ", ") + ")";
}

void RenderTotals(Writer& w, const Wording& words, const PlanSummary& s) {
  w.Paint(kBold, words.totals)
      .Text(" " + std::to_string(s.create) + " to create, " + std::to_string(s.change) +
            " to change" + Apart(IrreversibleChangeWords(s)) + ", " + std::to_string(s.destroy) +
            " to delete" + Apart(ErasedWords(s)));
  if (s.refused) w.Text(", ").Paint(kRed, std::to_string(s.refused) + " refused");
  if (s.blocked) w.Text(", ").Paint(kRed, std::to_string(s.blocked) + " blocked");
  if (s.deferred) w.Text(", " + std::to_string(s.deferred) + " deferred");
  if (s.skipped) w.Text(", " + std::to_string(s.skipped) + " skipped");
  w.Text(".").Line();
}

void RenderVerdict(Writer& w, const Readiness& r) {
  w.Line();
  switch (r.verdict) {
    case Verdict::kReady: w.Paint(kBold, "Verdict: ").Paint(kGreen, "ready"); break;
    case Verdict::kReadyWithWarnings:
      w.Paint(kBold, "Verdict: ").Paint(kYellow, "ready with warnings");
      break;
    case Verdict::kNotReady: w.Paint(kBold, "Verdict: ").Paint(kRed, "not ready"); break;
  }
  w.Line();
  for (const ReadinessReason& reason : r.reasons) {
    w.Text("  - [" + reason.kind + "] " + reason.message).Line();
    if (!reason.fix.empty()) w.Text("    fix: " + reason.fix).Line();
  }
}

}  // namespace

std::string FormatValue(const AttrValue& value) {
  struct Visitor {
    std::string operator()(std::monostate) const { return "(unknown)"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(const std::string& s) const { return DoubleQuoted(s); }
    std::string operator()(const SecretRef& s) const { return "(secret from " + Describe(s) + ")"; }
  };
  return std::visit(Visitor{}, value);
}

std::string RenderPlanText(const Plan& plan, const TextStyle& style) {
  Writer w(style.color);
  RenderHeader(w, kPlanWords, plan.device_name, plan.os_version, plan.desired_file,
               plan.device_source);
  if (plan.changes.empty()) w.Text(kPlanWords.nothing).Line().Line();
  for (const Change& c : plan.changes) {
    RenderChange(w, c, style.explain);
    w.Line();
  }
  RenderFindings(w, plan.findings);
  if (!plan.changes.empty()) RenderTotals(w, kPlanWords, Summarize(plan));
  return w.Take();
}

std::string RenderPredictionText(const Prediction& p, const TextStyle& style) {
  Writer w(style.color);
  RenderHeader(w, kPredictionWords, p.device_name, p.os_version, p.enrollment_file,
               p.device_source);
  if (p.steps.empty()) w.Text(kPredictionWords.nothing).Line().Line();
  std::string heading;
  int events = 0;
  for (const EventStep& e : p.steps) {
    if (std::string title = EventTitle(e); title != heading) {
      heading = title;
      w.Paint(kBold, std::to_string(++events) + ". " + title).Line();
    }
    RenderChange(w, e.change, style.explain);
    w.Line();
  }
  RenderFindings(w, p.findings);
  if (!p.steps.empty()) RenderTotals(w, kPredictionWords, Summarize(p));
  RenderVerdict(w, p.readiness);
  return w.Take();
}

}  // namespace accord
