// A worker's side of a capture; see capture/recorder.hpp.
#include "capture/recorder.hpp"

#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include <iterator>

namespace siitd {

void CaptureRecorder::received(const rte_mbuf* m, std::size_t port) {
    if (count_) discard(); // a pair never finished (cannot happen; never leak its copies)
    id_ = next_id_++;
    has_input_ = true;
    input_port_ = static_cast<int>(port);
    input_copied_ = add(m, port, CaptureKind::received);
}

void CaptureRecorder::sent(const rte_mbuf* m, std::size_t port, CaptureKind kind) {
    if (!has_input_ && count_ == 0 && !incomplete_) {
        id_ = next_id_++; // a lone packet: it starts its own pair
        input_port_ = -1;
    }
    add(m, port, kind);
}

bool CaptureRecorder::add(const rte_mbuf* m, std::size_t port, CaptureKind kind) {
    if (count_ == std::size(copies_)) {
        incomplete_ = true;
        return false;
    }
    // rte_pktmbuf_copy takes a non-const mbuf but only reads it.
    rte_mbuf* copy =
        rte_pktmbuf_copy(const_cast<rte_mbuf*>(m), session_->pool, 0, session_->snaplen);
    if (!copy) {
        incomplete_ = true;
        return false;
    }
    CaptureRecord& record = capture_record(copy);
    record.id = id_;
    record.tsc = rte_get_tsc_cycles();
    record.reason = "";
    record.original_length = m->pkt_len;
    record.port = static_cast<std::uint16_t>(port);
    record.kind = kind;
    copies_[count_++] = copy;
    return true;
}

bool CaptureRecorder::selected() const {
    for (unsigned i = 0; i < count_; ++i) {
        const CaptureRecord& record = capture_record(copies_[i]);
        const std::uint64_t bit = std::uint64_t{1} << record.port;
        const bool inbound = i == 0 && input_copied_;
        if ((inbound ? session_->rx_ports : session_->tx_ports) & bit) return true;
    }
    return false;
}

// libpcap's filter on each copy (as captured, up to the snap length); one match keeps the pair.
bool CaptureRecorder::matches() const {
    if (!session_->filtered) return true;
    for (unsigned i = 0; i < count_; ++i) {
        const rte_mbuf* copy = copies_[i];
        const CaptureRecord& record = capture_record(const_cast<rte_mbuf*>(copy));
        const bpf_program& filter =
            ports_[record.port].l3 ? session_->filter_raw : session_->filter_ethernet;
        pcap_pkthdr header{};
        header.caplen = copy->data_len;
        header.len = record.original_length;
        if (pcap_offline_filter(&filter, &header, rte_pktmbuf_mtod(copy, const u_char*)) != 0)
            return true;
    }
    return false;
}

void CaptureRecorder::finish(CaptureKind input_kind, const char* reason) {
    if (count_ > 0 && input_copied_) {
        CaptureRecord& input = capture_record(copies_[0]);
        input.kind = input_kind;
        input.reason = reason;
    } else if (count_ > 0 && !has_input_) {
        capture_record(copies_[0]).reason = reason;
    }
    auto* session = const_cast<CaptureSession*>(session_);
    const bool wanted = (has_input_ && (session->rx_ports >> input_port_ & 1)) || selected();
    if (wanted && (incomplete_ || matches())) {
        // Whole or not at all: a pair is never written without its other half.
        if (incomplete_ ||
            rte_ring_mp_enqueue_bulk(session->ring, reinterpret_cast<void* const*>(copies_), count_,
                                     nullptr) == 0) {
            const auto port = static_cast<std::size_t>(
                has_input_ ? input_port_ : capture_record(copies_[0]).port);
            session->lost[port].fetch_add(1, std::memory_order_relaxed);
            discard();
        }
        count_ = 0; // enqueued: the writer owns the copies now
    } else {
        discard();
    }
    has_input_ = input_copied_ = incomplete_ = false;
    input_port_ = -1;
}

void CaptureRecorder::discard() {
    rte_pktmbuf_free_bulk(copies_, count_);
    count_ = 0;
}

} // namespace siitd
