import Atomics
import CPlatform
import DeskCore

/// How fast a session's market time runs against real time.
public enum Pace: Sendable, Equatable {
    /// `speed` times real time (1 or more).
    case running(Double)
    /// As fast as the engine keeps up: the venue moves the clock to its next event once the
    /// engine has taken everything before it.
    case max
    /// Frozen: nothing happens at the venue, the engine's timers stand still.
    case paused(Pace.Resume)

    /// What a paused clock resumes at.
    public enum Resume: Sendable, Equatable {
        case running(Double)
        case max
    }

    public var isPaused: Bool { if case .paused = self { true } else { false } }

    /// "1x", "10x", "max", "paused".
    public var text: String {
        switch self {
        case .running(let speed): speed == speed.rounded() ? "\(Int(speed))x" : "\(speed)x"
        case .max: "max"
        case .paused: "paused"
        }
    }

    /// The pace a paused clock returns to, or this one.
    public var resumed: Pace {
        switch self {
        case .paused(.running(let speed)): .running(speed)
        case .paused(.max): .max
        default: self
        }
    }

    /// The same pace, paused.
    public var paused: Pace {
        switch self {
        case .running(let speed): .paused(.running(speed))
        case .max: .paused(.max)
        case .paused: self
        }
    }

    /// The speeds the pace keys step through, slowest first.
    public static let steps: [Pace] = [.running(1), .running(2), .running(5), .running(10), .max]

    /// One step faster (`by` 1) or slower (-1) through `steps`, keeping a pause.
    public func stepped(by direction: Int) -> Pace {
        let current = resumed
        let index = Pace.steps.firstIndex(of: current)
            ?? Pace.steps.firstIndex { if case .running(let s) = $0, case .running(let c) = current { s >= c } else { false } }
            ?? Pace.steps.count - 1
        let next = Pace.steps[Swift.min(Swift.max(index + direction, 0), Pace.steps.count - 1)]
        return isPaused ? next.paused : next
    }

    /// Reads "1", "2.5", "max".
    public init?(_ text: String) {
        if text == "max" {
            self = .max
        } else if let speed = Double(text), speed >= 1, speed <= 1_000 {
            self = .running(speed)
        } else {
            return nil
        }
    }
}

/// The market's clock in a live session, read by the engine and the venue. Paper trading runs
/// on the monotonic clock, or `speed` times faster for soak runs; a recorded market runs on
/// the data's own clock from its first event, at a pace the operator can pause and change.
/// The watchdog, heartbeats, latency figures and every sleep stay in real time.
///
/// Market time is one linear segment, `market = anchorMarket + (real - anchorReal) * rate`,
/// re-anchored when the pace changes so time never jumps back. The venue thread is its only
/// writer (it applies the operator's requests, and under `max` moves the clock to its next
/// event), so a sequence lock is enough for the engine's and console's reads. Both sides read
/// the real clock inside the lock: a reader that read it after the writer's anchor but the
/// segment before it would see time run ahead at the old rate and then fall back.
public final class SessionClock: @unchecked Sendable {
    /// Whether the operator may change the pace: a recorded market's clock, not paper's.
    public let adjustable: Bool
    /// Paper at real speed: market time is the monotonic clock itself, read without the lock.
    private let realTime: Bool
    private let version = ManagedAtomic<UInt64>(0)
    private let anchorReal: ManagedAtomic<Int64>
    private let anchorMarket: ManagedAtomic<Int64>
    /// Market nanoseconds per real one; 0 when paused or driven by the venue (`max`).
    private let rateBits: ManagedAtomic<UInt64>
    /// The pace in effect, and one the operator asked for that the venue has yet to apply.
    private let current = ManagedAtomic<UInt64>(0)
    private let requested = ManagedAtomic<UInt64>(0)

    /// The paper market's clock: real time, or `speed` times faster from now.
    public convenience init(speed: Double = 1) {
        self.init(marketStart: nil, pace: .running(speed), adjustable: false)
    }

    /// A recorded market's clock, starting at its first event `marketStart`.
    public convenience init(replayFrom marketStart: Nanos, pace: Pace) {
        self.init(marketStart: marketStart, pace: pace, adjustable: true)
    }

    private init(marketStart: Nanos?, pace: Pace, adjustable: Bool) {
        if case .running(let speed) = pace { precondition(speed >= 1 && speed.isFinite, "a session clock runs at real time or faster") }
        let real = cp_monotonic_ns()
        self.adjustable = adjustable
        realTime = marketStart == nil && pace == .running(1)
        anchorReal = ManagedAtomic(real)
        anchorMarket = ManagedAtomic(marketStart ?? real)
        rateBits = ManagedAtomic(Self.rate(of: pace).bitPattern)
        current.store(Self.code(pace), ordering: .relaxed)
    }

