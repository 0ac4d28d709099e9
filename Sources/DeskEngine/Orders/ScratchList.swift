import DeskCore

/// A scratch list reused call after call: its storage is allocated once and kept, so the order
/// sync's lists cost no uniqueness check, copy or allocation per use. It grows (allocating)
/// only when more elements than ever before are listed at once.
final class ScratchList<Element: BitwiseCopyable> {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always) func removeAll() { count = 0 }

    @inline(__always) subscript(_ i: Int) -> Element {
        get { base[i] }
        set { base[i] = newValue }
    }

    @inline(__always) func append(_ element: Element) {
        if count == capacity { grow() }
        base[count] = element
        count += 1
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }
}
