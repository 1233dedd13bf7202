"""Fuzz target: proposals import from XLSX/CSV (services/tabular.py, proposal_import.py,
domain/proposals.py).

    python fuzz/fuzz_proposals.py WORK_CORPUS fuzz/corpus/proposals -max_total_time=600   # atheris
    python fuzz/fuzz_proposals.py --driver=python --seconds 600                        # without it

or scripts/fuzz.py --target proposals. What is run and checked: fuzz/fuzzkit.py.
"""

import sys

import fuzzkit

RUNNER = fuzzkit.prepare("proposals", sys.argv)


def TestOneInput(data: bytes) -> None:
    """Only the project's rejections may leave the reader; anything else is a crash."""
    RUNNER.one_input(data)


if __name__ == "__main__":
    if fuzzkit.atheris_wanted(sys.argv):
        import atheris

        atheris.Setup(sys.argv, TestOneInput, custom_mutator=fuzzkit.custom_mutator(RUNNER))
        atheris.Fuzz()
    else:
        sys.exit(fuzzkit.fallback_main("proposals", RUNNER, sys.argv))
