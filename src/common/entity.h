#pragma once

#include <string>

namespace shopdesk::common {

//! Something a customer wrote that an answer can use: an order number, an email address, an amount, a date,
//! a size. Extracted by text::EntityExtractor, stored with the interaction, used in responses' placeholders.
struct Entity {
  std::string kind;   //!< order_number, email, money, date, size, or a kind the store configured
  std::string text;   //!< as the customer wrote it
  std::string value;  //!< normalized: SD-482913, ann@example.com, 75.00 GBP, 2026-12-05, UK 5.5
};

}  // namespace shopdesk::common
