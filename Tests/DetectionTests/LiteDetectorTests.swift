import Datasets
@testable import Detection
import Foundation
import LookKitCore
@testable import Models
import TestSupport
import Torch
import XCTest

/// The CPU recipe's detector: EfficientNet-Lite0's P3/P4/P5 maps under YOLOv5's neck and head.
final class LiteDetectorTests: XCTestCase {
    override func setUp() { Torch.threads = 2 }

    func testPyramidIsTheBackbonesOwnStageOutputsAtStrides8To32() throws {
        Torch.manualSeed(3)
        let net = try EfficientNetLite0(classes: nil)
        net.eval()
        let x = try Tensor.rand([2, 3, 96, 64])
        let levels = try withoutGrad { try net.pyramid(x) }
        XCTAssertEqual(levels.map(\.shape), [[2, 40, 12, 8], [2, 112, 6, 4], [2, 320, 3, 2]])
        // The same maps as running the stages one by one (the path embeddings take).
        var h = x
        var byStage: [String: Tensor] = [:]
        try withoutGrad {
            for stage in net.stages { h = try stage.forward(h); byStage[stage.name] = h }
        }
        for (level, block) in zip(levels, ["blocks.4", "blocks.10", "blocks.15"]) {
            XCTAssertEqual(try level.floats(), try XCTUnwrap(byStage[block]).floats(), block)
        }
    }

    func testChannelsLastKeepsValuesAndConvolutionResults() throws {
        Torch.manualSeed(4)
        let x = try Tensor.randn([2, 6, 9, 7]), w = try Tensor.randn([6, 1, 3, 3])
        let nhwc = try x.channelsLast()
        XCTAssertEqual(try nhwc.floats(), try x.floats())
        let a = try x.conv2d(w, bias: nil, stride: 2, padding: 1, dilation: 1, groups: 6).floats()
        let b = try nhwc.conv2d(w, bias: nil, stride: 2, padding: 1, dilation: 1, groups: 6).floats()
        for (p, q) in zip(a, b) { XCTAssertEqual(p, q, accuracy: 1e-5) }
        XCTAssertThrowsError(try Tensor.randn([3, 4]).channelsLast())
    }

    func testLiteSpecBuildsTheV7HeadOnTheBackbonesMaps() throws {
        let spec = try YOLOv5Spec.efficientNetLite0(neck: "n")
        XCTAssertEqual(spec.layers.count, 19)
        XCTAssertEqual(spec.layers.prefix(3).map(\.kind), [.efficientNetLite0(level: 3), .efficientNetLite0(level: 4), .efficientNetLite0(level: 5)])
        // The head is v7.0's rows 10… with inputs renumbered (v7.0 reads 4, 6, 9 where Lite0 gives 0, 1, 3).
        XCTAssertEqual(spec.layers.dropFirst(4).map(\.kind), YOLOv5Spec.v7Layers.dropFirst(10).map(\.kind))
        XCTAssertEqual(spec.layers.last?.from, [11, 14, 17])

        Torch.manualSeed(0)
        let model = try YOLOv5(spec, classes: 10)
        XCTAssertNotNil(model.backbone)
        let names = Set(model.stateDict().map(\.0))
        XCTAssertTrue(names.contains("backbone._blocks.15._project_conv.weight"))
        XCTAssertTrue(names.contains("model.18.anchors"))
        XCTAssertTrue(names.contains("model.3.cv1.conv.weight"))  // SPPF on P5
        model.eval()
        let raw = try withoutGrad { try model.rawOutputs(Tensor.rand([1, 3, 128, 96])) }
        XCTAssertEqual(raw.map(\.shape), [[1, 3, 16, 12, 15], [1, 3, 8, 6, 15], [1, 3, 4, 3, 15]])
        XCTAssertEqual(try withoutGrad { try model(Tensor.rand([1, 3, 128, 96])) }.shape, [1, 3 * (192 + 48 + 12), 15])
        XCTAssertThrowsError(try YOLOv5Spec.efficientNetLite0(neck: "q"))
    }

    func testLiteRowsInAModelYAMLAreCheckedLikeTheOthers() throws {
        let yaml = YOLOv5Spec.v7YAML.replacingOccurrences(of: "[[-1, 1, Conv, [64, 6, 2, 2]],", with: "[[-1, 1, EfficientNetLite0, [6]],")
        XCTAssertThrowsError(try YOLOv5Spec(yaml: yaml, file: "lite.yaml")) { error in
            XCTAssertTrue("\(error)".contains("lite.yaml:"), "\(error)")
            XCTAssertTrue("\(error)".contains("level should be 3, 4 or 5"), "\(error)")
        }
        let valid = YOLOv5Spec.v7YAML.replacingOccurrences(of: "[[-1, 1, Conv, [64, 6, 2, 2]],", with: "[[-1, 1, EfficientNetLite0, [3]],")
        XCTAssertEqual(try YOLOv5Spec(yaml: valid, file: "lite.yaml").layers[0].kind, .efficientNetLite0(level: 3))
    }
}

final class PredictorInputTests: XCTestCase {
    /// A 1×1 photo and a very wide one go through letterbox, forward and NMS; boxes stay inside them.
    func testTinyAndExtremePhotosNeitherCrashNorLeaveTheImage() throws {
        Torch.manualSeed(0)
        let model = try YOLOv5(try YOLOv5Spec.named("yolov5n"), classes: 3)
        model.eval()
        var nms = NonMaxSuppression()
        nms.confidence = 0.0001
        let predictor = YOLOPredictor(model: model, size: 64, nms: nms)
        let photos = [try Image(width: 1, height: 1, fill: (0, 0, 0)), try Image(width: 2000, height: 3, fill: (9, 9, 9))]
        let detections = try predictor(photos)
        XCTAssertEqual(detections.count, 2)
        for (photo, boxes) in zip(photos, detections) {
            for d in boxes.map(\.box) {
                XCTAssertTrue(d.x1 >= 0 && d.y1 >= 0 && d.x2 <= Double(photo.width) && d.y2 <= Double(photo.height), "\(d) outside \(photo.width)×\(photo.height)")
            }
        }
    }
}
