import DeskCore

/// A scratch list of order ids, reused call after call: its storage is allocated once and
/// kept, so the order sync's lists cost no uniqueness check, copy or allocation per use. It
/// grows (allocating) only when more ids than ever before are listed at once.
final class OrderIDList {
    private var base: UnsafeMutablePointer<ClientOrderID>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always) func removeAll() { count = 0 }

    @inline(__always) subscript(_ i: Int) -> ClientOrderID { base[i] }

    @inline(__always) func append(_ id: ClientOrderID) {
        if count == capacity { grow() }
        base[count] = id
        count += 1
    }

    func contains(_ id: ClientOrderID) -> Bool {
        var i = 0
        while i < count {
            if base[i] == id { return true }
            i += 1
        }
        return false
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<ClientOrderID>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }
}