    /// Market time now.
    @inline(__always)
    public func now() -> Nanos {
        if realTime { return cp_monotonic_ns() }
        while true {
            let before = version.load(ordering: .acquiring)
            let real = cp_monotonic_ns()
            let r = anchorReal.load(ordering: .relaxed)
            let m = anchorMarket.load(ordering: .relaxed)
            let rate = Double(bitPattern: rateBits.load(ordering: .relaxed))
            atomicMemoryFence(ordering: .acquiring)
            if before & 1 == 0, version.load(ordering: .relaxed) == before {
                return rate == 0 ? m : m + Nanos(Double(max(real - r, 0)) * rate)
            }
        }
    }

    /// How long in real time a span of market time takes: forever while paused, nothing
    /// under `max` (the venue moves the clock itself).
    public func real(_ span: Nanos) -> Nanos {
        if realTime { return span }
        let rate = Double(bitPattern: rateBits.load(ordering: .relaxed))
        guard rate > 0 else { return pace.isPaused ? .max : 0 }
        return rate == 1 ? span : Nanos(Double(span) / rate)
    }

    /// The pace in effect.
    public var pace: Pace { Self.pace(current.load(ordering: .relaxed)) }

    /// The pace the operator last asked for, applied or not yet: what the console shows, and
    /// where the next step starts from.
    public var latestPace: Pace {
        let asked = requested.load(ordering: .acquiring)
        return asked & Self.pendingBit != 0 ? Self.pace(asked & ~Self.pendingBit) : pace
    }

    /// Whether the venue moves the clock (`max`).
    public var isDriven: Bool { pace == .max }

    // MARK: The operator's side

    /// Asks for a new pace; the venue thread applies it on its next pass. False on a clock
    /// that cannot change (paper).
    @discardableResult
    public func request(_ pace: Pace) -> Bool {
        guard adjustable else { return false }
        if case .running(let speed) = pace.resumed, !(speed >= 1 && speed <= 1_000) { return false }
        requested.store(Self.code(pace) | Self.pendingBit, ordering: .releasing)
        return true
    }

    // MARK: The venue thread's side (the only writer)

    /// Applies the operator's last request, if any, from the current market time.
    public func applyRequest() {
        let asked = requested.load(ordering: .acquiring)
        guard asked & Self.pendingBit != 0,
              requested.compareExchange(expected: asked, desired: 0, ordering: .relaxed).exchanged else { return }
        let pace = Self.pace(asked & ~Self.pendingBit)
        reanchor(rate: Self.rate(of: pace)) { $0 }
        current.store(asked & ~Self.pendingBit, ordering: .relaxed)
    }

    /// Under `max`: moves market time on to `t`, never back.
    public func drive(to t: Nanos) {
        reanchor(rate: 0) { Swift.max($0, t) }
    }

    /// Starts a new segment at the real time now, taken inside the lock, from the market time
    /// the old segment gives then (changed by `market`).
    private func reanchor(rate: Double, market: (Nanos) -> Nanos) {
        let v = version.load(ordering: .relaxed)
        version.store(v &+ 1, ordering: .relaxed)
        atomicMemoryFence(ordering: .releasing)
        let real = cp_monotonic_ns()
        // Our own fields: this is their only writer.
        let r = anchorReal.load(ordering: .relaxed), m = anchorMarket.load(ordering: .relaxed)
        let old = Double(bitPattern: rateBits.load(ordering: .relaxed))
        let then = old == 0 ? m : m + Nanos(Double(Swift.max(real - r, 0)) * old)
        anchorReal.store(real, ordering: .relaxed)
        anchorMarket.store(market(then), ordering: .relaxed)
        rateBits.store(rate.bitPattern, ordering: .relaxed)
        version.store(v &+ 2, ordering: .releasing)
    }

    // MARK: Encoding a pace in a word

    private static let pendingBit: UInt64 = 1 << 63
    private static let pausedBit: UInt64 = 1 << 62
    private static let maxBit: UInt64 = 1 << 61

    private static func rate(of pace: Pace) -> Double {
        if case .running(let speed) = pace { speed } else { 0 }
    }

    private static func code(_ pace: Pace) -> UInt64 {
        switch pace {
        case .running(let speed): Double(speed).bitPattern >> 3
        case .max: maxBit
        case .paused(.running(let speed)): pausedBit | Double(speed).bitPattern >> 3
        case .paused(.max): pausedBit | maxBit
        }
    }

    private static func pace(_ code: UInt64) -> Pace {
        let resume: Pace.Resume = code & maxBit != 0 ? .max : .running(Double(bitPattern: (code & (maxBit - 1)) << 3))
        if code & pausedBit != 0 { return .paused(resume) }
        switch resume {
        case .max: return .max
        case .running(let speed): return .running(speed)
        }
    }
}
