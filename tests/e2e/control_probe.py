#!/usr/bin/python3
"""Measurements on siitd's real control socket for control_hostile_test.sh: each subcommand
prints one JSON object with what it measured. Usage: control_probe.py SOCKET SUBCOMMAND ARGS...

  ask JSON                 one request; its reply and how long it took
  bad-apply MEGABYTES      a privileged translation.apply whose EAMT is MEGABYTES of [1,1,...]
  impatient N              N clients send `status` and hang up at once; then how long `stats` took
  during-replace ENTRIES   an eamt.replace of ENTRIES single addresses on one connection while
                           other clients time version, stats and status until it is answered,
                           and five more ask for config.show and leave
  captures N               N captures of one pair each, one right after the other
  stall-capture SECONDS    a capture whose reader never reads, held open SECONDS
"""
import json
import socket
import sys
import threading
import time

SOCKET = sys.argv[1]


def connect(timeout=60):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(SOCKET)
    return s


def read_line(s):
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def ask(request, timeout=60):
    s = connect(timeout)
    start = time.monotonic()
    s.sendall(request if isinstance(request, bytes) else json.dumps(request).encode() + b"\n")
    line = read_line(s)
    elapsed = time.monotonic() - start
    s.close()
    return json.loads(line), elapsed


def out(value):
    print(json.dumps(value))


command = sys.argv[2]
if command == "ask":
    reply, elapsed = ask(json.loads(sys.argv[3]))
    out({"reply": reply, "seconds": elapsed})

elif command == "bad-apply":
    count = int(float(sys.argv[3]) * 1e6) // 2
    body = b'{"command": "translation.apply", "translation": {"eamt": [' + b"1," * (count - 1) + b"1]}}\n"
    reply, elapsed = ask(body, timeout=300)
    out({"bytes": len(body), "seconds": elapsed, "ok": reply["ok"], "error": reply.get("error"),
         "errors": len(reply.get("errors", [])), "last": (reply.get("errors") or [""])[-1]})

elif command == "impatient":
    for _ in range(int(sys.argv[3])):
        s = connect()
        s.sendall(b'{"command": "status"}\n')
        s.close()
    reply, elapsed = ask({"command": "stats"})
    out({"stats_seconds": elapsed, "ok": reply["ok"],
         "abandoned": reply["result"]["control"]["requests_abandoned"]})

elif command == "during-replace":
    entries = int(sys.argv[3])
    items = ",".join('{"ipv4":"10.%d.%d.%d/32","ipv6":"2001:db8:%x:%x::/128"}'
                     % (i >> 16, (i >> 8) & 255, i & 255, i >> 16, i & 0xffff) for i in range(entries))
    body = ('{"command": "eamt.replace", "entries": [' + items + "]}\n").encode()
    done = threading.Event()
    result = {}

    sent = threading.Event()

    def replace():
        try:
            s = connect(300)
            start = time.monotonic()
            s.sendall(body)
            sent.set()  # siitd has read all but a socket buffer of it
            reply, elapsed = json.loads(read_line(s)), time.monotonic() - start
            s.close()
            result.update(replace_ok=reply["ok"], replace_seconds=elapsed,
                          entries=reply.get("result"), error=reply.get("error"))
        except Exception as e:
            result.update(replace_ok=False, error=repr(e))
        finally:
            sent.set()
            done.set()

    worker = threading.Thread(target=replace)
    worker.start()
    sent.wait()
    time.sleep(0.2)  # the request is whole and on the control worker
    # Clients that ask for something the control worker answers in turn, and leave at once.
    for _ in range(5):
        s = connect()
        s.sendall(b'{"command": "config.show"}\n')
        s.close()
    slowest = {"version": 0.0, "stats": 0.0, "status": 0.0}
    asked = 0
    while not done.is_set():
        for name in slowest:
            reply, elapsed = ask({"command": name})
            slowest[name] = max(slowest[name], elapsed)
            asked += 1
            if not reply["ok"]:
                result["refused"] = reply
        time.sleep(0.01)
    worker.join()
    # The worker takes the five up after the replace's reply has gone: give it a moment.
    for _ in range(40):
        stats, _ = ask({"command": "stats"})
        abandoned = stats["result"]["control"]["requests_abandoned"]
        if abandoned >= 5:
            break
        time.sleep(0.05)
    result.update(slowest=slowest, asked_during=asked, body_bytes=len(body), abandoned=abandoned)
    out(result)

elif command == "captures":
    refused = []
    for i in range(int(sys.argv[3])):
        s = connect(10)
        s.sendall(b'{"command": "capture", "count": 1}\n')
        line = read_line(s)
        reply = json.loads(line.split(b"\n")[0])
        if not reply["ok"]:
            refused.append(reply["error"])
        while s.recv(65536):
            pass
        s.close()
    out({"refused": len(refused), "first": refused[:1]})

elif command == "stall-capture":
    s = connect(10)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(b'{"command": "capture"}\n')
    time.sleep(float(sys.argv[3]))
    # What it could still read: the reply, part of the stream, then the end (it was cut off).
    s.settimeout(5)
    got, ended = 0, False
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                ended = True
                break
            got += len(chunk)
    except socket.timeout:
        pass
    out({"read_bytes": got, "ended": ended})
else:
    sys.exit("control_probe.py: no subcommand " + command)
