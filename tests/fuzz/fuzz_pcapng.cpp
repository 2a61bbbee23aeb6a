// libFuzzer target: the pcapng reader siitctl cuts siitd's capture stream with
// (lib/control/pcapng.cpp). Whatever arrives, in whatever pieces: no read past the input, every
// block handed out is whole (its two lengths agree, a multiple of 4, at least 12 bytes), the
// blocks are the input's bytes in order, and a packet's parts lie inside its block.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "control/pcapng.hpp"

namespace pcapng = siit::control::pcapng;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    // The first byte sets the size of the pieces the stream arrives in.
    const std::size_t piece = 1 + data[0] % 97;
    const std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
    pcapng::BlockSplitter splitter;
    std::string joined;
    for (std::size_t at = 0; at < stream.size(); at += piece) {
        splitter.feed(stream.substr(at, piece));
        while (auto block = splitter.next()) {
            const std::string& b = block->bytes;
            std::uint32_t first, last;
            std::memcpy(&first, b.data() + 4, 4);
            std::memcpy(&last, b.data() + b.size() - 4, 4);
            if (b.size() < 12 || b.size() % 4 != 0 || first != b.size()) std::abort();
            (void)last; // the trailing copy is the writer's business; readers do not trust it
            joined += b;
            if (const auto packet = pcapng::parse_packet(b))
                if (packet->data.size() > b.size()) std::abort();
            if (const auto interface = pcapng::parse_interface(b))
                if (interface->name.size() > b.size()) std::abort();
            pcapng::parse_interface_statistics(b);
        }
    }
    if (stream.substr(0, joined.size()) != joined) std::abort();
    if (!splitter.error() && joined.size() + splitter.pending() != stream.size()) std::abort();
    return 0;
}
