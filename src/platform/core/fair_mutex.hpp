// A mutex that hands itself to waiters in arrival order (FIFO).
//
// std::mutex lets a thread that just unlocked take the lock again before a sleeping waiter
// wakes, so under many writers some wait for seconds. FairMutex queues waiters and wakes
// exactly the next one (no thundering herd). BasicLockable: use it with std::unique_lock.
// A thread waits on one FairMutex at a time (its semaphore is thread_local).
//
// keyed_fair_mutex(scope, key): one FairMutex per (scope, key) in this process, never freed
// (keys are few: database files, campaigns).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <semaphore>
#include <string>
#include <utility>

namespace chidoan {

class FairMutex {
 public:
  void lock() {
    std::unique_lock l(m_);
    if (!held_) {
      held_ = true;
      return;
    }
    thread_local std::binary_semaphore turn{0};
    waiters_.push_back(&turn);
    l.unlock();
    turn.acquire();  // unlock() handed the lock over: held_ stayed true
  }
  bool try_lock() {
    std::lock_guard l(m_);
    if (held_) return false;
    held_ = true;
    return true;
  }
  void unlock() {
    std::unique_lock l(m_);
    if (waiters_.empty()) {
      held_ = false;
      return;
    }
    std::binary_semaphore* next = waiters_.front();
    waiters_.pop_front();
    l.unlock();
    next->release();
  }
  // Threads queued behind the holder.
  size_t waiting() {
    std::lock_guard l(m_);
    return waiters_.size();
  }

 private:
  std::mutex m_;
  bool held_ = false;
  std::deque<std::binary_semaphore*> waiters_;
};

inline FairMutex& keyed_fair_mutex(const std::string& scope, int64_t key) {
  static std::mutex guard;
  static std::map<std::pair<std::string, int64_t>, std::unique_ptr<FairMutex>> locks;
  std::lock_guard l(guard);
  auto& m = locks[{scope, key}];
  if (!m) m = std::make_unique<FairMutex>();
  return *m;
}

}  // namespace chidoan
