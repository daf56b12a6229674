// Colour jitter, blending, drawing and float conversion on RGB buffers.
#include "CVision.h"
#include "Guard.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

using namespace cvision;

extern "C" {

int cv_hsv_gain(uint8_t *rgb, int width, int height, double hueGain, double saturationGain,
                double valueGain) {
    return guarded([&] {
        cv::Mat image = wrap(rgb, width, height, 3), hsv;
        cv::cvtColor(image, hsv, cv::COLOR_RGB2HSV);
        // One lookup table per channel (as YOLOv5 does): 256 multiplications instead of w*h.
        cv::Mat lut(1, 256, CV_8UC3);
        for (int v = 0; v < 256; ++v) {
            lut.at<cv::Vec3b>(v) = cv::Vec3b(
                static_cast<uchar>(static_cast<int>(v * hueGain) % 180),
                cv::saturate_cast<uchar>(v * saturationGain),
                cv::saturate_cast<uchar>(v * valueGain));
        }
        cv::LUT(hsv, lut, hsv);
        cv::cvtColor(hsv, image, cv::COLOR_HSV2RGB);
    });
}

int cv_paste(uint8_t *canvas, int canvasWidth, int canvasHeight, const uint8_t *src, int width,
             int height, int channels, int x, int y, double opacity) {
    return guarded([&] {
        if (channels != 3 && channels != 4) throw std::invalid_argument("paste needs 3 or 4 channels");
        cv::Mat target = wrap(canvas, canvasWidth, canvasHeight, 3);
        cv::Mat source = wrap(src, width, height, channels);
        cv::Rect placed = cv::Rect(x, y, width, height) & cv::Rect(0, 0, canvasWidth, canvasHeight);
        if (placed.empty()) return;
        if (channels == 3 && opacity >= 1) { // opaque: a plain copy, the common letterbox/mosaic case
            source(cv::Rect(placed.x - x, placed.y - y, placed.width, placed.height)).copyTo(target(placed));
            return;
        }
        for (int row = placed.y; row < placed.y + placed.height; ++row) {
            uint8_t *out = target.ptr<uint8_t>(row) + 3 * placed.x;
            const uint8_t *in = source.ptr<uint8_t>(row - y) + channels * (placed.x - x);
            for (int col = 0; col < placed.width; ++col, out += 3, in += channels) {
                double a = opacity * (channels == 4 ? in[3] / 255.0 : 1.0);
                for (int c = 0; c < 3; ++c)
                    out[c] = static_cast<uint8_t>(std::lround(out[c] * (1 - a) + in[c] * a));
            }
        }
    });
}

int cv_draw_rectangle(uint8_t *rgb, int width, int height, int x1, int y1, int x2, int y2,
                      uint8_t r, uint8_t g, uint8_t b, int thickness) {
    return guarded([&] {
        cv::Mat image = wrap(rgb, width, height, 3);
        cv::rectangle(image, cv::Point(x1, y1), cv::Point(x2, y2), cv::Scalar(r, g, b), thickness);
    });
}

int cv_draw_text(uint8_t *rgb, int width, int height, const char *text, int x, int y, double scale,
                 uint8_t r, uint8_t g, uint8_t b, int thickness) {
    return guarded([&] {
        cv::Mat image = wrap(rgb, width, height, 3);
        cv::putText(image, text, cv::Point(x, y), cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(r, g, b),
                    thickness, cv::LINE_AA);
    });
}

int cv_normalize_chw(const uint8_t *rgb, int width, int height, const float *mean, const float *std,
                     float *dst) {
    return guarded([&] {
        if (!rgb || !dst || width <= 0 || height <= 0) throw std::invalid_argument("bad buffers");
        size_t plane = static_cast<size_t>(width) * height;
        for (int c = 0; c < 3; ++c) {
            float scale = 1.0f / (255.0f * std[c]), shift = mean[c] / std[c];
            float *out = dst + c * plane;
            const uint8_t *in = rgb + c;
            for (size_t i = 0; i < plane; ++i) out[i] = in[3 * i] * scale - shift;
        }
    });
}

} // extern "C"
