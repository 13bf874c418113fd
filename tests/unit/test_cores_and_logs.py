"""Cores from the cgroup CPU quota (v1 and v2, fake trees), and the JSON log lines with request ids."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
from briefing_service.cores import available_cores, cgroup_cpu_quota
from briefing_service.edge.logs import REQUEST_ID, JsonFormatter, TextFormatter, request_id_from
from briefing_service.settings import Settings

AFFINITY = len(os.sched_getaffinity(0))


def _tree(tmp_path: Path, proc_line: str, files: dict[str, str]) -> tuple[Path, Path]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    proc = tmp_path / "cgroup"
    proc.write_text(proc_line + "\n")
    root = tmp_path / "sys"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return proc, root


def test_cgroup_v2_quota_in_the_process_group_or_above_it(tmp_path: Path) -> None:
    proc, root = _tree(
        tmp_path,
        "0::/kubepods/pod1/ctr",
        {"kubepods/pod1/ctr/cpu.max": "max 100000", "kubepods/pod1/cpu.max": "250000 100000"},
    )
    assert cgroup_cpu_quota(proc, root) == 2.5
    assert available_cores(proc, root) == min(AFFINITY, 2)  # rounded down


def test_cgroup_v2_namespace_root_and_no_quota(tmp_path: Path) -> None:
    # Inside a container's cgroup namespace the process sees "/" and its limit at the mount itself.
    proc, root = _tree(tmp_path, "0::/", {"cpu.max": "150000 100000"})
    assert cgroup_cpu_quota(proc, root) == 1.5
    assert available_cores(proc, root) == 1
    proc, root = _tree(tmp_path / "none", "0::/", {"cpu.max": "max 100000"})
    assert cgroup_cpu_quota(proc, root) is None
    assert available_cores(proc, root) == AFFINITY


def test_cgroup_v1_quota_and_unlimited(tmp_path: Path) -> None:
    lines = "4:memory:/x\n2:cpu,cpuacct:/docker/abc"
    proc, root = _tree(
        tmp_path,
        lines,
        {
            "cpu,cpuacct/docker/abc/cpu.cfs_quota_us": "400000",
            "cpu,cpuacct/docker/abc/cpu.cfs_period_us": "100000",
        },
    )
    assert cgroup_cpu_quota(proc, root) == 4.0
    proc, root = _tree(
        tmp_path / "unlimited",
        "2:cpu:/",
        {"cpu/cpu.cfs_quota_us": "-1", "cpu/cpu.cfs_period_us": "100000"},
    )
    assert cgroup_cpu_quota(proc, root) is None
    assert cgroup_cpu_quota(tmp_path / "missing", root) is None


def test_the_schedule_uses_the_quota(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import briefing_service.cores as cores

    monkeypatch.setattr(cores.os, "sched_getaffinity", lambda _pid: set(range(64)))
    proc, root = _tree(tmp_path, "0::/", {"cpu.max": "200000 100000"})
    monkeypatch.setattr(cores, "PROC_CGROUP", proc)
    monkeypatch.setattr(cores, "CGROUP_ROOT", root)
    monkeypatch.setattr(cores.available_cores, "__defaults__", (proc, root))
    schedule = Settings.from_args([], {}).schedule()
    assert (schedule.spacy_process, schedule.torch_threads, schedule.encoder_streams) == (True, 1, 2)


def _record(message: str, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("briefing.calls", logging.INFO, __file__, 1, message, (), None)
    record.request_id = REQUEST_ID.get()
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_json_lines_carry_the_request_id_and_call_fields() -> None:
    token = REQUEST_ID.set("abc123")
    try:
        line = JsonFormatter().format(_record("Summarize OK", method="Summarize", code="OK", seconds=0.25))
        text = TextFormatter().format(_record("plain"))
    finally:
        REQUEST_ID.reset(token)
    entry = json.loads(line)
    assert entry["request_id"] == "abc123" and entry["method"] == "Summarize" and entry["seconds"] == 0.25
    assert (
        entry["level"] == "INFO" and entry["message"] == "Summarize OK" and entry["time"].endswith("+00:00")
    )
    assert "[abc123]: plain" in text
    assert "request_id" not in json.loads(JsonFormatter().format(_record("outside a call")))


def test_a_usable_caller_id_is_kept_else_a_new_one_is_made() -> None:
    assert request_id_from((("x-request-id", "req-7/a:b=c"),)) == "req-7/a:b=c"
    for bad in ("", "has space", "x" * 129, "ünïcode"):
        made = request_id_from((("x-request-id", bad),))
        assert made != bad and len(made) == 32
    assert request_id_from(None) != request_id_from(None)


def test_connection_age_and_log_format_settings() -> None:
    assert Settings.from_args([], {}).max_connection_age is None
    assert Settings.from_args(["--max-connection-age", "300"], {}).max_connection_age == 300.0
    assert Settings.from_args(["--max-connection-age", "off"], {}).max_connection_age is None
    assert Settings.from_args([], {"BRIEFING_MAX_CONNECTION_AGE": "60"}).max_connection_age == 60.0
    with pytest.raises(SystemExit):
        Settings.from_args(["--max-connection-age", "soon"], {})
    with pytest.raises(ValueError, match=r"^log_format is 'xml'; allowed text, json$"):
        Settings.from_args(["--log-format", "xml"], {})
