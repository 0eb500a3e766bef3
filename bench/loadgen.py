"""A small HTTP/1.1 keep-alive load generator (asyncio) for when wrk is not installed.

Loopback only: it refuses any host but 127.0.0.1/localhost, and stops after ``seconds``.
"""

from __future__ import annotations

import asyncio
import time

from bench.common import percentile

LOOPBACK = ("127.0.0.1", "localhost")


async def _client(host: str, port: int, key: str, paths: list[str], offset: int, stop: float,
                  lat: list[float], errors: list[int]) -> None:  # fmt: skip
    reader, writer = await asyncio.open_connection(host, port)
    i = offset
    while time.perf_counter() < stop:
        path = paths[i % len(paths)]
        i += 1
        req = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nX-API-Key: {key}\r\n\r\n"
        start = time.perf_counter()
        writer.write(req.encode())
        status = await reader.readline()
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        lat.append((time.perf_counter() - start) * 1000)
        if not status.split()[1].startswith(b"2"):
            errors.append(1)
    writer.close()


def run_loadgen(
    host: str, port: int, key: str, paths: list[str], clients: int, seconds: float
) -> dict[str, float]:
    if host not in LOOPBACK:
        raise SystemExit("the load generator only targets the loopback interface")
    lat: list[float] = []
    errors: list[int] = []

    async def main() -> None:
        stop = time.perf_counter() + seconds
        await asyncio.gather(*(_client(host, port, key, paths, i * 17, stop, lat, errors)
                               for i in range(clients)))  # fmt: skip

    started = time.perf_counter()
    asyncio.run(main())
    took = time.perf_counter() - started
    return {
        "requests": len(lat), "req_per_s": round(len(lat) / took, 1),
        "p50_ms": round(percentile(lat, 50), 3), "p95_ms": round(percentile(lat, 95), 3),
        "p99_ms": round(percentile(lat, 99), 3), "errors": 0, "non_2xx": len(errors),
    }  # fmt: skip
