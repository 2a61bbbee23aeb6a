// Publication and reclamation of translation versions; see translation_state.hpp.
#include "siit/translation_state.hpp"

namespace siit {

TranslationState::TranslationState(QuiescentStateTracker* tracker) : tracker_(tracker) {
    std::vector<std::string> errors;
    auto first = std::make_unique<TranslationVersion>();
    first->eamt = EamTable::build({}, errors);
    first->serial = 1;
    current_.store(first.release(), std::memory_order_release);
}

TranslationState::~TranslationState() {
    // Readers are gone by now (the owner stops workers first); free everything.
    retired_.clear();
    delete current_.load(std::memory_order_acquire);
}

std::vector<std::string> TranslationState::apply(const std::vector<EamtChange>& changes) {
    std::lock_guard lock(writer_mutex_);
    const TranslationVersion* current = current_.load(std::memory_order_acquire);
    std::vector<std::string> errors;
    auto entries = current->eamt->with_changes(changes, errors);
    if (!entries) return errors;
    std::shared_ptr<const EamTable> table = EamTable::build(std::move(*entries), errors);
    if (table) publish(current->config, std::move(table));
    return errors;
}

std::vector<std::string> TranslationState::replace(std::vector<EamEntry> entries) {
    std::lock_guard lock(writer_mutex_);
    std::vector<std::string> errors;
    std::shared_ptr<const EamTable> table = EamTable::build(std::move(entries), errors);
    if (table) publish(current_.load(std::memory_order_acquire)->config, std::move(table));
    return errors;
}

void TranslationState::set_config(const TranslatorConfig& config) {
    std::lock_guard lock(writer_mutex_);
    publish(config, current_.load(std::memory_order_acquire)->eamt);
}

std::vector<std::string> TranslationState::replace_all(const TranslatorConfig& config,
                                                       std::vector<EamEntry> entries) {
    std::lock_guard lock(writer_mutex_);
    std::vector<std::string> errors;
    std::shared_ptr<const EamTable> table = EamTable::build(std::move(entries), errors);
    if (table) publish(config, std::move(table));
    return errors;
}

void TranslationState::publish(TranslatorConfig config, std::shared_ptr<const EamTable> eamt) {
    auto next = std::make_unique<TranslationVersion>();
    next->config = std::move(config);
    next->eamt = std::move(eamt);
    next->serial = current_.load(std::memory_order_relaxed)->serial + 1;
    const TranslationVersion* old = current_.exchange(next.release(), std::memory_order_acq_rel);
    if (!tracker_) {
        delete old;
        return;
    }
    retired_.emplace_back(tracker_->start(), std::unique_ptr<const TranslationVersion>(old));
    // Free what earlier publications retired, without waiting for anybody.
    while (!retired_.empty() && tracker_->check(retired_.front().first, false))
        retired_.pop_front();
}

std::size_t TranslationState::reclaim(bool wait) {
    std::lock_guard lock(writer_mutex_);
    while (!retired_.empty() && tracker_ && tracker_->check(retired_.front().first, wait))
        retired_.pop_front();
    return retired_.size();
}

} // namespace siit
