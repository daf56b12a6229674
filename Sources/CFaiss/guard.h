// Exception fence for the CFaiss entry points: FAISS reports bad input by throwing, which must
// never unwind into (or abort) the Swift process.
#pragma once
#include <exception>
#include <string>

namespace lkf {

void set_error(const std::string &message);

template <typename R, typename F> R fence(R failure, F &&body) {
  try {
    set_error("");
    return body();
  } catch (const std::exception &e) {
    set_error(e.what());
  } catch (...) {
    set_error("unknown C++ exception in FAISS");
  }
  return failure;
}

template <typename F> int fence_i(F &&body) {
  return fence<int>(-1, [&] { body(); return 0; });
}

}  // namespace lkf
