#include "cli/arguments.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include <string_view>

namespace shopdesk::cli {

namespace {

// ASCII unit separator: no one types it, and CLI11 gives it no meaning.
constexpr char kMark = '\x1f';

std::string unmark(std::string value) {
  if (!value.empty() && value.front() == kMark) value.erase(0, 1);
  return value;
}

// The message without marks: CLI11 quotes arguments as it received them.
std::string withoutMarks(std::string text) {
  std::erase(text, kMark);
  return text;
}

void forEachCommand(CLI::App& app, const std::function<void(CLI::App&)>& visit) {
  visit(app);
  for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) forEachCommand(*sub, visit);
}

// "shopdesk models activate": the commands the user named, outermost first.
std::string commandPath(CLI::App& app) {
  std::string path = "shopdesk";
  for (CLI::App* at = &app; !at->get_subcommands().empty();) {
    at = at->get_subcommands().front();
    path += " " + at->get_name();
  }
  return path;
}

// The commands (as "shopdesk import") with an option called `name`, and whether that option takes a value.
std::vector<std::string> commandsWithOption(CLI::App& app, const std::string& name, const std::string& prefix,
                                            bool& takesValue) {
  std::vector<std::string> found;
  for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    const auto path = prefix + " " + sub->get_name();
    if (const auto* option = sub->get_option_no_throw(name)) {
      found.push_back(path);
      takesValue = option->get_items_expected_min() > 0;
    }
    const auto nested = commandsWithOption(*sub, name, path, takesValue);
    found.insert(found.end(), nested.begin(), nested.end());
  }
  return found;
}

std::vector<std::string> leftOver(CLI::App& app) {
  std::vector<std::string> out;
  forEachCommand(app, [&out](CLI::App& command) {
    for (auto& item : command.remaining()) out.push_back(unmark(item));
  });
  return out;
}

}  // namespace

std::vector<std::string> markedArguments(int argc, const char* const* argv) {
  std::vector<std::string> args;
  bool literal = false;  // after "--"
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (!literal && arg == "--") {
      literal = true;
      continue;
    }
    const bool mark = literal || (!arg.empty() && (arg.front() == '[' || arg.front() == kMark));
    args.push_back(mark ? kMark + std::string(arg) : std::string(arg));
  }
  return {args.rbegin(), args.rend()};
}

void keepVerbatim(CLI::App& app) {
  forEachCommand(app, [](CLI::App& command) {
    for (auto* option : command.get_options()) {
      if (option->get_items_expected_max() > 0) option->transform(unmark);
    }
  });
}

std::string explainParseError(const CLI::ParseError& error, CLI::App& app) {
  const auto command = commandPath(app);
  std::string message;
  if (dynamic_cast<const CLI::ExtrasError*>(&error)) {
    const auto extras = leftOver(app);
    for (std::size_t i = 0; i < extras.size(); ++i) {
      const auto& extra = extras[i];
      if (extra.size() < 2 || extra.front() != '-') {
        message += fmt::format("error: '{}' was not expected by '{}'\n", extra, command);
        continue;
      }
      const auto name = extra.substr(0, extra.find('='));
      bool takesValue = false;
      const auto owners = commandsWithOption(app, name, "shopdesk", takesValue);
      if (takesValue && name == extra) ++i;  // its value was left over too
      if (owners.empty()) {
        message += fmt::format("error: unknown option '{}' for '{}'\n", name, command);
      } else if (std::find(owners.begin(), owners.end(), command) != owners.end() || command == "shopdesk") {
        // The command has it: it was given before the command's name.
        message += fmt::format("error: '{}' is an option of '{}': give it after the command name\n", name,
                               command == "shopdesk" ? owners.front() : command);
      } else {
        message += fmt::format("error: '{}' is not an option of '{}' (it is one of '{}')\n", name, command,
                               fmt::join(owners, "', '"));
      }
    }
  }
  if (message.empty()) message = fmt::format("error: {}\n", withoutMarks(error.what()));
  return message + fmt::format(
                       "See '{} --help'. --db and --data-dir go before or after the command name; a text "
                       "that starts with '-' goes after '--'.\n",
                       command);
}

}  // namespace shopdesk::cli
