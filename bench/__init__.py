"""Benchmarks: every number is measured side by side with its baseline in the same run, and reported as a ratio.

python -m bench            # the full run (about two minutes on 2 cores); writes bench/results/latest.json
python -m bench --quick    # fewer repetitions, for a smoke test; writes nothing unless --json is given
"""
