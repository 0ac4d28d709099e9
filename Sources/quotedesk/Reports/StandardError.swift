#if canImport(Glibc)
import Glibc
#endif

/// Writes text to standard error (fd 2) directly: no shared C `stderr` global, which Swift 6
/// refuses to touch from concurrent code.
func printError(_ text: String, terminator: String = "\n") {
    let bytes = Array((text + terminator).utf8)
    bytes.withUnsafeBufferPointer { buffer in
        var offset = 0
        while offset < buffer.count {
            let n = write(2, buffer.baseAddress! + offset, buffer.count - offset)
            if n <= 0 { return }
            offset += n
        }
    }
}
