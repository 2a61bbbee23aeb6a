#!/usr/bin/env bash
# eamt_churn_test.sh on a table of a million entries: a thousand single additions and removals a
# second through the socket, each its own atomic request, while numbered datagrams flow through
# the entry that changes; every datagram is translated, none dropped.
exec env SIIT_CHURN_TABLE="${SIIT_CHURN_TABLE:-1000000}" bash "$(dirname "$0")/eamt_churn_test.sh"
