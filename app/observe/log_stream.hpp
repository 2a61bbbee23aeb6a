// Where siitd's log lines go: once each, to stderr, which systemd hands to the journal. DPDK's own
// stream writes every line twice (to stdout and to syslog), and under systemd both end in the
// journal. When the journal is listening (systemd sets JOURNAL_STREAM), each line starts with its
// syslog priority ("<6>"), which journald reads as the entry's priority: `journalctl -p warning`
// then shows siitd's warnings and errors only.
#pragma once

#include <string>

namespace siitd {

// Makes DPDK's log (RTE_LOG, siitd's lines included) write to stderr only; call before
// rte_eal_init so that the EAL's own lines go there too. siitd's own lines (RTE_LOG's USER1) start
// "siitd: ", without DPDK's "USER1: ". With `quiet_dpdk` (the default level, info), DPDK's lines
// below a warning are left out: its account of itself (lcores detected, IOVA mode, telemetry's
// sockets) is for --log-level debug, not for an operator's log.
void log_once_to_stderr(bool quiet_dpdk);

// What a line siitd writes to stderr itself, before DPDK's log exists (the configuration's
// problems and warnings), starts with: its syslog priority ("<4>" for a warning) when the journal
// is listening, else nothing.
std::string journal_priority(int syslog_priority);

} // namespace siitd
