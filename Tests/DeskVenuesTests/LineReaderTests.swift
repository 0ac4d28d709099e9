import Testing
import Foundation
@testable import DeskVenues

@Suite struct LineReaderTests {
    func temp(_ contents: [UInt8], suffix: String = ".txt") -> String {
        let path = NSTemporaryDirectory() + "linereader-\(UUID().uuidString)\(suffix)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(contents))
        return path
    }

    func lines(_ path: String, blockSize: Int = 1 << 20) throws -> [String] {
        let reader = try LineReader(path: path, blockSize: blockSize)
        var out: [String] = []
        while let line = try reader.next() { out.append(line.bytes.text) }
        return out
    }

    @Test func splitsLinesWithAndWithoutTrailingNewline() throws {
        #expect(try lines(temp(Array("a,1\nb,2\n".utf8))) == ["a,1", "b,2"])
        #expect(try lines(temp(Array("a,1\nb,2".utf8))) == ["a,1", "b,2"])
        #expect(try lines(temp(Array("a\r\nb\r\n".utf8))) == ["a", "b"])
        #expect(try lines(temp(Array("\n\nx".utf8))) == ["", "", "x"])
        #expect(try lines(temp([])) == [])
    }

    @Test func linesLongerThanTheBlockGrowTheBuffer() throws {
        let long = String(repeating: "x", count: 1_000)
        #expect(try lines(temp(Array("\(long)\nshort\n\(long)".utf8)), blockSize: 64) == [long, "short", long])
    }

    @Test func numbersLines() throws {
        let reader = try LineReader(path: temp(Array("a\nb\nc".utf8)))
        var numbers: [Int] = []
        while let line = try reader.next() { numbers.append(line.number) }
        #expect(numbers == [1, 2, 3])
    }

    @Test func readsGzipInPlace() throws {
        let plain = temp(Array("first\nsecond\n".utf8))
        let gz = plain + ".gz"
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -c '\(plain)' > '\(gz)'"]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(try lines(gz) == ["first", "second"])
    }

    @Test func missingFilesAndDirectoriesAreNamed() {
        #expect(throws: ReplayError(file: "/nonexistent/x.csv", line: 0, "cannot open: No such file or directory")) {
            try LineReader(path: "/nonexistent/x.csv")
        }
        #expect(throws: ReplayError(file: "/tmp", line: 0, "is a directory, not a file")) { try LineReader(path: "/tmp") }
    }
}
