"""Fuzz target: results receipts (services/receipts.py open_receipt, then `ovop results verify`).

    python fuzz/fuzz_receipt.py WORK_CORPUS fuzz/corpus/receipt -max_total_time=600   # atheris
    python fuzz/fuzz_receipt.py --driver=python --seconds 600                        # without it

or scripts/fuzz.py --target receipt. What is run and checked: fuzz/fuzzkit.py.
"""

import sys

import fuzzkit

RUNNER = fuzzkit.prepare("receipt", sys.argv)


def TestOneInput(data: bytes) -> None:
    """Only the project's rejections may leave the reader; anything else is a crash."""
    RUNNER.one_input(data)


if __name__ == "__main__":
    if fuzzkit.atheris_wanted(sys.argv):
        import atheris

        atheris.Setup(sys.argv, TestOneInput, custom_mutator=fuzzkit.custom_mutator(RUNNER))
        atheris.Fuzz()
    else:
        sys.exit(fuzzkit.fallback_main("receipt", RUNNER, sys.argv))
