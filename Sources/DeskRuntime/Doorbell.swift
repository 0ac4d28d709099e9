import CPlatform

/// Where a blocked consumer thread sleeps until a producer has work for it: the `block` wait
/// strategy's futex word (see `cp_doorbell_*` in CPlatform for the protocol).
///
///     // consumer, finding nothing to do:
///     bell.arm()
///     if queuesAreEmpty { bell.sleep(timeout: untilNextTimer) } else { bell.disarm() }
///     // producer, after publishing:
///     bell.ring()
public final class Doorbell: @unchecked Sendable {
    /// One word on a cache line of its own, so ringing never contends with the rings' lines.
    private let word: UnsafeMutablePointer<UInt32>

    public init() {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
        word = raw.bindMemory(to: UInt32.self, capacity: 1)
        word.initialize(to: 0)
    }

    deinit { UnsafeMutableRawPointer(word).deallocate() }

    /// Consumer: says it is about to sleep. Look at the queues once more after this.
    public func arm() { cp_doorbell_arm(word) }

    /// Consumer: found work after arming; stays awake.
    public func disarm() { cp_doorbell_disarm(word) }

    /// Consumer: sleeps until rung or `timeout` ns pass. True when rung.
    @discardableResult
    public func sleep(timeout: Int64) -> Bool { cp_doorbell_sleep(word, timeout) != 0 }

    /// Producer: wakes the consumer if it sleeps; a fence and a load otherwise.
    @discardableResult
    public func ring() -> Bool { cp_doorbell_ring(word) != 0 }
}
