import DeskCore
import Testing

@Suite struct FixedRingTests {
    @Test func keepsTheNewestInOrderAndDropsTheOldest() {
        var ring = FixedRing(capacity: 4, filler: 0)
        #expect(ring.isEmpty && ring.capacity == 4)
        for i in 1...3 { ring.append(i) }
        #expect(Array(ring) == [1, 2, 3] && !ring.isFull)
        for i in 4...6 { ring.append(i) }
        #expect(Array(ring) == [3, 4, 5, 6] && ring.isFull, "1 and 2 dropped for 5 and 6")
        #expect(ring.first == 3 && ring.last == 6 && ring[1] == 4)
        #expect(ring.removeFirst() == 3)
        #expect(ring.removeLast() == 6)
        #expect(Array(ring) == [4, 5])
        // Wrapping past the end of the storage keeps the order.
        for i in 7...9 { ring.append(i) }
        #expect(Array(ring) == [5, 7, 8, 9])
        ring.removeAll()
        #expect(ring.isEmpty && ring.first == nil)
    }

    @Test func aCopyIsAValue() {
        var a = FixedRing(capacity: 2, filler: "")
        a.append("x")
        var b = a
        b.append("y")
        #expect(Array(a) == ["x"] && Array(b) == ["x", "y"])
    }
}
