"""The sandbox: student code runs in its own confined process; values cross as plain data.

- arrays, mirrors, codec: values <-> JSON trees and raw bytes (mirrored arrays, handles).
- errors: what can go wrong across the boundary; the other side's exceptions.
- channel: framed messages, nested calls both ways, deadlines.
- landlock, seccomp, linux, confine: the walls (files, processes, limits, privileges).
- worker: the sandbox process's main loop (student side).
- process: start, limit, explain and stop a sandbox (trusted side).
"""
