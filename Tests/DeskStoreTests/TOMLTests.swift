import DeskStore
import Testing

/// Values, structure and positions of documents that parse.
@Suite struct TOMLTests {
    @Test func scalarKindsAndTheirPositions() throws {
        let doc = try TOML.parse("""
            title = "QuoteDesk"
              half_spread = 2.5
            size = 1_000
            neg = -42
            hex = 0xFF
            bits = 0b101
            on = true
            off = false
            path = 'C:\\no\\escapes'
            avogadro = 6.02e23
            small = -1E-7
            pinf = inf
            ninf = -inf
            not_a_number = nan
            min = -9223372036854775808
            """)
        #expect(doc["title"]?.string == "QuoteDesk")
        #expect(doc["half_spread"]?.double == 2.5)
        #expect(doc.entry("half_spread")?.keyPosition == pos(2, 3))
        #expect(doc["half_spread"]?.position == pos(2, 17))
        #expect(doc["size"]?.integer == 1000)
        #expect(doc["neg"]?.integer == -42)
        #expect(doc["hex"]?.integer == 255)
        #expect(doc["bits"]?.integer == 5)
        #expect(doc["on"]?.boolean == true)
        #expect(doc["off"]?.boolean == false)
        #expect(doc["path"]?.string == "C:\\no\\escapes")
        #expect(doc["avogadro"]?.double == 6.02e23)
        #expect(doc["small"]?.double == -1e-7)
        #expect(doc["pinf"]?.double == .infinity)
        #expect(doc["ninf"]?.double == -.infinity)
        #expect(doc["not_a_number"]?.double?.isNaN == true)
        #expect(doc["min"]?.integer == .min)
        #expect(doc["min"]?.position == pos(15, 7))
        #expect(doc.keys.count == 15)
        // Integers are not floats in the tree, but `double` widens them for float settings.
        #expect(doc["size"]?.value.typeName == "integer")
        #expect(doc["size"]?.double == 1000)
    }

