#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension UnsafeMutablePointer {
    /// Storage for `capacity` elements with every page already written, so the first use of
    /// each slot on the hot path (a ring's first lap, a pool's first orders) takes no page
    /// fault. The elements are still uninitialised: only zero bytes were written.
    public static func allocatePrefaulted(capacity: Int) -> UnsafeMutablePointer<Pointee> {
        let pointer = allocate(capacity: capacity)
        memset(pointer, 0, capacity * MemoryLayout<Pointee>.stride)
        return pointer
    }
}
