// State dicts in PyTorch's zip format: files torch.load(weights_only=True) reads, and back.
#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/export.h>
#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/csrc/jit/serialization/pickler.h>
#include <cstring>
#include "guard.h"

using lk::T;

extern "C" {

int lk_save_tensors(const char *path, const char *const *names, const lk_tensor *tensors, int n) {
  return lk::fence_i([&] {
    c10::impl::GenericDict dict(c10::StringType::get(), c10::TensorType::get());
    for (int i = 0; i < n; ++i) dict.insert(std::string(names[i]), T(tensors[i]).detach().to(at::kCPU));
    std::vector<char> pickle;
    // tag_aggregates=false: a plain dict, which the weights-only unpickler accepts (the default
    // tags it with torch.jit._pickle.restore_type_tag, which torch.load rejects).
    torch::jit::Pickler pickler([&](const char *buf, size_t size) { pickle.insert(pickle.end(), buf, buf + size); },
                                nullptr, nullptr, nullptr, nullptr, /*tag_aggregates=*/false);
    pickler.protocol();
    pickler.pushIValue(dict);
    pickler.stop();
    caffe2::serialize::PyTorchStreamWriter writer{std::string(path)};
    torch::jit::writeArchiveAndTensors("data", pickle.data(), pickle.size(), pickler.tensorData(), writer);
    writer.writeEndOfFile();
  });
}

int lk_load_tensors(const void *data, size_t size, int *n, char ***names, lk_tensor **tensors) {
  return lk::fence_i([&] {
    const char *begin = static_cast<const char *>(data);
    std::vector<char> bytes(begin, begin + size);
    const char *hint = "expected a dict[str, Tensor] saved with torch.save "
                       "(for a module, save dict(model.state_dict()), not the OrderedDict itself)";
    c10::IValue value;
    try {
      value = torch::jit::pickle_load(bytes);
    } catch (const c10::Error &e) {
      // An OrderedDict unpickles as None and fails inside the unpickler.
      TORCH_CHECK(false, hint, ": ", e.what_without_backtrace());
    }
    TORCH_CHECK(value.isGenericDict(), hint, "; found ", value.tagKind());
    auto dict = value.toGenericDict();
    std::vector<std::pair<std::string, at::Tensor>> entries;
    for (const auto &entry : dict) {
      TORCH_CHECK(entry.key().isString() && entry.value().isTensor(), "every entry must map a string to a tensor");
      entries.emplace_back(entry.key().toStringRef(), entry.value().toTensor());
    }
    *n = static_cast<int>(entries.size());
    *names = static_cast<char **>(malloc(sizeof(char *) * entries.size()));
    *tensors = static_cast<lk_tensor *>(malloc(sizeof(lk_tensor) * entries.size()));
    for (size_t i = 0; i < entries.size(); ++i) {
      (*names)[i] = strdup(entries[i].first.c_str());
      (*tensors)[i] = lk::wrap(entries[i].second);
    }
  });
}

void lk_free_loaded(int n, char **names, lk_tensor *tensors) {
  for (int i = 0; i < n; ++i) free(names[i]);
  free(names);
  free(tensors);  // the tensors themselves now belong to the caller
}

}  // extern "C"
