/// Maps a venue order id to its slot in the book's order pool: open addressing with linear
/// probing and backward-shift deletion, sized once, no allocation per operation.
///
/// - Complexity: O(1) expected for `find`, `insert` and `remove` at load <= 1/2.
@usableFromInline
struct OrderIDIndex {
    @usableFromInline var keys: UnsafeMutablePointer<UInt64>
    /// Slot + 1; 0 marks an empty bucket so that any id, including 0, can be a key.
    @usableFromInline var values: UnsafeMutablePointer<Int32>
    @usableFromInline var mask: Int
    @usableFromInline var shift: UInt64
    @usableFromInline var count = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = .allocate(capacity: size)
        values = .allocate(capacity: size)
        values.initialize(repeating: 0, count: size)
        keys.initialize(repeating: 0, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    func deallocate() {
        keys.deallocate()
        values.deallocate()
    }

    var capacity: Int { mask + 1 }

    @inlinable func bucket(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The slot of `key`, or -1.
    @inlinable @inline(__always) func find(_ key: UInt64) -> Int32 {
        var i = bucket(key)
        while true {
            let v = values[i]
            if v == 0 { return -1 }
            if keys[i] == key { return v - 1 }
            i = (i &+ 1) & mask
        }
    }

    /// The bucket holding `key`, or the empty bucket where it would go; `found` says which.
    /// One probe serves both a duplicate check and the insert after it.
    @inlinable @inline(__always) func probe(_ key: UInt64) -> (bucket: Int, found: Bool) {
        var i = bucket(key)
        while true {
            if values[i] == 0 { return (i, false) }
            if keys[i] == key { return (i, true) }
            i = (i &+ 1) & mask
        }
    }

    /// Puts `key -> slot` into the empty bucket `probe` found, with nothing inserted since.
    @inlinable mutating func insert(_ key: UInt64, _ slot: Int32, at bucket: Int) {
        keys[bucket] = key
        values[bucket] = slot + 1
        count &+= 1
    }

    /// Adds `key -> slot`; the caller has checked that `key` is absent and the table has room.
    @inlinable mutating func insert(_ key: UInt64, _ slot: Int32) {
        var i = bucket(key)
        while values[i] != 0 { i = (i &+ 1) & mask }
        keys[i] = key
        values[i] = slot + 1
        count &+= 1
    }

    /// Removes `key`, shifting later members of its probe run back so lookups stay correct.
    @inlinable @inline(__always) mutating func remove(_ key: UInt64) {
        var i = bucket(key)
        while true {
            if values[i] == 0 { return }
            if keys[i] == key { break }
            i = (i &+ 1) & mask
        }
        var hole = i
        var j = i
        while true {
            j = (j &+ 1) & mask
            if values[j] == 0 { break }
            let home = bucket(keys[j])
            // Move j into the hole when its home is not cyclically within (hole, j].
            let between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j)
            if !between {
                keys[hole] = keys[j]
                values[hole] = values[j]
                hole = j
            }
        }
        values[hole] = 0
        count &-= 1
    }

    mutating func removeAll() {
        values.update(repeating: 0, count: capacity)
        count = 0
    }
}
