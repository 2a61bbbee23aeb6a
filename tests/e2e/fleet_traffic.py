#!/usr/bin/python3
"""The fleet scenario's traffic: long-lived TCP connections and a steady, numbered UDP stream.

  fleet_traffic.py tcp-server ADDRESS PORT
  fleet_traffic.py tcp-clients ADDRESS PORT CONNECTIONS STOP-FILE REPORT
  fleet_traffic.py udp-receiver ADDRESS PORT REPORT          (writes REPORT on SIGTERM)
  fleet_traffic.py udp-sender ADDRESS PORT FLOWS RATE STOP-FILE REPORT

Each TCP client sends a numbered 64-byte message every 50 ms on its own connection and reads it
back from the echo server; once STOP-FILE exists it stops, checks that every byte came back in
order, and closes. A connection survives when it never failed and got all of its bytes back.
The UDP sender paces datagrams at RATE per second over FLOWS source ports (so that ECMP spreads
them), each carrying its sequence number and send time; the receiver records what arrived, and what arrived
late, so that a loss or a delay can be placed in time.
"""
import json
import os
import signal
import socket
import struct
import sys
import threading
import time

MESSAGE = 64
INTERVAL = 0.05
# A connection that gets nothing back for this long has failed: TCP's retransmissions after a
# failover take well under this.
STALL = 20.0
# A datagram that arrives this long after it was sent was held somewhere (a hung box's receive
# ring) rather than forwarded: counted late.
LATE = 0.1


def tcp_server(address, port):
    server = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((address, int(port)))
    server.listen(128)

    def echo(conn):
        with conn:
            while True:
                data = conn.recv(65536)
                if not data:
                    return
                conn.sendall(data)

    while True:
        conn, _ = server.accept()
        threading.Thread(target=echo, args=(conn,), daemon=True).start()


def tcp_clients(address, port, count, stop_file, report):
    results = [None] * int(count)

    def run(index):
        try:
            conn = socket.create_connection((address, int(port)), timeout=STALL)
        except OSError as e:
            results[index] = {"ok": False, "why": "connect: %s" % e}
            return
        sent = received = 0
        expected = b""
        try:
            with conn:
                conn.settimeout(STALL)
                while not os.path.exists(stop_file):
                    message = struct.pack("!II", index, sent).ljust(MESSAGE, b".")
                    conn.sendall(message)
                    expected += message
                    sent += 1
                    while len(expected) >= MESSAGE and received < sent - 2:
                        got = recv_exactly(conn, MESSAGE)
                        if got != expected[:MESSAGE]:
                            raise ValueError("message %d came back altered" % received)
                        expected = expected[MESSAGE:]
                        received += 1
                    time.sleep(INTERVAL)
                while received < sent:
                    got = recv_exactly(conn, MESSAGE)
                    if got != expected[:MESSAGE]:
                        raise ValueError("message %d came back altered" % received)
                    expected = expected[MESSAGE:]
                    received += 1
                conn.shutdown(socket.SHUT_WR)
                if conn.recv(1) != b"":
                    raise ValueError("the server sent more than it was sent")
            results[index] = {"ok": True, "messages": sent}
        except (OSError, ValueError) as e:
            results[index] = {"ok": False, "why": str(e), "sent": sent, "echoed": received}

    threads = [threading.Thread(target=run, args=(i,)) for i in range(int(count))]
    for t in threads:
        t.start()
        time.sleep(0.01)
    for t in threads:
        t.join()
    survived = sum(1 for r in results if r and r["ok"])
    with open(report, "w") as f:
        json.dump({"open": len(results), "survived": survived, "connections": results}, f)


def recv_exactly(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ValueError("the connection closed early")
        data += chunk
    return data


def udp_receiver(address, port, report):
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    sock.bind((address, int(port)))
    received = set()
    late = {}  # sequence number: seconds after it was sent, for those over LATE

    def write(*_):
        with open(report + ".tmp", "w") as f:
            json.dump({"received": sorted(received), "late": late}, f)
        os.rename(report + ".tmp", report)
        os._exit(0)

    signal.signal(signal.SIGTERM, write)
    while True:
        data = sock.recv(2048)
        if len(data) >= 16:
            seq, sent = struct.unpack("!Qd", data[:16])
            received.add(seq)
            delay = time.time() - sent
            if delay > LATE:
                late[seq] = round(delay, 3)


def udp_sender(address, port, flows, rate, stop_file, report):
    flows, rate = int(flows), float(rate)
    socks = []
    for _ in range(flows):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", 0))
        socks.append(s)
    start = time.time()
    seq = 0
    errors = 0
    while not os.path.exists(stop_file):
        due = start + seq / rate
        delay = due - time.time()
        if delay > 0:
            time.sleep(delay)
        try:
            socks[seq % flows].sendto(struct.pack("!Qd", seq, time.time()).ljust(100, b"u"),
                                      (address, int(port)))
        except OSError:
            errors += 1  # no route for a moment: counted lost like any other
        seq += 1
    with open(report, "w") as f:
        json.dump({"start": start, "rate": rate, "sent": seq, "send_errors": errors}, f)


if __name__ == "__main__":
    commands = {"tcp-server": tcp_server, "tcp-clients": tcp_clients,
                "udp-receiver": udp_receiver, "udp-sender": udp_sender}
    commands[sys.argv[1]](*sys.argv[2:])
