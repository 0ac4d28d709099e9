#if canImport(Glibc)
import Glibc
#endif

/// A progress bar on stderr, drawn only when stderr is a terminal so logs stay clean.
struct ProgressBar {
    let enabled = isatty(2) != 0
    private var lastPercent = -1

    mutating func update(_ fraction: Double) {
        guard enabled else { return }
        let percent = Int(min(max(fraction, 0), 1) * 100)
        guard percent != lastPercent else { return }
        lastPercent = percent
        let filled = percent / 4
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 25 - filled)
        printError("\r[\(bar)] \(percent)%", terminator: "")
    }

    func finish() { if enabled { printError("\r" + String(repeating: " ", count: 40) + "\r", terminator: "") } }
}
