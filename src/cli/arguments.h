#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace shopdesk::cli {

//! The command line as CLI11's App::parse takes it (last argument first), with every text kept verbatim.
//! CLI11 2.1 reads an argument that starts with '[' and ends with ']' as a list wherever an option takes
//! several values (brackets stripped, split on commas), even after "--"; and after "--" a command that
//! already has a positional value hands the rest to its parent. So "--" is taken here: each argument after
//! it, and each argument that starts with '[' or with the mark itself, gets a mark in front, which CLI11
//! reads as plain text. keepVerbatim() makes every option remove the mark again.
std::vector<std::string> markedArguments(int argc, const char* const* argv);

//! Makes every option of `app` and of its subcommands, present and nested, remove the mark of
//! markedArguments() from the values it receives.
void keepVerbatim(CLI::App& app);

//! The message for a command line CLI11 refused: what was wrong, in the user's own words (unmarked), and
//! what to do: an option of another command names that command, an unknown one points to its command's help.
std::string explainParseError(const CLI::ParseError& error, CLI::App& app);

}  // namespace shopdesk::cli
