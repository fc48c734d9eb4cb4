"""Every example in README.md, run as a newcomer would run it.

The README's fenced blocks follow one convention (its Development section states it):

- a ``python`` block is a file of its own, run by pytest in a fresh process with the
  installed plugin: its ``test_*`` functions run (with the plugin's fixtures), and code at
  the top level runs as a script would;
- ``sh`` blocks run in order, in one bash shell, against an ``mlmocks-server`` this test
  starts on a free port (``127.0.0.1:5000`` in a block is that server, and the block's own
  ``mlmocks-server ... &`` line is left to the test);
- an HTML comment on the line before a block says how else to take it:
  ``<!-- requires: aiobotocore -->`` skips it unless those modules can be imported, and
  ``<!-- not run: why -->`` marks a command that is not an example (installing, the test
  suite, the benchmark, pinning).

Both runs start from an environment without AWS credentials or configuration, as on a
machine that never had them: an example that needs credentials has to say so.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
FENCE = re.compile(r"^```(\w*)\s*$")
MARKER = re.compile(r"^<!--\s*(requires|not run):\s*(.*?)\s*-->$")
README_PORT = "127.0.0.1:5000"


@dataclass
class Block:
    language: str
    line: int  # of the opening fence, 1-based
    code: str
    requires: tuple[str, ...] = ()
    not_run: str | None = None

    @property
    def name(self) -> str:
        return f"README.md:{self.line}"

    def missing(self) -> list[str]:
        return [module for module in self.requires if importlib.util.find_spec(module) is None]


def blocks(text: str) -> list[Block]:
    """The fenced blocks of a Markdown text, with the marker comment before each."""
    found: list[Block] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        end = next(i for i in range(index + 1, len(lines)) if lines[i].startswith("```"))
        block = Block(opening.group(1), index + 1, "\n".join(lines[index + 1 : end]) + "\n")
        previous = next((lines[i].strip() for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        marker = MARKER.match(previous)
        if marker and marker.group(1) == "requires":
            block.requires = tuple(m.strip() for m in marker.group(2).split(",") if m.strip())
        elif marker:
            block.not_run = marker.group(2)
        found.append(block)
        index = end + 1
    return found


README_BLOCKS = blocks(README.read_text())


def clean_environment(home: Path) -> dict[str, str]:
    """This process's environment without AWS credentials, profiles or configuration, and
    with this interpreter's scripts (``aws``, ``mlmocks-server``) first on PATH."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "MOTO_"))}
    env.pop("PYTEST_ADDOPTS", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    env["HOME"] = str(home)
    env["AWS_CONFIG_FILE"] = str(home / "no-aws-config")
    env["AWS_SHARED_CREDENTIALS_FILE"] = str(home / "no-aws-credentials")
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


# -- the convention itself ---------------------------------------------------------------


def test_every_block_is_python_or_a_shell_example_or_says_why_not() -> None:
    assert README_BLOCKS, "no fenced block found in README.md"
    for block in README_BLOCKS:
        assert block.language in ("python", "sh"), f"{block.name}: a ```{block.language} block"
        if block.not_run is not None:
            assert block.language == "sh" and block.not_run, f"{block.name}: not run without a reason"


def test_the_parser_reads_markers_and_line_numbers() -> None:
    text = "intro\n\n<!-- requires: aiobotocore, x -->\n```python\nprint(1)\n```\n<!-- not run: why -->\n```sh\nls\n```\n"
    first, second = blocks(text)
    assert (first.language, first.line, first.code, first.requires) == ("python", 4, "print(1)\n", ("aiobotocore", "x"))
    assert (second.language, second.not_run, second.requires) == ("sh", "why", ())
    assert Block("python", 1, "", requires=("surely_no_such_module_x",)).missing() == ["surely_no_such_module_x"]


# -- python blocks -----------------------------------------------------------------------


def _script_wrapper(script: Path) -> str:
    return (
        "import runpy\n\n\n"
        f"def test_runs_as_a_script():\n    runpy.run_path({str(script)!r}, run_name='__main__')\n"
    )


def test_python_examples(tmp_path: Path) -> None:
    """Every python block, each a file of its own, in one pytest run of a fresh process."""
    files: dict[str, Block] = {}
    skipped = []
    for block in README_BLOCKS:
        if block.language != "python":
            continue
        if block.missing():
            skipped.append(f"{block.name} (needs {', '.join(block.missing())})")
            continue
        stem = f"readme_{block.line}"
        if re.search(r"^(async )?def test_", block.code, re.MULTILINE):
            (tmp_path / f"test_{stem}.py").write_text(block.code)
        else:
            script = tmp_path / f"{stem}.py"
            script.write_text(block.code)
            (tmp_path / f"test_{stem}.py").write_text(_script_wrapper(script))
        files[f"test_{stem}"] = block
    assert files, "no python block ran"
    report = tmp_path / "junit.xml"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         f"--junitxml={report}", "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=tmp_path, env=clean_environment(tmp_path), capture_output=True, text=True, timeout=300,
    )
    outcomes: dict[str, list[str]] = {name: [] for name in files}
    for case in ET.parse(report).getroot().iter("testcase"):
        module = case.get("classname", "").split(".")[-1] or case.get("name", "")
        bad = case.find("failure") if case.find("failure") is not None else case.find("error")
        for name in files:
            if module == name:
                outcomes[name].append("failed" if bad is not None else ("skipped" if case.find("skipped") is not None else "passed"))
    problems = [
        f"{files[name].name}: {', '.join(results) or 'nothing ran'}"
        for name, results in outcomes.items()
        if not results or any(result != "passed" for result in results)
    ]
    assert run.returncode == 0 and not problems, "\n".join(problems) + "\n\n" + run.stdout[-6000:] + run.stderr[-2000:]
    if skipped:
        pytest.skip(f"all others passed; skipped {'; '.join(skipped)}")


