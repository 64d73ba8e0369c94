#!/usr/bin/env python3
"""Group-commit fdatasync cost of one journal-like writer, by how the bytes are written.

usage: fdatasync-probe.py mmap|pwrite FILE RATE SECONDS
Appends 119-byte records at RATE a second into FILE (1 GiB, created), either through a memory
mapping (as Chronicle Queue writes) or with pwrite, and runs one fdatasync per group of records
that became due meanwhile; prints the fdatasync latency percentiles.
"""
import mmap, os, sys, time

if len(sys.argv) != 5 or not sys.argv[3].isdigit():
    sys.exit("fdatasync-probe: usage: fdatasync-probe.py mmap|pwrite FILE RATE SECONDS (RATE a whole number)")
mode, path, rate, duration = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
if mode not in ("mmap", "pwrite"):
    sys.exit("fdatasync-probe: mode must be mmap or pwrite, got " + mode)
size = 1 << 30
fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
os.ftruncate(fd, size)
mapped = mmap.mmap(fd, size) if mode == "mmap" else None
record = b"y" * 119
lat, offset, sent, t0 = [], 0, 0, time.time()
while time.time() - t0 <= duration:
    due = int((time.time() - t0) * rate) - sent
    if due <= 0:
        time.sleep(0.0002)
        continue
    data = record * due
    if mapped is not None:
        mapped[offset:offset + len(data)] = data
    else:
        os.pwrite(fd, data, offset)
    offset += len(data)
    sent += due
    start = time.perf_counter_ns()
    os.fdatasync(fd)
    lat.append(time.perf_counter_ns() - start)
lat.sort()
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] / 1e6
print("%s %d rec/s for %.0f s: %d fdatasyncs, %.1f records each; p50 %.3f p99 %.3f max %.3f ms"
      % (mode, rate, duration, len(lat), sent / len(lat), q(.5), q(.99), lat[-1] / 1e6))
os.close(fd)
os.unlink(path)
