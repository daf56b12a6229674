// Decoding and encoding: file/memory bytes <-> RGB pixels.
#include "CVision.h"
#include "Guard.hpp"

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <jpeglib.h>
#include <jerror.h> // after jpeglib.h, which it needs
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

using namespace cvision;

namespace {

std::vector<uint8_t> readFile(const char *path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::runtime_error(std::string(path) + ": cannot open file");
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(file), {});
}

/// libjpeg only warns on a truncated file and pads it with grey, so check the structure ourselves:
/// after the last start-of-scan marker (FFDA) an end-of-image marker (FFD9) must follow.
/// Entropy-coded data stuffs every FF with 00, so neither marker can appear inside scan data.
void checkJPEGComplete(const uint8_t *bytes, size_t count, const std::string &name) {
    if (count < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8) return;
    size_t lastScan = 0;
    for (size_t i = count - 1; i > 0; --i)
        if (bytes[i - 1] == 0xFF && bytes[i] == 0xDA) { lastScan = i; break; }
    for (size_t i = lastScan + 1; i < count; ++i)
        if (bytes[i - 1] == 0xFF && bytes[i] == 0xD9) return;
    throw std::runtime_error(name + ": truncated JPEG (no end-of-image marker)");
}

/// libjpeg's error manager with the first corrupt-data warning kept and fatal errors jumping out.
struct ScanErrors {
    jpeg_error_mgr pub;
    std::jmp_buf jump;
    char *problem;
};

void onJPEGFatal(j_common_ptr info) {
    auto *errors = reinterpret_cast<ScanErrors *>(info->err);
    info->err->format_message(info, errors->problem);
    std::longjmp(errors->jump, 1);
}

/// Level -1 is a warning (higher levels are traces). Version and colour-transform notes are not
/// damage; everything else ("Corrupt JPEG data: …", "Premature end of JPEG file") is.
void onJPEGMessage(j_common_ptr info, int level) {
    auto *errors = reinterpret_cast<ScanErrors *>(info->err);
    const int code = info->err->msg_code;
    if (level >= 0 || errors->problem[0] || code == JWRN_JFIF_MAJOR || code == JWRN_ADOBE_XFORM) return;
    info->err->format_message(info, errors->problem);
}

/// Entropy-decodes the whole JPEG at 1/8 scale (cheap: no full IDCT) and leaves libjpeg's first
/// warning or error in `problem` (JMSG_LENGTH_MAX bytes). Plain C data only, as longjmp skips destructors.
bool jpegScanProblem(const uint8_t *bytes, size_t count, char *problem, int *width, int *height) {
    jpeg_decompress_struct info;
    ScanErrors errors;
    info.err = jpeg_std_error(&errors.pub);
    errors.pub.error_exit = onJPEGFatal;
    errors.pub.emit_message = onJPEGMessage;
    errors.problem = problem;
    problem[0] = 0;
    if (setjmp(errors.jump)) {
        jpeg_destroy_decompress(&info);
        return true;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, bytes, static_cast<unsigned long>(count));
    jpeg_read_header(&info, TRUE);
    *width = static_cast<int>(info.image_width);
    *height = static_cast<int>(info.image_height);
    info.scale_num = 1;
    info.scale_denom = 8;
    info.dct_method = JDCT_IFAST;
    info.do_fancy_upsampling = FALSE;
    jpeg_start_decompress(&info);
    JSAMPARRAY row = info.mem->alloc_sarray(reinterpret_cast<j_common_ptr>(&info), JPOOL_IMAGE,
                                            info.output_width * info.output_components, 1);
    while (info.output_scanline < info.output_height && !problem[0]) jpeg_read_scanlines(&info, row, 1);
    if (!problem[0]) jpeg_finish_decompress(&info); // reads on to EOI, where extraneous bytes show
    jpeg_destroy_decompress(&info);
    return problem[0] != 0;
}

/// A JPEG cut short with an end marker appended, or with bytes overwritten mid-scan, has a sound
/// structure; libjpeg decodes it with only a warning on stderr (no file name) and grey or garbage
/// pixels. Such a file is an error naming it. Returns the JPEG's longer side (0 for other formats).
int checkJPEGScan(const uint8_t *bytes, size_t count, const std::string &name) {
    if (count < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8) return 0;
    char problem[JMSG_LENGTH_MAX];
    int width = 0, height = 0;
    if (jpegScanProblem(bytes, count, problem, &width, &height)) throw std::runtime_error(name + ": corrupt JPEG (" + problem + ")");
    return std::max(width, height);
}

/// Converts BGR straight into a malloc'd RGB buffer the caller frees with cv_buffer_free.
void convertOut(const cv::Mat &bgr, CVBuffer *out) {
    size_t count = bgr.total() * 3;
    std::unique_ptr<uint8_t, decltype(&std::free)> data(static_cast<uint8_t *>(std::malloc(count)), std::free);
    if (!data) throw std::bad_alloc();
    cv::Mat rgb(bgr.rows, bgr.cols, CV_8UC3, data.get());
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    *out = CVBuffer{data.release(), count, bgr.cols, bgr.rows, 3};
}

