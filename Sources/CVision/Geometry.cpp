// Resizing, cropping, flipping and affine warps on caller-owned buffers.
#include "CVision.h"
#include "Guard.hpp"

#include <opencv2/imgproc.hpp>

using namespace cvision;

namespace {

int interpolationFlag(int interpolation) {
    switch (interpolation) {
    case CV_INTERP_AREA: return cv::INTER_AREA;
    case CV_INTERP_NEAREST: return cv::INTER_NEAREST;
    default: return cv::INTER_LINEAR;
    }
}

void resizeInto(const cv::Mat &src, uint8_t *dst, int dstWidth, int dstHeight, int interpolation) {
    cv::Mat out = wrap(dst, dstWidth, dstHeight, src.channels());
    cv::resize(src, out, out.size(), 0, 0, interpolationFlag(interpolation));
}

} // namespace

extern "C" {

int cv_resize(const uint8_t *src, int width, int height, int channels, uint8_t *dst, int dstWidth,
              int dstHeight, int interpolation) {
    return guarded([&] {
        resizeInto(wrap(src, width, height, channels), dst, dstWidth, dstHeight, interpolation);
    });
}

int cv_crop_resize(const uint8_t *src, int width, int height, int channels, int x, int y, int w,
                   int h, uint8_t *dst, int dstWidth, int dstHeight, int interpolation) {
    return guarded([&] {
        cv::Rect rect(x, y, w, h);
        if (w <= 0 || h <= 0 || (rect & cv::Rect(0, 0, width, height)) != rect)
            throw std::invalid_argument("crop rectangle outside the image");
        resizeInto(wrap(src, width, height, channels)(rect), dst, dstWidth, dstHeight, interpolation);
    });
}

int cv_flip(const uint8_t *src, int width, int height, int channels, uint8_t *dst, int code) {
    return guarded([&] {
        cv::Mat out = wrap(dst, width, height, channels);
        cv::flip(wrap(src, width, height, channels), out, code);
    });
}

int cv_warp_affine(const uint8_t *src, int width, int height, int channels, const double *matrix,
                   uint8_t *dst, int dstWidth, int dstHeight, uint8_t fill) {
    return guarded([&] {
        cv::Mat m(2, 3, CV_64F, const_cast<double *>(matrix));
        cv::Mat out = wrap(dst, dstWidth, dstHeight, channels);
        cv::warpAffine(wrap(src, width, height, channels), out, m, out.size(), cv::INTER_LINEAR,
                       cv::BORDER_CONSTANT, cv::Scalar::all(fill));
    });
}

} // extern "C"
