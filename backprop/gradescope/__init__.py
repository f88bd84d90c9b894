"""Gradescope: the autograder zip, and the grading it runs in Gradescope's container.

- build: autograder.zip (setup.sh and run_autograder at its root, the grading code, the hidden tests).
- run: grade /autograder/submission with the sandboxed pipeline into /autograder/results/results.json.
- setup.sh, run_autograder: the two scripts Gradescope calls (bash), copied to the zip's root.
"""
