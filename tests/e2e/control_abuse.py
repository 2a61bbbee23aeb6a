#!/usr/bin/python3
"""Hostile and concurrent clients on siitd's real control socket. Prints one
"ok e2e ..." or "FAILED e2e ..." line per check; control_test.sh counts them.

Usage: control_abuse.py SOCKET SIITCTL   (siitd configured with max-clients 128,
max-message-bytes 1048576, client-timeout-ms 500)"""
import ipaddress
import json
import socket
import subprocess
import sys
import threading
import time

SOCKET = sys.argv[1]
SIITCTL = sys.argv[2]
MAX_MESSAGE_BYTES = 1048576
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok e2e " if ok else "FAILED e2e ") + "control socket: " + name)
    if not ok:
        print("    " + str(detail)[:2000])


def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(SOCKET)
    return s


pending = {}  # bytes received after a line, per socket


def read_line(s):
    data = pending.pop(s, b"")
    while b"\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk
    line, rest = data.split(b"\n", 1)
    pending[s] = rest
    return line + b"\n"


def ask(s, payload):
    s.sendall(payload if isinstance(payload, bytes) else (json.dumps(payload) + "\n").encode())
    line = read_line(s)
    return json.loads(line) if line else None


def refused(reply, needle):
    return reply is not None and reply.get("ok") is False and needle in reply.get("error", "") + " ".join(reply.get("errors", []))


# Malformed requests: each answered with a reason, and the connection stays usable.
s = connect()
for name, payload, needle in [
    ("malformed JSON is refused with the parser's reason", b'{"command": "eamt.add", \n', "not valid JSON"),
    ("a request that is not an object is refused", b"[1, 2, 3]\n", "must be a JSON object"),
    ("a request without a command is refused", b'{"entries": []}\n', "missing \"command\""),
    ("an unknown command is refused by name", b'{"command": "eamt.explode"}\n', "unknown command 'eamt.explode'"),
    ("another API version is refused", b'{"version": 99, "command": "version"}\n', "API version 99"),
    ("a wrongly typed field is refused", b'{"command": "eamt.add", "entries": "192.0.2.0/24"}\n', "must be a list"),
    ("a negative page offset is refused", b'{"command": "eamt.list", "offset": -1}\n', "\"offset\" must be"),
    ("an entry with a number for a prefix is refused", b'{"command": "eamt.add", "entries": [{"ipv4": 7, "ipv6": "2001:db8::/128"}]}\n', "7: not an IPv4 address"),
    ("a deeply nested request is refused before parsing", b"[" * 30000 + b"]" * 30000 + b"\n", "nests deeper"),
    ("invalid UTF-8 is refused", b'{"command": "\xff\xfe"}\n', "not valid JSON"),
]:
    reply = ask(s, payload)
    check(name, refused(reply, needle), reply)
reply = ask(s, {"command": "version"})
check("the connection still answers after ten refused requests", reply and reply.get("ok"), reply)
s.close()

# Two requests in one write: both answered, in order.
s = connect()
s.sendall(b'{"command": "version"}\n{"command": "pool6.get"}\n')
first, second = json.loads(read_line(s)), json.loads(read_line(s))
check("pipelined requests are answered in order", first["result"].get("api") == 1 and "pool6" in second["result"], (first, second))
s.close()

# An oversized request: refused with the limit named, the connection closed, siitd unharmed.
def reply_to_oversized(payload):
    """Sends `payload` on a new connection, which siitd may close before it is all sent, and
    returns the reply it left."""
    s = connect()
    try:
        s.sendall(payload)
    except (BrokenPipeError, ConnectionResetError):
        pass
    line = read_line(s)
    s.close()
    return json.loads(line) if line else None


reply = reply_to_oversized(b'{"command": "eamt.replace", "entries": [' + b'{"ipv4": "192.0.2.1", "ipv6": "2001:db8::1"},' * 30000)
check("an oversized request is refused with the limit named", refused(reply, "max-message-bytes"), reply)

# The limit is exact: a request of max-message-bytes is served, one byte more is refused, even when
# the newline arrives in the same read as the rest.
s = connect()
exact = b'{"command": "version"}'
reply = ask(s, exact + b" " * (MAX_MESSAGE_BYTES - len(exact)) + b"\n")
check("a request of exactly max-message-bytes is served", reply is not None and reply.get("ok") is True, reply)
s.close()
reply = reply_to_oversized(exact + b" " * (MAX_MESSAGE_BYTES + 1 - len(exact)) + b"\n")
check("a request one byte over max-message-bytes is refused, newline and all", refused(reply, "max-message-bytes"), reply)

