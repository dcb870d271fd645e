"""The implementation of scripts/vendor.py, a module a job; its usage and decisions are in that file's docstring.

- layout: what a copy is made of (the two packages, their optional parts, the manifest, the skipped files)
- errors: VendorError and the exit codes
- rewrite: the edits of the `np6`/`np6_generated` imports and module-path strings of one module's source
- sources: the files of the copy, read from an np6-cm checkout and rewritten in memory
- manifest: the versions and the sha256 of every file, written beside a copy and compared with it
- install: writing a copy without ever leaving a half-written one
- command: the arguments, a run (create, update, --check, --force) and its messages
"""
