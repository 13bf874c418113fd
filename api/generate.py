"""Generates the briefing.v1 Python code (messages, type stubs, gRPC stubs) from proto/briefing/v1/.

The one generator: `make proto` runs it for the working tree, and the client distribution's build
(clients/setup.py) runs it before packaging, so `pip install ./clients` works on a fresh clone. The generated
modules pin the grpcio and protobuf runtimes they need, so they are made by the grpcio-tools of the
environment that installs them rather than checked in.
"""

from __future__ import annotations

import sys
from pathlib import Path

API_DIR = Path(__file__).resolve().parent
PROTO_ROOT = API_DIR.parent / "proto"
PROTO_FILES = ("briefing/v1/briefing.proto",)
GENERATED = ("briefing_pb2.py", "briefing_pb2.pyi", "briefing_pb2_grpc.py")


def generate(out_dir: Path = API_DIR) -> list[Path]:
    """Write the generated modules under ``out_dir``/briefing/v1/; returns their paths."""
    import google.rpc
    import grpc_tools
    from grpc_tools import protoc

    # google/protobuf/*.proto ship with grpc_tools; google/rpc/status.proto with googleapis-common-protos.
    well_known = Path(grpc_tools.__file__).parent / "_proto"
    googleapis = Path(google.rpc.__path__[0]).parent.parent
    target = out_dir / "briefing" / "v1"
    target.mkdir(parents=True, exist_ok=True)
    args = [
        "grpc_tools.protoc",
        f"-I{PROTO_ROOT}",
        f"-I{well_known}",
        f"-I{googleapis}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        *(str(PROTO_ROOT / p) for p in PROTO_FILES),
    ]
    if protoc.main(args) != 0:
        raise RuntimeError(f"protoc failed on {', '.join(PROTO_FILES)}")
    return [target / name for name in GENERATED]


if __name__ == "__main__":
    for path in generate(Path(sys.argv[1]) if len(sys.argv) > 1 else API_DIR):
        print(path)
