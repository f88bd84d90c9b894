"""The sandbox: student code runs in its own confined process; values cross as plain data.

- arrays, mirrors, codec: values <-> JSON trees and raw bytes (mirrored arrays, handles).
- errors: what can go wrong across the boundary; the other side's exceptions.
- channel: framed messages, nested calls both ways, deadlines.
- landlock, seccomp, linux, confine: the walls (files, processes, limits, privileges).
- worker: the sandbox process's main loop (student side).
- template: the template process, a clean Python with NumPy that forks one fresh sandbox per request.
- template_client: start, reuse and restart the template; fork and reap sandboxes through it (trusted side).
- process: start, limit, explain and stop a sandbox (trusted side).
"""
