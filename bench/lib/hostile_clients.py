#!/usr/bin/python3
"""Bad clients for bench/hostile, all at once against one shopdesk server, with what happened to each as JSON:

  hostile_clients.py HOST PORT MAX_BODY OUT.json [--malformed 1000] [--slow 100] [--large 100] [--seconds 30]

- malformed: requests that must each get a 4xx (broken JSON, invalid UTF-8, wrong media type, a garbage
  request line, an empty query, a header too long), one after another, spread over the run;
- slow: clients sending a request a byte a second (slowloris), until the server closes them or the run ends;
- large: bodies of exactly MAX_BODY bytes (a query far over the length limit), and one byte more.
Only the standard library: a raw socket per request, so nothing is corrected on the way.
"""
import argparse
import json
import socket
import threading
import time


def exchange(host, port, raw, timeout=10.0):
    """Sends raw bytes, returns (status or None, seconds)."""
    started = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            try:
                s.sendall(raw)
            except OSError:  # refused before the body was all sent: the answer may still be there
                pass
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        line = data.split(b"\r\n", 1)[0].split()
        status = int(line[1]) if len(line) >= 2 and line[1].isdigit() else None
    except OSError:
        status = None
    return status, time.monotonic() - started


def post(body, content_type="application/json", path="/api/v1/answers"):
    return (f"POST {path} HTTP/1.1\r\nHost: shopdesk\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body


MALFORMED = [
    post(b'{"query": "where is my parcel"'),                  # JSON cut short
    post(b'{"query": "\xff\xfe parcel"}'),                    # not UTF-8
    post(b'{"query": "where is my parcel"}', "text/plain"),   # not sent as JSON
    post(b'{"query": ""}'),                                   # empty query
    post(b'{"query": 42}'),                                   # wrong type
    post(b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"),  # too deep
    b"GARBAGE / HTTP/1.1\r\nHost: shopdesk\r\nConnection: close\r\n\r\n",
    b"POST /api/v1/answers HTTP/1.1\r\nHost: shopdesk\r\nX-Long: " + b"a" * 20000 + b"\r\n\r\n",
]


def malformed(host, port, count, seconds, out):
    statuses = {}
    pause = seconds / max(count, 1)
    for i in range(count):
        status, _ = exchange(host, port, MALFORMED[i % len(MALFORMED)])
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        time.sleep(pause * 0.5)
    out["malformed"] = {"sent": count, "statuses": statuses}


def large(host, port, count, max_body, out):
    statuses = {}
    times = []
    for i in range(count):
        size = max_body + (i % 2)  # at the limit, and one byte over it
        body = b'{"query": "' + b"a" * (size - 13) + b'"}'
        status, took = exchange(host, port, post(body))
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        times.append(took)
    out["large"] = {"sent": count, "bytes": max_body, "statuses": statuses, "slowest_s": max(times, default=0)}


def slow(host, port, count, seconds, out):
    request = b"POST /api/v1/answers HTTP/1.1\r\nHost: shopdesk\r\nContent-Length: 30\r\n\r\n" + b"{" * 30
    sockets, opened = [], []
    for _ in range(count):
        s = socket.create_connection((host, port))
        s.setblocking(False)
        sockets.append(s)
        opened.append(time.monotonic())
    closed = [None] * count
    started = time.monotonic()
    i = 0
    while time.monotonic() - started < seconds and any(c is None for c in closed):
        for j, s in enumerate(sockets):
            if closed[j] is not None:
                continue
            try:
                if s.recv(1) == b"":
                    closed[j] = time.monotonic() - opened[j]
                    continue
            except BlockingIOError:
                pass
            except OSError:
                closed[j] = time.monotonic() - opened[j]
                continue
            try:
                s.send(request[i % len(request):i % len(request) + 1])
            except OSError:
                closed[j] = time.monotonic() - opened[j]
        i += 1
        time.sleep(1)
    for s in sockets:
        s.close()
    shut = [c for c in closed if c is not None]
    out["slow"] = {"clients": count, "closed_by_server": len(shut),
                   "closed_after_s": {"min": min(shut, default=None), "max": max(shut, default=None)}}


def main():
    parser = argparse.ArgumentParser(description="Bad clients against a shopdesk server.")
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("max_body", type=int)
    parser.add_argument("out")
    parser.add_argument("--malformed", type=int, default=1000)
    parser.add_argument("--slow", type=int, default=100)
    parser.add_argument("--large", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    a = parser.parse_args()
    out = {}
    workers = [threading.Thread(target=slow, args=(a.host, a.port, a.slow, a.seconds, out)),
               threading.Thread(target=malformed, args=(a.host, a.port, a.malformed, a.seconds, out)),
               threading.Thread(target=large, args=(a.host, a.port, a.large, a.max_body, out))]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    with open(a.out, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
