#pragma once
// A blocking queue with a capacity, for handing work between the pipeline's
// threads: producers wait when it is full (so decoded images cannot pile up
// in memory), consumers wait when it is empty, and close() releases both.

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace photosearch {

template <typename T>
class BoundedQueue {
public:
    explicit BoundedQueue(size_t capacity)
        : capacity_(capacity)
    {
    }

    // False when the queue was closed (the item is dropped).
    bool push(T item)
    {
        std::unique_lock lock(mutex_);
        notFull_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
        if (closed_)
            return false;
        items_.push_back(std::move(item));
        notEmpty_.notify_one();
        return true;
    }

    // Waits for an item; nullopt once the queue is closed and drained.
    std::optional<T> pop()
    {
        std::unique_lock lock(mutex_);
        notEmpty_.wait(lock, [&] { return closed_ || !items_.empty(); });
        return takeLocked();
    }

    std::optional<T> tryPop()
    {
        std::lock_guard lock(mutex_);
        return takeLocked();
    }

    // Items already queued can still be popped; pushes fail from now on.
    void close()
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
        notEmpty_.notify_all();
        notFull_.notify_all();
    }

private:
    std::optional<T> takeLocked()
    {
        if (items_.empty())
            return std::nullopt;
        T item = std::move(items_.front());
        items_.pop_front();
        notFull_.notify_one();
        return item;
    }

    const size_t capacity_;
    mutable std::mutex mutex_;
    std::condition_variable notEmpty_;
    std::condition_variable notFull_;
    std::deque<T> items_;
    bool closed_ = false;
};

} // namespace photosearch
