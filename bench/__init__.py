"""mlmocks' benchmark: speed and memory measured side by side with moto and botocore's
floor in one run, judged against the targets of issue 7. Run ``python -m bench``; see
``bench/RESULTS.md`` for a recorded run and how to record one."""
