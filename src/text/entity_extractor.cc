#include "text/entity_extractor.h"

#include <fmt/format.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace shopdesk::text {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string digitsAndDot(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') out += c;
  }
  return out;
}

// "SD 482913", "sd482913" → "SD-482913": the form an order search matches.
std::string orderNumber(std::string_view match, std::chrono::sys_days) {
  std::string letters, digits;
  for (char c : match) {
    if (std::isalpha(static_cast<unsigned char>(c))) letters += static_cast<char>(std::toupper(c));
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
  }
  return letters.empty() ? digits : letters + "-" + digits;
}

// Local parts longer than 64 bytes or addresses longer than 254 are no address (RFC 5321): refused, never cut
// down to a valid-looking tail.
std::string email(std::string_view match, std::chrono::sys_days) {
  const auto at = match.find('@');
  if (at > 64 || match.size() > 254) return {};
  return lower(match);
}

std::string money(std::string_view match, std::chrono::sys_days) {
  const auto m = lower(match);
  std::string currency = "GBP";
  if (m.find('$') != std::string::npos || m.find("usd") != std::string::npos ||
      m.find("dollar") != std::string::npos)
    currency = "USD";
  if (m.find("\u20ac") != std::string::npos || m.find("eur") != std::string::npos) currency = "EUR";
  std::string number = digitsAndDot(match);
  if (number.empty() || number.size() > 15) return {};
  return fmt::format("{:.2f} {}", std::stod(number), currency);
}

constexpr std::array<const char*, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};

std::string isoDate(int year, int month, int day) {
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return {};
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

// Dates as customers write them: ISO, day/month/year (the British order), "3 March", "March 3rd", and the
// days around today.
std::string date(std::string_view match, std::chrono::sys_days today) {
  const auto m = lower(match);
  const std::chrono::year_month_day now{today};
  const auto relative = [&](int days) {
    const std::chrono::year_month_day d{today + std::chrono::days(days)};
    return isoDate(static_cast<int>(d.year()), static_cast<int>(static_cast<unsigned>(d.month())),
                   static_cast<int>(static_cast<unsigned>(d.day())));
  };
  if (m == "today") return relative(0);
  if (m == "yesterday") return relative(-1);
  if (m == "tomorrow") return relative(1);
  std::vector<int> numbers;
  int month = 0;
  for (std::size_t i = 0; i < m.size();) {
    if (std::isdigit(static_cast<unsigned char>(m[i]))) {
      std::size_t j = i;
      while (j < m.size() && std::isdigit(static_cast<unsigned char>(m[j]))) ++j;
      if (j - i > 4) return {};
      numbers.push_back(std::stoi(m.substr(i, j - i)));
      i = j;
    } else if (std::isalpha(static_cast<unsigned char>(m[i]))) {
      for (std::size_t k = 0; k < kMonths.size() && !month; ++k) {
        if (m.compare(i, 3, kMonths[k]) == 0) month = static_cast<int>(k) + 1;
      }
      while (i < m.size() && std::isalpha(static_cast<unsigned char>(m[i]))) ++i;
    } else {
      ++i;
    }
  }
  const int thisYear = static_cast<int>(now.year());
  if (month) return numbers.size() == 1 ? isoDate(thisYear, month, numbers[0]) : std::string();
  if (numbers.size() != 3) return {};
  if (numbers[0] > 31) return isoDate(numbers[0], numbers[1], numbers[2]);  // 2026-12-05
  const int year = numbers[2] < 100 ? 2000 + numbers[2] : numbers[2];
  return isoDate(year, numbers[1], numbers[0]);  // 5/12/2026
}

// "size 44" → "44", "uk 5.5" → "UK 5.5", "size xl" → "XL".
std::string size(std::string_view match, std::chrono::sys_days) {
  auto m = upper(match);
  if (m.rfind("SIZE", 0) == 0) m = m.substr(4);
  const auto first = m.find_first_not_of(" ");
  m = first == std::string::npos ? std::string() : m.substr(first);
  for (const char* system : {"UK", "EU", "US"}) {
    if (m.rfind(system, 0) == 0 && m.size() > 2 && m[2] != ' ') m.insert(2, " ");
  }
  return m;
}

std::string asWritten(std::string_view match, std::chrono::sys_days) { return std::string(match); }

struct BuiltIn {
  const char* kind;
  const char* pattern;
  std::string (*normalize)(std::string_view, std::chrono::sys_days);
};

constexpr const char* kMonthNames =
    "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    "oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

const std::vector<BuiltIn>& builtIns() {
  // Where two match the same text, the earlier rule wins: the most specific first, plain numbers last.
  static const std::vector<BuiltIn> rules = {
      {"email", R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24})", email},
      {"money",
       R"((?:[£$€]|\b(?:GBP|USD|EUR) ?)[0-9]{1,9}(?:,[0-9]{3})*(?:\.[0-9]{1,2})?\b|\b[0-9]{1,9}(?:\.[0-9]{1,2})? ?(?:GBP|USD|EUR|pounds?|quid|dollars?|euros?)\b)",
       money},
      {"date", R"(\b[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\b|\b[0-9]{1,2}/[0-9]{1,2}/(?:[0-9]{4}|[0-9]{2})\b)", date},
      {"date", R"(\b(?:today|yesterday|tomorrow)\b)", date},
      {"size", R"(\bsize ?(?:[0-9]{1,2}(?:\.5)?|x{0,3}[sl]|m)\b|\b(?:UK|EU|US) ?[0-9]{1,2}(?:\.5)?\b)", size},
      // The demo's SD-482913 style (two to four letters, then digits), and plain 8-15 digit numbers.
      {"order_number", R"(\b[A-Za-z]{2,4}-?[0-9]{4,12}\b)", orderNumber},
      {"order_number", R"(\b[0-9]{8,15}\b)", orderNumber},
  };
  return rules;
}

