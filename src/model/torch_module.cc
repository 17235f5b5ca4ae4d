#include "model/torch_module.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <stdexcept>

namespace shopdesk::model {

namespace {

constexpr const char* kEntry = "shopdesk_torch_module";
constexpr const char* kFile = "libshopdesk_torch.so";

const TorchModule& load() {
  void* entry = ::dlsym(RTLD_DEFAULT, kEntry);
  if (!entry) {
    // The module sits beside this library, wherever the build or an install put both.
    Dl_info self{};
    if (::dladdr(reinterpret_cast<void*>(&torchModule), &self) == 0 || !self.dli_fname)
      throw std::runtime_error(
          "cannot tell where libshopdesk_core.so is, to load the torch module beside it");
    const auto path = std::filesystem::path(self.dli_fname).parent_path() / kFile;
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) throw std::runtime_error(fmt::format("cannot load the torch module: {}", ::dlerror()));
    entry = ::dlsym(handle, kEntry);
    if (!entry) throw std::runtime_error(fmt::format("{}: no {} in it", path.string(), kEntry));
  }
  return *reinterpret_cast<const TorchModule* (*)()>(entry)();
}

}  // namespace

const TorchModule& torchModule() {
  static const TorchModule& module = load();  // a failed load throws, and the next call tries again
  return module;
}

}  // namespace shopdesk::model
