"""Write the seed corpora fuzz/corpus/<target>/ from valid files of a deterministic world.

    .venv/bin/python fuzz/make_seeds.py [TARGET ...]

Every seed is a file the product reads successfully: a signed package and score
bundle made by the real export code, a proposals XLSX and CSV, a filled paper
sheet (CSV and XLSX), a signed results receipt, a public-key card and rubrics.
Targets with modes keep the mode in the first byte (see fuzzkit.Runner.modes).
Keys and uuids are fixed while the world is built, so the seeds verify against
the world each fuzz target builds for itself.
"""

from __future__ import annotations

import shutil
import sys

import fuzzkit


def write(name: str) -> list[str]:
    runner = fuzzkit.make_runner(name)
    try:
        folder = fuzzkit.CORPUS / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        written = []
        for seed_name, data in runner.seeds():
            label = runner.one_input(data)
            if not label.startswith("ok"):
                raise SystemExit(f"{name}: the seed {seed_name} is not valid ({label})")
            (folder / f"{seed_name}.seed").write_bytes(data)
            written.append(f"{seed_name} ({len(data)} bytes, {label})")
        return written
    finally:
        runner.close()
        runner.world.close()
        shutil.rmtree(runner.world.root, ignore_errors=True)


def main(argv: list[str]) -> int:
    for name in argv or fuzzkit.TARGETS:
        if name not in fuzzkit.RUNNERS:
            raise SystemExit(f"unknown target {name}; one of {', '.join(fuzzkit.TARGETS)}")
        sys.stdout.write(f"{name}: {'; '.join(write(name))}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