    @Test func basicStringEscapes() throws {
        let doc = try TOML.parse(#"s = "q\"b\\n\nt\tr\rb\bf\fé\u00E9\U0001F600""#)
        #expect(doc["s"]?.string == "q\"b\\n\nt\tr\rb\u{8}f\u{C}é\u{E9}\u{1F600}")
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let doc = try TOML.parse("a = \"日本\" # 日本\nb = 1")
        #expect(doc["b"]?.position == pos(2, 5))
        #expect(parseError("a = \"日本\" x") == TOMLError(pos(1, 10), #"expected end of line after value, found "x""#))
    }

    @Test func quotedKeys() throws {
        let doc = try TOML.parse(#"""
            "with space" = 1
            'lit.eral' = 2
            site."google.com" = true
            "" = 3
            """#)
        #expect(doc["with space"]?.integer == 1)
        #expect(doc["lit.eral"]?.integer == 2)
        #expect(doc["site"]?.table?["google.com"]?.boolean == true)
        #expect(doc.entry("site")?.node.table?.entry("google.com")?.keyPosition == pos(3, 6))
        #expect(doc[""]?.integer == 3)
    }

    @Test func dottedKeysAndTablesMerge() throws {
        let doc = try TOML.parse("""
            [risk]
            limits.max_position = 10
            limits.max_loss = 5.0
            [risk.breakers]
            enabled = true
            """)
        #expect(plain(doc) == "{risk: {limits: {max_position: 10, max_loss: 5.0}, breakers: {enabled: true}}}")
        let risk = try #require(doc["risk"]?.table)
        #expect(risk.position == pos(1, 1))
        #expect(risk.entry("limits")?.keyPosition == pos(2, 1))
        #expect(risk["limits"]?.table?.entry("max_loss")?.keyPosition == pos(3, 8))
        #expect(risk.entry("breakers")?.keyPosition == pos(4, 7))
        #expect(risk["breakers"]?.position == pos(4, 1))
    }

    @Test func implicitTableCanBeDefinedLater() throws {
        let doc = try TOML.parse("[a.b]\nx = 1\n[a]\ny = 2\n[a.c]\n")
        #expect(plain(doc) == "{a: {b: {x: 1}, y: 2, c: {}}}")
        #expect(doc["a"]?.position == pos(3, 1))
    }

    @Test func headerMayAddSubTablesToDottedTables() throws {
        let doc = try TOML.parse("[fruit]\napple.color = \"red\"\n[fruit.apple.texture]\nsmooth = true\n")
        #expect(plain(doc) == #"{fruit: {apple: {color: "red", texture: {smooth: true}}}}"#)
    }

    @Test func arraysOfTables() throws {
        let doc = try TOML.parse("""
            [[instrument]]
            symbol = "BTC-USD"
            [instrument.fees]
            maker = -0.0001
            [[instrument]]
            symbol = "ETH-USD"
            [[instrument.legs]]
            id = 1
            """)
        #expect(plain(doc) == #"{instrument: [{symbol: "BTC-USD", fees: {maker: -0.0001}}, {symbol: "ETH-USD", legs: [{id: 1}]}]}"#)
        let instruments = try #require(doc["instrument"]?.array)
        #expect(instruments.map(\.position) == [pos(1, 1), pos(5, 1)])
        #expect(doc.entry("instrument")?.keyPosition == pos(1, 3))
    }

    @Test func inlineTables() throws {
        let doc = try TOML.parse(#"keys = { up = "k", down = 'j', nested.x = 1, inner = { a = [1] } }"# + "\nempty = {}")
        #expect(plain(doc) == #"{keys: {up: "k", down: "j", nested: {x: 1}, inner: {a: [1]}}, empty: {}}"#)
        let keys = try #require(doc["keys"]?.table)
        #expect(doc["keys"]?.position == pos(1, 8))
        #expect(keys.position == pos(1, 8))
        #expect(keys.entry("up")?.keyPosition == pos(1, 10))
        #expect(keys["up"]?.position == pos(1, 15))
    }

    @Test func nestedMultiLineArraysWithComments() throws {
        let doc = try TOML.parse("""
            levels = [ # comment
              [1, 2],   # first
              [3.5, "x"],

              [],
              # before the end
            ]
            one = [ 1 ]
            """)
        #expect(plain(doc) == #"{levels: [[1, 2], [3.5, "x"], []], one: [1]}"#)
        #expect(doc["levels"]?.position == pos(1, 10))
        #expect(doc["levels"]?.array?[1].array?[1].position == pos(3, 9))
    }

    @Test func commentsBlankLinesAndCRLF() throws {
        let text = "# top\r\n\r\n[a] # c\r\nx = 1 # c\r\n  # indented\r\n[[b]] # c\r\ny = \"z\"\r\n# end"
        let doc = try TOML.parse(text)
        #expect(plain(doc) == #"{a: {x: 1}, b: [{y: "z"}]}"#)
        #expect(doc["a"]?.table?["x"]?.position == pos(4, 5))
    }

    @Test func multiLineStrings() throws {
        let doc = try TOML.parse("""
            a = \"\"\"
            first
              second\"\"\"
            b = \"\"\"one \\
                 two\"\"\"
            c = '''
            raw \\n "quoted"'''
            d = \"\"\"ends with quotes\"\"\"\"\"
            e = \"\"\"tab\\tescape\"\"\"
            f = 1
            """)
        #expect(doc["a"]?.string == "first\n  second")
        #expect(doc["b"]?.string == "one two")
        #expect(doc["c"]?.string == "raw \\n \"quoted\"")
        #expect(doc["d"]?.string == "ends with quotes\"\"")
        #expect(doc["e"]?.string == "tab\tescape")
        #expect(doc["f"]?.position == pos(10, 5))
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let doc = try TOML.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("a = 1".utf8))
        #expect(doc["a"]?.position == pos(1, 5))
    }

    @Test func realisticConfig() throws {
        let doc = try TOML.parse("""
            # QuoteDesk config
            [engine]
            tick_ms = 50
            symbols = ["BTC-USD", "ETH-USD"]

            [strategy.avellaneda]
            gamma = 0.1
            half_spread = 2.5   # bps
            kappa = 1.5e0
            inventory = { max = 10, skew = true }

            [[venue]]
            name = "paper"
            latency_us = 250

            [[venue]]
            name = "replay"
            path = 'captures/2026-11-01.gz'
            """)
        #expect(plain(doc) == """
            {engine: {tick_ms: 50, symbols: ["BTC-USD", "ETH-USD"]}, \
            strategy: {avellaneda: {gamma: 0.1, half_spread: 2.5, kappa: 1.5, inventory: {max: 10, skew: true}}}, \
            venue: [{name: "paper", latency_us: 250}, {name: "replay", path: "captures/2026-11-01.gz"}]}
            """)
        let strategy = try #require(doc["strategy"]?.table?["avellaneda"]?.table)
        #expect(strategy.position == pos(6, 1))
        #expect(strategy.entry("half_spread")?.keyPosition == pos(8, 1))
        #expect(strategy["half_spread"]?.position == pos(8, 15))
        #expect(doc["venue"]?.array?[1].table?["path"]?.position == pos(18, 8))
    }
}
