// Shared by the CVision .cpp files: exceptions become a thread-local message and a -1 return.
#pragma once
#include <opencv2/core.hpp>
#include <stdexcept>
#include <string>

namespace cvision {

inline thread_local std::string lastError;

template <class Body> int guarded(Body &&body) {
    try {
        body();
        return 0;
    } catch (const std::exception &error) {
        lastError = error.what();
    } catch (...) {
        lastError = "unknown C++ exception";
    }
    return -1;
}

/// Wraps caller memory without copying; OpenCV writes straight into it when sizes match.
inline cv::Mat wrap(const uint8_t *pixels, int width, int height, int channels) {
    if (!pixels || width <= 0 || height <= 0 || channels < 1 || channels > 4)
        throw std::invalid_argument("bad image buffer " + std::to_string(width) + "x" +
                                    std::to_string(height) + "x" + std::to_string(channels));
    return cv::Mat(height, width, CV_8UC(channels), const_cast<uint8_t *>(pixels));
}

} // namespace cvision
