#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <cstdio>

#include "cli/commands.h"
#include "common/clock.h"
#include "service/topic_discovery.h"

namespace shopdesk::cli {

namespace {

// Unix ms of midnight UTC starting YYYY-MM-DD; throws std::invalid_argument naming `option`.
std::int64_t dayStart(const std::string& option, const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char rest = 0;
  if (std::sscanf(text.c_str(), "%d-%u-%u%c", &y, &m, &d, &rest) != 3)
    throw std::invalid_argument(fmt::format("{} '{}' is not a date (YYYY-MM-DD)", option, text));
  const std::chrono::year_month_day day{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!day.ok()) throw std::invalid_argument(fmt::format("{} '{}' is not a date (YYYY-MM-DD)", option, text));
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::sys_days(day).time_since_epoch())
      .count();
}

}  // namespace

void addTopicsCommand(CLI::App& app, const GlobalOptions& global) {
  struct Options {
    std::string from;
    std::string to;
    int days = 30;
    bool json = false;
    model::ClusterOptions clustering;
  };
  auto o = std::make_shared<Options>();
  auto* command = app.add_subcommand("topics",
                                     "Group the unanswered questions (hand-offs, unsure or unhelpful "
                                     "answers, not yet reviewed) into topics");
  auto* from = command->add_option("--from", o->from, "First day, YYYY-MM-DD (UTC)");
  command->add_option("--to", o->to, "Day after the last, YYYY-MM-DD (UTC; default: now)");
  command->add_option("--days", o->days, "Without --from: this many days before --to")
      ->capture_default_str()
      ->check(CLI::Range(1, 3660))
      ->excludes(from);
  command->add_flag("--json", o->json, "Print the report as the API's JSON");
  command
      ->add_option("--min-similarity", o->clustering.minSimilarity,
                   "Cosine below which questions are not linked")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--neighbors", o->clustering.neighbors, "Questions each one links to at most")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  command->callback([o, &global] {
    const auto to = o->to.empty() ? common::nowMillis() : dayStart("--to", o->to);
    const auto from = o->from.empty() ? to - std::int64_t{o->days} * 86400000 : dayStart("--from", o->from);
    if (from >= to) throw std::invalid_argument("--from must be before --to");
    auto store = global.openStore();
    const auto report = service::TopicDiscovery(*store, {}, o->clustering).discover(from, to);
    if (o->json) {
      fmt::print("{}\n", report.toJson().dump());
      return;
    }
    for (const auto& t : report.topics) {
      fmt::print(
          "{:>4} questions  {}  {}\n", t.interactionIds.size(), fmt::join(t.keywords, ", "),
          t.isNew ? "[new]" : fmt::format("[closest: {} {:.2f}]", t.closest.value_or("-"), t.similarity));
      for (const auto& q : t.questions) fmt::print("       \"{}\"\n", q);
    }
    fmt::print("{} topics in {} unanswered questions ({:.2f} s)\n", report.topics.size(), report.questions,
               report.seconds);
  });
}

}  // namespace shopdesk::cli
