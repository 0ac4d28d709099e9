/// TOML integers and floats, checked by the spec's rules (underscores only between digits, no
/// leading zeros, 64-bit range) so a typo is refused instead of read as a different number.
enum TOMLNumber {
    struct Problem: Error {
        var reason: String
    }

    /// Characters a bare scalar (number or boolean) can contain.
    static func isTokenByte(_ b: UInt8) -> Bool {
        TOMLParser.isBareKeyByte(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
    }

    /// `1979-05-27`: four digits then a dash.
    static func looksLikeDate(_ token: [UInt8]) -> Bool {
        token.count >= 5 && token[4] == UInt8(ascii: "-") && token.prefix(4).allSatisfy(isDigit)
    }

    static func parse(_ token: [UInt8]) -> Result<TOMLValue, Problem> {
        let text = String(decoding: token, as: UTF8.self)
        let invalid = Problem(reason: "invalid number \"\(text)\"")
        var body = token[...]
        var negative = false
        if let first = body.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        switch String(decoding: body, as: UTF8.self) {
        case "inf": return .success(.float(negative ? -.infinity : .infinity))
        case "nan": return .success(.float(.nan))
        default: break
        }
        guard let first = body.first else { return .failure(invalid) }
        if !isDigit(first) {
            let startsWithLetter = token.first.map { TOMLParser.isBareKeyByte($0) && !isDigit($0) } ?? false
            return .failure(startsWithLetter ? Problem(reason: "invalid value \"\(text)\" (strings must be quoted)") : invalid)
        }
        if body.count > 2, first == UInt8(ascii: "0"), let radix = radix(body[body.startIndex + 1]) {
            if body.count != token.count {
                return .failure(Problem(reason: "invalid number \"\(text)\" (a sign is not allowed before 0x, 0o or 0b)"))
            }
            return radixInteger(body.dropFirst(2), radix: radix, text: text)
        }
        return decimal(body, negative: negative, text: text)
    }

    private static func radix(_ b: UInt8) -> Int? {
        switch b {
        case UInt8(ascii: "x"): 16
        case UInt8(ascii: "o"): 8
        case UInt8(ascii: "b"): 2
        default: nil
        }
    }

    private static func radixInteger(_ digits: ArraySlice<UInt8>, radix: Int, text: String) -> Result<TOMLValue, Problem> {
        let isRadixDigit = { (b: UInt8) in Int(String(UnicodeScalar(b)), radix: radix) != nil }
        guard let cleaned = withoutUnderscores(digits, isDigit: isRadixDigit) else {
            return .failure(Problem(reason: "invalid number \"\(text)\""))
        }
        guard let value = Int64(cleaned, radix: radix) else {
            return .failure(Problem(reason: "integer \"\(text)\" is out of the 64-bit range"))
        }
        return .success(.integer(value))
    }

    /// `123`, `1_000`, `3.14`, `6.02e23`, `1E-7`.
    private static func decimal(_ body: ArraySlice<UInt8>, negative: Bool, text: String) -> Result<TOMLValue, Problem> {
        let invalid = Problem(reason: "invalid number \"\(text)\"")
        var mantissa = body
        var exponent: ArraySlice<UInt8>? = nil
        if let e = body.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            mantissa = body[..<e]
            var rest = body[(e + 1)...]
            if let s = rest.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { rest = rest.dropFirst() }
            exponent = rest
        }
        var integerPart = mantissa
        var fraction: ArraySlice<UInt8>? = nil
        if let dot = mantissa.firstIndex(of: UInt8(ascii: ".")) {
            integerPart = mantissa[..<dot]
            fraction = mantissa[(dot + 1)...]
        }
        for part in [integerPart, fraction, exponent].compactMap({ $0 }) {
            if withoutUnderscores(part, isDigit: isDigit) == nil { return .failure(invalid) }
        }
        if integerPart.count > 1, integerPart.first == UInt8(ascii: "0") {
            return .failure(Problem(reason: "invalid number \"\(text)\" (leading zeros are not allowed)"))
        }
        let cleaned = String(decoding: (negative ? "-" : "").utf8 + body.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        if fraction == nil, exponent == nil {
            guard let value = Int64(cleaned) else {
                return .failure(Problem(reason: "integer \"\(text)\" is out of the 64-bit range"))
            }
            return .success(.integer(value))
        }
        guard let value = Double(cleaned) else { return .failure(invalid) }
        return .success(.float(value))
    }

    /// The digits without underscores, or nil if empty, if a non-digit appears, or if an
    /// underscore is not between two digits.
    private static func withoutUnderscores(_ digits: ArraySlice<UInt8>, isDigit: (UInt8) -> Bool) -> String? {
        guard let first = digits.first, let last = digits.last, isDigit(first), isDigit(last) else { return nil }
        var out: [UInt8] = []
        var previousWasUnderscore = false
        for b in digits {
            if b == UInt8(ascii: "_") {
                if previousWasUnderscore { return nil }
                previousWasUnderscore = true
            } else {
                guard isDigit(b) else { return nil }
                previousWasUnderscore = false
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
}
