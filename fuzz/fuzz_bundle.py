"""Fuzz target: score bundle import at the coordinator (services/bundles.py, bundle_checks.py).

    python fuzz/fuzz_bundle.py WORK_CORPUS fuzz/corpus/bundle -max_total_time=600   # atheris
    python fuzz/fuzz_bundle.py --driver=python --seconds 600                        # without it

or scripts/fuzz.py --target bundle. What is run and checked: fuzz/fuzzkit.py.
"""

import sys

import fuzzkit

RUNNER = fuzzkit.prepare("bundle", sys.argv)


def TestOneInput(data: bytes) -> None:
    """Only the project's rejections may leave the reader; anything else is a crash."""
    RUNNER.one_input(data)


if __name__ == "__main__":
    if fuzzkit.atheris_wanted(sys.argv):
        import atheris

        atheris.Setup(sys.argv, TestOneInput, custom_mutator=fuzzkit.custom_mutator(RUNNER))
        atheris.Fuzz()
    else:
        sys.exit(fuzzkit.fallback_main("bundle", RUNNER, sys.argv))
