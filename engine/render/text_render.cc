// Text rendering of plans.
#include "render/text_render.h"

#include <cstdio>

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
  Writer& Paint(const char* code, const std::string& text) {
    out_ += color_ ? code + EscapeForTerminal(text) + kReset : EscapeForTerminal(text);
    return *this;
  }
  Writer& Text(const std::string& text) {
    out_ += EscapeForTerminal(text);
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
    case Action::kEnrollMdm: return "enroll in MDM";
  }
  return "?";
}

namespace {

const char* SignColor(char sign) { return sign == '+' ? kGreen : sign == '-' ? kRed : kYellow; }

void RenderChange(Writer& w, const Change& c, bool explain) {
  char sign = SignOf(c.action);
  bool stopped = c.outcome == Outcome::kRefused || c.outcome == Outcome::kBlocked;
  w.Text("  ").Paint(stopped ? kRed : SignColor(sign), std::string(1, stopped ? '!' : sign));
  w.Text(" ").Paint(kBold, StepTitle(c));
  if (c.outcome != Outcome::kRun) {
    std::string tag = "  " + std::string(ToString(c.outcome));
    if (c.rule) tag += std::string(" [") + RuleId(*c.rule) + "]";
    w.Paint(stopped ? kRed : kMagenta, tag);
  }
  w.Line();
  std::size_t width = 0;
  for (const Attribute& a : c.attributes) width = std::max(width, a.name.size());
  for (const Attribute& a : c.attributes) {
    w.Text("      " + a.name + std::string(width - a.name.size(), ' '));
    if (a.before) {
      w.Text("  " + FormatValue(*a.before) + " → " + FormatValue(a.after));
    } else {
      w.Text(" = " + FormatValue(a.after));
    }
    if (!a.note.empty()) w.Paint(kDim, "  (" + a.note + ")");
    if (!a.origin.empty()) w.Paint(kDim, "  ← " + a.origin);
    w.Line();
  }
  w.Paint(kDim, "      why: " + c.Why()).Line();
  if (!c.origin.empty()) w.Paint(kDim, "      from: " + c.origin).Line();
  for (const std::string& note : c.notes) w.Text("      note: " + note).Line();
  if (!c.remedy.empty()) w.Text("      fix: " + c.remedy).Line();
  if (explain) {
    for (const Dependency& d : c.depends_on) {
      w.Paint(kDim, "      after: " + d.id + " (" + d.reason + ")").Line();
    }
  }
}

// A prediction's events under one heading each: "Binding jdoe".
std::string EventTitle(const Change& c) {
  if (c.event == "agent-install") return "Agent install";
  if (c.event == "mdm-enrollment") return "MDM enrollment";
  if (c.event == "binding") return "Binding " + c.user;
  if (c.event == "filevault-policy") return "FileVault policy";
  if (c.event == "agent-removal") return "Agent removal";
  return c.event;
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
  std::string device = MacName(plan.device_name);
  if (plan.os_version) device += " (macOS " + *plan.os_version + ")";
  const bool prediction = plan.readiness.has_value();
  w.Paint(kBold, prediction ? "Accord enrollment prediction" : "Accord plan")
      .Text(" for " + device)
      .Line();
  w.Text(prediction ? "  enrollment: " + plan.desired_file : "  desired: " + plan.desired_file)
      .Line();
  if (!plan.device_source.empty()) {
    w.Text(prediction ? "  device:     " : "  device:  ").Text(plan.device_source).Line();
  }
  w.Line();

  if (plan.changes.empty()) {
    w.Text(prediction ? "No events: enrollment changes no account on this Mac."
                      : "No changes. This Mac matches the desired state.")
        .Line()
        .Line();
  } else {
    std::string heading;
    int events = 0;
    for (const Change& c : plan.changes) {
      if (std::string title = EventTitle(c); !title.empty() && title != heading) {
        heading = title;
        w.Paint(kBold, std::to_string(++events) + ". " + title).Line();
      }
      RenderChange(w, c, style.explain);
      w.Line();
    }
  }
  for (FindingLevel level : {FindingLevel::kWarning, FindingLevel::kNote}) {
    bool header = false;
    for (const Finding& f : plan.findings) {
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
  PlanSummary s = Summarize(plan);
  if (!plan.changes.empty()) {
    w.Paint(kBold, prediction ? "Predicted:" : "Plan:")
        .Text(" " + std::to_string(s.create) + " to create, " + std::to_string(s.change) +
              " to change, " + std::to_string(s.destroy) + " to delete");
    if (s.refused) w.Text(", ").Paint(kRed, std::to_string(s.refused) + " refused");
    if (s.blocked) w.Text(", ").Paint(kRed, std::to_string(s.blocked) + " blocked");
    if (s.deferred) w.Text(", " + std::to_string(s.deferred) + " deferred");
    if (s.skipped) w.Text(", " + std::to_string(s.skipped) + " skipped");
    w.Text(".").Line();
  }
  if (prediction) RenderVerdict(w, *plan.readiness);
  return w.Take();
}

}  // namespace accord
