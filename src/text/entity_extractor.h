#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/entity.h"

namespace shopdesk::text {

//! A store's own pattern for an entity kind, as configured (`serve --entity-pattern order_number=REGEX`).
struct EntityPattern {
  std::string kind;     //!< lower-case letters, digits and '_'
  std::string pattern;  //!< RE2 syntax; the whole match is the entity
};

//! An entity and where it sits in the text (bytes).
struct FoundEntity {
  common::Entity entity;
  std::size_t begin = 0;
  std::size_t end = 0;
};

//! Finds order numbers, email addresses, money amounts, dates and sizes in a customer's question, with RE2
//! patterns: time linear in the text whatever the pattern, so a store's own patterns cannot stall an answer.
//! The store's patterns are tried before the built-in ones (an order number in the store's format wins over
//! a plain number). Thread-safe once built.
class EntityExtractor {
 public:
  //! The built-in patterns after `storePatterns`; throws std::invalid_argument naming a pattern RE2 refuses
  //! or a kind that is not a plain name.
  explicit EntityExtractor(const std::vector<EntityPattern>& storePatterns = {});
  ~EntityExtractor();
  EntityExtractor(EntityExtractor&&) noexcept;
  EntityExtractor& operator=(EntityExtractor&&) noexcept;

  //! The entities in `text` (UTF-8), in order, none overlapping: where two matches overlap, the one that
  //! starts first wins, then the longer, then the store's. `today` resolves "yesterday" and dates without a
  //! year.
  std::vector<FoundEntity> extract(std::string_view text, std::chrono::sys_days today) const;

  //! `text` with each entity replaced by one word for its kind ("xxordernumberxx", spaced off): what a
  //! classifier should learn from is that a question holds an order number, not which one.
  static std::string mask(std::string_view text, const std::vector<FoundEntity>& entities);

 private:
  struct Rules;  // the compiled RE2 patterns
  std::unique_ptr<Rules> rules_;
};

//! `response` with each placeholder filled in: `{kind}` by the first entity of that kind, `{kind|wording}` by
//! `wording` when there is none, `{kind}` alone then by a wording of its own ("your order"). Braces that name
//! no kind stay as they are.
std::string fillPlaceholders(std::string_view response, const std::vector<common::Entity>& entities);

}  // namespace shopdesk::text