/// PNG and WebP are the formats that carry transparency.
bool mayHaveAlpha(const uint8_t *bytes, size_t count) {
    static const uint8_t png[] = {0x89, 'P', 'N', 'G'};
    if (count >= 4 && std::memcmp(bytes, png, 4) == 0) return true;
    return count >= 12 && std::memcmp(bytes, "RIFF", 4) == 0 && std::memcmp(bytes + 8, "WEBP", 4) == 0;
}

/// 8-bit BGR from an image decoded unchanged: deeper samples scaled down, grey expanded, and
/// transparent pixels laid over white, the studio background product photos assume (plain
/// IMREAD_COLOR would keep whatever colour hides under alpha 0, usually black).
cv::Mat flattenedOverWhite(cv::Mat image) {
    if (image.depth() == CV_16U) image.convertTo(image, CV_8U, 1.0 / 257);
    else if (image.depth() != CV_8U) image.convertTo(image, CV_8U);
    const int channels = image.channels();
    if (channels == 3) return image;
    if (channels == 1) {
        cv::Mat bgr;
        cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR);
        return bgr;
    }
    if (channels != 2 && channels != 4) throw std::runtime_error("unsupported channel count " + std::to_string(channels));
    cv::Mat bgr(image.rows, image.cols, CV_8UC3);
    for (int y = 0; y < image.rows; ++y) {
        const uint8_t *in = image.ptr<uint8_t>(y);
        uint8_t *to = bgr.ptr<uint8_t>(y);
        for (int x = 0; x < image.cols; ++x, in += channels, to += 3) {
            const int alpha = in[channels - 1];
            for (int c = 0; c < 3; ++c) {
                const int value = in[channels == 4 ? c : 0];
                to[c] = static_cast<uint8_t>((value * alpha + 255 * (255 - alpha) + 127) / 255);
            }
        }
    }
    return bgr;
}

/// IMREAD_REDUCED_COLOR_{2,4,8} for a JPEG whose longer side `side` stays at least `minSide` after the
/// reduction (libjpeg scales while decoding, so a huge photo never exists at full size), else IMREAD_COLOR.
int colorFlag(int side, int minSide) {
    if (minSide <= 0 || side <= 0) return cv::IMREAD_COLOR;
    if (side / 8 >= minSide) return cv::IMREAD_REDUCED_COLOR_8;
    if (side / 4 >= minSide) return cv::IMREAD_REDUCED_COLOR_4;
    if (side / 2 >= minSide) return cv::IMREAD_REDUCED_COLOR_2;
    return cv::IMREAD_COLOR;
}

void decode(const uint8_t *bytes, size_t count, const std::string &name, CVBuffer *out, int minSide = 0) {
    if (!out) throw std::invalid_argument("null output buffer");
    if (count == 0) throw std::runtime_error(name + ": empty file");
    checkJPEGComplete(bytes, count, name);
    const int jpegSide = checkJPEGScan(bytes, count, name);
    cv::Mat encoded(1, static_cast<int>(count), CV_8UC1, const_cast<uint8_t *>(bytes));
    // IMREAD_COLOR gives 8-bit BGR for any input and applies the EXIF orientation (a JPEG matter).
    const bool alpha = mayHaveAlpha(bytes, count);
    cv::Mat image = cv::imdecode(encoded, alpha ? cv::IMREAD_UNCHANGED : colorFlag(jpegSide, minSide));
    if (image.empty()) throw std::runtime_error(name + ": not a decodable image (corrupt or unsupported)");
    convertOut(alpha ? flattenedOverWhite(image) : image, out);
}

} // namespace

extern "C" {

const char *cv_last_error(void) { return lastError.c_str(); }

void cv_buffer_free(CVBuffer *buffer) {
    if (!buffer) return;
    std::free(buffer->data);
    *buffer = CVBuffer{};
}

int cv_decode_file(const char *path, CVBuffer *out) {
    return guarded([&] {
        auto bytes = readFile(path);
        decode(bytes.data(), bytes.size(), path, out);
    });
}

int cv_decode_file_reduced(const char *path, int min_side, CVBuffer *out) {
    return guarded([&] {
        auto bytes = readFile(path);
        decode(bytes.data(), bytes.size(), path, out, min_side);
    });
}

int cv_decode_memory(const uint8_t *bytes, size_t count, CVBuffer *out) {
    return guarded([&] { decode(bytes, count, "<memory>", out); });
}

int cv_encode(const uint8_t *pixels, int width, int height, int channels, const char *extension,
              int quality, CVBuffer *out) {
    return guarded([&] {
        if (channels != 3 && channels != 4) throw std::invalid_argument("encode needs 3 or 4 channels");
        cv::Mat bgr;
        cv::cvtColor(wrap(pixels, width, height, channels), bgr,
                     channels == 4 ? cv::COLOR_RGBA2BGRA : cv::COLOR_RGB2BGR);
        std::vector<uchar> bytes;
        std::vector<int> params{cv::IMWRITE_JPEG_QUALITY, quality, cv::IMWRITE_WEBP_QUALITY, quality};
        if (!cv::imencode(extension, bgr, bytes, params))
            throw std::runtime_error(std::string("cannot encode as ") + extension);
        auto *data = static_cast<uint8_t *>(std::malloc(bytes.size()));
        if (!data) throw std::bad_alloc();
        std::memcpy(data, bytes.data(), bytes.size());
        *out = CVBuffer{data, bytes.size(), width, height, channels};
    });
}

} // extern "C"
