// Publication and reclamation of translation versions; see translation_state.hpp.
#include "siit/translation_state.hpp"

#include "siit/translation_rules.hpp"

namespace siit {

namespace {
std::unique_ptr<const TranslationVersion> first_version() {
    std::vector<std::string> errors;
    auto first = std::make_unique<TranslationVersion>();
    first->eamt = EamTable::build({}, errors);
    first->serial = 1;
    return first;
}
} // namespace

TranslationState::TranslationState(QuiescentStateTracker* tracker)
    : published_(tracker, first_version()) {}

std::vector<std::string>
TranslationState::update(const std::function<void(TranslationEdit&)>& edit) {
    std::lock_guard lock(writer_mutex_);
    const TranslationVersion* current = published_.get();
    TranslationEdit change;
    change.config = current->config;
    edit(change);
    std::vector<std::string> errors;
    std::shared_ptr<const EamTable> table = current->eamt; // shared when only settings change
    if (change.eamt || !change.eamt_changes.empty()) {
        table = change.eamt ? EamTable::build(std::move(*change.eamt), errors)
                            : current->eamt->changed(change.eamt_changes, errors);
        if (!table) return errors;
    }
    return publish(std::move(change.config), std::move(table));
}

std::vector<std::string> TranslationState::apply(const std::vector<EamtChange>& changes) {
    return update([&](TranslationEdit& e) { e.eamt_changes = changes; });
}

std::vector<std::string> TranslationState::replace(std::vector<EamEntry> entries) {
    return update([&](TranslationEdit& e) { e.eamt = std::move(entries); });
}

std::vector<std::string> TranslationState::set_config(const TranslatorConfig& config) {
    return update([&](TranslationEdit& e) { e.config = config; });
}

std::vector<std::string> TranslationState::replace_all(const TranslatorConfig& config,
                                                       std::vector<EamEntry> entries) {
    return update([&](TranslationEdit& e) {
        e.config = config;
        e.eamt = std::move(entries);
    });
}

std::vector<std::string> TranslationState::publish(TranslatorConfig config,
                                                   std::shared_ptr<const EamTable> eamt) {
    std::vector<std::string> problems = check_translation(config, eamt->size());
    if (!problems.empty()) return problems;
    auto next = std::make_unique<TranslationVersion>();
    next->config = std::move(config);
    next->eamt = std::move(eamt);
    next->serial = published_.get()->serial + 1;
    published_.publish(std::move(next));
    return problems;
}

std::size_t TranslationState::reclaim(bool wait) {
    std::lock_guard lock(writer_mutex_);
    return published_.reclaim(wait);
}

} // namespace siit
