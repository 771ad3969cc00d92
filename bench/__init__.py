"""The benchmark suite: seeds, serves and loads the API over loopback, and reports against the targets.

Run with `python -m bench [--products N] [--duration S] [--connections C] [--out DIR]`.
"""
