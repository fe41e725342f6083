#!/usr/bin/env python3
"""Fills in the service's own frames of `perf script` output (stdin -> stdout) with addr2line,
for perf builds that leave them `[unknown]` (seen with the Debian perf on this project's VMs).

usage: perf script -i perf.data | python3 bench/symbolize.py BINARY | inferno-collapse-perf
"""
import re
import subprocess
import sys

binary = sys.argv[1]
lines = sys.stdin.read().split("\n")
frame = re.compile(r"^(\s+)([0-9a-f]+) \[unknown\] \((.*)\)$")
addrs = sorted({m.group(2) for line in lines if (m := frame.match(line)) and m.group(3).endswith(binary.split("/")[-1])})
names = {}
if addrs:
    out = subprocess.run(["addr2line", "-f", "-C", "-e", binary] + ["0x" + a for a in addrs],
                         capture_output=True, text=True, check=False).stdout.split("\n")
    names = {a: out[2 * i] for i, a in enumerate(addrs) if 2 * i < len(out) and out[2 * i] != "??"}
for line in lines:
    m = frame.match(line)
    if m and m.group(2) in names:
        line = f"{m.group(1)}{m.group(2)} {names[m.group(2)].replace(' ', '_')} ({m.group(3)})"
    print(line)
