// What the workers translate with: the settings and the EAMT, published together as one immutable
// version behind one atomic pointer, so that a worker never sees half of a change (a new pool6
// with the old EAMT, or half of a batch).
//
// Writers (the control plane) build a whole new version and publish it with one atomic exchange;
// the old version is freed only after every reader has passed a quiescent state (qsbr.hpp). A
// version shares its EamTable with the next one when only the settings change, so changing one
// setting costs a copy of the settings, not a rebuild of a million-entry table.
//
// Every publication keeps the rules of translation_rules.hpp (check_translation): a change that
// breaks them is refused whole, so the running version is always one siitd could start from.
//
// Who may call what, concurrently:
// - snapshot(): any number of readers, with no lock, no read-modify-write, no system call; the
//   version stays valid until the reader's next quiescent state.
// - every other method: writers; they serialise among themselves.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "siit/eamt.hpp"
#include "siit/published.hpp"
#include "siit/qsbr.hpp"
#include "siit/translator_config.hpp"

namespace siit {

struct TranslationVersion {
    TranslatorConfig config;
    // Shared between consecutive versions; only writers copy or drop these references.
    std::shared_ptr<const EamTable> eamt;
    std::uint64_t serial = 0; // 1 for the first version, one more for each publication
};

// What a writer changes, on copies: update() fills `config` with the current settings; the edit
// changes them, and names the EAMT's change as a whole new table or as a batch (not both).
struct TranslationEdit {
    TranslatorConfig config;
    std::optional<std::vector<EamEntry>> eamt; // the whole new table
    std::vector<EamtChange> eamt_changes;      // or changes to the current one
};

class TranslationState {
  public:
    // `tracker` tells when readers have moved past an old version; null means there are no
    // concurrent readers and old versions are freed at once. It must outlive this object.
    explicit TranslationState(QuiescentStateTracker* tracker);
    TranslationState(const TranslationState&) = delete;
    TranslationState& operator=(const TranslationState&) = delete;

    // Readers: the current version.
    const TranslationVersion* snapshot() const { return published_.get(); }
    // Readers: the current EAMT (a shortcut for snapshot()->eamt).
    const EamTable* table() const { return snapshot()->eamt.get(); }

    // The one way to change the running version: under the writer lock, copies the current
    // settings into a TranslationEdit, runs `edit` on it, builds the new EAMT it names, checks the
    // whole against check_translation, and publishes it. No other writer publishes in between,
    // and `edit` holds no reference into any version. Returns the refusals, one message per
    // problem (a bad EAMT, a broken rule); the running version is then untouched, as it is when
    // `edit` throws (the exception goes to the caller).
    std::vector<std::string> update(const std::function<void(TranslationEdit&)>& edit);
    // Shorthands for update(), each publishing a new version or nothing:
    // An EAMT batch (EamTable::changed).
    std::vector<std::string> apply(const std::vector<EamtChange>& changes);
    // A whole new EAMT.
    std::vector<std::string> replace(std::vector<EamEntry> entries);
    // New settings, keeping the EAMT.
    std::vector<std::string> set_config(const TranslatorConfig& config);
    // New settings and a new EAMT in one step.
    std::vector<std::string> replace_all(const TranslatorConfig& config,
                                         std::vector<EamEntry> entries);
    // Frees the retired versions that no reader can still hold; waits for readers when `wait`.
    // Returns how many versions are still retired.
    std::size_t reclaim(bool wait);
    // Any thread, no lock: how many versions are retired and not yet freed (Published::retired).
    std::size_t retired() const { return published_.retired(); }

  private:
    // Publishes unless the version breaks check_translation; returns its problems.
    std::vector<std::string> publish(TranslatorConfig config, std::shared_ptr<const EamTable> eamt);

    std::mutex writer_mutex_; // serialises writers; readers never take it
    Published<TranslationVersion> published_;
};

} // namespace siit