std::string monthDatePattern() {
  return fmt::format(R"(\b[0-9]{{1,2}}(?:st|nd|rd|th)? (?:of )?{0}\b|\b{0} [0-9]{{1,2}}(?:st|nd|rd|th)?\b)",
                     kMonthNames);
}

}  // namespace

namespace {

RE2::Options compileOptions() {
  RE2::Options options;
  options.set_log_errors(false);
  // Bounds the memory of a store's pattern as RE2 already bounds its time.
  options.set_max_mem(8 << 20);
  return options;
}

std::unique_ptr<RE2> compile(const std::string& pattern) {
  auto re = std::make_unique<RE2>(pattern, compileOptions());
  if (!re->ok())
    throw std::invalid_argument(fmt::format("entity pattern '{}' is invalid: {}", pattern, re->error()));
  return re;
}

}  // namespace

struct EntityExtractor::Rules {
  struct Rule {
    std::string kind;
    std::unique_ptr<RE2> re;
    std::string (*normalize)(std::string_view match, std::chrono::sys_days today);
  };
  std::vector<Rule> list;
  //! Every rule's pattern: one pass over the text tells which rules match at all (most questions hold no
  //! entity).
  RE2::Set any{compileOptions(), RE2::UNANCHORED};
};

EntityExtractor::EntityExtractor(const std::vector<EntityPattern>& storePatterns)
    : rules_(std::make_unique<Rules>()) {
  auto& rules = rules_->list;
  for (const auto& p : storePatterns) {
    const bool plain =
        !p.kind.empty() && p.kind.size() <= 40 && std::all_of(p.kind.begin(), p.kind.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        });
    if (!plain)
      throw std::invalid_argument(
          fmt::format("entity kind '{}' must be 1-40 lower-case letters, digits or '_'", p.kind));
    auto re = compile(p.pattern);
    if (re->Match("", 0, 0, RE2::UNANCHORED, nullptr, 0))
      throw std::invalid_argument(fmt::format("entity pattern '{}' matches empty text", p.pattern));
    rules.push_back({p.kind, std::move(re), p.kind == "order_number" ? orderNumber : asWritten});
  }
  for (const auto& b : builtIns())
    rules.push_back({b.kind, compile(std::string("(?i)") + b.pattern), b.normalize});
  rules.push_back({"date", compile("(?i)" + monthDatePattern()), date});
  for (const auto& rule : rules) rules_->any.Add(rule.re->pattern(), nullptr);
  if (!rules_->any.Compile()) throw std::invalid_argument("the entity patterns are too large together");
}

