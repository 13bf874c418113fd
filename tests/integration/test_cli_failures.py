"""The `briefing` CLI when things go wrong: one line on stderr (never a traceback) and the documented exit
status for an unreachable server, a bad file, a bad flag and a server that refuses the call; `build` writes
what succeeded and still exits non-zero; --jsonl, `-` for stdin, --embedding, --version; the ephemeral server
`build` starts listens on loopback only."""

from __future__ import annotations

import ipaddress
import json
import subprocess
import sys
from pathlib import Path

from briefing_client.cli_common import Exit
from briefing_client.local_server import server_process

ROOT = Path(__file__).resolve().parents[2]
BRIEFING = str(Path(sys.executable).parent / "briefing")
ARTICLE = ROOT / "examples" / "articles" / "01-transit-vote.txt"
NOBODY = "127.0.0.1:1"  # nothing listens on port 1


def _run(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BRIEFING, *args], capture_output=True, text=True, timeout=600, input=stdin, cwd=ROOT
    )


def _one_line(out: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in out.stderr, out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefing: "), out.stderr
    return lines[0]


def test_an_unreachable_server_is_one_line_and_status_4(tmp_path: Path) -> None:
    for command in (
        ["info"],
        ["health"],
        ["summarize", str(ARTICLE)],
        ["build", str(ARTICLE), "--out", str(tmp_path)],
    ):
        out = _run([*command, "--target", NOBODY, "--timeout", "5"])
        assert out.returncode == Exit.UNREACHABLE, (command, out.stderr)
        assert _one_line(out).startswith(f"briefing: cannot reach a server at {NOBODY}: "), command


def test_a_bad_file_and_a_bad_flag(server_target: str, tmp_path: Path) -> None:
    out = _run(["summarize", str(tmp_path / "missing.txt"), "--target", server_target])
    assert out.returncode == Exit.BAD_INPUT
    assert _one_line(out).startswith(f"briefing: skipped {tmp_path / 'missing.txt'}: FileNotFoundError")
    out = _run(["summarize", str(ARTICLE), "--no-such-flag"])
    assert out.returncode == Exit.USAGE and "unrecognized arguments: --no-such-flag" in out.stderr
    out = _run(["build", str(ARTICLE), "--formats", "pdf", "--target", server_target, "--out", str(tmp_path)])
    assert out.returncode == Exit.USAGE
    assert _one_line(out) == "briefing: unknown format(s) pdf; allowed: md, html, json"


def test_a_refused_call_is_a_server_error() -> None:
    """A server with bearer tokens refuses a call without one: status 5, the status and its reason named.
    (Auth is checked before the models load, so the server need not be ready.)"""
    with server_process(env={"BRIEFING_AUTH_TOKENS": "s3cret"}) as server:
        out = subprocess.run(
            [BRIEFING, "info", "--target", server.target],
            capture_output=True,
            text=True,
            timeout=120,
            env={"PATH": "/usr/bin:/bin"},
        )
    assert out.returncode == Exit.SERVER_ERROR, out.stderr
    assert _one_line(out).startswith("briefing: the server refused the call: UNAUTHENTICATED TOKEN_MISSING: ")


def test_build_writes_what_succeeded_and_exits_non_zero(server_target: str, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(ARTICLE.read_text())
    (inputs / "blank.txt").write_text("   \n")
    out = subprocess.run(
        [BRIEFING, "build", str(inputs), "--target", server_target, "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == Exit.ARTICLES_FAILED, out.stderr
    doc = json.loads((tmp_path / "out" / "briefing.json").read_text())
    assert [a["id"] for a in doc["articles"]] == ["good"]
    assert [(e["source"], e["reason"].split(":")[0]) for e in doc["errors"]] == [
        ("blank", "INVALID_ARGUMENT")
    ]
    assert (tmp_path / "out" / "briefing.md").exists() and (tmp_path / "out" / "briefing.html").exists()


def test_jsonl_stdin_and_the_embedding_flag(server_target: str) -> None:
    text = ARTICLE.read_text()
    out = _run(["summarize", "-", str(ARTICLE), "--jsonl", "--target", server_target], stdin=text)
    assert out.returncode == Exit.OK, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["article_id"] == "stdin" and second["article_id"] == ARTICLE.stem
    assert first["headline"] == second["headline"] and "embedding" not in first
    out = _run(["summarize", "-", "--json", "--embedding", "--target", server_target], stdin=text)
    assert len(json.loads(out.stdout)["embedding"]) == 384


def test_version() -> None:
    out = _run(["--version"])
    assert out.returncode == 0 and out.stdout.strip() == "briefing 0.1.0"


def _listening_addresses(port: int) -> set[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Local addresses of the sockets listening on ``port`` (/proc/net/tcp and tcp6 hold them as hex, in
    32-bit little-endian words)."""
    found: set[ipaddress.IPv4Address | ipaddress.IPv6Address] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                words = [bytes.fromhex(address[i : i + 8])[::-1] for i in range(0, len(address), 8)]
                found.add(ipaddress.ip_address(b"".join(words)))
    return found


def _loopback(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def test_the_ephemeral_server_listens_on_loopback_only() -> None:
    with server_process() as server:
        port = int(server.target.rsplit(":", 1)[1])
        assert server.target.startswith("127.0.0.1:")
        addresses = _listening_addresses(port)
        assert addresses and all(_loopback(a) for a in addresses), addresses  # no [::] or 0.0.0.0
