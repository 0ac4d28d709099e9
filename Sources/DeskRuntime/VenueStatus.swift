import Atomics
import DeskCore
import DeskVenues
import Foundation

/// What the venue thread tells the console and the headless runner about its venue: the mode
/// and name, whether it is connected, how far a recorded market has got, whether it ended,
/// and the error that stopped it. Written only by the venue thread, and only on a change.
public final class VenueStatus: @unchecked Sendable {
    public let mode: VenueMode
    public let name: String
    /// Added to the venue's times to show its calendar date and time.
    public let clockOrigin: Nanos
    private let lock = NSLock()
    private var connectionValue: VenueConnection = .connecting
    private var errorValue: String?
    private let progressBits = ManagedAtomic<UInt64>(Double.nan.bitPattern)
    private let endedFlag = ManagedAtomic<Bool>(false)
    private var recentNotes: [String] = []
    private var notesTotal = 0

    public init(mode: VenueMode, name: String, clockOrigin: Nanos = 0) {
        self.mode = mode
        self.name = name
        self.clockOrigin = clockOrigin
    }

    public var connection: VenueConnection { lock.withLock { connectionValue } }
    /// Why the venue stopped: a recorded market that could not be read further.
    public var error: String? { lock.withLock { errorValue } }
    /// The share of a recorded market replayed; nil for a venue without an end.
    public var progress: Double? {
        let p = Double(bitPattern: progressBits.load(ordering: .relaxed))
        return p.isNaN ? nil : p
    }
    /// All the recorded data has reached the engine.
    public var ended: Bool { endedFlag.load(ordering: .acquiring) }

    /// The venue's notices, newest last (the last 64), and how many there have been.
    public var notes: (recent: [String], total: Int) { lock.withLock { (recentNotes, notesTotal) } }

    func set(connection: VenueConnection) { lock.withLock { connectionValue = connection } }
    func add(note: String) {
        lock.withLock {
            recentNotes.append(note)
            if recentNotes.count > 64 { recentNotes.removeFirst() }
            notesTotal += 1
        }
    }
    func set(error: String) { lock.withLock { errorValue = error } }
    func set(progress: Double?) { progressBits.store((progress ?? .nan).bitPattern, ordering: .relaxed) }
    func markEnded() { endedFlag.store(true, ordering: .releasing) }
}

extension VenueStatus {
    /// What the header shows of the venue, read once a frame.
    public struct View: Sendable, Equatable {
        public var mode: VenueMode
        public var name: String
        public var connection: VenueConnection
        /// The market clock's pace; nil where the operator cannot change it (paper).
        public var pace: Pace?
        public var progress: Double?
        public var ended: Bool
        public var error: String?
        public var clockOrigin: Nanos
        /// The venue's latest notices and how many there have been, so a reader can tell new ones.
        public var notes: [String] = []
        public var noteCount = 0

        public init(mode: VenueMode, name: String, connection: VenueConnection = .up, pace: Pace? = nil,
                    progress: Double? = nil, ended: Bool = false, error: String? = nil, clockOrigin: Nanos = 0) {
            self.clockOrigin = clockOrigin
            self.mode = mode
            self.name = name
            self.connection = connection
            self.pace = pace
            self.progress = progress
            self.ended = ended
            self.error = error
        }

        /// The paper exchange, up, at a fixed pace.
        public static let paper = View(mode: .paper, name: "paper")
    }

    /// The venue now, with the pace of `clock` if the operator may change it.
    public func view(clock: SessionClock) -> View {
        var v = View(mode: mode, name: name, connection: connection, pace: clock.adjustable ? clock.latestPace : nil,
                     progress: progress, ended: ended, error: error, clockOrigin: clockOrigin)
        (v.notes, v.noteCount) = notes
        return v
    }
}