EntityExtractor::~EntityExtractor() = default;
EntityExtractor::EntityExtractor(EntityExtractor&&) noexcept = default;
EntityExtractor& EntityExtractor::operator=(EntityExtractor&&) noexcept = default;

std::vector<FoundEntity> EntityExtractor::extract(std::string_view text, std::chrono::sys_days today) const {
  struct Candidate {
    FoundEntity found;
    std::size_t rule;
  };
  std::vector<int> matching;
  if (!rules_->any.Match(re2::StringPiece(text.data(), text.size()), &matching)) return {};
  const auto& rules = rules_->list;
  std::vector<Candidate> candidates;
  for (const int index : matching) {
    const auto r = static_cast<std::size_t>(index);
    re2::StringPiece input(text.data(), text.size());
    re2::StringPiece match;
    std::size_t from = 0;
    while (from <= text.size() && rules[r].re->Match(input, from, text.size(), RE2::UNANCHORED, &match, 1)) {
      const auto begin = static_cast<std::size_t>(match.data() - text.data());
      const auto end = begin + match.size();
      from = end > begin ? end : begin + 1;
      const std::string_view written(match.data(), match.size());
      auto value = rules[r].normalize(written, today);
      if (value.empty()) continue;
      candidates.push_back({{{rules[r].kind, std::string(written), std::move(value)}, begin, end}, r});
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.found.begin != b.found.begin) return a.found.begin < b.found.begin;
    if (a.found.end != b.found.end) return a.found.end > b.found.end;
    return a.rule < b.rule;
  });
  std::vector<FoundEntity> out;
  for (auto& c : candidates) {
    if (!out.empty() && c.found.begin < out.back().end) continue;
    out.push_back(std::move(c.found));
  }
  return out;
}

std::string EntityExtractor::mask(std::string_view text, const std::vector<FoundEntity>& entities) {
  std::string out;
  std::size_t at = 0;
  for (const auto& e : entities) {
    out.append(text.substr(at, e.begin - at));
    out += " xx";
    for (char c : e.entity.kind) {
      if (c != '_') out += c;
    }
    out += "xx ";
    at = e.end;
  }
  out.append(text.substr(at));
  return out;
}

std::string fillPlaceholders(std::string_view response, const std::vector<common::Entity>& entities) {
  static const std::vector<std::pair<std::string, std::string>> kWordings = {
      {"order_number", "your order"}, {"email", "your email address"}, {"money", "the amount"},
      {"date", "that date"},          {"size", "your size"},
  };
  std::string out;
  std::size_t at = 0;
  while (at < response.size()) {
    const auto open = response.find('{', at);
    const auto close = open == std::string_view::npos ? open : response.find('}', open);
    if (close == std::string_view::npos) break;
    const auto inside = response.substr(open + 1, close - open - 1);
    const auto bar = inside.find('|');
    const auto kind = inside.substr(0, bar);
    const bool name = !kind.empty() && std::all_of(kind.begin(), kind.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
    const auto entity = std::find_if(entities.begin(), entities.end(),
                                     [&](const common::Entity& e) { return e.kind == kind; });
    const auto wording =
        std::find_if(kWordings.begin(), kWordings.end(), [&](const auto& w) { return w.first == kind; });
    out.append(response.substr(at, open - at));
    if (name && entity != entities.end()) {
      out += entity->value;
    } else if (name && bar != std::string_view::npos) {
      out.append(inside.substr(bar + 1));
    } else if (name && wording != kWordings.end()) {
      out += wording->second;
    } else {
      out.append(response.substr(open, close - open + 1));
    }
    at = close + 1;
  }
  if (at < response.size()) out.append(response.substr(at));
  return out;
}

}  // namespace shopdesk::text
