"""`make chaos` scenario 8: bearer tokens (missing, wrong, limited to some methods), TLS and mTLS."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from briefing_client import BriefingClient, BriefingClientError
from chaos_common import LOOPBACK, ROOT, Figures, serving
from chaos_common import start_server as _server

sys.path.insert(0, str(ROOT / "tests"))
from hostile_cases import SHORT
from tls_certs import make_certs


def auth() -> Figures:
    f = Figures("8. auth and TLS")
    token = "chaos-" + "k" * 30
    reader = "chaos-reader-" + "r" * 30
    with tempfile.TemporaryDirectory(prefix="briefing-chaos-") as tmp:
        certs = make_certs(Path(tmp))
        if certs is None:
            f.notes.append("openssl CLI missing: TLS cases skipped")
            return f
        tokens_file = Path(tmp) / "tokens"
        tokens_file.write_text(f"{reader} Summarize\n")
        tls = [
            *("--tls-cert", str(certs.server_cert), "--tls-key", str(certs.server_key)),
            *("--auth-tokens-file", str(tokens_file)),
        ]
        cases: list[tuple[str, dict[str, object], str]] = [
            ("no token", {"tls_ca": str(certs.ca), "token": ""}, "UNAUTHENTICATED"),
            ("wrong token", {"tls_ca": str(certs.ca), "token": token + "x"}, "UNAUTHENTICATED"),
            ("TLS client with token", {"tls_ca": str(certs.ca), "token": token}, "OK"),
            ("plaintext client vs TLS server", {"token": token}, "UNAVAILABLE"),
            ("client trusting another CA", {"tls_ca": str(certs.other_ca), "token": token}, "UNAVAILABLE"),
            (
                "token limited to Summarize, calling Summarize",
                {"tls_ca": str(certs.ca), "token": reader},
                "OK",
            ),
            (
                "token limited to Summarize, calling GetModelInfo",
                {"tls_ca": str(certs.ca), "token": reader, "call": "model_info"},
                "PERMISSION_DENIED",
            ),
        ]
        mtls = [
            ("mTLS: no client certificate", {"tls_ca": str(certs.ca), "token": token}, "UNAVAILABLE"),
            (
                "mTLS: client certificate",
                {
                    "tls_ca": str(certs.ca),
                    "token": token,
                    "tls_cert": str(certs.client_cert),
                    "tls_key": str(certs.client_key),
                },
                "OK",
            ),
        ]
        for extra, group in (([], cases), (["--tls-client-ca", str(certs.ca)], mtls)):
            with _server([*LOOPBACK, *tls, *extra], env={"BRIEFING_AUTH_TOKENS": token}) as server:
                serving(
                    server,
                    tls_ca=str(certs.ca),
                    token=token,
                    tls_cert=str(certs.client_cert),
                    tls_key=str(certs.client_key),
                )
                for name, kwargs, expected in group:
                    f.sent += 1
                    started = time.monotonic()
                    call = str(kwargs.pop("call", "summarize"))
                    with BriefingClient(server.target, timeout=5, env={}, **kwargs) as c:  # type: ignore[arg-type]
                        try:
                            c.model_info() if call == "model_info" else c.summarize(SHORT)
                            code = "OK"
                        except BriefingClientError as exc:
                            code = exc.code.name
                    f.answered += 1
                    f.errors[code] += 1
                    f.notes.append(f"{name}: {code} in {(time.monotonic() - started) * 1000:.0f} ms")
                    f.check(code == expected, f"{name}: {code}, expected {expected}")
    return f
