"""A small HTTP/1.1 keep-alive load generator (asyncio) for when wrk is not installed.

Loopback only: it refuses any host but 127.0.0.1/localhost, and stops after ``seconds``.
Like wrk, it counts socket errors and timeouts (10 s) as ``errors`` (the client reconnects) and
answers other than 2xx as ``non_2xx``.
"""

from __future__ import annotations

import asyncio
import time

from bench.common import percentile

LOOPBACK = ("127.0.0.1", "localhost")
TIMEOUT_S = 10.0


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, req: bytes) -> bytes:
    writer.write(req)
    status = await reader.readline()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    return status


async def _client(host: str, port: int, key: str, paths: list[str], offset: int, stop: float,
                  lat: list[float], non_2xx: list[int], errors: list[int]) -> None:  # fmt: skip
    conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    i = offset
    while time.perf_counter() < stop:
        path = paths[i % len(paths)]
        i += 1
        req = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nX-API-Key: {key}\r\n\r\n".encode()
        start = time.perf_counter()
        try:
            if conn is None:
                conn = await asyncio.wait_for(asyncio.open_connection(host, port), TIMEOUT_S)
            status = await asyncio.wait_for(_request(*conn, req), TIMEOUT_S)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            errors.append(1)
            if conn is not None:
                conn[1].close()
            conn = None
            continue
        lat.append((time.perf_counter() - start) * 1000)
        parts = status.split()
        if len(parts) < 2 or not parts[1].startswith(b"2"):
            non_2xx.append(1)
    if conn is not None:
        conn[1].close()


def run_loadgen(
    host: str, port: int, key: str, paths: list[str], clients: int, seconds: float
) -> dict[str, float]:
    if host not in LOOPBACK:
        raise SystemExit("the load generator only targets the loopback interface")
    lat: list[float] = []
    non_2xx: list[int] = []
    errors: list[int] = []

    async def main() -> None:
        stop = time.perf_counter() + seconds
        await asyncio.gather(*(_client(host, port, key, paths, i * 17, stop, lat, non_2xx, errors)
                               for i in range(clients)))  # fmt: skip

    started = time.perf_counter()
    asyncio.run(main())
    took = time.perf_counter() - started
    if not lat:
        lat = [float("nan")]
    return {
        "requests": len(lat), "req_per_s": round(len(lat) / took, 1),
        "p50_ms": round(percentile(lat, 50), 3), "p95_ms": round(percentile(lat, 95), 3),
        "p99_ms": round(percentile(lat, 99), 3), "errors": len(errors), "non_2xx": len(non_2xx),
    }  # fmt: skip