# -- shell blocks ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, server: subprocess.Popen[bytes], seconds: float = 30) -> None:
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        if server.poll() is not None:
            raise AssertionError(f"mlmocks-server exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("mlmocks-server did not start listening")


def shell_script(examples: list[Block], port: int) -> str:
    """The shell blocks as one bash script against the server on ``port``, announcing
    each block so that a failure names it."""
    parts = ["set -euo pipefail"]
    for block in examples:
        lines = [
            line for line in block.code.splitlines()
            if not re.match(r"^\s*mlmocks-server\b.*&\s*$", line)
        ]
        parts.append(f"echo '>>> {block.name}' >&2")
        parts.append("\n".join(lines).replace(README_PORT, f"127.0.0.1:{port}"))
    return "\n".join(parts) + "\n"


def test_shell_examples_against_the_server(tmp_path: Path) -> None:
    examples = [b for b in README_BLOCKS if b.language == "sh" and b.not_run is None and not b.missing()]
    assert any(README_PORT in block.code for block in examples), "no shell example drives the server"
    assert all(README_PORT in block.code for block in examples), "a shell example that is not run against the server"
    env = clean_environment(tmp_path)
    port = _free_port()
    server = subprocess.Popen(
        ["mlmocks-server", "--port", str(port)], env=env, cwd=tmp_path,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, server)
        run = subprocess.run(
            ["bash", "-c", shell_script(examples, port)], env=env, cwd=tmp_path,
            capture_output=True, text=True, timeout=300,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    failed_in = re.findall(r">>> (README\.md:\d+)", run.stderr)
    assert run.returncode == 0, (
        f"{failed_in[-1] if failed_in else 'the shell examples'} failed ({run.returncode}):\n"
        f"{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    )


def test_the_shell_examples_need_the_credentials_they_export(tmp_path: Path) -> None:
    """A newcomer's shell has no AWS credentials: the CLI refuses to send without them,
    so the README's server example has to export some (it does)."""
    env = clean_environment(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "awscli", "bedrock", "list-model-import-jobs",
         "--endpoint-url", f"http://127.0.0.1:{_free_port()}", "--region", "us-east-1"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode != 0 and "Unable to locate credentials" in run.stderr
    server_example = next(b for b in README_BLOCKS if b.language == "sh" and "aws bedrock" in b.code)
    assert server_example.code.index("AWS_ACCESS_KEY_ID=") < server_example.code.index("aws bedrock")
