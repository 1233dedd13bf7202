"""Fuzz one target: a reader of outside files (fuzz/fuzzkit.py says what is run and checked).

    python fuzz/fuzz_target.py bundle WORK fuzz/corpus/bundle -max_total_time=600  # atheris
    python fuzz/fuzz_target.py bundle --driver=python --seconds 600                # without it

Targets: container, bundle, package, proposals, sheet, receipt, card, rubric; or
scripts/fuzz.py --target NAME|all.
"""

import sys

import fuzzkit

if __name__ == "__main__":
    sys.exit(fuzzkit.main(sys.argv))
