#include "service/catalog.h"

#include <fmt/format.h>

#include "service/assistant.h"

namespace shopdesk::service {

Catalog::Catalog(store::Store& store, Assistant* assistant) : store_(store), assistant_(assistant) {}

std::vector<store::Category> Catalog::categories() { return store_.categories(); }

store::Category Catalog::category(const std::string& name) {
  if (auto found = find(name)) return std::move(*found);
  throw store::NotFoundError(fmt::format("no category '{}'", name));
}

std::optional<store::Category> Catalog::find(const std::string& name) {
  for (auto& c : store_.categories()) {
    if (c.name == name) return std::move(c);
  }
  return std::nullopt;
}

std::size_t Catalog::save(const std::vector<store::Category>& categories) {
  for (const auto& c : categories) checkName(c.name);
  store_.saveCategories(categories);
  changed();
  return categories.size();
}

void Catalog::remove(const std::string& name, const std::optional<std::string>& reassignTo) {
  store_.deleteCategory(name, reassignTo);
  changed();
}

void Catalog::checkName(const std::string& name) {
  // A name is a label in training files and a path segment of the API: no spaces, bounded.
  if (name.empty() || name.size() > 100 || name.find_first_of(" \t\r\n") != std::string::npos) {
    throw InvalidValueError("a category name has 1 to 100 characters and no spaces");
  }
}

void Catalog::changed() {
  if (assistant_) assistant_->reloadCatalog();
}

}  // namespace shopdesk::service
