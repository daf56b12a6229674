// OpenCV DNN: runs exported ONNX files (the serving path and `lookkit export`'s check) and frozen
// TensorFlow graphs (the OpenPose-style pose gate).
#include "CVision.h"
#include "Guard.hpp"
#include <cstdlib>
#include <cstring>
#include <opencv2/dnn.hpp>

struct CVNet {
    cv::dnn::Net net;
};

namespace {
/// Both readers end here: an empty net is an error, and inference runs on OpenCV's own CPU backend.
CVNet *wrapNet(cv::dnn::Net net, const char *path) {
    if (net.empty()) throw std::runtime_error(std::string("OpenCV DNN read no layers from ") + path);
    net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    return new CVNet{net};
}
} // namespace

int cv_dnn_read_onnx(const char *path, CVNet **out) {
    return cvision::guarded([&] {
        if (!path || !out) throw std::invalid_argument("cv_dnn_read_onnx: bad arguments");
        *out = wrapNet(cv::dnn::readNetFromONNX(path), path);
    });
}

int cv_dnn_read_tensorflow(const char *path, CVNet **out) {
    return cvision::guarded([&] {
        if (!path || !out) throw std::invalid_argument("cv_dnn_read_tensorflow: bad arguments");
        *out = wrapNet(cv::dnn::readNetFromTensorflow(path), path);
    });
}

void cv_dnn_free(CVNet *net) { delete net; }

int cv_dnn_forward(CVNet *net, const float *input, const int *shape, int dims, CVFloats *out) {
    return cvision::guarded([&] {
        if (!net || !input || !shape || dims < 1 || dims > 8) throw std::invalid_argument("cv_dnn_forward: bad arguments");
        std::vector<int> sizes(shape, shape + dims);
        cv::Mat blob(dims, sizes.data(), CV_32F, const_cast<float *>(input));
        net->net.setInput(blob);
        cv::Mat result = net->net.forward();
        if (result.type() != CV_32F) result.convertTo(result, CV_32F);
        if (!result.isContinuous()) result = result.clone();
        out->count = result.total();
        out->dims = result.dims;
        for (int i = 0; i < result.dims && i < 8; i++) out->shape[i] = result.size[i];
        out->data = static_cast<float *>(std::malloc(out->count * sizeof(float)));
        if (!out->data) throw std::bad_alloc();
        std::memcpy(out->data, result.ptr<float>(), out->count * sizeof(float));
    });
}

void cv_floats_free(CVFloats *floats) {
    if (floats) { std::free(floats->data); floats->data = nullptr; }
}
