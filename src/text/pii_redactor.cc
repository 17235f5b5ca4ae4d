#include "text/pii_redactor.h"

#include <re2/re2.h>

#include <cctype>
#include <stdexcept>

namespace shopdesk::text {

struct PiiRedactor::Patterns {
  RE2 email{R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24})"};
  // 13-19 digits, single spaces or dashes between them.
  RE2 card{R"(\b[0-9](?:[ \-]?[0-9]){12,18}\b)"};
  // Digits with the spaces, dashes and brackets phone numbers are written with; redact() keeps those with
  // 9-15 digits that are not a date.
  RE2 phone{R"((?:\+|\(|\b)[0-9][0-9 ()\-]{6,22}[0-9]\b)"};
  RE2 isoDate{R"([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})"};
};

PiiRedactor::PiiRedactor() : patterns_(std::make_unique<Patterns>()) {
  for (const RE2* re : {&patterns_->email, &patterns_->card, &patterns_->phone, &patterns_->isoDate}) {
    if (!re->ok()) throw std::logic_error("a PII pattern does not compile: " + re->error());
  }
}

PiiRedactor::~PiiRedactor() = default;

std::string PiiRedactor::redact(std::string_view text) const {
  std::string masked(text);
  RE2::GlobalReplace(&masked, patterns_->email, "[email]");
  RE2::GlobalReplace(&masked, patterns_->card, "[card]");
  std::string out;
  const re2::StringPiece input(masked);
  re2::StringPiece match;
  std::size_t at = 0;
  for (std::size_t from = 0; from < masked.size() && patterns_->phone.Match(input, from, masked.size(),
                                                                            RE2::UNANCHORED, &match, 1);) {
    const auto begin = static_cast<std::size_t>(match.data() - masked.data());
    const auto end = begin + match.size();
    from = end;
    int digits = 0;
    for (char c : match) digits += std::isdigit(static_cast<unsigned char>(c)) != 0;
    if (digits < 9 || digits > 15 || RE2::FullMatch(match, patterns_->isoDate)) continue;
    out.append(masked, at, begin - at);
    out += "[phone]";
    at = end;
  }
  out.append(masked, at, std::string::npos);
  return out;
}

}  // namespace shopdesk::text
