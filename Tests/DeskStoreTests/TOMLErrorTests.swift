import DeskStore
import Testing

/// Each way a document is refused: the exact reason and line:column a person will read.
@Suite struct TOMLErrorTests {
    private static let allowedEscapes = #"(allowed: \" \\ \b \f \n \r \t \uXXXX \UXXXXXXXX)"#

    @Test(arguments: [
        // Duplicate keys and redefinitions.
        ("gamma = 0.1\nx = 1\ngamma = 0.2", 3, 1, #"duplicate key "gamma" (first defined at 1:1)"#),
        ("a.b = 1\na.b = 2", 2, 3, #"duplicate key "a.b" (first defined at 1:3)"#),
        ("a = { x = 1, x = 2 }", 1, 14, #"duplicate key "x" (first defined at 1:7)"#),
        ("[a]\nx = 1\n[a]", 3, 1, "table [a] is defined twice (first defined at 1:1)"),
        ("a.b = 1\n[a]", 2, 1, "table [a] is defined twice (first defined at 1:1)"),
        ("[a]\nb = 1\n[a.b]", 3, 1, #"cannot define table [a.b]: the key is already an integer (defined at 2:1)"#),
        ("a = 1\n[a]", 2, 1, "cannot define table [a]: the key is already an integer (defined at 1:1)"),
        ("a = 1\n[a.b]", 2, 2, #"cannot define table [a.b]: "a" is already an integer (defined at 1:1)"#),
        ("a = 1\na.b = 2", 2, 1, #"cannot add keys to "a": it is already an integer (defined at 1:1)"#),
        ("a = { x = 1 }\n[a]", 2, 1, "cannot define table [a]: the key is already an inline table (defined at 1:1)"),
        ("a = { x = 1 }\na.y = 2", 2, 1, #"cannot add keys to "a": it is already an inline table (defined at 1:1)"#),
        ("[a.b]\n[a]\nb.c = 1", 3, 1, #"cannot add to table "b" with a dotted key: it was defined at 1:1"#),
        ("a = []\n[[a]]", 2, 1, "cannot define array of tables [[a]]: the key is already an array (defined at 1:1)"),
        ("[a]\n[[a]]", 2, 1, "cannot define array of tables [[a]]: it is already a table (defined at 1:1)"),
        ("[[a]]\n[a]", 2, 1, "cannot define table [a]: it is already an array of tables (defined at 1:3)"),
        ("[[a]]\na.b = 1\n[[a]]\na.b = 2\nx.y = 1\nx.y = 1", 6, 3, #"duplicate key "x.y" (first defined at 5:3)"#),
        // Strings.
        ("a = 1\nb = 2\nname = \"abc\nc = 3", 3, 8, "unterminated string"),
        ("x = 'abc", 1, 5, "unterminated string"),
        ("x = \"abc\\", 1, 5, "unterminated string"),
        ("x = \"\"\"abc\n", 1, 5, "unterminated multi-line string"),
        ("x = '''abc\n", 1, 5, "unterminated multi-line string"),
        ("x = \"\"\"a\"\"\"\"\"\"", 1, 9, "too many quotes at the end of a multi-line string"),
        (#"s = "a\qb""#, 1, 7, #"invalid escape sequence "\q" "# + allowedEscapes),
        (#"s = "\u12G4""#, 1, 6, #"invalid escape sequence "\u12": expected 4 hex digits"#),
        (#"s = "\uD800""#, 1, 6, #"invalid escape sequence "\uD800": not a Unicode scalar value"#),
        (#"s = "\U00110000""#, 1, 6, #"invalid escape sequence "\U00110000": not a Unicode scalar value"#),
        ("\"\"\"k\"\"\" = 1", 1, 1, "a multi-line string cannot be used as a key"),
        // Numbers and other scalars.
        ("n = 1__2", 1, 5, #"invalid number "1__2""#),
        ("n = _1", 1, 5, #"invalid value "_1" (strings must be quoted)"#),
        ("n = 1_", 1, 5, #"invalid number "1_""#),
        ("n = 012", 1, 5, #"invalid number "012" (leading zeros are not allowed)"#),
        ("n = 1.", 1, 5, #"invalid number "1.""#),
        ("n = .5", 1, 5, #"invalid number ".5""#),
        ("n = 1e", 1, 5, #"invalid number "1e""#),
        ("n = 1.2.3", 1, 5, #"invalid number "1.2.3""#),
        ("n = -0x10", 1, 5, #"invalid number "-0x10" (a sign is not allowed before 0x, 0o or 0b)"#),
        ("n = 0xG", 1, 5, #"invalid number "0xG""#),
        ("n = 99999999999999999999", 1, 5, #"integer "99999999999999999999" is out of the 64-bit range"#),
        ("n = yes", 1, 5, #"invalid value "yes" (strings must be quoted)"#),
        ("n = True", 1, 5, #"invalid value "True" (strings must be quoted)"#),
        ("d = 1979-05-27", 1, 5, "dates and times are not supported; write them as strings"),
        ("t = 07:32:00", 1, 5, "dates and times are not supported; write them as strings"),
        // Statement shape.
        ("half_spread 2.5", 1, 13, #"expected '=' after key "half_spread""#),
        ("risk.\"max loss\" 2", 1, 17, #"expected '=' after key "risk.'max loss'""#),
        ("= 1", 1, 1, "missing key before '='"),
        ("a.= 1", 1, 3, "missing key before '='"),
        ("é = 1", 1, 1, #"expected a key, found "é""#),
        ("a =", 1, 4, "expected a value, found end of file"),
        ("a =\nb = 1", 1, 4, "expected a value, found end of line"),
        ("a = # nothing", 1, 5, ##"expected a value, found "#""##),
        ("a = 1 2", 1, 7, #"expected end of line after value, found "2""#),
        ("a = \"x\"y", 1, 8, #"expected end of line after value, found "y""#),
        ("[a] x = 1", 1, 5, #"expected end of line after table header, found "x""#),
        ("[a\nx = 1", 1, 3, "expected ']' to close the table header, found end of line"),
        ("[[a]\n", 1, 5, "expected ']]' to close the table header, found end of line"),
        ("[]", 1, 2, #"expected a key, found "]""#),
        // Arrays and inline tables.
        ("a = [1 2]", 1, 8, #"expected ',' or ']' in array, found "2""#),
        ("a = [1,\n2", 1, 5, "unterminated array: expected ']'"),
        ("a = [,]", 1, 6, #"expected a value, found ",""#),
        ("a = { x = 1, }", 1, 14, "trailing comma is not allowed in an inline table"),
        ("a = { x = 1\n}", 1, 12, "an inline table must be on a single line"),
        ("a = { x = 1", 1, 5, "unterminated inline table: expected '}'"),
        ("a = { x = 1 y = 2 }", 1, 13, #"expected ',' or '}' in inline table, found "y""#),
    ] as [(String, Int, Int, String)])
    func refused(_ text: String, _ line: Int, _ column: Int, _ reason: String) {
        #expect(parseError(text) == TOMLError(pos(line, column), reason))
    }

    @Test func invalidUTF8IsRefusedWithPosition() {
        #expect(parseError(bytes: Array("a = \"".utf8) + [0xFF, 0x22])
            == TOMLError(pos(1, 6), "invalid UTF-8 byte 0xFF; the file must be UTF-8"))
        #expect(parseError(bytes: Array("# é\nx = ".utf8) + [0xC3])
            == TOMLError(pos(2, 5), "truncated UTF-8 sequence"))
        // An encoded surrogate (ED A0 80) is not UTF-8.
        #expect(parseError(bytes: Array("x = '".utf8) + [0xED, 0xA0, 0x80, 0x27])
            == TOMLError(pos(1, 6), "invalid UTF-8 byte 0xED; the file must be UTF-8"))
    }

    @Test func controlCharactersAreRefusedWithPosition() {
        #expect(parseError("a = 1\nb = \u{0}") == TOMLError(pos(2, 5), "control character U+0000 is not allowed"))
        #expect(parseError("s = \"a\u{1B}b\"") == TOMLError(pos(1, 7), "control character U+001B is not allowed"))
        #expect(parseError("# bell \u{7}") == TOMLError(pos(1, 8), "control character U+0007 is not allowed"))
        #expect(parseError("x = 1 # \u{7F}") == TOMLError(pos(1, 9), "control character U+007F is not allowed"))
        #expect(parseError("a = 1\rb = 2") == TOMLError(pos(1, 6), "carriage return must be followed by a line feed"))
        // Tabs are whitespace, and allowed in strings and comments.
        #expect(parseError("\ta\t=\t\"x\ty\"\t#\tc") == nil)
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let error = parseError("a = " + String(repeating: "[", count: 10_000))
        #expect(error?.reason == "arrays and inline tables are nested too deeply (limit 100)")
        #expect(error?.position == pos(1, 105))
        #expect(parseError("a = " + String(repeating: "[", count: 50) + String(repeating: "]", count: 50)) == nil)
    }

    @Test func errorRendersWithFileName() {
        let error = TOMLError(pos(3, 8), "unterminated string")
        #expect(error.rendered(file: "desk.toml") == "desk.toml:3:8: unterminated string")
        #expect(error.description == "3:8: unterminated string")
    }
}
