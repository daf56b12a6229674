// Shared by the CTorch .cpp files: handle conversion and the exception fence.
#pragma once
#include <ATen/ATen.h>
#include <string>
#include "ctorch.h"

namespace lk {

void set_error(const std::string &message);

inline at::Tensor &T(lk_tensor t) { return *reinterpret_cast<at::Tensor *>(t); }
inline at::Tensor opt(lk_tensor t) { return t ? T(t) : at::Tensor(); }
inline lk_tensor wrap(at::Tensor t) { return reinterpret_cast<lk_tensor>(new at::Tensor(std::move(t))); }
inline at::IntArrayRef ints(const int64_t *v, int n) { return at::IntArrayRef(v, static_cast<size_t>(n)); }

// Runs body, turning any C++ exception into the thread-local error and `failure` as result
// (tch-rs's PROTECT): libtorch's checks must never abort the Swift process.
template <typename R, typename F> R fence(R failure, F &&body) {
  try {
    return body();
  } catch (const c10::Error &e) {
    set_error(e.what_without_backtrace());
  } catch (const std::exception &e) {
    set_error(e.what());
  } catch (...) {
    set_error("unknown C++ exception in libtorch");
  }
  return failure;
}
template <typename F> lk_tensor fence_t(F &&body) { return fence<lk_tensor>(nullptr, [&] { return wrap(body()); }); }
template <typename F> int fence_i(F &&body) {
  return fence<int>(-1, [&] { body(); return 0; });
}

// In-place updates (optimizer steps, state loads) happen outside autograd, as under torch.no_grad().
template <typename F> int fence_nograd(F &&body) {
  return fence_i([&] { c10::NoGradGuard no_grad; body(); });
}

at::ScalarType scalar_type(lk_dtype d);
lk_dtype lk_type(at::ScalarType s);
at::Device device(int type, int index);

}  // namespace lk
