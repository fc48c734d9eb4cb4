"""Write the dependency sets CI installs with (see README, "Contributing").

    python scripts/pin_dependencies.py pinned   # constraints/pinned.txt from a fresh venv
    python scripts/pin_dependencies.py floor    # constraints/floor.txt from setup.cfg
    python scripts/pin_dependencies.py async    # constraints/async-newest.txt, async-oldest.txt

``pinned``: a fresh venv gets ``pip install -e '.[test]'`` (the newest releases within
setup.cfg's bounds today) and ``pip freeze`` of it, less mlmocks, becomes the pins, so
every CI run repeats the last one. ``floor``: the lower bound of every direct dependency
in setup.cfg (``>=X`` becomes ``==X``), the oldest set setup.cfg admits, which CI runs
too, so the lower bounds stay true.

``async``: the same two for the ``async`` extra (aiobotocore), which ``test`` leaves out,
since each aiobotocore release pins a narrow botocore range of its own.
``async-newest.txt`` is ``pinned`` with ``[test,async]``: pip picks the newest aiobotocore
(and its botocore) within setup.cfg's bounds; aioboto3, whose every release pins an
aiobotocore too old for those bounds, is added without its dependencies, so that CI
checks it runs over that aiobotocore. ``async-oldest.txt`` is ``floor`` with
``[test,async]``: the oldest aiobotocore setup.cfg admits, on the floor of the rest.
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
ASYNC_EXTRAS = ("test", "async")
#: Installed without their dependencies into the newest async set (see above).
ASYNC_UNRESOLVABLE = ("aioboto3", "aiofiles")


def _requirements(extras: tuple[str, ...] = EXTRAS) -> list[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    lines = config["options"]["install_requires"].splitlines()
    for extra in extras:
        lines += config["options.extras_require"][extra].splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def floor(extras: tuple[str, ...] = EXTRAS) -> str:
    pins = []
    for requirement in _requirements(extras):
        match = re.match(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*)$", requirement)
        assert match, requirement
        name, spec = match[1], match[3]
        lowest = re.search(r">=\s*([^,;\s]+)", spec)
        if lowest is None:
            raise SystemExit(f"setup.cfg: {requirement!r} has no lower bound")
        pins.append(f"{name.lower()}=={lowest[1]}")
    return "".join(f"{pin}\n" for pin in sorted(pins))


def pinned(extras: tuple[str, ...] = EXTRAS, without_dependencies: tuple[str, ...] = ()) -> str:
    with tempfile.TemporaryDirectory() as folder:
        venv.create(folder, with_pip=True)
        python = str(Path(folder) / "bin" / "python")
        pip = [python, "-m", "pip", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "-e", f"{ROOT}[{','.join(extras)}]"], check=True)
        if without_dependencies:
            subprocess.run([*pip, "install", "--no-deps", *without_dependencies], check=True)
        frozen = subprocess.run(
            [python, "-m", "pip", "freeze", "--exclude-editable"], check=True, capture_output=True, text=True
        ).stdout
    return "".join(f"{line}\n" for line in sorted(frozen.splitlines(), key=str.lower) if "==" in line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", choices=("pinned", "floor", "async"))
    args = parser.parse_args(argv)
    header = (
        f"# Written by `python scripts/pin_dependencies.py {args.which}` "
        f"(Python {sys.version_info.major}.{sys.version_info.minor}); do not edit by hand.\n"
    )
    if args.which == "async":
        sets = {
            "async-newest": lambda: pinned(ASYNC_EXTRAS, ASYNC_UNRESOLVABLE),
            "async-oldest": lambda: floor(ASYNC_EXTRAS),
        }
    else:
        sets = {args.which: pinned if args.which == "pinned" else floor}
    FOLDER.mkdir(exist_ok=True)
    for name, write in sets.items():
        target = FOLDER / f"{name}.txt"
        target.write_text(header + write())
        print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