# Keys given twice, and addresses with a NUL inside, are refused.
s = connect()
reply = ask(s, b'{"command": "version", "command": "eamt.flush"}\n')
check("a request giving a key twice is refused by name", refused(reply, "command: given twice"), reply)
reply = ask(s, b'{"command": "pool6791.add", "address": "1.2.3.4\\u0000junk"}\n')
check("an address with a NUL inside is refused, not cut at the NUL", refused(reply, "is not an IPv4 or IPv6 address"), reply)
reply = ask(s, {"command": "pool6791.add", "address": "::"})
check("pool6791 add :: is refused", refused(reply, "is not a unicast address"), reply)
s.close()

# A client that stalls mid-message: the others are served meanwhile; it is cut off after the timeout.
staller = connect()
staller.sendall(b'{"command": "eamt.add", "entries": [{"ipv4": "192.0.2')
started = time.monotonic()
other = connect()
reply = ask(other, {"command": "version"})
served_in = time.monotonic() - started
check("a stalled client does not delay another client", reply and reply.get("ok") and served_in < 0.4, (reply, served_in))
other.close()
staller.settimeout(5)
line = read_line(staller)
waited = time.monotonic() - started
reply = json.loads(line) if line else None
check("a client stalled mid-message is cut off after client-timeout-ms", refused(reply, "client-timeout-ms") and 0.4 < waited < 3, (reply, waited))
staller.close()

# 100 concurrent clients, each adding its own EAM entry and reading it back.
errors = []


def client(i):
    try:
        c = connect()
        r = ask(c, {"command": "eamt.add", "entries": [{"ipv4": f"10.1.{i}.0/24", "ipv6": f"2001:db8:c:{i:x}::/120"}]})
        if not r or not r.get("ok"):
            errors.append((i, r))
        r = ask(c, {"command": "eamt.lookup", "address": f"10.1.{i}.9"})
        if not r or ipaddress.ip_address(r["result"]["translated"]) != ipaddress.ip_address(f"2001:db8:c:{i:x}::9"):
            errors.append((i, r))
        c.close()
    except Exception as e:  # noqa: BLE001 - reported as a failed check
        errors.append((i, repr(e)))


threads = [threading.Thread(target=client, args=(i,)) for i in range(100)]
for t in threads:
    t.start()
for t in threads:
    t.join()
s = connect()
reply = ask(s, {"command": "eamt.list", "limit": 1000})
mine = [e for e in reply["result"]["entries"] if e["ipv4"].startswith("10.1.")]
check("100 concurrent clients each add an entry and look it up", not errors and len(mine) == 100, errors[:5])
s.close()

# More connections than max-clients: the excess is told why and closed; the rest still work.
time.sleep(0.3)  # the 100 clients' connections are closed and gone
held = [connect() for _ in range(128)]
extra = connect()
line = read_line(extra)
reply = json.loads(line) if line else None
check("a connection beyond max-clients is refused with the limit named", refused(reply, "max-clients"), reply)
reply = ask(held[0], {"command": "version"})
check("connections within the limit are still served", reply and reply.get("ok"), reply)
# siitctl at the limit reports siitd's reason (exit 1), not the broken pipe it meets sending.
outcomes = []
for _ in range(10):
    run = subprocess.run([SIITCTL, "--socket", SOCKET, "eamt", "add", "192.0.2.128/25", "2001:db8:ee::/121"],
                         capture_output=True, text=True, timeout=10)
    outcomes.append((run.returncode, run.stderr.strip()))
check("siitctl beyond max-clients exits 1 with siitd's reason, every time",
      all(rc == 1 and "max-clients" in err for rc, err in outcomes), outcomes)
for c in held + [extra]:
    c.close()
time.sleep(0.3)

s = connect()
reply = ask(s, {"command": "stats"})
control = reply["result"]["control"]
check("the control counters name each refusal", control["requests_oversized"] >= 1 and control["clients_timed_out"] >= 1 and control["clients_refused_limit"] >= 1, control)
s.close()
sys.exit(0 if all(results) else 1)
