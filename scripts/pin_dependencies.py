"""Write the dependency sets CI installs with (see README, "Contributing").

    python scripts/pin_dependencies.py pinned   # constraints/pinned.txt from a fresh venv
    python scripts/pin_dependencies.py floor    # constraints/floor.txt from setup.cfg

``pinned``: a fresh venv gets ``pip install -e '.[test]'`` (the newest releases within
setup.cfg's bounds today) and ``pip freeze`` of it, less mlmocks, becomes the pins, so
every CI run repeats the last one. ``floor``: the lower bound of every direct dependency
in setup.cfg (``>=X`` becomes ``==X``), the oldest set setup.cfg admits, which CI runs
too, so the lower bounds stay true.
"""

from __future__ import annotations

import argparse
import configparser
import re
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "constraints"
EXTRAS = ("test",)


def _requirements() -> list[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    lines = config["options"]["install_requires"].splitlines()
    for extra in EXTRAS:
        lines += config["options.extras_require"][extra].splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def floor() -> str:
    pins = []
    for requirement in _requirements():
        match = re.match(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*)$", requirement)
        assert match, requirement
        name, spec = match[1], match[3]
        lowest = re.search(r">=\s*([^,;\s]+)", spec)
        if lowest is None:
            raise SystemExit(f"setup.cfg: {requirement!r} has no lower bound")
        pins.append(f"{name.lower()}=={lowest[1]}")
    return "".join(f"{pin}\n" for pin in sorted(pins))


def pinned() -> str:
    with tempfile.TemporaryDirectory() as folder:
        venv.create(folder, with_pip=True)
        python = str(Path(folder) / "bin" / "python")
        pip = [python, "-m", "pip", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "-e", f"{ROOT}[{','.join(EXTRAS)}]"], check=True)
        frozen = subprocess.run(
            [python, "-m", "pip", "freeze", "--exclude-editable"], check=True, capture_output=True, text=True
        ).stdout
    return "".join(f"{line}\n" for line in sorted(frozen.splitlines(), key=str.lower) if "==" in line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", choices=("pinned", "floor"))
    args = parser.parse_args(argv)
    header = (
        f"# Written by `python scripts/pin_dependencies.py {args.which}` "
        f"(Python {sys.version_info.major}.{sys.version_info.minor}); do not edit by hand.\n"
    )
    text = pinned() if args.which == "pinned" else floor()
    FOLDER.mkdir(exist_ok=True)
    target = FOLDER / f"{args.which}.txt"
    target.write_text(header + text)
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
