"""The sandbox: student code runs in its own confined process; values cross as plain data.

- codec: values <-> JSON trees and raw bytes (mirrored arrays, handles).
- channel: framed messages, nested calls both ways, deadlines.
- confine: Landlock, resource limits, no capabilities.
- worker: the sandbox process's main loop (student side).
- process: start, limit, kill and restart a sandbox (trusted side).
"""
