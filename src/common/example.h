#pragma once

#include <string>

namespace shopdesk::common {

//! A text and the label it is filed under: the one type for the pair, from the example file a retailer
//! imports, through the store (which keeps more beside it), to the trainer.
struct Example {
  std::string text;
  std::string label;
};

}  // namespace shopdesk::common
