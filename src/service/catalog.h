#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/store.h"

namespace shopdesk::service {

class Assistant;

//! Thrown when a value breaks a rule of the data it would change (a category name with a space, …).
class InvalidValueError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

//! The categories a store answers with: their descriptions, replies and recommendations. A change is
//! answered with at once by this process's assistant and, through the store's catalog revision, by every
//! other server within a second (ModelWatcher).
class Catalog {
 public:
  //! `assistant` is this process's, reloaded after each change; null where nothing answers (the CLI).
  Catalog(store::Store& store, Assistant* assistant);

  //! Every category, by name, with its number of training examples.
  std::vector<store::Category> categories();
  //! One category; throws store::NotFoundError.
  store::Category category(const std::string& name);
  //! One category, or nullopt.
  std::optional<store::Category> find(const std::string& name);
  //! Creates or replaces `categories` by name, all or nothing, and returns how many were saved; throws
  //! InvalidValueError for a bad name before anything is stored.
  std::size_t save(const std::vector<store::Category>& categories);
  //! Deletes category `name`; its training examples move to `reassignTo`. Throws store::ConflictError when it
  //! has examples and no `reassignTo`, store::NotFoundError when there is no such category.
  void remove(const std::string& name, const std::optional<std::string>& reassignTo);

  //! Throws InvalidValueError unless `name` has 1 to 100 characters and no white space.
  static void checkName(const std::string& name);

 private:
  void changed();

  store::Store& store_;
  Assistant* assistant_;
};

}  // namespace shopdesk::service
