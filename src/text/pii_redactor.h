#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace shopdesk::text {

//! Masks what identifies a person in a text before it is stored (`serve --redact-pii`): email addresses,
//! card-like numbers (13-19 digits, spaced or dashed) and phone numbers become "[email]", "[card]",
//! "[phone]". Order numbers stay: an agent needs them, and they say nothing of who ordered without the shop's
//! records. RE2, so linear in the text. Thread-safe.
class PiiRedactor {
 public:
  PiiRedactor();
  ~PiiRedactor();

  std::string redact(std::string_view text) const;

 private:
  struct Patterns;
  std::unique_ptr<Patterns> patterns_;
};

}  // namespace shopdesk::text
